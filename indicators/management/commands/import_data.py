from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from communes import scope
from communes.models import User
from indicators import services
from indicators.excel import imports


def user_named(username):
    """The account to act as: the one named, or the only administrator when none is named."""
    if username:
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"No active user “{username}”.")
        return user
    active = User.objects.filter(is_active=True)
    administrators = [user for user in active if scope.can(user, scope.ADMINISTER)]
    if len(administrators) != 1:
        raise CommandError("Say which account imports the file with --user USERNAME.")
    return administrators[0]


class Command(BaseCommand):
    help = (
        "Import dossier statistics or area scores from an xlsx file made from a template, with the same "
        "checks as the web upload: any problem and nothing is written."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The .xlsx file.")
        parser.add_argument("--dry-run", action="store_true", help="Show what would change; write nothing.")
        parser.add_argument(
            "--user",
            help="Import as this account, within its scope and rights (default: the only administrator).",
        )

    def handle(self, *args, file, dry_run=False, user=None, **options):
        account = user_named(user)
        try:
            data = Path(file).read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}.") from None
        plan = imports.build_plan(data, account)
        for line in imports.describe(plan):
            self.stdout.write(line)
        if not plan.is_valid:
            raise CommandError(_("The file was refused: nothing was saved."))
        if dry_run:
            self.stdout.write(_("Dry run: nothing was saved."))
            return
        try:
            written = imports.apply_plan(account, plan)
        except services.StaleData as error:
            raise CommandError(_("Nothing was saved: %(reason)s") % {"reason": error}) from None
        self.stdout.write(
            _("Saved: %(new)s new rows and %(changed)s changed rows.")
            % {"new": written[imports.NEW], "changed": written[imports.CHANGED]}
        )

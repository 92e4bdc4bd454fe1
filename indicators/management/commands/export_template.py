from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from communes.models import Unit, User
from indicators.excel import exports
from indicators.excel.spreadsheets import SCORES, STATS
from indicators.models import Period


class Command(BaseCommand):
    help = (
        "Write an xlsx template for a period: one row per unit and procedure field (or reform area), "
        "with the saved figures filled in."
    )

    def add_arguments(self, parser):
        parser.add_argument("--period", required=True, help="Period code, such as 2023-Q3, 2023-H1 or 2023.")
        parser.add_argument("--output", required=True, help="The .xlsx file to write.")
        parser.add_argument("--kind", choices=[STATS, SCORES], default=STATS)
        parser.add_argument("--unit", help="Code of a unit: only it and the units below it.")
        parser.add_argument(
            "--user", help="Only the units this account may enter figures for (default: every unit)."
        )
        parser.add_argument(
            "--saved-only", action="store_true", help="Only the saved rows (an export, not a template)."
        )

    def handle(self, *args, period, output, kind, unit=None, user=None, saved_only=False, **options):
        try:
            period = Period.objects.get_by_code(period)
        except Period.DoesNotExist:
            raise CommandError(f"There is no reporting period “{period}”.") from None
        within = None
        if unit:
            within = Unit.objects.filter(code=unit).first()
            if within is None:
                raise CommandError(f"There is no unit with the code “{unit}”.")
        if user:
            account = User.objects.filter(username=user, is_active=True).first()
            if account is None:
                raise CommandError(f"No active user “{user}”.")
        else:
            # Whoever runs manage.py already reaches every row: the template covers them all.
            account = User(username="manage.py", role=User.Role.ADMINISTRATOR, is_active=True)
        content, _name = exports.workbook(account, period, kind, within=within, template=not saved_only)
        Path(output).write_bytes(content)
        self.stdout.write(f"{output}: {len(content)} bytes")

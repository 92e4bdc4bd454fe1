from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from communes.models import Unit
from indicators.models import Period
from reports import content, document


class Command(BaseCommand):
    @property
    def help(self):
        return _("Write the Word draft of a district's period report from the published figures.")

    def add_arguments(self, parser):
        parser.add_argument(
            "--period", required=True, help=_("Period code, such as 2023-H1, 2023-Q3 or 2023.")
        )
        parser.add_argument("--unit", required=True, help=_("Code of the district, such as 298."))
        parser.add_argument(
            "--output", help=_("The .docx file to write (default: named after unit and period).")
        )

    def handle(self, *args, period, unit, output=None, **options):
        try:
            period = Period.objects.get_by_code(period)
        except Period.DoesNotExist:
            raise CommandError(_("There is no reporting period “%(code)s”.") % {"code": period}) from None
        district = Unit.objects.filter(code=unit).first()
        if district is None:
            raise CommandError(_("There is no unit with the code “%(code)s”.") % {"code": unit})
        try:
            # Whoever runs manage.py reaches every unit; what is published is all that is counted.
            figures = content.gather(district, period, Unit.objects.all())
        except content.ReportError as error:
            raise CommandError(str(error)) from None
        path = Path(output or document.filename(district, period))
        path.write_bytes(document.build(figures, timezone.localdate()))
        self.stdout.write(_("Written: %(path)s") % {"path": path})

from itertools import groupby
from operator import attrgetter

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from communes.models import UnitLevel
from communes.scope import visible_units

from ..models import Period
from .exports import tree_order
from .spreadsheets import MAX_FILE_BYTES, SCORES, STATS

KINDS = [(STATS, _("Dossier statistics")), (SCORES, _("Area scores"))]


class WorkbookForm(forms.Form):
    """Which workbook to download: a period, statistics or scores, optionally one unit and those below it."""

    period = forms.ChoiceField(label=_("Reporting period"))
    kind = forms.ChoiceField(label=_("Figures"), choices=KINDS, initial=STATS)
    unit = forms.ChoiceField(label=_("Unit"), required=False)

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Newest year first; within a year its quarters (latest first), then half-years, nine months, year.
        kinds = list(Period.Kind)
        periods = sorted(Period.objects.all(), key=lambda p: (-p.year, kinds.index(p.kind), -p.number))
        self.periods = {period.code: period for period in periods}
        self.fields["period"].choices = [
            (_("Year %(year)s") % {"year": year}, [(period.code, period.label) for period in group])
            for year, group in groupby(periods, key=attrgetter("year"))
        ]
        # The quarter under way is the one most likely to be entered; a later one cannot have figures yet.
        today = timezone.localdate()
        self.fields["period"].initial = next((p.code for p in periods if p.start <= today), None)
        units = visible_units(user).exclude(level=UnitLevel.PROVINCE).select_related("parent")
        self.units = {unit.code: unit for unit in sorted(units, key=tree_order)}
        self.fields["unit"].choices = [("", _("All units in my scope"))] + [
            (code, str(unit)) for code, unit in self.units.items()
        ]

    def clean_period(self):
        return self.periods[self.cleaned_data["period"]]

    def clean_unit(self):
        code = self.cleaned_data.get("unit")
        return self.units[code] if code else None


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Excel file (.xlsx)"),
        error_messages={"empty": _("The file is empty."), "required": _("Choose the Excel file to upload.")},
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            message = _("The file is larger than %(size)s MB.") % {"size": MAX_FILE_BYTES // 2**20}
            raise forms.ValidationError(message)
        return upload

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .excel.spreadsheet_cells import CellError, parse_count, parse_points
from .models import COUNT_FIELDS, AreaScore, DossierStats, PeriodReport, ProcedureField, ReformArea


class _VietnameseNumber:
    """A number field that reads what a Vietnamese user types, by the same rules as an Excel cell, and shows
    the saved value the Vietnamese way (8,50; 1.698). Never the browser's number input, which refuses
    "8,5" in some browsers and drops the comma in others."""

    parse = None

    def __init__(self, **kwargs):
        super().__init__(localize=True, **kwargs)
        self.widget.attrs["inputmode"] = self.inputmode

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            return type(self).parse(value)
        except CellError as error:
            raise ValidationError(error.message, code="invalid") from None


class PointsField(_VietnameseNumber, forms.DecimalField):
    parse, inputmode = parse_points, "decimal"


class CountField(_VietnameseNumber, forms.IntegerField):
    parse, inputmode = parse_count, "numeric"


class FigureForm(forms.ModelForm):
    """A row of figures; a row the unit never entered and left untouched is not validated or saved."""

    def __init__(self, *args, instance, **kwargs):
        super().__init__(
            *args,
            instance=instance,
            empty_permitted=instance.pk is None,
            use_required_attribute=False,
            **kwargs,
        )

    def _post_clean(self):
        # A figure that could not be read makes the row's sums meaningless: only what is wrong is said.
        if not self._errors:
            super()._post_clean()

    def is_blank(self):
        return self.instance.pk is None and not any(self.cleaned_data.get(name) for name in self.entry_fields)


class ScoreForm(FigureForm):
    entry_fields = ["self_points"]

    class Meta:
        model = AreaScore
        fields = ["self_points", "appraised_points", "note"]
        field_classes = {"self_points": PointsField, "appraised_points": PointsField}
        widgets = {"note": forms.Textarea(attrs={"rows": 1})}

    def __init__(self, *args, area, max_points, can_appraise, **kwargs):
        super().__init__(*args, **kwargs)
        self.area = area
        self.instance.area = area
        # Validation needs the maximum before the service copies it onto a new score.
        self.instance.max_points = self.instance.max_points or max_points
        self.fields["appraised_points"].disabled = not can_appraise


class StatsForm(FigureForm):
    entry_fields = COUNT_FIELDS

    class Meta:
        model = DossierStats
        fields = COUNT_FIELDS
        field_classes = dict.fromkeys(COUNT_FIELDS, CountField)

    def __init__(self, *args, procedure_field, **kwargs):
        super().__init__(*args, **kwargs)
        self.procedure_field = procedure_field
        self.instance.field = procedure_field
        for field in self.fields.values():
            field.required = False

    def clean(self):
        cleaned = super().clean()
        for name in COUNT_FIELDS:
            if cleaned.get(name) is None and name not in self.errors:
                cleaned[name] = 0  # an empty cell means no dossier of that kind
        return cleaned


class ReportForm(forms.ModelForm):
    class Meta:
        model = PeriodReport
        fields = ["overdue_on_software"]
        field_classes = {"overdue_on_software": CountField}


class ReturnForm(forms.Form):
    # It shares the report's form with "approve" and "save": a browser's required check on the reason would
    # stop those buttons too. The reason is required when returning, which the server checks.
    use_required_attribute = False

    return_reason = forms.CharField(label=_("Reason for returning"), widget=forms.Textarea(attrs={"rows": 2}))


def build_forms(report, data, maxima, can_appraise):
    """The report form, one score form per area and one statistics form per procedure field."""
    scores = (
        {score.area_id: score for score in report.unit.area_scores.filter(period=report.period)}
        if report.pk
        else {}
    )
    rows = (
        {row.field_id: row for row in report.unit.dossier_stats.filter(period=report.period)}
        if report.pk
        else {}
    )
    score_forms = [
        ScoreForm(
            data,
            prefix=f"area-{area.number}",
            instance=scores.get(area.pk) or AreaScore(),
            area=area,
            max_points=maxima.get(area.pk),
            can_appraise=can_appraise,
        )
        for area in ReformArea.objects.all()
        if area.pk in maxima
    ]
    stats_forms = [
        StatsForm(
            data,
            prefix=f"field-{field.code}",
            instance=rows.get(field.pk) or DossierStats(),
            procedure_field=field,
        )
        for field in ProcedureField.objects.all()
    ]
    return ReportForm(data, instance=report, prefix="report"), score_forms, stats_forms


def stats_matrix(stats_forms):
    """Rows of (count label, one input per procedure field): the layout of the one-stop report sheet."""
    return [
        (DossierStats._meta.get_field(name).verbose_name, [form[name] for form in stats_forms])
        for name in COUNT_FIELDS
    ]

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from communes import scope

from . import services, workflow
from .forms import ReturnForm, build_forms, stats_matrix
from .models import Period, PeriodReport
from .selectors import area_maxima, report_history, report_warnings, score_sheet_total, unit_totals


def period_or_404(code):
    try:
        return Period.objects.get_by_code(code)
    except Period.DoesNotExist:
        raise Http404(_("There is no reporting period “%(code)s”.") % {"code": code}) from None


# What follows the saving of the figures, for the actions of the report's form: nothing typed on the screen
# is ever left unsaved by a decision taken with the same click.
AFTER_SAVING = {
    "save": (None, gettext_lazy("Saved.")),
    "submit": (services.submit_report, gettext_lazy("The report was submitted.")),
    "approve": (services.approve_report, gettext_lazy("The report was approved.")),
}
# A decision that saved appraised points with it says so; one that saved none does not claim it.
WITH_APPRAISED_POINTS = {
    "approve": gettext_lazy("The report was approved, with the appraised points."),
    "return": gettext_lazy("The report was returned to the unit, with the appraised points."),
}


@login_required
def report(request, unit_code, period_code):
    """One unit's report for one period: its scores and dossier statistics, and the workflow actions."""
    period = period_or_404(period_code)
    unit = scope.unit_for_user(request.user, unit_code)
    report = services.report_for(unit, period)
    maxima = area_maxima(unit, period)
    max_total = sum(maxima.values())
    can_appraise = workflow.is_district_staff(request.user)
    data = request.POST if request.method == "POST" else None
    report_form, score_forms, stats_forms = build_forms(report, data, maxima, can_appraise)
    return_form = ReturnForm(data if data and data.get("action") == "return" else None)

    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "save")
        status = 400
        try:
            if _perform(request, action, report, report_form, score_forms, stats_forms, return_form):
                return redirect("report", unit_code=unit.code, period_code=period.code)
        except services.StaleData as error:
            messages.error(request, str(error))
            status = 409
        except PermissionDenied as error:
            messages.error(request, str(error))
            status = 403
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))

    hidden_because = workflow.why_cannot_read_figures(request.user, report)
    context = {
        "unit": unit,
        "period": period,
        "report": report,
        "figures_hidden_because": hidden_because,
        "report_form": report_form,
        "score_forms": score_forms,
        "stats_forms": stats_forms,
        "stats_matrix": stats_matrix(stats_forms),
        "return_form": return_form,
        "totals": None if hidden_because else unit_totals(unit, period),
        "warnings": report_warnings(report) if report.pk and not hidden_because else [],
        "locked_because": workflow.why_cannot_edit(request.user, report),
        "can_submit": workflow.why_cannot_submit(request.user, report) is None,
        "can_decide": report.pk is not None and workflow.why_cannot_decide(request.user, report) is None,
        "can_reopen": report.pk is not None and workflow.why_cannot_reopen(request.user, report) is None,
        "max_total": max_total,
        "not_started": PeriodReport.NOT_STARTED,
        "can_appraise": can_appraise,
        "score_total": score_sheet_total([form.instance for form in score_forms], max_total),
        "history": report_history(report),
    }
    return render(request, "indicators/report.html", context, status=status)


def _posted_version(request):
    """The report version the screen was loaded at; a screen that sent none or garbage is outdated."""
    posted = request.POST.get("report_version") or "0"
    if not (posted.isascii() and posted.isdigit() and len(posted) <= 9):
        raise ValidationError(_("This page is out of date: reload it and enter your changes again."))
    return int(posted)


def _sends_figures(request, forms):
    return any(form.add_prefix(name) in request.POST for form in forms for name in form.fields)


def _perform(request, action, report, report_form, score_forms, stats_forms, return_form):
    """Carry out one action of the report screen; True when it succeeded."""
    user, version = request.user, _posted_version(request)
    if action == "reopen" and report.pk:
        services.reopen_report(user, report, version)
        messages.success(request, _("The report was reopened for correction."))
        return True
    if action not in (*AFTER_SAVING, "return"):
        raise PermissionDenied(_("Unknown action."))
    if action in ("approve", "return"):
        reason = workflow.why_cannot_decide(user, report) if report.pk else _("Unknown action.")
        if reason:
            raise PermissionDenied(reason)
    forms = [report_form, *score_forms, *stats_forms]
    # A decision sent without the screen's figures (by a script) decides only; from the screen, it saves
    # the figures too.
    with_figures = action not in ("approve", "return") or _sends_figures(request, forms)
    if with_figures and not all(form.is_valid() for form in forms):
        messages.error(request, _("Nothing was saved: correct the figures marked below."))
        return False
    if action == "return" and not return_form.is_valid():
        messages.error(request, _("Nothing was saved: say why the report is returned."))
        return False
    scores = [form.instance for form in score_forms if not form.is_blank()] if with_figures else []
    with transaction.atomic():
        if with_figures:
            services.save_figures(
                user,
                report_form.instance,
                scores=scores,
                stats=[form.instance for form in stats_forms if not form.is_blank()],
                report_version=version,
            )
            version = report.version
        if action == "return":
            services.return_report(user, report, version, return_form.cleaned_data["return_reason"])
            message = _("The report was returned to the unit.")
        else:
            decide, message = AFTER_SAVING[action]
            if decide:
                decide(user, report, version)
    if action in WITH_APPRAISED_POINTS and any(score.appraised_points is not None for score in scores):
        message = WITH_APPRAISED_POINTS[action]
    messages.success(request, message)
    return True

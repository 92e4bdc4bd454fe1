from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from communes.models import Unit

from . import services, workflow
from .forms import ReturnForm, build_forms, stats_matrix
from .models import Period
from .selectors import area_maxima, report_warnings, unit_totals


def period_or_404(code):
    try:
        return Period.objects.get_by_code(code)
    except Period.DoesNotExist:
        raise Http404(_("There is no reporting period “%(code)s”.") % {"code": code}) from None


ACTIONS = {
    "submit": services.submit_report,
    "approve": services.approve_report,
    "reopen": services.reopen_report,
}


@login_required
def report(request, unit_code, period_code):
    """One unit's report for one period: its scores and dossier statistics, and the workflow actions."""
    unit = get_object_or_404(Unit, code=unit_code)
    period = period_or_404(period_code)
    reason = workflow.why_cannot_view(request.user, unit)
    if reason:
        raise PermissionDenied(reason)
    report = services.report_for(unit, period)
    maxima = area_maxima(unit, period)
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
        "max_total": sum(maxima.values()),
        "history": report.history.select_related("history_user")[:20] if report.pk else [],
    }
    return render(request, "indicators/report.html", context, status=status)


def _posted_version(request):
    """The report version the screen was loaded at; a screen that sent none or garbage is outdated."""
    posted = request.POST.get("report_version") or "0"
    if not (posted.isascii() and posted.isdigit() and len(posted) <= 9):
        raise ValidationError(_("This page is out of date: reload it and enter your changes again."))
    return int(posted)


def _perform(request, action, report, report_form, score_forms, stats_forms, return_form):
    """Carry out one action of the report screen; True when it succeeded."""
    user, version = request.user, _posted_version(request)
    if action in ("save", "submit"):
        forms = [report_form, *score_forms, *stats_forms]
        if not all(form.is_valid() for form in forms):
            messages.error(request, _("Nothing was saved: correct the figures marked below."))
            return False
        with transaction.atomic():
            services.save_figures(
                user,
                report_form.instance,
                scores=[form.instance for form in score_forms if not form.is_blank()],
                stats=[form.instance for form in stats_forms if not form.is_blank()],
                report_version=version,
            )
            if action == "submit":
                services.submit_report(user, report, report.version)
        messages.success(request, _("The report was submitted.") if action == "submit" else _("Saved."))
        return True
    if action == "return":
        if not return_form.is_valid():
            messages.error(request, _("Say why the report is returned."))
            return False
        services.return_report(user, report, version, return_form.cleaned_data["return_reason"])
        messages.success(request, _("The report was returned to the unit."))
        return True
    if action in ACTIONS and report.pk:
        ACTIONS[action](user, report, version)
        messages.success(request, _("Done."))
        return True
    raise PermissionDenied(_("Unknown action."))

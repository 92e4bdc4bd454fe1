"""Excel files: templates to fill in, exports of saved figures, and uploads checked before they are saved."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from communes import scope

from .. import services
from . import exports, imports, uploads
from .forms import KINDS, UploadForm, WorkbookForm
from .spreadsheets import XLSX_CONTENT_TYPE

# The capability each use of the page needs (communes.scope): the same table gives django-import-export the
# model permissions it asks ("add" to import, "view" to export).
IMPORT, EXPORT = scope.ENTER, scope.READ


def _page(request, workbook_form=None, upload_form=None, status=200):
    user = request.user
    context = {
        "workbook_form": workbook_form or WorkbookForm(user, initial=request.GET.dict()),
        "upload_form": upload_form or UploadForm(),
        "can_import": scope.can(user, IMPORT),
    }
    return render(request, "indicators/exchange/index.html", context, status=status)


@login_required
def exchange(request):
    if not scope.can(request.user, EXPORT):
        raise PermissionDenied
    return _page(request)


def _download(request, template):
    form = WorkbookForm(request.user, request.GET)
    if not form.is_valid():
        return _page(request, workbook_form=form, status=400)
    period, kind, unit = (form.cleaned_data[name] for name in ("period", "kind", "unit"))
    if not scope.can(request.user, IMPORT if template else EXPORT):
        raise PermissionDenied(_("You cannot enter figures.") if template else "")
    reason = template and unit and scope.why_not(request.user, scope.ENTER, unit)
    if reason:
        raise PermissionDenied(reason)
    content, name = exports.workbook(request.user, period, kind, within=unit, template=template)
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def download_template(request):
    return _download(request, template=True)


@login_required
def download_export(request):
    return _download(request, template=False)


def _preview(request, plan, name, token=None, status=200):
    context = {
        "plan": plan,
        "name": name,
        "token": token,
        "kind_label": dict(KINDS).get(plan.kind),
        "upload_form": UploadForm(),  # a refused file is corrected and uploaded again from here
    }
    return render(request, "indicators/exchange/preview.html", context, status=status)


def _require_import(user):
    if not scope.can(user, IMPORT):
        raise PermissionDenied(_("You cannot enter figures."))


@login_required
@require_POST
def upload(request):
    """Check an uploaded workbook and show what saving it would change; nothing is written yet."""
    _require_import(request.user)
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, upload_form=form, status=400)
    upload, data = form.cleaned_data["file"], form.cleaned_data["file"].read()
    plan = imports.build_plan(data, request.user)
    if not plan.is_valid:
        return _preview(request, plan, upload.name, status=400)
    if not plan.changing:
        return _preview(request, plan, upload.name)
    return _stash_and_preview(request, plan, data, upload.name)


def _stash_and_preview(request, plan, data, name, status=200):
    """The preview, with the token that confirms it when the server could keep the file until then."""
    try:
        token = uploads.stash(request, data, name, plan.seen_versions())
    except uploads.StoreFull:
        messages.error(request, uploads.STORE_FULL)
        return _preview(request, plan, name, status=503)
    return _preview(request, plan, name, token, status=status)


@login_required
@require_POST
def confirm(request):
    """Save a previewed upload, checked again: the figures must still be what the preview showed."""
    _require_import(request.user)
    stashed = uploads.fetch(request, request.POST.get("token", ""))
    if stashed is None:
        messages.error(request, _("This preview is no longer available. Upload the file again."))
        return redirect("exchange")
    plan = imports.build_plan(stashed.data, request.user)
    uploads.discard(request, stashed.token)
    if not plan.is_valid:
        return _preview(request, plan, stashed.name, status=400)
    try:
        written = imports.apply_plan(request.user, plan, stashed.seen)
    except services.StaleData as error:
        messages.error(request, _("Nothing was saved: %(reason)s") % {"reason": error})
        # The preview of the figures as they are now, to confirm again after a look.
        if not plan.changing:
            return _preview(request, plan, stashed.name, status=409)
        return _stash_and_preview(request, plan, stashed.data, stashed.name, status=409)
    except (PermissionDenied, ValidationError) as error:
        reason = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
        messages.error(request, _("Nothing was saved: %(reason)s") % {"reason": reason})
        return redirect("exchange")
    messages.success(
        request,
        _("Saved: %(new)s new rows and %(changed)s changed rows.")
        % {"new": written[imports.NEW], "changed": written[imports.CHANGED]},
    )
    groups = list(plan.changing_groups().values())
    if len(groups) == 1:  # one unit's report: show it, with its warnings
        return redirect("report", unit_code=groups[0][0].unit.code, period_code=groups[0][0].period.code)
    return redirect("exchange")

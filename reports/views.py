from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from communes import scope
from communes.scope import visible_units
from indicators.views import period_or_404

from . import content, document

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@login_required
def download(request, unit_code, period_code):
    """The Word draft of the period report of a district, from the figures the dashboards show."""
    period = period_or_404(period_code)
    unit = scope.unit_for_user(request.user, unit_code, scope.REPORT)
    try:
        figures = content.gather(unit, period, visible_units(request.user))
    except content.ReportError as error:
        return render(request, "reports/unavailable.html", {"message": str(error)}, status=404)
    response = HttpResponse(document.build(figures, timezone.localdate()), content_type=DOCX)
    response["Content-Disposition"] = f'attachment; filename="{document.filename(unit, period)}"'
    return response

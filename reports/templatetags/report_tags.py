from django import template

from communes import scope
from communes.models import UnitLevel

register = template.Library()


@register.inclusion_tag("reports/_download.html", takes_context=True)
def report_download(context, unit, period):
    """The button that downloads the Word report, for those who may download it."""
    user = context["request"].user
    # The report is written for a district and its communes.
    allowed = unit.level == UnitLevel.DISTRICT and scope.may(user, scope.REPORT, unit)
    return {"unit": unit, "period": period, "allowed": allowed}

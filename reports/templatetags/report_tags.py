from django import template

from reports import access

register = template.Library()


@register.inclusion_tag("reports/_download.html", takes_context=True)
def report_download(context, unit, period):
    """The button that downloads the Word report, for those who may download it."""
    user = context["request"].user
    allowed = access.offers_report(unit) and access.why_cannot_download(user, unit) is None
    return {"unit": unit, "period": period, "allowed": allowed}

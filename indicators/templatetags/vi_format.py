from django import template

from indicators.formatting import format_number, format_percent, signed

register = template.Library()


@register.filter
def percent(value, places=2):
    return format_percent(value, int(places))


@register.filter
def points(value):
    return format_number(value, 2)


@register.filter
def signed_points(value):
    """A change in percentage points with its sign: +29,09 or −1,20."""
    return signed(value)


@register.filter
def number(value):
    """A count with the thousands dot (1.698), or the no-data dash."""
    return format_number(value)

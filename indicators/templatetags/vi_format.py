from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

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


@register.simple_tag
def dossier_row(label, totals):
    """A row of dossier counts under _dossier_head.html's columns, each rate beside its part and whole.

    Written here, not as a template: the figures' own pages render three of them, a template's loop over
    their forty cells cost more than reading them from the database."""
    t = totals
    counts = [t.handled, t.carried_over, t.received]
    shares = [
        (t.resolved_on_time, t.resolved, t.on_time_rate),
        (t.resolved_overdue, None, t.overdue_rate),
    ]
    after = [t.pending, t.paused, t.returned, t.cancelled]
    rates = [
        (t.online, t.online_eligible, t.online_rate),
        (t.inputs_digitized, t.inputs, t.inputs_digitized_rate),
        (t.results_digitized, t.results, t.results_digitized_rate),
        (t.paid_online, t.fee_bearing, t.online_payment_rate),
    ]
    cells = [_count(value) for value in counts]
    cells += [_share(*share) for share in shares]
    cells += [_count(value) for value in after]
    cells += [_share(*share) for share in rates]
    # Every cell is made of digits, separators and the no-data dash; only the label needs escaping.
    return mark_safe(f'<tr>\n  <th scope="row">{conditional_escape(label)}</th>\n  {"".join(cells)}\n</tr>')


def _count(value):
    return f'<td class="num">{format_number(value)}</td>'


def _share(part, whole, rate):
    counted = format_number(part) if whole is None else f"{format_number(part)}/{format_number(whole)}"
    return f'<td class="num">{counted} <span class="share">({format_percent(rate)})</span></td>'

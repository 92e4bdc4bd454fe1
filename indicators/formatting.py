"""Figures as Vietnamese readers write them: 1.698 · 99,94% · 62,12."""

import functools
from decimal import ROUND_HALF_UP, Decimal

from django.utils.formats import get_format, number_format
from django.utils.translation import get_language, gettext

NO_DATA = "—"


def rounded(value, places):
    # Half-up, as a person rounds: 99,935 -> 99,94 (Python's default would round half to even).
    return Decimal(value).quantize(_unit(places), rounding=ROUND_HALF_UP)


@functools.cache
def _unit(places):
    return Decimal(1).scaleb(-places)


def format_number(value, places=0):
    if value is None or value == "":
        return NO_DATA
    separators = _separators(get_language())
    if separators is None:
        return number_format(rounded(value, places), places, force_grouping=True)
    if type(value) is int and places == 0:
        return f"{value:,}".translate(separators)  # a count: nothing to round
    return f"{rounded(value, places):,.{places}f}".translate(separators)


@functools.cache
def _separators(language):
    """The usual grouping by thousands as a translation of Python's separators into the language's, or
    None for another grouping. A page formats hundreds of numbers: Django's number_format, which looks
    the formats up on every call, took most of the time of a page's table."""
    if get_format("NUMBER_GROUPING", language) != 3:
        return None
    return str.maketrans(
        {",": get_format("THOUSAND_SEPARATOR", language), ".": get_format("DECIMAL_SEPARATOR", language)}
    )


def format_percent(value, places=2):
    """A rate as "99,94%"; no rate at all (nothing to divide by) as a dash."""
    if value is None or value == "":
        return NO_DATA
    return f"{format_number(value, places)}%"


def signed(value, places=2):
    """A change with its sign: +29,09 or −1,20 (a true minus sign); no change at all without one."""
    if value is None or value == "":
        return NO_DATA
    text = format_number(abs(value), places)
    return f"+{text}" if value > 0 else f"−{text}" if value < 0 else text


def format_change(value):
    """A change of a rate, in percentage points: "+29,09 điểm %"."""
    if value is None or value == "":
        return NO_DATA
    return gettext("%(change)s percentage points") % {"change": signed(value)}

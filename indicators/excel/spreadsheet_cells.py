"""Reading one cell of a workbook as the figure a person meant, whichever program saved it.

Excel and LibreOffice Calc give back 12 as 12 or 12.0, a code typed as a number as 11089, and text typed the
Vietnamese way as "1.698" or "12,5": all of those are read; anything else is refused with a sentence.
"""

import datetime
import math
import re
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from ..formatting import format_number
from ..models import MAX_COUNT


class CellError(ValueError):
    def __init__(self, message):
        self.message = message
        super().__init__(message)


SHOWN_TEXT = 60


def show(value):
    """A cell's value as the user would recognise it in a message; long text cut short (a message may be
    repeated for every row)."""
    if isinstance(value, str):
        return value if len(value) <= SHOWN_TEXT else value[: SHOWN_TEXT - 1] + "…"
    if isinstance(value, float) and abs(value) >= 1e15:
        return f"{value:g}"  # a float that large is not exact: 1e+30, not 1000000000000000019884624838656
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        places = max(0, -Decimal(repr(value) if isinstance(value, float) else value).as_tuple().exponent)
        try:
            return format_number(value, min(places, 6))
        except InvalidOperation:  # beyond what a Decimal context holds: no figure is that large anyway
            return str(value)
    return str(value)


def parse_code(value):
    """A code cell as text: 11089, 11089.0 and " 11089 " are all "11089"."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip() or None


_GROUPED = re.compile(r"\d{1,3}(?:([.,])\d{3})(?:\1\d{3})*")
_PLAIN = re.compile(r"\d+(?:[.,]\d+)?")


def _number(value, grouping):
    """The cell as a Decimal (None if blank), accepting both 1.698 and 1,698; raises CellError."""
    if value is None:
        return None
    if isinstance(value, bool | datetime.date | datetime.time | datetime.timedelta):
        raise _not_a_number(value)
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise _not_a_number(value)
        return Decimal(repr(value))
    text = str(value).replace("\u00a0", "").replace(" ", "")
    negative = text.startswith("-")
    digits = text[1:] if negative else text
    if grouping and _GROUPED.fullmatch(digits):
        digits = digits.replace(".", "").replace(",", "")
    elif _PLAIN.fullmatch(digits):
        digits = digits.replace(",", ".")
    else:
        raise _not_a_number(value)
    try:
        number = Decimal(digits)
    except InvalidOperation:
        raise _not_a_number(value) from None
    return -number if negative else number


def _not_a_number(value):
    # Built only when needed: formatting the value for the message costs more than reading the cell.
    return CellError(_("“%(value)s” is not a number.") % {"value": show(value)})


def _not_negative(number, value):
    if number < 0:
        raise CellError(_("%(value)s is negative; figures cannot be negative.") % {"value": show(value)})


def parse_count(value):
    """A count of dossiers: a whole number, zero or more; None when the cell is blank."""
    number = _number(value, grouping=True)
    if number is None:
        return None
    _not_negative(number, value)
    if number != number.to_integral_value():
        raise CellError(_("%(value)s is not a whole number.") % {"value": show(value)})
    if number > MAX_COUNT:
        raise CellError(_("%(value)s is too large.") % {"value": show(value)})
    return int(number)


CENT = Decimal("0.01")


def parse_points(value):
    """Points with at most two decimal places; None when the cell is blank."""
    number = _number(value, grouping=False)
    if number is None:
        return None
    _not_negative(number, value)
    if number >= 10**4:  # more than the points' four digits before the decimal mark
        raise CellError(_("%(value)s is too large.") % {"value": show(value)})
    rounded = number.quantize(CENT)
    # A spreadsheet formula can leave 11.200000000000001 where the person sees 11,2.
    if abs(rounded - number) > Decimal("1e-9"):
        raise CellError(_("%(value)s has more than two decimal places.") % {"value": show(value)})
    return rounded


def parse_text(value):
    if value is None:
        return ""
    return show(value) if not isinstance(value, str) else value

"""Filter values typed into an admin list's address are checked before they reach the database.

Django's admin lets ?period=… filter on any field, and refuses a filter it cannot build, but a value that
builds and then fails in the database (a 25-digit number is beyond every integer column: SQLite raises
OverflowError) became a server error. Such values now get the admin's own "invalid filter" answer.
"""

from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import connection, models
from django.db.models.constants import LOOKUP_SEP

# Lookups whose value is not a value of the field itself.
NOT_FIELD_VALUES = {
    "isnull",
    "regex",
    "iregex",
    "contains",
    "icontains",
    "startswith",
    "istartswith",
    "endswith",
    "iendswith",
    "year",
    "month",
    "day",
}


def _field_and_lookup(model, path):
    """The field a filter path ends on (following relations to their target) and the lookup after it."""
    field, parts = None, path.split(LOOKUP_SEP)
    for index, part in enumerate(parts):
        try:
            field = model._meta.get_field(part)
        except FieldDoesNotExist:
            return field, LOOKUP_SEP.join(parts[index:])
        if field.is_relation and field.related_model is not None:
            model = field.related_model
            if index == len(parts) - 1:
                field = field.target_field
    return field, "exact"


def check_value(field, value):
    """Raises ValidationError if `value` cannot be stored in `field`'s column."""
    value = field.to_python(value)
    if isinstance(field, models.IntegerField | models.AutoField) and value is not None:
        low, high = connection.ops.integer_field_range(field.get_internal_type())
        if (low is not None and value < low) or (high is not None and value > high):
            raise ValidationError("out of range")


def _flat(values):
    # One value, a list of them (?a=1&a=2), or lists of them (?a__in=1,2, split by the admin).
    if isinstance(values, list | tuple):
        for value in values:
            yield from _flat(value)
    else:
        yield values


class CheckedChangeList(ChangeList):
    def get_filters(self, request):
        filters = super().get_filters(request)
        remaining = filters[2]
        for path, values in remaining.items():
            field, lookup = _field_and_lookup(self.model, path)
            if field is None or lookup in NOT_FIELD_VALUES:
                continue
            try:
                for value in _flat(values):
                    check_value(field, value)
            except (ValidationError, TypeError, ValueError) as error:
                raise IncorrectLookupParameters(error) from None
        return filters


class CheckedFiltersMixin:
    """For every ModelAdmin of the project: its list refuses filter values its columns cannot hold."""

    def get_changelist(self, request, **kwargs):
        return CheckedChangeList

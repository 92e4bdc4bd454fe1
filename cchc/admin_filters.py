"""Filter values typed into an admin list's address are checked before they reach the database.

Django's admin lets ?period=… filter on any field, and refuses a filter it cannot build, but a value that
builds and then fails in the database (a 25-digit number is beyond every integer column: SQLite raises
OverflowError; a year past 9999; a regular expression the database cannot compile) became a server error.
Such values now get the admin's own "invalid filter" answer.
"""

from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import connection, models
from django.db.models.constants import LOOKUP_SEP
from django.http import Http404

# Lookups no list offers, whose value the database compiles: PostgreSQL refuses an invalid regular expression
# with an error, SQLite's Python function raises inside the query.
REFUSED_LOOKUPS = {"regex", "iregex"}
# The parts of a date a lookup compares (?valid_from__year=2025), with the values they can take.
DATE_PARTS = {
    "year": (1, 9999),
    "iso_year": (1, 9999),
    "quarter": (1, 4),
    "month": (1, 12),
    "week": (1, 53),
    "day": (1, 31),
    "week_day": (1, 7),
    "iso_week_day": (1, 7),
    "hour": (0, 23),
    "minute": (0, 59),
    "second": (0, 59),
}
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
    """The field a filter path ends on (a relation: the field it points to), and the lookup after it."""
    field, parts = None, path.split(LOOKUP_SEP)
    for index, part in enumerate(parts):
        try:
            field = model._meta.get_field(part)
        except FieldDoesNotExist:
            return field, LOOKUP_SEP.join(parts[index:])
        if field.is_relation and field.related_model is not None:
            model = field.related_model
            field = getattr(field, "target_field", None) if field.concrete else model._meta.pk
    return field, "exact"


def check_value(field, value):
    """Raises ValidationError if `value` cannot be stored in `field`'s column."""
    value = field.to_python(value)
    if isinstance(field, models.GenericIPAddressField) and value:
        field.run_validators(value)  # PostgreSQL's inet column refuses anything else with an error
    if isinstance(field, models.IntegerField | models.AutoField) and value is not None:
        low, high = connection.ops.integer_field_range(field.get_internal_type())
        if (low is not None and value < low) or (high is not None and value > high):
            raise ValidationError("out of range")


def check_date_part(part, value):
    """Raises ValueError if `value` is not a whole number that this part of a date can take."""
    low, high = DATE_PARTS[part]
    if not low <= int(value) <= high:
        raise ValueError("out of range")


def _flat(values):
    # One value, a list of them (?a=1&a=2), or lists of them (?a__in=1,2, split by the admin).
    if isinstance(values, list | tuple):
        for value in values:
            yield from _flat(value)
    else:
        yield values


class CheckedChangeList(ChangeList):
    def get_filters(self, request):
        # Every parameter, before the list's filters and its date hierarchy take theirs and build queries.
        for path, values in self.get_filters_params().items():
            field, lookup = _field_and_lookup(self.model, path)
            first, _separator, last = lookup.partition(LOOKUP_SEP)
            try:
                if REFUSED_LOOKUPS.intersection(lookup.split(LOOKUP_SEP)):
                    raise ValueError("not a filter of the admin")
                if first in DATE_PARTS and last != "isnull":
                    for value in _flat(values):
                        check_date_part(first, value)
                elif field is not None and lookup not in NOT_FIELD_VALUES:
                    for value in _flat(values):
                        check_value(field, value)
            except (ValidationError, TypeError, ValueError) as error:
                raise IncorrectLookupParameters(error) from None
        return super().get_filters(request)


def holds(field, value):
    try:
        check_value(field, value)
    except (ValidationError, TypeError, ValueError):
        return False
    return True


class CheckedFiltersMixin:
    """For every ModelAdmin of the project: its list refuses filter values its columns cannot hold, and an
    object's pages an id its key cannot hold (not found, as for an id that names nothing)."""

    def get_changelist(self, request, **kwargs):
        return CheckedChangeList

    def get_object(self, request, object_id, from_field=None):
        field = self.model._meta.get_field(from_field) if from_field else self.model._meta.pk
        return super().get_object(request, object_id, from_field) if holds(field, object_id) else None

    def history_view(self, request, object_id, extra_context=None):
        # django-simple-history's history page filters on the id before asking get_object().
        if not holds(self.model._meta.pk, unquote(object_id)):
            raise Http404
        return super().history_view(request, object_id, extra_context)


def check_every_admin(site):
    """Give the admins of other packages (users' groups, django-axes' logs) the same checks as ours."""
    for model, model_admin in list(site._registry.items()):
        if not isinstance(model_admin, CheckedFiltersMixin):
            admin_class = type(model_admin)
            checked = type(admin_class.__name__, (CheckedFiltersMixin, admin_class), {})
            site.unregister(model)
            site.register(model, checked)

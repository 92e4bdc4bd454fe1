"""The writer every save goes through: a version check per record, then bulk statements with history.

Each versioned row (report, area score, dossier statistics) carries a number raised by every save. A save
names the version it was based on and is refused (StaleData) when someone saved the row since.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import UniqueConstraint
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from ..bulk import update_columns

BATCH = 500  # rows per statement: within SQLite's limit on a statement's parameters


class StaleData(Exception):
    """Someone else saved the same record since it was loaded: the later save is refused."""

    def __init__(self, record):
        self.record = record
        super().__init__(
            _("“%(record)s” was changed by someone else after you opened it. Reload to see their changes.")
            % {"record": record}
        )


def save(record, user, expected_version):
    """Save one record if nobody saved it since `expected_version` was read; record who did it."""
    bump_versions(type(record), [record], expected_version)
    write(type(record), [record], user)


def bump_versions(model, records, expected_version):
    """Raise the version of saved `records`, all read at `expected_version`, or refuse if one has moved on.

    A conditional UPDATE takes the rows' locks (SQLite: the database's) before anything else is written, so
    of two saves based on the same version exactly one succeeds.
    """
    saved = [record for record in records if record.pk is not None]
    for start in range(0, len(saved), BATCH):
        chunk = saved[start : start + BATCH]
        bumped = model.objects.filter(pk__in=[record.pk for record in chunk], version=expected_version)
        if bumped.update(version=expected_version + 1) != len(chunk):
            moved = set(
                model.objects.filter(pk__in=[record.pk for record in chunk])
                .exclude(version=expected_version + 1)
                .values_list("pk", flat=True)
            )
            raise StaleData(next((record for record in chunk if record.pk in moved), chunk[0]))
        for record in chunk:
            record.version = expected_version + 1


def write(model, records, user):
    """Create the new `records` and update the others (their versions already raised), with their history.

    A unit/period (and area or field) row that someone created meanwhile refuses the write as stale.
    """
    for record in records:
        record._history_user = user
    new = [record for record in records if record.pk is None]
    saved = [record for record in records if record.pk is not None]
    columns = [field.name for field in model._meta.concrete_fields if not field.primary_key]
    try:
        with transaction.atomic():  # a savepoint: the transaction can still be read after a refusal
            if saved:
                update_columns(model, saved, columns)
                # History only: the rows were written just above.
                bulk_update_with_history(saved, model, [], batch_size=BATCH, default_user=user)
            if new:
                bulk_create_with_history(new, model, batch_size=BATCH, default_user=user)
    except IntegrityError as error:
        for record in new:
            record.pk, record._state.adding = None, True  # the rolled back insert gave some an id
        taken = _already_saved(model, new)
        if taken is not None:
            raise StaleData(taken) from error
        raise


def _already_saved(model, records):
    """The first of the unsaved `records` whose unit, period (and area or field) are now in the database."""
    unique = next(c for c in model._meta.constraints if isinstance(c, UniqueConstraint))
    key = [model._meta.get_field(name).attname for name in unique.fields]
    filters = {f"{name}__in": {getattr(record, name) for record in records} for name in key}
    found = set(model.objects.filter(**filters).values_list(*key)) if records else set()
    return next((r for r in records if tuple(getattr(r, name) for name in key) in found), None)

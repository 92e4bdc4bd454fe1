"""Loading the objects of a Django fixture that the database does not have yet (the seed data)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from django.apps import apps
from django.core import serializers
from django.db import transaction

from .. import totals


class FixtureMismatch(Exception):
    """The database already holds data of a kind the fixture adds, but not the fixture's own objects."""


@transaction.atomic
def load_missing(fixture_path: str | Path, whole_models: Iterable[str] = ()) -> tuple[int, int]:
    """Insert the objects of a Django fixture (natural keys) that the database does not have yet.

    Objects already present are left exactly as they are, so a second run changes nothing and data
    edited since the first run is never overwritten. For `whole_models` (labels like "communes.unit") a
    missing object in a table that is not empty means the natural key itself was edited (a unit's code):
    adding it again would duplicate it, so nothing is written. Returns (created, already_present).
    """
    created = present = 0
    with totals.deferred():
        already_filled = {label for label in whole_models if apps.get_model(label).objects.exists()}
        with Path(fixture_path).open(encoding="utf-8") as stream:
            for deserialized in serializers.deserialize("json", stream):
                instance = deserialized.object
                if instance.pk is not None:
                    present += 1
                    continue
                if instance._meta.label_lower in already_filled:
                    raise FixtureMismatch(
                        f"{instance._meta.verbose_name} {instance.natural_key()} is missing from a database "
                        "that has others: was it edited? Nothing was written."
                    )
                # A plain save (not the raw one loaddata uses) runs validation hooks and records history.
                instance.full_clean(validate_unique=False, validate_constraints=False)
                instance.save()
                created += 1
    return created, present

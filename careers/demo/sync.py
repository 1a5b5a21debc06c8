"""Bring a table to a planned state with a few bulk queries (keyed on natural keys, so a re-run writes nothing)."""
from __future__ import annotations

from typing import Any, Iterable

from django.db import models


def _diff_update(obj: models.Model, fields: dict[str, Any]) -> list[str]:
    changed = []
    for name, value in fields.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed.append(name)
    return changed


def upsert(model: type[models.Model], existing: dict[Any, models.Model], planned: dict[Any, dict[str, Any]]) -> dict:
    """Create the planned rows that are missing and update the changed ones; return key -> object."""
    to_create, to_update, changed_fields = [], [], set()
    result = {}
    for key, fields in planned.items():
        obj = existing.get(key)
        if obj is None:
            obj = model(**fields)
            to_create.append(obj)
        else:
            changed = _diff_update(obj, fields)
            if changed:
                to_update.append(obj)
                changed_fields.update(changed)
        result[key] = obj
    if to_create:
        model.objects.bulk_create(to_create, batch_size=500)
    if to_update:
        model.objects.bulk_update(to_update, sorted(changed_fields), batch_size=500)
    return result


def sync_children(
    model: type[models.Model], parent_field: str, parent_ids: Iterable[int], key_field: str,
    planned: dict[int, dict[Any, dict[str, Any]]],
) -> None:
    """Make the children of each parent exactly the planned ones (keyed by ``key_field``)."""
    parent_ids = list(parent_ids)
    existing: dict[tuple, models.Model] = {}
    stale = []
    for obj in model.objects.filter(**{f"{parent_field}__in": parent_ids}).order_by("pk"):
        key = (getattr(obj, parent_field), getattr(obj, key_field))
        if key[1] not in planned.get(key[0], {}) or key in existing:
            stale.append(obj.pk)
        else:
            existing[key] = obj
    if stale:
        model.objects.filter(pk__in=stale).delete()
    flat = {
        (parent_id, child_key): {parent_field: parent_id, key_field: child_key, **fields}
        for parent_id, children in planned.items()
        for child_key, fields in children.items()
    }
    upsert(model, existing, flat)

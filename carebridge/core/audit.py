"""The audit service: the only way entries reach the append-only audit log."""

from __future__ import annotations

import datetime as dt
import decimal
from typing import Any

from django.db import models

from carebridge.core import context
from carebridge.core.models import AuditEvent

Action = AuditEvent.Action


# Fields that change on every save and say nothing about what a worker changed.
_BOOKKEEPING = frozenset({"id", "version", "created_at", "updated_at"})


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    return value


def plain(values: dict[str, Any]) -> dict[str, Any]:
    """Field values as they are written into the log (dates as ISO text, money as text)."""
    return {k: _plain(v) for k, v in values.items()}


def snapshot(instance: models.Model, fields: list[str] | None = None) -> dict[str, Any]:
    """The concrete field values of a model instance, JSON-ready (for before/after)."""
    names = fields or [
        f.attname for f in instance._meta.concrete_fields if f.attname not in _BOOKKEEPING
    ]
    return {n: _plain(getattr(instance, n)) for n in names}


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Only what changed: ``{field: {"before": x, "after": y}}``."""
    return {
        k: {"before": before.get(k), "after": after.get(k)}
        for k in sorted(set(before) | set(after))
        if before.get(k) != after.get(k)
    }


def record(
    actor,
    action: str,
    *,
    person=None,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    summary: str = "",
    changes: dict[str, Any] | None = None,
    reason: str = "",
) -> AuditEvent:
    ctx = context.current()
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
    is_user = actor is not None and getattr(actor, "is_authenticated", False)
    return AuditEvent.objects.create(
        actor=actor if is_user else None,
        actor_label=(
            f"{actor.get_full_name() or actor.username} ({actor.username})" if is_user else ""
        ),
        action=action,
        object_type=object_type,
        object_id=object_id,
        person=person,
        summary=summary[:300],
        changes=changes or {},
        reason=reason,
        source=ctx.source,
        ip_address=ctx.ip_address,
        user_agent=ctx.user_agent[:300],
        path=ctx.path[:300],
        request_id=ctx.request_id,
    )

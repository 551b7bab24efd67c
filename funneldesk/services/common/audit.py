"""Writes the audit log inside the caller's transaction."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy.orm import Session

from funneldesk.models import AuditEntry
from funneldesk.services.common.records import Actor


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):  # [before, after] pairs
        return [_plain(v) for v in value]
    if isinstance(value, (int, float, bool, str)) or value is None:
        return value
    return str(value)


def record(session: Session, by: Actor | None, action: str, entity: str,
           entity_id: int | None, **details: Any) -> None:
    session.add(AuditEntry(
        user_id=by.id if by else None, action=action, entity=entity, entity_id=entity_id,
        details=json.dumps(_plain(details), ensure_ascii=False, sort_keys=True),
    ))

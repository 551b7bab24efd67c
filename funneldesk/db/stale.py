"""Who changed a versioned record, and when: the facts of a StaleEdit.

Records that carry ``updated_by_id``/``updated_at`` say it themselves; others (pipelines)
are answered from the audit log's latest entry for them.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import inspect, select
from sqlalchemy.orm import Session

from funneldesk.errors import StaleEdit
from funneldesk.i18n import _
from funneldesk.models import AuditEntry, Base, User
from funneldesk.models.base import utcnow

# a versioned record as the failed change had it: its class, primary key and version
Versioned = tuple[type[Base], Any, Any]
_KEY = "funneldesk_versioned"


def remember_versioned(session: Session, *_args: Any) -> None:
    """Before each flush: notes the versioned records it writes, for ``versioned``."""
    session.info[_KEY] = _versioned(session)


def versioned(session: Session) -> list[Versioned]:
    """The versioned records the last flush was writing (a failed flush forgets them)."""
    return list(session.info.get(_KEY, []))


def _versioned(session: Session) -> list[Versioned]:
    found: list[Versioned] = []
    for record in [*session.dirty, *session.deleted]:
        state = inspect(record)
        column = state.mapper.version_id_col
        if column is None or state.identity is None:
            continue
        key = state.mapper.get_property_by_column(column).key
        found.append((type(record), state.identity[0],
                      state.committed_state.get(key, state.dict.get(key))))
    return found


def stale_edit(session: Session, records: list[Versioned]) -> StaleEdit:
    """StaleEdit for the first of ``records`` whose saved version differs from the one
    the change had (the first record when none can be told apart)."""
    changed = [(model, ident) for model, ident, version in records
               if getattr(session.get(model, ident), "version", version) != version]
    candidates = changed or [(model, ident) for model, ident, _v in records]
    if not candidates:
        return last_change(session, None, None)
    return last_change(session, *candidates[0])


def last_change(session: Session, model: type[Base] | None, ident: Any) -> StaleEdit:
    record = session.get(model, ident) if model is not None else None
    who_id = getattr(record, "updated_by_id", None)
    when = getattr(record, "updated_at", None)
    if model is not None and (who_id is None or when is None):
        entry = session.scalars(
            select(AuditEntry).where(AuditEntry.entity == model.__name__.lower(),
                                     AuditEntry.entity_id == ident)
            .order_by(AuditEntry.id.desc()).limit(1)).first()
        if entry is not None:
            who_id, when = entry.user_id, entry.at
    who = session.get(User, who_id) if who_id is not None else None
    return StaleEdit(who.display_name if who else _("someone else"), when or utcnow())

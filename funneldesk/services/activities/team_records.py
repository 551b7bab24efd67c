"""What a deal's team and its notes feed hand out."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from funneldesk.enums import DealRole
from funneldesk.i18n import _
from funneldesk.services.common.records import ChangeSet

NOTE_LIMIT = 5000  # characters of one note
NOTES_SHOWN = 200  # the latest notes a feed reads


def role_label(role: DealRole) -> str:
    return {
        DealRole.PRESALES: _("Presales engineer"),
        DealRole.TECH_SUPPORT: _("Technical support"),
        DealRole.CUSTOMER_SERVICE: _("Customer service"),
        DealRole.FINANCE: _("Finance"),
        DealRole.LEGAL: _("Legal"),
        DealRole.OTHER: _("Other"),
    }[role]


@dataclass(frozen=True, slots=True)
class Member:
    user_id: int
    name: str
    role: DealRole
    added_at: dt.datetime  # aware

    @property
    def role_label(self) -> str:
        return role_label(self.role)


@dataclass(frozen=True, slots=True)
class Note:
    id: int
    deal_id: int
    author_id: int
    author: str
    body: str
    at: dt.datetime  # aware


@dataclass(frozen=True, slots=True)
class DealTeam:
    """The deal's owner, its team and its notes, newest first."""

    deal_id: int
    owner_id: int
    owner: str
    members: tuple[Member, ...]
    notes: tuple[Note, ...]
    more_notes: bool  # older notes were left out

    def is_on(self, user_id: int) -> bool:
        """Whether ``user_id`` owns the deal or is on its team."""
        return user_id == self.owner_id or any(m.user_id == user_id for m in self.members)


@dataclass(frozen=True, slots=True)
class MemberResult:
    """A colleague put on a deal's team, or given another role there, or taken off it:
    ``previous`` is the role before (None: was not on it), ``role`` the role now (None:
    taken off), which is all that undo needs."""

    deal_id: int
    user_id: int
    name: str
    previous: DealRole | None
    role: DealRole | None
    changes: ChangeSet
    # when and by whom the colleague was put on the team (kept when a removal is undone)
    added: tuple[dt.datetime, int] | None = None


@dataclass(frozen=True, slots=True)
class NoteResult:
    note: Note
    changes: ChangeSet

"""Who may do what. Every service call that changes something checks it here, inside the
service; the window only hides or disables what the service would refuse anyway.

FunnelDesk knows two roles, for a small team where everyone sees the whole funnel:

Everyone (reps and managers)
    - reads everything: the board, every deal, pipelines, archived deals, the Trash;
    - creates companies and contacts;
    - creates deals, owned by themselves.

A rep, on the deals they own (``deals.owner_id`` is the rep)
    - edits them and ticks or unticks their criteria;
    - moves them between stages and within a column, and undoes those moves;
    - archives and unarchives them;
    - deletes them (they go to the Trash) and restores them from the Trash.

    A rep cannot give a deal to someone else: a deal its former owner could no longer
    change would be stuck until a manager stepped in, so managers hand deals over.

A manager
    - does all of the above to any deal, and creates or hands over deals for anyone;
    - shapes the funnel: pipelines, stages, stage criteria, exchange rates, the base
      currency and other team settings (such as how long the Trash keeps deals);
    - empties the Trash, which purges its deals for good;
    - loads sample data and removes it again.

Deals whose time in the Trash has run out are purged at start-up by whoever opens
FunnelDesk: that applies the period a manager set, and the audit log records it as done
by FunnelDesk itself.
"""

from __future__ import annotations

from funneldesk.errors import NotAllowed
from funneldesk.services.common.records import Actor


def is_manager(by: Actor) -> bool:
    return by.is_manager


def require_manager(by: Actor, reason: str) -> None:
    """Refuses a rep, saying ``reason`` (a whole sentence: "Only a manager can …")."""
    if not by.is_manager:
        raise NotAllowed(reason)


def may_change_deal(by: Actor, owner_id: int) -> bool:
    """Whether ``by`` may edit, tick, move, archive, delete or restore a deal of
    ``owner_id``; the same rule says whom ``by`` may make the owner of a deal."""
    return by.is_manager or owner_id == by.id


def require_deal_owner(by: Actor, owner_id: int, reason: str) -> None:
    if not may_change_deal(by, owner_id):
        raise NotAllowed(reason)


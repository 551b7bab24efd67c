"""The lists the customer forms choose from: owners, lead sources and coded values, each
with its label in the user's language and the value it stands for."""

from __future__ import annotations

from collections.abc import Mapping

from funneldesk.i18n import _
from funneldesk.services import Services


def owners(services: Services, current: int | None, creating: bool) -> list[tuple[str, object]]:
    """The team; a record already in the public pool (no owner) can stay there."""
    found: list[tuple[str, object]] = [(u.display_name, u.id) for u in services.users.list()]
    if current is None and not creating:
        found.insert(0, (_("Nobody: in the public pool"), None))
    return found


def lead_sources(services: Services, current: int | None) -> list[tuple[str, object]]:
    """The active sources, and the record's own even if it was retired since."""
    found: list[tuple[str, object]] = [(_("Not known"), None)]
    for source in services.lead_sources.all(inactive=True):
        if source.active or source.id == current:
            found.append((source.label, source.id))
    return found


def coded(labels: Mapping[str, str]) -> list[tuple[str, object]]:
    """A table of code -> label marked with N_() as the choices of a combo box."""
    return [(_(label), code) for code, label in labels.items()]

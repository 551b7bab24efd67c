"""The choice of pipeline and whose deals that the review view and the forecast board
share, in their tool bars."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox

from funneldesk.i18n import _
from funneldesk.services import Services
from funneldesk.services.dto import Actor

EVERYONE = 0


def pipeline_combo(services: Services) -> QComboBox:
    combo = QComboBox()
    combo.setAccessibleName(_("Pipeline"))
    for ident, name in services.board.pipelines():
        combo.addItem(name, ident)
    return combo


def whose_combo(services: Services, actor: Actor, mine: str) -> QComboBox:
    """Everyone's deals (a manager's first choice), ``mine`` (a rep's), or a colleague's:
    each user's are those they own or are on the team of."""
    combo = QComboBox()
    combo.setAccessibleName(_("Whose"))
    combo.addItem(_("Everyone"), EVERYONE)
    combo.addItem(mine, actor.id)
    for user in services.users.list():
        if user.id != actor.id:
            combo.addItem(user.display_name, user.id)
    combo.setCurrentIndex(0 if actor.is_manager else 1)
    return combo

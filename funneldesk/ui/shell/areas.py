"""The pages and panes of the workspace, in rail order. Each area adds its own line here;
a page's module is imported when the page is first shown, except the board's, which is
the first thing painted."""

from __future__ import annotations

from PySide6.QtGui import QIcon

from funneldesk.i18n import _
from funneldesk.paths import RESOURCES
from funneldesk.ui.board.board_page import PAGE as BOARD_PAGE
from funneldesk.ui.common.page import Page, PageSpec, PaneSpec, Workspace


def _deals(workspace: Workspace) -> Page:
    from funneldesk.ui.deals.page import DealsListPage

    return DealsListPage(workspace)


def _deals_icon() -> QIcon:
    return QIcon(str(RESOURCES / "icons" / "deals.svg"))


PAGES: tuple[PageSpec, ...] = (
    BOARD_PAGE,
    PageSpec("deals", lambda: _("Deals"), _deals_icon, _deals),
)
PANES: tuple[PaneSpec, ...] = ()

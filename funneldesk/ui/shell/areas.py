"""The pages and panes of the workspace, in rail order. Each area adds its own line here;
a page's module is imported when the page is first shown, except the board's, which is
the first thing painted."""

from __future__ import annotations

from funneldesk.ui.board.board_page import PAGE as BOARD_PAGE
from funneldesk.ui.common.page import PageSpec, PaneSpec

PAGES: tuple[PageSpec, ...] = (BOARD_PAGE,)
PANES: tuple[PaneSpec, ...] = ()

"""Saves a picture of the Deals page on sample data, in one language.

    python screenshots/deals_list.py zh_CN|en OUT.png

The page stands in a plain main window with its tool bar, as the workspace shows it;
some rows are selected, so that the picture shows the selection too.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QItemSelectionModel  # noqa: E402
from PySide6.QtGui import QUndoStack  # noqa: E402
from PySide6.QtWidgets import QMainWindow  # noqa: E402

from funneldesk import i18n  # noqa: E402
from funneldesk.db import open_database  # noqa: E402
from funneldesk.services import Services  # noqa: E402
from funneldesk.settings import Settings  # noqa: E402
from funneldesk.ui.common.page import Workspace  # noqa: E402
from funneldesk.ui.common.user_action import ActionRunner  # noqa: E402
from funneldesk.ui.deals.page import DealsListPage  # noqa: E402
from funneldesk.ui.shell.application import create_application, install_qt_translations  # noqa: E402


def main(lang: str, out: Path) -> None:
    i18n.set_language(lang)
    app = create_application(lang)
    install_qt_translations(app, lang)
    folder = Path(tempfile.mkdtemp())
    services = Services.for_database(open_database(folder / "demo.db"))
    me = services.users.current("me")
    services.demo.generate(deals=400, seed=3, by=me)
    window = QMainWindow()
    stack = QUndoStack(window)
    workspace = Workspace(services, me, Settings(folder / "settings.json"),
                          ActionRunner(stack, window), stack, window, lambda _m: None)
    page = DealsListPage(workspace)
    window.setCentralWidget(page)
    window.addToolBar(page.tool_bar())
    for menu in page.page_menus():
        window.menuBar().addMenu(menu)
    window.resize(1500, 800)
    window.show()
    end = time.monotonic() + 20
    while (page.model.rowCount() == 0 or page.model.reading) and time.monotonic() < end:
        app.processEvents()
    flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
    for row in (2, 3, 5):
        page.table.selectionModel().select(page.model.index(row, 0), flags)
    app.processEvents()
    window.grab().save(str(out))


if __name__ == "__main__":
    main(sys.argv[1], Path(sys.argv[2]))

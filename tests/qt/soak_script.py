"""Scrolls and repaints a 10,000-card board and switches its filters, in its own process,
then quits normally. Exit code 0 and a "painted" line: the process survived. A Qt binding
that corrupts reference counts aborts this process instead of the test run."""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
from decimal import Decimal
from pathlib import Path

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication

from funneldesk import i18n
from funneldesk.db import Database, open_database
from funneldesk.services import Services
from funneldesk.settings import Settings
from funneldesk.ui.board.board_page import board_page
from funneldesk.ui.shell.main_window import MainWindow
from tests.helpers import pipeline

DEALS = 10_000
PAINTS = 1200  # column repaints, each of about seven cards
OWNERS = 8


class PaintCounter(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.paints = 0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.paints += 1
        return False


def fill(db: Database, services: Services) -> None:
    """10,000 open deals spread over the open stages and several owners, in one bulk insert."""
    from sqlalchemy import insert

    from funneldesk.models import Deal, Role, User

    stages = [s for s in pipeline(services).stages if s.is_open]
    now = dt.datetime.now(dt.UTC)
    with db.session() as session:
        owners = [User(login=f"soak{n}", display_name=f"Owner {n}", role=Role.REP) for n in range(OWNERS)]
        session.add_all(owners)
        session.flush()
        session.execute(insert(Deal), [
            {"pipeline_id": stages[0].pipeline_id, "stage_id": stages[n % len(stages)].id,
             "stage_entered_at": now - dt.timedelta(days=n % 40), "position": float(n),
             "title": f"Deal {n} warehouse {'alpha' if n % 3 else 'beta'}",
             "value": Decimal(1000 + n), "currency": "USD", "owner_id": owners[n % OWNERS].id,
             "next_step": "Call back" if n % 2 else "", "created_by_id": owners[0].id,
             "updated_by_id": owners[0].id}
            for n in range(DEALS)])


def main() -> int:
    i18n.set_language("en")
    app = QApplication(sys.argv)
    db = open_database(Path(tempfile.mkdtemp()) / "soak.db")
    services = Services.for_database(db)
    fill(db, services)
    window = MainWindow(services, services.users.current("soak"), Settings())
    page = board_page(window)
    whole: list[bool] = []
    page.board.boardWhole.connect(lambda: whole.append(True))
    window.show()
    while not whole:  # the first cards are painted, then every card is read
        app.processEvents()
    views = [column.view for column in page.board.columns.values()]
    counter = PaintCounter()
    for view in views:
        view.viewport().installEventFilter(counter)
    owner, search = page.actions_.owner, page.actions_.search
    assert sum(v.card_model().card_count() for v in views) == DEALS, "the board does not hold every deal"
    step = 0
    while counter.paints < PAINTS:
        step += 1
        if step % 5 == 0:  # a filter switch every so often, as a user would
            owner.setCurrentIndex(step // 5 % owner.count())
            search.setText(("", "alpha", "beta", "Deal 7")[step // 5 % 4])
        for view in views:
            bar = view.verticalScrollBar()
            bar.setValue((bar.value() + 137) % (bar.maximum() + 1))
            view.viewport().repaint()
        app.processEvents()
    window.close()
    db.close()
    print(f"painted columns {counter.paints} times in {step} steps")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Deals list figures, measured in a fresh process on a copy of the history database.

    python benchmarks/deals_list_figures.py DATABASE REPEAT

Prints one JSON object (milliseconds, medians of REPEAT jumps):
- deals_list_scroll_ms: the real Deals page (table, model, delegate) showing the whole
  list, newest first; from ``scrollToBottom()`` until the last rows have been read and
  the paint that shows them has finished (the first paint after their page arrived; the
  paints before it show "…" in their place). Before each jump the list is read again
  from its first page, so that the last page is never already held.
- deals_list_middle_ms: the same to the middle row (about 105,000 rows from either end:
  the deepest read the list makes); deals_list_title_end_ms: to the end of the list
  sorted by title, an order no index serves.
- deals_list_page_baseline_ms: the same page read in SQL alone with raw sqlite3: the two
  statements the list runs (the page's ids, read from the nearer end, then their rows).
- deals_list_naive_offset_ms: that page read with a plain ``LIMIT 200 OFFSET n`` from the
  start (what reading from the nearer end avoids); three reads.
- deals_list_count_ms: the list's ``SELECT count(*)``.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from board_figures import spin_until  # noqa: E402
from PySide6.QtCore import QEvent, QObject  # noqa: E402
from PySide6.QtGui import QUndoStack  # noqa: E402
from PySide6.QtWidgets import QApplication, QMainWindow  # noqa: E402

TIMEOUT_S = 30.0


class PaintClock(QObject):
    """When the watched widget's last paint began: its Paint event arrived, before any of
    it was painted. The figures end later, once the event loop has handled that paint
    (see ``jump``)."""

    def __init__(self) -> None:
        super().__init__()
        self.began = 0.0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.began = time.perf_counter()
        return False


def baseline(path: Path, total: int, repeat: int) -> dict[str, float]:
    from funneldesk.services.dto import DealQuery
    from funneldesk.services.pipeline.deal_list import ROW_SQL, count, order_by, page_ids, where

    conn = sqlite3.connect(path, isolation_level=None)

    def run(sql: str, params: Any) -> list[tuple[Any, ...]]:
        return conn.execute(sql, tuple(params)).fetchall()

    query, size = DealQuery(), 200
    counts, pages, naive = [], [], []
    for _ in range(repeat):
        start = time.perf_counter()
        count(run, query)
        counts.append((time.perf_counter() - start) * 1000)
        start = time.perf_counter()
        ids = page_ids(run, query, total - size, size, total)
        run(ROW_SQL.format(marks=", ".join("?" * len(ids))), ids)
        pages.append((time.perf_counter() - start) * 1000)
    clause, params = where(query, ordered=True)
    order, order_params = order_by(query)
    for _ in range(3):
        start = time.perf_counter()
        run(f"SELECT d.id FROM deals d WHERE {clause} ORDER BY {order} "
            "LIMIT ? OFFSET ?", (*params, *order_params, size, total - size))
        naive.append((time.perf_counter() - start) * 1000)
    conn.close()
    return {"deals_list_page_baseline_ms": statistics.median(pages),
            "deals_list_naive_offset_ms": statistics.median(naive),
            "deals_list_count_ms": statistics.median(counts)}


def figures(path: Path, repeat: int) -> dict[str, float]:
    from funneldesk.db import open_database
    from funneldesk.services import Services
    from funneldesk.services.dto import ListColumn
    from funneldesk.settings import Settings
    from funneldesk.ui.common.page import Workspace
    from funneldesk.ui.common.user_action import ActionRunner
    from funneldesk.ui.deals.page import DealsListPage

    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    services = Services.for_database(open_database(path))
    window = QMainWindow()
    stack = QUndoStack(window)
    workspace = Workspace(services, services.users.current("bench"),
                          Settings(path.with_suffix(".settings.json")),
                          ActionRunner(stack, window), stack, window, lambda _m: None)
    page = DealsListPage(workspace)
    window.setCentralWidget(page)
    window.resize(1400, 860)
    window.show()
    model, table = page.model, page.table
    clock = PaintClock()
    table.viewport().installEventFilter(clock)
    spin_until(lambda: model.rowCount() > 0 and model.deal_at(0) is not None, "first rows",
               TIMEOUT_S)
    total = model.rowCount()
    arrived = [0.0]  # when the last page came
    model.pageLoaded.connect(lambda _page: arrived.__setitem__(0, time.perf_counter()))
    def jump(query: Any, row: int) -> float:
        """From the first page of ``query`` shown to ``row`` read and painted."""
        table.scrollToTop()
        model.set_query(query)  # drops every page but the first
        spin_until(lambda: model.loaded_pages() == [0] and model.deal_at(0) is not None,
                   "first page again", TIMEOUT_S)
        clock.began = 0.0
        spin_until(lambda: clock.began > 0, "first page painted", TIMEOUT_S)
        app.processEvents()
        start = time.perf_counter()
        if row == total - 1:
            table.scrollToBottom()
        else:
            table.scrollTo(model.index(row, 0), table.ScrollHint.PositionAtCenter)
        # The paint that began after the last page came shows its rows (the paints before
        # it show "…" in their place). The event loop handles that paint in full before
        # spin_until looks again, so the figure ends once it has finished, as in
        # search_figures: stamping when the Paint event arrived left the painting out.
        spin_until(lambda: model.deal_at(row) is not None and not model.reading
                   and clock.began > arrived[0], "rows painted", TIMEOUT_S)
        return (time.perf_counter() - start) * 1000

    default = model.query
    jumps = [jump(default, total - 1) for _ in range(repeat)]
    shown = table.rowAt(table.viewport().height() - 2)
    assert shown == total - 1, (shown, total)
    middle = [jump(default, total // 2) for _ in range(repeat)]
    by_title = replace(default, sort=ListColumn.TITLE, descending=False)
    title_end = [jump(by_title, total - 1) for _ in range(repeat)]
    return {"deals_list_scroll_ms": statistics.median(jumps),
            "deals_list_middle_ms": statistics.median(middle),
            "deals_list_title_end_ms": statistics.median(title_end),
            **baseline(path, total, repeat)}


def measure(source: Path, folder: Path, env: dict[str, str], repeat: int) -> dict[str, float]:
    """The figures, from a fresh process on a fresh copy of ``source``."""
    work = folder / "deals-list.db"
    for leftover in (work, work.with_name(work.name + "-wal"), work.with_name(work.name + "-shm")):
        leftover.unlink(missing_ok=True)
    shutil.copyfile(source, work)
    done = subprocess.run([sys.executable, str(Path(__file__)), str(work), str(max(repeat, 5))],
                          env=env, capture_output=True, text=True, timeout=600, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"deals list figures failed:\n{done.stdout}\n{done.stderr}")
    result: dict[str, float] = json.loads(done.stdout.splitlines()[-1])
    return result


if __name__ == "__main__":
    print(json.dumps(figures(Path(sys.argv[1]), int(sys.argv[2]))), flush=True)

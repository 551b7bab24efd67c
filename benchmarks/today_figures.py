"""Today pane figures, measured in a fresh process on a copy of the board database with
ACTIVITIES activities added (issue 8).

    python benchmarks/today_figures.py DATABASE REPEAT

Prints one JSON object (milliseconds, medians of REPEAT reads):
- today_pane_ms: the real Today pane of one rep (the owner of the most deals), from
  ``reload()`` (the read asked of a pool thread) until the pane has been painted with
  what it read: the Paint event that began after the read arrived, handled in full. The
  pane's clock moves a day on and back between reads, so that each shows something new.
- today_pane_sql_ms: the pane's query alone (``ReminderService.reminders``), in the same
  process, after a first read.
- today_activities, today_pane_rows: the activities in the database, and the rows the
  pane lists for the rep (headings included).

The activities: most are done, spread over every user and deal, as a team's history is;
the rep has some overdue, some today, some in the next 7 days and more later.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import os
import random
import sqlite3
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from board_figures import spin_until  # noqa: E402
from deals_list_figures import PaintClock  # noqa: E402
from PySide6.QtGui import QUndoStack  # noqa: E402
from PySide6.QtWidgets import QApplication, QMainWindow  # noqa: E402

ACTIVITIES = 50_000
MINE = {"overdue": 30, "today": 8, "week": 40, "later": 200}  # the rep's planned ones
TIMEOUT_S = 30.0


def add_activities(path: Path, seed: int = 8) -> int:
    """Adds ACTIVITIES activities; returns the rep whose pane is measured."""
    rng = random.Random(seed)
    conn = sqlite3.connect(path)
    users = [r[0] for r in conn.execute("SELECT id FROM users")]
    deals = conn.execute("SELECT id, owner_id, company_id, contact_id FROM deals").fetchall()
    rep = conn.execute("SELECT owner_id FROM deals GROUP BY owner_id "
                       "ORDER BY count(*) DESC LIMIT 1").fetchone()[0]
    theirs = [d for d in deals if d[1] == rep]
    today = dt.date.today()
    now = dt.datetime.now(dt.UTC).isoformat()
    rows: list[tuple[object, ...]] = []

    def add(deal: tuple[int, int, int | None, int | None], state: str, day: dt.date,
            assignee: int, closed: bool) -> None:
        rows.append(("call", state, f"Follow-up {len(rows)}", "", "", day.isoformat(), None,
                     assignee, deal[0], deal[2], deal[3], now if closed else None,
                     assignee if closed else None, 0, now, assignee, now, 0, 1))

    offsets = {"overdue": (-60, -1), "today": (0, 0), "week": (1, 7), "later": (8, 90)}
    for kind, count in MINE.items():
        low, high = offsets[kind]
        for _ in range(count):
            add(rng.choice(theirs), "planned", today + dt.timedelta(days=rng.randint(low, high)),
                rep, False)
    while len(rows) < ACTIVITIES:
        deal = rng.choice(deals)
        if rng.random() < 0.9:  # the team's history
            add(deal, "done", today - dt.timedelta(days=rng.randint(1, 700)),
                rng.choice(users), True)
        else:  # the others' plans
            others = [u for u in users if u != rep] or users
            add(deal, "planned", today + dt.timedelta(days=rng.randint(-30, 60)),
                rng.choice(others), False)
    conn.executemany(
        "INSERT INTO activities (kind, state, title, agenda, outcome, due_on, due_at, "
        "assignee_id, deal_id, company_id, contact_id, closed_at, closed_by_id, sequence, "
        "created_at, created_by_id, updated_at, is_sample, version) "
        "VALUES (?, upper(?), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(str(r[0]).upper(), *r[1:]) for r in rows])
    conn.commit()
    conn.execute("ANALYZE")
    conn.close()
    return int(rep)


def figures(path: Path, repeat: int) -> dict[str, float]:
    from funneldesk.db import open_database
    from funneldesk.services import Services
    from funneldesk.services.dto import Actor
    from funneldesk.settings import Settings
    from funneldesk.ui.activities.today_pane import TodayPane
    from funneldesk.ui.common.page import Workspace
    from funneldesk.ui.common.user_action import ActionRunner

    rep = add_activities(path)
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    services = Services.for_database(open_database(path))
    me = services.users.current("bench")
    user = next(u for u in services.users.list() if u.id == rep)
    actor = Actor(rep, user.display_name, user.display_name, me.role)
    window = QMainWindow()
    stack = QUndoStack(window)
    workspace = Workspace(services, actor, Settings(path.with_suffix(".settings.json")),
                          ActionRunner(stack, window), stack, window, lambda _m: None)
    sql = []
    services.reminders.reminders(rep)  # a first read: the statement compiled, pages cached
    for _ in range(repeat):
        start = time.perf_counter()
        services.reminders.reminders(rep)
        sql.append((time.perf_counter() - start) * 1000)
    pane = TodayPane(workspace)
    pane.timer.stop()  # only the reads measured
    window.setCentralWidget(pane)
    window.resize(320, 860)
    window.show()
    loads = [0]
    arrived = [0.0]

    def loaded() -> None:
        loads[0] += 1
        arrived[0] = time.perf_counter()

    pane.loaded.connect(loaded)
    clock = PaintClock()
    pane.view.viewport().installEventFilter(clock)
    spin_until(lambda: loads[0] > 0 and clock.began > arrived[0], "first read", TIMEOUT_S)
    shown = []
    def painted_since(before: int) -> bool:
        return loads[0] > before and clock.began > arrived[0]

    today = dt.datetime.now(dt.UTC)
    for n in range(repeat):
        # the pane's clock a day on, then back: each read shows something new (a read
        # that finds what the pane shows already repaints nothing)
        pane.now = functools.partial(lambda moment: moment,
                                     today + dt.timedelta(days=(n + 1) % 2))
        before = loads[0]
        app.processEvents()
        start = time.perf_counter()
        pane.reload()
        # the paint that began after the read arrived shows it; the event loop handles
        # that paint in full before spin_until looks again
        spin_until(functools.partial(painted_since, before), "pane painted", TIMEOUT_S)
        shown.append((time.perf_counter() - start) * 1000)
    conn = sqlite3.connect(path)
    total = conn.execute("SELECT count(*) FROM activities").fetchone()[0]
    conn.close()
    return {"today_pane_ms": statistics.median(shown),
            "today_pane_sql_ms": statistics.median(sql),
            "today_activities": total, "today_pane_rows": pane.model.rowCount()}


if __name__ == "__main__":
    print(json.dumps(figures(Path(sys.argv[1]), int(sys.argv[2]))), flush=True)

"""KPI pane figures (issue 11), measured in a fresh process on a copy of the board database
(10,000 open deals).

    python benchmarks/kpi_pane_figures.py DATABASE REPEAT

Prints one JSON object (milliseconds, medians of REPEAT moves):
- kpi_pane_refresh_ms: from the start of one move (a deal moved to the next stage, or
  back) until the real KPI pane shows it: its figures read and its charts drawn off the
  GUI thread, and the paint of its funnel chart that began after they arrived handled in
  full. The move is the service's (this window holds the pane alone, no board to paint
  again), and its change set is handed to the pane as the window's relay hands it on.
- kpi_pane_compute_ms: the pane's figures alone (``AnalyticsService.pane``, for the
  pane's own request: this month, the team's), in the same process, after a first read.
  Both depend on the day of the month they run: the month's deals so far are read.
"""

from __future__ import annotations

import json
import os
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

TIMEOUT_S = 60.0


def figures(path: Path, repeat: int) -> dict[str, float]:
    from funneldesk.db import open_database
    from funneldesk.services import Services
    from funneldesk.services.analytics.records import KpiRequest
    from funneldesk.settings import Settings
    from funneldesk.ui.analytics.kpi_pane import KpiPane
    from funneldesk.ui.analytics.periods import period_dates
    from funneldesk.ui.common.page import Workspace
    from funneldesk.ui.common.user_action import ActionRunner

    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    services = Services.for_database(open_database(path))
    me = services.users.current("bench")
    services.analytics.prepare()  # the derived visits, as the first read after an upgrade
    # the pane's own request: this month (as the pane reads by default), the team's
    first, last = period_dates("this_month", services.analytics.today())
    asked = KpiRequest(date_from=first, date_to=last)
    compute = []
    services.analytics.pane(asked, viewer=me)
    for _ in range(repeat):
        start = time.perf_counter()
        services.analytics.pane(asked, viewer=me)
        compute.append((time.perf_counter() - start) * 1000)
    window = QMainWindow()
    stack = QUndoStack(window)
    workspace = Workspace(services, me, Settings(path.with_suffix(".settings.json")),
                          ActionRunner(stack, window), stack, window, lambda _m: None)
    pane = KpiPane(workspace)
    assert pane.request() == asked, "the figure alone must be the pane's own request"
    window.setCentralWidget(pane)
    window.resize(300, 860)
    window.show()
    loads = [0]
    arrived = [0.0]

    def loaded() -> None:
        loads[0] += 1
        arrived[0] = time.perf_counter()

    pane.loaded.connect(loaded)
    clock = PaintClock()
    pane.funnel.installEventFilter(clock)
    spin_until(lambda: loads[0] > 0 and clock.began > arrived[0], "first read", TIMEOUT_S)
    pipeline = services.pipelines.pipeline(services.pipelines.pipelines()[0][0])
    opens = [s for s in pipeline.stages if s.is_open]
    [(deal_id,)] = services.db.query(
        "SELECT id FROM deals WHERE stage_id = ? AND deleted_at IS NULL LIMIT 1",
        (opens[0].id,))
    shown = []
    for n in range(repeat):
        before = loads[0]
        app.processEvents()
        start = time.perf_counter()
        version = services.db.query("SELECT version FROM deals WHERE id = ?", (deal_id,))[0][0]
        moved = services.moves.move_deal(deal_id=deal_id, to_stage_id=opens[(n + 1) % 2].id,
                                         before_id=None, expected_version=version, by=me)
        pane.apply_changes(moved.changes, None)
        spin_until(lambda before=before: loads[0] > before and clock.began > arrived[0],
                   "pane painted", TIMEOUT_S)
        shown.append((time.perf_counter() - start) * 1000)
    return {"kpi_pane_refresh_ms": statistics.median(shown),
            "kpi_pane_compute_ms": statistics.median(compute)}


if __name__ == "__main__":
    print(json.dumps(figures(Path(sys.argv[1]), int(sys.argv[2]))), flush=True)

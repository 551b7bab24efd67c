"""Speed and memory of FunnelDesk at a given size, each beside a baseline from the same run.

    python benchmarks/run.py --json [--deals N] [--repeat R]

Prints one JSON object. Figures are medians over R runs where a figure is repeated.
startup_s spawns `funneldesk` (exiting once the board has painted) beside qt_baseline_s,
an empty QMainWindow shown and painted; both include interpreter start-up. board_load_s,
move_*_ms and filter_ms sit beside floors measured on the same file in the same run:
read_rows_baseline_s, commit_baseline_p50_ms and scan_baseline_ms.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

QT_BASELINE = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv)
w = QMainWindow(); w.resize(1400, 860); w.show()
QTimer.singleShot(0, app.quit)
app.exec()
"""


def timed_process(args: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(args, check=True, env=env, capture_output=True, timeout=300)
    return time.perf_counter() - start


def make_database(path: Path, deals: int) -> None:
    from funneldesk import i18n
    from funneldesk.db import open_database
    from funneldesk.services import Services

    i18n.set_language("zh_CN")
    db = open_database(path)
    services = Services.for_database(db)
    me = services.users.current("bench")
    services.demo.generate(deals=deals, seed=1, by=me, closed_share=0.0)  # all open
    db.close()


def in_process(path: Path, moves: int) -> dict[str, float]:
    from PySide6.QtCore import QEventLoop, QPoint
    from PySide6.QtWidgets import QApplication

    from funneldesk.db import open_database
    from funneldesk.services import Services
    from funneldesk.settings import Settings
    from funneldesk.ui.board.card_model import encode_mime
    from funneldesk.ui.main_window import MainWindow
    from tests.ui.conftest import drop

    app = QApplication.instance() or QApplication([])
    db = open_database(path)
    services = Services.for_database(db)
    me = services.users.current("bench")
    window = MainWindow(services, me, Settings(path.with_suffix(".json")))
    window.show()
    app.processEvents()
    loads = []
    for _ in range(3):
        loop = QEventLoop()
        window.boardLoaded.connect(loop.quit)
        start = time.perf_counter()
        window.reload()  # the read runs off the GUI thread, as when a user switches pipeline
        loop.exec()
        window.repaint()
        loads.append(time.perf_counter() - start)
        window.boardLoaded.disconnect(loop.quit)
    stages = [s for s in window.board.board.pipeline.stages if s.is_open]  # type: ignore[union-attr]
    timings = []
    for i in range(moves):
        # backward moves need no criteria: cycle cards from later stages to earlier ones
        src = stages[1 + i % (len(stages) - 1)]
        dst = stages[(stages.index(src) - 1)]
        card = window.board.columns[src.id].model.card_at(0)
        view = window.board.columns[dst.id].view
        start = time.perf_counter()
        drop(view, encode_mime(card), QPoint(40, 10))
        timings.append((time.perf_counter() - start) * 1000)
        assert services.deals.detail(card.id).stage_id == dst.id
    filters = []
    for text in ("ERP", "有限公司", "zzz", ""):
        start = time.perf_counter()
        window.actions_.search.setText(text)
        filters.append((time.perf_counter() - start) * 1000)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    window.close()
    db.close()
    q = statistics.quantiles(timings, n=20)
    return {"board_load_s": statistics.median(loads), "move_p50_ms": statistics.median(timings),
            "move_p95_ms": q[18], "filter_ms": statistics.median(filters), "rss_mb": rss}


def floors(path: Path, moves: int) -> dict[str, float]:
    """What the machine does in the same run without FunnelDesk: reading every deal row,
    a one-row write transaction, a substring scan of 10,000 strings. A slow figure beside
    a slow floor means a busy machine, not slow code."""
    import sqlite3

    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    reads = []
    for _ in range(3):
        start = time.perf_counter()
        rows = conn.execute("SELECT * FROM deals").fetchall()
        reads.append(time.perf_counter() - start)
    writes = []
    for i in range(moves):
        start = time.perf_counter()
        conn.execute("BEGIN")
        conn.execute("UPDATE deals SET position = position WHERE id = ?", (1 + i % 100,))
        conn.execute("COMMIT")
        writes.append((time.perf_counter() - start) * 1000)
    titles = [str(r[6]).casefold() for r in rows]
    scans = []
    for needle in ("erp", "有限公司", "zzz"):
        start = time.perf_counter()
        [t for t in titles if needle in t]
        scans.append((time.perf_counter() - start) * 1000)
    conn.close()
    return {"read_rows_baseline_s": statistics.median(reads),
            "commit_baseline_p50_ms": statistics.median(writes),
            "scan_baseline_ms": statistics.median(scans)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--deals", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--moves", type=int, default=200)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp())
    db = folder / "bench.db"
    make_database(db, args.deals)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "FUNNELDESK_EXIT_AFTER_PAINT": "1",
           "FUNNELDESK_CONFIG_DIR": str(folder / "config")}
    startup, baseline = [], []
    for _ in range(args.repeat):
        baseline.append(timed_process([sys.executable, "-c", QT_BASELINE], env))
        startup.append(timed_process([sys.executable, "-m", "funneldesk", "--db", str(db)], env))
    result = {"deals": args.deals, "startup_s": statistics.median(startup),
              "qt_baseline_s": statistics.median(baseline), **floors(db, args.moves),
              **in_process(db, args.moves)}
    print(json.dumps({k: round(v, 4) if isinstance(v, float) else v for k, v in result.items()}),
          flush=True)
    os._exit(0)  # skip PySide6's teardown at interpreter exit, which can crash after the work


if __name__ == "__main__":
    main()

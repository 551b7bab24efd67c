"""Speed and memory of FunnelDesk on two databases, each figure beside a baseline and a
target measured or stated in the same run.

    python benchmarks/run.py --json [--repeat R] [--moves M] [--deals N] [--closed C]

Prints one JSON object. The board database has N open deals (default 10,000); the history
database has N open and C closed deals (default 200,000) with about five stage changes
per closed deal (about 1,000,000), and its figures carry the prefix ``history_``. Both
are generated once with bulk inserts and kept in benchmarks/.cache (see bench_data.py);
every measurement runs on a fresh copy, since moves change the file.

Figures (medians of R repeats; a repeat is a fresh process):
- startup_s: from spawning ``python -m funneldesk --db FILE`` until the board's first cards
  have been painted (FUNNELDESK_EXIT_AFTER_PAINT makes the application print that moment
  and quit). Beside it qt_baseline_s: an empty QMainWindow, spawned and painted the same
  way. Both include interpreter start-up, with FunnelDesk's modules byte-compiled first
  (as an installed FunnelDesk has them).
- board_load_cold_s: the first board load of a process: building the main window, which
  reads the board at construction as at start-up, until its cards are painted.
  first_move_after_start_ms: a card dropped as soon as those cards are painted, while the
  warm-up that the paint starts still runs (what a user who drags at once waits).
  board_load_s: a warm reload (median of 5), from the request until the cards are painted:
  each column's first cards, with the counts and totals of all its cards.
  board_whole_s: the same reloads until every card has been read in the background (what
  a search, a sort and scrolling past the first cards wait for). Before the board was read
  in two steps, board_load_s measured this.
  Beside them read_rows_baseline_s: raw sqlite3 fetching every column of the same deals.
- move_p50_ms, move_p95_ms: M card drops through the real views (after the warm-up and
  the reloads), each until both columns have been laid out and painted again. Forward
  moves (their criteria ticked in the data) alternate with backward ones; two in three
  land half-way down the column's viewport (about its fifth card), the others on top;
  one in ten lands in a gap already used up, which spreads out the 32 deals above it
  (their median: move_respread_ms). The first drop is left out and reported as
  first_move_ms. Measured apart: move_deep_ms, a few drops into a column scrolled to its
  middle card first, so that its view knows of every card above; move_renumber_ms, a
  few drops into a gap whose 33 deals above are crammed too, so that the whole column
  is renumbered. Beside them commit_baseline_p50_ms: a one-row UPDATE committed by raw
  sqlite3.
- filter_ms, filter_max_ms: typing a search ("ERP", "有限公司", "zzz", then clearing it,
  three rounds) until every visible column is painted again. Beside them
  scan_baseline_ms: a casefolded substring scan of the same deals' titles.
- rss_mb: peak resident memory of the process that measured the board figures (it did
  not generate the data).
- search_zh2_ms, search_en_prefix_ms (benchmarks/search_figures.py): in the Ctrl+K palette,
  a two-character Chinese query (华信) and an English prefix (cr) typed at once, until the
  list shows its results painted (median of 15, in a fresh process); search_common_ms the
  same for 有限, which nearly every deal matches. Beside them search_zh2_baseline_ms and
  search_en_prefix_baseline_ms: the same query's 50 rows read by raw sqlite3 straight
  from the part of the index it uses (bigram terms; the normalised titles).
- deals_list_scroll_ms (history database only): the Deals page showing every deal, newest
  first, jumped to its end (``scrollToBottom``) until the last rows have been read and
  the paint that shows them has finished; median of several jumps in a fresh process,
  each after the list was read again from its first page. Beside it
  deals_list_page_baseline_ms: the same page read by raw sqlite3 with the list's own two
  statements; deals_list_naive_offset_ms, that page read with a plain OFFSET from the
  start; deals_list_count_ms, the list's COUNT (see deals_list_figures.py).
- import_rows_per_s (issue 7): a 100,000-contact CSV imported, duplicates detected both
  ways (exact repeats refused, names alike counted by a worker beside the import), until
  it returns; import_copied_rows_per_s, until SQLite's log has also been copied into the
  file after it; beside them validate_only_rows_per_s and raw_insert_rows_per_s; the
  same import with its look
  for names alike left until after it, import_exact_only_rows_per_s, and that look alone,
  import_alike_rows_per_s; what making the rows findable by Ctrl+K takes after the
  import has committed: import_index_rows_per_s and import_searchable_rows_per_s, which
  is also until the command returns (see benchmarks/import_figures.py).
  Rows per second: higher is better (the only such figures; of them only
  import_rows_per_s has a target). Beside them import_cores_free: how many cores a
  CPU-bound job found free just before each import (2: both; the import needs both);
  import_stolen_share and validate_stolen_share: the share of the machine's CPU time a
  virtual machine's host gave to others during each (0 on a machine of its own).

- today_pane_ms (issue 8, benchmarks/today_figures.py): the Today pane of one rep, with
  50,000 activities in the board database, from the request until the pane is painted
  with what it read (median of R reads, in a fresh process); beside it
  today_pane_sql_ms, its query alone in the same process.
- quote_pdf_ms (issue 9, benchmarks/quote_figures.py): a 3-option, 30-line Chinese quote's
  PDF, warm, beside reportlab_baseline_ms (its text on a bare canvas) and
  quote_pdf_cold_ms (a new process's first).
- contract_pdf_ms (issue 10, benchmarks/contract_figures.py): a confidential 10-page
  Chinese contract's PDF, rendered and encrypted (AES-256), warm, median of 5; beside it
  contract_reportlab_baseline_ms, the same text on a bare ReportLab canvas in the same run.

"targets" gives each target with its value in this run, "pass" whether the figure meets
it. A slow figure beside a slow baseline means a busy machine, not slow code.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from bench_data import NEEDLES, Size, cached  # noqa: E402
from search_figures import search_figures  # noqa: E402

from funneldesk.app import PAINTED_AT  # noqa: E402 - what FUNNELDESK_EXIT_AFTER_PAINT prints

CACHE = HERE / ".cache"

QT_BASELINE = f"""
import sys, time
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow, QWidget

def painted():
    print("{PAINTED_AT}", f"{{time.time():.6f}}", flush=True)
    app.exit(0)

class Central(QWidget):
    def paintEvent(self, event):
        QTimer.singleShot(0, painted)

app = QApplication(sys.argv)
window = QMainWindow()
window.setCentralWidget(Central())
window.resize(1400, 860)
window.show()
app.exec()
"""

# figure: target, given the figures (startup's depends on the Qt baseline of the run)
TARGETS: dict[str, Callable[[dict[str, Any]], float]] = {
    "startup_s": lambda f: 2 * f["qt_baseline_s"] + 0.4,
    "board_load_s": lambda f: 0.3,
    "move_p95_ms": lambda f: 30.0,
    "filter_ms": lambda f: 50.0,
    "rss_mb": lambda f: 250.0,
    "search_zh2_ms": lambda f: 30.0,
    "search_en_prefix_ms": lambda f: 30.0,
    "deals_list_scroll_ms": lambda f: 100.0,
    "today_pane_ms": lambda f: 100.0,
    # issue 9: a 3-option, 30-line Chinese quote, warm
    "quote_pdf_ms": lambda f: 150.0,
    # issue 10: a 10-page confidential Chinese contract, encrypted, warm
    "contract_pdf_ms": lambda f: 300.0,
    # issue 7: at least 20,000 rows/s and at least half of validating alone
    "import_rows_per_s": lambda f: max(20_000.0, f["validate_only_rows_per_s"] / 2),
    # issue 11: the core KPIs of 100,000 deals, warm, and beside hand-written SQL
    "kpi_ms": lambda f: 500.0,
    "kpi_vs_raw_sql": lambda f: 1.5,
    "kpi_full_ms": lambda f: 2000.0,
    "kpi_pane_refresh_ms": lambda f: 200.0,
}
KPI_SIZE = Size(open_deals=20_000, closed_deals=80_000)  # ~470,000 stage changes
HIGHER_IS_BETTER = {"import_rows_per_s"}


def fresh_copy(source: Path, target: Path) -> None:
    """Copies a database over ``target``, dropping what a killed process left beside it
    (an old -wal file would be replayed into the new copy)."""
    for leftover in (target, target.with_name(target.name + "-wal"),
                     target.with_name(target.name + "-shm")):
        leftover.unlink(missing_ok=True)
    shutil.copyfile(source, target)


def painted_after(args: list[str], env: dict[str, str]) -> float:
    """Seconds from spawning ``args`` until the process reports its first paint."""
    start = time.time()
    done = subprocess.run(args, env=env, capture_output=True, text=True, timeout=300,
                          check=False)
    stamps = [float(line.split()[1]) for line in done.stdout.splitlines()
              if line.startswith(PAINTED_AT)]
    if done.returncode != 0 or not stamps:
        raise RuntimeError(f"{args[1:3]} painted nothing:\n{done.stdout}\n{done.stderr}")
    return stamps[0] - start


def startup(db: Path, repeat: int, env: dict[str, str]) -> tuple[list[float], list[float]]:
    """Start-up and the Qt baseline, interleaved so that both see the same machine load."""
    app = [sys.executable, "-m", "funneldesk", "--lang", "zh_CN", "--db", str(db)]
    baseline = [sys.executable, "-c", QT_BASELINE]
    painted_after(app, env)  # the first start adds the bench user to a fresh copy
    runs: tuple[list[float], list[float]] = ([], [])
    for _ in range(repeat):
        runs[0].append(painted_after(app, env))
        runs[1].append(painted_after(baseline, env))
    return runs


def floors(db: Path, commits: int) -> dict[str, float]:
    """What the machine does without FunnelDesk on the same file: reading the board's
    deals, committing a one-row change, scanning their titles for a substring."""
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    # the board's deals, picked as the board picks them: they are scattered over the table
    board = ("SELECT * FROM deals WHERE deleted_at IS NULL AND archived_at IS NULL "
             "AND stage_id IN (SELECT id FROM stages WHERE kind = 'OPEN')")
    reads = []
    for _ in range(5):
        start = time.perf_counter()
        rows = conn.execute(board).fetchall()
        reads.append(time.perf_counter() - start)
    ids = [row[0] for row in rows[:100]]
    writes = []
    for i in range(commits):
        start = time.perf_counter()
        conn.execute("BEGIN")
        conn.execute("UPDATE deals SET position = position WHERE id = ?", (ids[i % 100],))
        conn.execute("COMMIT")
        writes.append((time.perf_counter() - start) * 1000)
    titles = [t.casefold() for (t,) in conn.execute(board.replace("*", "title", 1))]
    scans = []
    for _round in range(3):
        for needle in (n.casefold() for n in NEEDLES if n):
            start = time.perf_counter()
            [t for t in titles if needle in t]
            scans.append((time.perf_counter() - start) * 1000)
    conn.close()
    return {"read_rows_baseline_s": statistics.median(reads),
            "commit_baseline_p50_ms": statistics.median(writes),
            "scan_baseline_ms": statistics.median(scans)}


def board_figures(source: Path, work: Path, repeat: int, moves: int,
                  env: dict[str, str]) -> dict[str, float]:
    """Medians over ``repeat`` fresh processes, each on a fresh copy of ``source``."""
    runs = []
    for _ in range(repeat):
        fresh_copy(source, work)
        done = subprocess.run([sys.executable, str(HERE / "board_figures.py"), str(work),
                               str(moves)], env=env, capture_output=True, text=True,
                              timeout=600, check=False)
        if done.returncode != 0:
            raise RuntimeError(f"board figures failed:\n{done.stdout}\n{done.stderr}")
        runs.append(json.loads(done.stdout.splitlines()[-1]))
    return {key: statistics.median(run[key] for run in runs) for key in runs[0]}


def measure(source: Path, folder: Path, args: argparse.Namespace,
            env: dict[str, str]) -> tuple[dict[str, float], list[float]]:
    work = folder / "work.db"
    fresh_copy(source, work)
    started, baseline = startup(work, args.repeat, env)
    figures = {"startup_s": statistics.median(started), **floors(work, args.moves),
               **board_figures(source, work, args.repeat, args.moves, env),
               **search_figures(source, work, env)}
    return figures, baseline


def counts(db: Path) -> dict[str, int]:
    conn = sqlite3.connect(db)
    try:
        return {"open_deals": conn.execute("SELECT count(*) FROM deals WHERE closed_on IS NULL")
                .fetchone()[0],
                "closed_deals": conn.execute("SELECT count(*) FROM deals WHERE closed_on "
                                             "IS NOT NULL").fetchone()[0],
                "stage_changes": conn.execute("SELECT count(*) FROM stage_changes").fetchone()[0]}
    finally:
        conn.close()


def import_figures_of(folder: Path, env: dict[str, str]) -> dict[str, float]:
    """The import figures, from a fresh process (benchmarks/import_figures.py)."""
    done = subprocess.run([sys.executable, str(HERE / "import_figures.py"), str(folder)],
                          env=env, capture_output=True, text=True, timeout=1800, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"import figures failed:\n{done.stdout}\n{done.stderr}")
    return dict(json.loads(done.stdout.splitlines()[-1]))


def today_figures_of(source: Path, folder: Path, env: dict[str, str],
                     repeat: int) -> dict[str, float]:
    """The Today pane figures, from a fresh process on a fresh copy of ``source``."""
    work = folder / "today.db"
    fresh_copy(source, work)
    done = subprocess.run([sys.executable, str(HERE / "today_figures.py"), str(work),
                           str(max(repeat, 7))], env=env, capture_output=True, text=True,
                          timeout=600, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"today figures failed:\n{done.stdout}\n{done.stderr}")
    return dict(json.loads(done.stdout.splitlines()[-1]))


def document_figures_of(folder: Path, env: dict[str, str], name: str) -> dict[str, float]:
    """A document's PDF figures, from a fresh process (benchmarks/<name>_figures.py:
    quote or contract)."""
    work = folder / name
    work.mkdir(exist_ok=True)
    done = subprocess.run([sys.executable, str(HERE / f"{name}_figures.py"), str(work)],
                          env=env, capture_output=True, text=True, timeout=600, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{name} figures failed:\n{done.stdout}\n{done.stderr}")
    return dict(json.loads(done.stdout.splitlines()[-1]))


def kpi_figures_of(folder: Path, env: dict[str, str], repeat: int) -> dict[str, float]:
    """The KPI figures, from a fresh process on a fresh copy of the KPI database."""
    work = folder / "kpi.db"
    fresh_copy(cached(KPI_SIZE, CACHE), work)
    done = subprocess.run([sys.executable, str(HERE / "kpi_figures.py"), str(work),
                           str(max(repeat, 5))], env=env, capture_output=True, text=True,
                          timeout=1200, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"kpi figures failed:\n{done.stdout}\n{done.stderr}")
    figures = dict(json.loads(done.stdout.splitlines()[-1]))
    return {**figures, "kpi_vs_raw_sql": figures["kpi_ms"] / figures["kpi_raw_sql_ms"]}


def kpi_pane_figures_of(source: Path, folder: Path, env: dict[str, str],
                        repeat: int) -> dict[str, float]:
    """The KPI pane figures, from a fresh process on a fresh copy of ``source``."""
    work = folder / "kpi-pane.db"
    fresh_copy(source, work)
    done = subprocess.run([sys.executable, str(HERE / "kpi_pane_figures.py"), str(work),
                           str(max(repeat, 7))], env=env, capture_output=True, text=True,
                          timeout=600, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"kpi pane figures failed:\n{done.stdout}\n{done.stderr}")
    return dict(json.loads(done.stdout.splitlines()[-1]))


def judged(result: dict[str, Any]) -> dict[str, Any]:
    targets, passed = {}, {}
    for prefix in ("", "history_"):
        own = {k.removeprefix(prefix): v for k, v in result.items() if k.startswith(prefix)}
        own["qt_baseline_s"] = result["qt_baseline_s"]
        for figure, target in TARGETS.items():
            if figure in own:
                targets[prefix + figure] = round(target(own), 3)
                passed[prefix + figure] = (own[figure] >= target(own)
                                           if figure in HIGHER_IS_BETTER
                                           else own[figure] <= target(own))
    return {**result, "targets": targets, "pass": passed}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--deals", type=int, default=10_000, help="open deals")
    parser.add_argument("--closed", type=int, default=200_000,
                        help="closed deals of the history database (0: skip it)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--moves", type=int, default=61)
    args = parser.parse_args()
    began = time.perf_counter()
    folder = Path(tempfile.mkdtemp(prefix="funneldesk-bench-"))
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "FUNNELDESK_EXIT_AFTER_PAINT": "1",
           "FUNNELDESK_CONFIG_DIR": str(folder / "config")}
    # FunnelDesk byte-compiled, as an installed copy is (pip compiles a wheel's modules, and
    # an editable install writes them on its first start) and as PySide6 in the Qt baseline
    # is; where PYTHONDONTWRITEBYTECODE is set, every start would compile them again
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "funneldesk")],
                   check=True, env={k: v for k, v in os.environ.items()
                                    if k != "PYTHONDONTWRITEBYTECODE"})
    sizes = {"": Size(args.deals, 0)}
    if args.closed:
        sizes["history_"] = Size(args.deals, args.closed)
    result: dict[str, Any] = {}
    baselines: list[float] = []
    try:
        for prefix, size in sizes.items():
            source = cached(size, CACHE)
            figures, baseline = measure(source, folder, args, env)
            baselines += baseline
            result.update({prefix + k: v for k, v in {**counts(source), **figures}.items()})
        if args.closed:
            import deals_list_figures

            result.update(deals_list_figures.measure(cached(sizes["history_"], CACHE), folder,
                                                     env, args.repeat))
        result.update(import_figures_of(folder, env))
        result.update(today_figures_of(cached(sizes[""], CACHE), folder, env, args.repeat))
        result.update(document_figures_of(folder, env, "quote"))
        result.update(document_figures_of(folder, env, "contract"))
        result.update(kpi_figures_of(folder, env, args.repeat))
        result.update(kpi_pane_figures_of(cached(sizes[""], CACHE), folder, env, args.repeat))
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    result = {"qt_baseline_s": statistics.median(baselines), **result,
              "repeat": args.repeat, "moves": args.moves,
              "elapsed_s": time.perf_counter() - began}
    rounded = {k: round(v, 4) if isinstance(v, float) else v for k, v in judged(result).items()}
    print(json.dumps(rounded, ensure_ascii=False, indent=None if args.json else 1), flush=True)


if __name__ == "__main__":
    main()

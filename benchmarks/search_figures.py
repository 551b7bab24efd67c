"""Search figures, measured in a fresh process on a copy of a benchmark database.

    python benchmarks/search_figures.py DATABASE

Prints one JSON object. Each figure is the median over ROUNDS of typing a query into the
Ctrl+K palette (the whole text at once: no typing delay) until its list has been painted
with the results; before each, a query with other results is shown and painted, so that
every measured query changes the list. Beside each, a baseline: the same query's rows read
straight from the part of the index it uses, by raw sqlite3 (LIMIT 50, as the palette).

- search_zh2_ms: a two-character Chinese query (ZH2, a company brand: about one deal in
  twenty matches), answered through the bigram terms; search_zh2_baseline_ms.
- search_en_prefix_ms: an English prefix (EN_PREFIX, the start of "CRM": one title in
  twelve starts with it), answered from the index on normalised titles;
  search_en_prefix_baseline_ms.
- search_common_ms: 有限 (nearly every deal's company), which only the LIMIT keeps short.

The user has opened RECENT of the deals these queries find, so that ranking the recently
opened first is part of every figure.
"""

from __future__ import annotations

import json
import os
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
ROUNDS = 15
ZH2, EN_PREFIX, COMMON = "华信", "cr", "有限"
OTHER = "仓储"  # shown between two measured queries
RECENT = 100  # deals the benchmark's user has opened
BASELINES = {
    ZH2: "SELECT d.id, d.title FROM search_terms t JOIN search_docs d ON d.id = t.doc_id "
         "WHERE t.term = ? ORDER BY t.doc_id DESC LIMIT 50",
    EN_PREFIX: "SELECT id, title FROM search_docs WHERE norm_title > ? AND norm_title < ? "
               "ORDER BY norm_title, id LIMIT 50",
}


def search_figures(source: Path, work: Path, env: dict[str, str]) -> dict[str, float]:
    """The figures of a fresh process on a fresh copy of ``source`` (called by run.py)."""
    from run import fresh_copy

    fresh_copy(source, work)
    done = subprocess.run([sys.executable, str(HERE / "search_figures.py"), str(work)],
                          env=env, capture_output=True, text=True, timeout=600, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"search figures failed:\n{done.stdout}\n{done.stderr}")
    figures: dict[str, float] = json.loads(done.stdout.splitlines()[-1])
    return figures


def baselines(path: Path) -> dict[str, float]:
    conn = sqlite3.connect(path)
    params = {ZH2: (ZH2,), EN_PREFIX: (EN_PREFIX, EN_PREFIX + "\U0010ffff")}
    result = {}
    for query, name in ((ZH2, "search_zh2_baseline_ms"),
                        (EN_PREFIX, "search_en_prefix_baseline_ms")):
        times = []
        for _round in range(ROUNDS):
            start = time.perf_counter()
            rows = conn.execute(BASELINES[query], params[query]).fetchall()
            times.append((time.perf_counter() - start) * 1000)
        assert len(rows) == 50, (query, len(rows))
        result[name] = statistics.median(times)
    conn.close()
    return result


def main() -> None:
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(HERE))
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from board_figures import PaintWatch, spin_until
    from PySide6.QtWidgets import QApplication

    from funneldesk import i18n
    from funneldesk.db import open_database
    from funneldesk.services import Services
    from funneldesk.ui.shell.search_palette import SearchPalette

    path = Path(sys.argv[1])
    i18n.set_language("zh_CN")
    app = QApplication.instance() or QApplication([])
    db = open_database(path)
    services = Services.for_database(db)
    actor = services.users.current("bench")
    # a user who has opened RECENT deals among those the queries find: the ranking then
    # brings them first, as it does for anyone who has used FunnelDesk for a while
    found = db.query("SELECT d.record_id FROM search_terms t JOIN search_docs d "
                     "ON d.id = t.doc_id WHERE t.term = ? LIMIT ?", (ZH2, RECENT // 2))
    found += db.query("SELECT record_id FROM search_docs WHERE norm_title > ? "
                      "AND norm_title < ? LIMIT ?", (EN_PREFIX, EN_PREFIX + "\uffff", RECENT // 2))
    for (record_id,) in found:
        services.search.note_opened("deal", record_id, by=actor)
    palette = SearchPalette(services, actor, list)
    palette.start()
    watch = PaintWatch()
    viewport = palette.view.viewport()
    watch.watch(viewport)
    spin_until(lambda: id(viewport) in watch.painted, "palette shown")

    def typed(text: str) -> float:
        watch.reset()
        start = time.perf_counter()
        palette.edit.setText(text)
        spin_until(lambda: id(viewport) in watch.painted, f"{text} painted")
        elapsed = (time.perf_counter() - start) * 1000
        assert palette.model.rowCount() == 50, (text, palette.model.rowCount())
        return elapsed

    figures: dict[str, list[float]] = {}
    for _round in range(ROUNDS + 1):
        for query, name in ((ZH2, "search_zh2_ms"), (EN_PREFIX, "search_en_prefix_ms"),
                            (COMMON, "search_common_ms")):
            typed(OTHER)
            figures.setdefault(name, []).append(typed(query))
    result = {name: statistics.median(times[1:]) for name, times in figures.items()}  # warm
    palette.close()
    db.close()
    app.processEvents()
    print(json.dumps({**result, **baselines(path)}))


if __name__ == "__main__":
    main()

"""Board figures, measured in a fresh process that did not generate the database.

    python benchmarks/board_figures.py DATABASE MOVES

Prints one JSON object: board_load_cold_s, board_load_s, first_move_ms, move_p50_ms,
move_p95_ms, move_renumber_ms, filter_ms, filter_max_ms, rss_mb. Every figure runs from
the gesture until the cards it changed have been painted again. The database is changed
(moves), so give it a copy.
"""

from __future__ import annotations

import json
import os
import resource
import sqlite3
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from bench_data import NEEDLES  # noqa: E402
from PySide6.QtCore import QEvent, QEventLoop, QMimeData, QObject, QPoint, QPointF, Qt, QTimer  # noqa: E402
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

LOADS = 5
FILTER_ROUNDS = 3
RENUMBER_EVERY = 10  # one drop in ten lands in a gap already used up


class PaintWatch(QObject):
    """Knows which of the watched widgets have been painted since the last ``reset``."""

    def __init__(self) -> None:
        super().__init__()
        self.painted: set[int] = set()

    def watch(self, widget: QWidget) -> None:
        widget.installEventFilter(self)

    def reset(self) -> None:
        self.painted.clear()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.painted.add(id(watched))
        return False


def spin_until(done: Callable[[], bool], what: str, timeout: float = 60.0) -> None:
    """Runs the event loop until ``done()``: the painting Qt does between two events is part
    of the time measured."""
    app = QApplication.instance()
    assert app is not None
    deadline = time.perf_counter() + timeout
    # waits for events instead of spinning, so that a board read on a pool thread keeps
    # the interpreter to itself; the timer only bounds each wait
    tick = QTimer()
    tick.start(50)
    try:
        while not done():
            if time.perf_counter() > deadline:
                raise TimeoutError(what)
            app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents)
    finally:
        tick.stop()


def drop(viewport: QWidget, mime: QMimeData, pos: QPoint) -> None:
    """A card dropped at ``pos``, as the events of a real drag (Qt ignores a drop that no
    drag entered)."""
    details = (Qt.DropAction.MoveAction, mime, Qt.MouseButton.LeftButton,
               Qt.KeyboardModifier.NoModifier)
    for kind in (QDragEnterEvent, QDragMoveEvent, QDropEvent):
        try:
            event = kind(QPointF(pos), *details)
        except TypeError:  # PySide6 before 6.12 has only the QPoint overloads
            event = kind(pos, *details)
        QApplication.sendEvent(viewport, event)


@dataclass(frozen=True)
class Move:
    forward: bool
    middle: bool  # between two cards half-way down the column, else above the first card
    renumber: bool  # the gap it lands in is used up: the deals above it are renumbered


def plan(count: int) -> list[Move]:
    """Forward and backward moves in turn, mostly into the middle of a column, every
    RENUMBER_EVERY-th into a used-up gap."""
    moves = []
    for i in range(count):
        renumber = i % RENUMBER_EVERY == RENUMBER_EVERY - 1
        moves.append(Move(forward=i % 2 == 0, middle=renumber or i % 3 != 0, renumber=renumber))
    return moves


class Bench:
    def __init__(self, path: Path) -> None:
        from funneldesk import i18n
        from funneldesk.db import open_database
        from funneldesk.services import Services

        i18n.set_language("zh_CN")
        self.app = QApplication.instance() or QApplication([])
        self.path = path
        self.db = open_database(path)
        self.services = Services.for_database(self.db)
        self.actor = self.services.users.current("bench")
        self.sql = sqlite3.connect(path, isolation_level=None)
        self.sql.execute("PRAGMA busy_timeout=5000")
        self.watch = PaintWatch()

    # --- loading ------------------------------------------------------------------
    def first_load(self) -> float:
        """Builds the window, whose first board read runs at construction as at start-up,
        until its first cards are painted."""
        from funneldesk.settings import Settings
        from funneldesk.ui.main_window import MainWindow

        start = time.perf_counter()
        self.window = MainWindow(self.services, self.actor,
                                 Settings(self.path.with_suffix(".settings.json")))
        painted = self._expect(self.window.board.cardsPainted)
        self.window.show()
        spin_until(lambda: bool(painted), "first paint")
        elapsed = time.perf_counter() - start
        self.window.warm_up()  # as the application does once the board shows
        from PySide6.QtCore import QThreadPool

        QThreadPool.globalInstance().waitForDone()
        self.app.processEvents()
        return elapsed

    def reload(self) -> float:
        start = time.perf_counter()
        painted = self._expect(self.window.board.cardsPainted)
        self.window.reload()
        spin_until(lambda: bool(painted), "reload")
        return time.perf_counter() - start

    @staticmethod
    def _expect(signal: Any) -> list[bool]:
        fired: list[bool] = []
        signal.connect(lambda: fired.append(True))
        return fired

    def _watch_columns(self) -> None:
        for column in self.window.board.columns.values():
            self.watch.watch(column.view.viewport())

    # --- moves --------------------------------------------------------------------
    def moves(self, count: int) -> list[tuple[Move, float]]:
        from funneldesk.ui.board.card_delegate import CARD_HEIGHT
        from funneldesk.ui.board.card_model import encode_mime

        self._watch_columns()
        board = self.window.board
        stages = [s.id for s in board.board.pipeline.stages if s.is_open]  # type: ignore[union-attr]
        timings = []
        for i, move in enumerate(plan(count)):
            pair = i % (len(stages) - 1)
            src, dst = (stages[pair], stages[pair + 1]) if move.forward \
                else (stages[pair + 1], stages[pair])
            source, target = board.columns[src], board.columns[dst]
            # a card the user can see: its column repaints when it leaves
            card = source.model.card_at(i % max(1, source.view.viewport().height() // CARD_HEIGHT))
            view = target.view
            y = view.viewport().height() // 2 if move.middle else 10
            pos = QPoint(40, y)
            before = view.card_before(pos)
            assert before or not move.renumber, "no card to drop above"
            above = self._use_up_gap(dst, before) if move.renumber and before else 0
            self.watch.reset()
            ids = {id(source.view.viewport()), id(view.viewport())}
            start = time.perf_counter()
            drop(view.viewport(), encode_mime(card), pos)
            spin_until(lambda ids=ids: ids <= self.watch.painted, "move painted")  # type: ignore[misc]
            timings.append((move, (time.perf_counter() - start) * 1000))
            assert target.model.row_of(card.id) >= 0, "the card did not move"
            if move.renumber and before:
                assert self._made_room(above, before), "the gap is still used up"
        return timings

    def _use_up_gap(self, stage_id: int, before_id: int) -> int:
        """Puts the deal above ``before_id`` a hair's breadth above it in the database;
        returns its id."""
        (anchor,) = self.sql.execute("SELECT position FROM deals WHERE id = ?",
                                     (before_id,)).fetchone()
        (above,) = self.sql.execute(
            "SELECT id FROM deals WHERE stage_id = ? AND position < ? AND deleted_at IS NULL "
            "ORDER BY position DESC LIMIT 1", (stage_id, anchor)).fetchone()
        self.sql.execute("UPDATE deals SET position = ? WHERE id = ?", (anchor - 1e-7, above))
        return int(above)

    def _made_room(self, above: int, before_id: int) -> bool:
        (gap,) = self.sql.execute("SELECT b.position - a.position FROM deals a, deals b "
                                  "WHERE a.id = ? AND b.id = ?", (above, before_id)).fetchone()
        return bool(gap >= 1)

    # --- filter -------------------------------------------------------------------
    def filters(self) -> list[float]:
        search = self.window.actions_.search
        viewports = {id(c.view.viewport()) for c in self.window.board.columns.values()
                     if not c.view.viewport().visibleRegion().isEmpty()}  # scrolled out: no paint
        timings = []
        for _round in range(FILTER_ROUNDS):
            for needle in NEEDLES:
                self.watch.reset()
                start = time.perf_counter()
                search.setText(needle)
                spin_until(lambda: viewports <= self.watch.painted, "filter painted")
                timings.append((time.perf_counter() - start) * 1000)
        return timings


def measure(path: Path, moves: int) -> dict[str, float]:
    bench = Bench(path)
    cold = bench.first_load()
    warm = [bench.reload() for _ in range(LOADS)]
    timed = bench.moves(moves)
    (_first, first_ms), rest = timed[0], timed[1:]
    steady = [ms for _m, ms in rest]
    renumbering = [ms for m, ms in rest if m.renumber]
    filters = bench.filters()
    return {
        "board_load_cold_s": cold,
        "board_load_s": statistics.median(warm),
        "first_move_ms": first_ms,
        "move_p50_ms": statistics.median(steady),
        "move_p95_ms": statistics.quantiles(steady, n=20)[18],
        "move_renumber_ms": statistics.median(renumbering),
        "filter_ms": statistics.median(filters),
        "filter_max_ms": max(filters),
        "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


if __name__ == "__main__":
    figures = measure(Path(sys.argv[1]), int(sys.argv[2]))
    print(json.dumps(figures), flush=True)
    os._exit(0)  # skip PySide6's teardown at interpreter exit, which can crash after the work

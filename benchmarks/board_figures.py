"""Board figures, measured in a fresh process that did not generate the database.

    python benchmarks/board_figures.py DATABASE MOVES

Prints one JSON object: board_load_cold_s, first_move_after_start_ms, board_load_s,
board_whole_s, first_move_ms, move_p50_ms, move_p95_ms, move_respread_ms, move_renumber_ms,
move_deep_ms, filter_ms, filter_max_ms, rss_mb. Every figure runs from the gesture until
the cards it changed have been painted again. The database is changed (moves), so give it
a copy.

In order: the window is built and painted (board_load_cold_s) with the application's
warm-up started as at start-up; a card is dropped as soon as the first cards are on
screen, while that warm-up still runs (first_move_after_start_ms); then the warm-up is
waited for, the board reloaded five times (board_load_s: until its first cards are
painted; board_whole_s: until every card has been read, as a search, a sort and
scrolling past the first cards need), and the planned moves dropped: the first of them
is first_move_ms (warm, after the reloads), the rest give move_p50_ms and move_p95_ms.
Last come a few drops deep down a column scrolled to its middle (move_deep_ms), where the
view knows of every card above, and a few into gaps so crammed that the whole column is
renumbered (move_renumber_ms), then the searches.
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
DEEP_MOVES = 5
RENUMBER_MOVES = 3


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
    # between two cards half-way down the column's viewport (about its fifth card, as the
    # column opens), else above the first card
    mid_view: bool
    # the gap it lands in is used up: the 32 deals above it are spread out again
    respread: bool = False
    # so are the 33 deals above it: the service renumbers the whole column (dropped
    # below the 40th card, scrolled to the middle of the viewport first)
    renumber: bool = False
    deep: bool = False  # the column is scrolled to its middle card first


def plan(count: int) -> list[Move]:
    """Forward and backward moves in turn, mostly half-way down the viewport, every
    RENUMBER_EVERY-th into a used-up gap."""
    moves = []
    for i in range(count):
        used_up = i % RENUMBER_EVERY == RENUMBER_EVERY - 1
        moves.append(Move(forward=i % 2 == 0, mid_view=used_up or i % 3 != 0,
                          respread=used_up))
    return moves


def extra_moves() -> list[Move]:
    """Drops measured apart from the planned ones: deep in a column, and into a gap so
    crammed that the whole column is renumbered (rare in use: 33 deals in a row dropped
    into one place)."""
    return ([Move(forward=i % 2 == 0, mid_view=True, deep=True) for i in range(DEEP_MOVES)]
            + [Move(forward=i % 2 == 0, mid_view=True, renumber=True)
               for i in range(RENUMBER_MOVES)])


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
    def first_load(self) -> tuple[float, float]:
        """Builds the window, whose first board read runs at construction as at start-up,
        until its first cards are painted; then drops a card at once, while the warm-up
        the paint started still runs. Both in seconds."""
        from funneldesk.settings import Settings
        from funneldesk.ui.board.board_page import board_page
        from funneldesk.ui.shell.main_window import MainWindow

        start = time.perf_counter()
        self.window = MainWindow(self.services, self.actor,
                                 Settings(self.path.with_suffix(".settings.json")))
        self.page = board_page(self.window)
        painted = self._expect(self.page.board.cardsPainted)
        self.window.show()
        self.window.warm_up()  # as the application does: it starts once the cards are painted
        self.window.start_reminders()  # and the reminders' first look, a while after
        spin_until(lambda: bool(painted), "first paint")
        elapsed = time.perf_counter() - start
        self._watch_columns()
        first_move = self.move(0, Move(forward=True, mid_view=True)) / 1000
        from PySide6.QtCore import QThreadPool

        spin_until(self.page.board.is_whole, "every card read")
        QThreadPool.globalInstance().waitForDone()
        self.app.processEvents()
        return elapsed, first_move

    def reload(self) -> tuple[float, float]:
        """Seconds until the first cards are painted, and until every card is read."""
        start = time.perf_counter()
        painted = self._expect(self.page.board.cardsPainted)
        self.page.reload()
        spin_until(lambda: bool(painted), "reload")
        shown = time.perf_counter() - start
        spin_until(self.page.board.is_whole, "every card read")
        return shown, time.perf_counter() - start

    @staticmethod
    def _expect(signal: Any) -> list[bool]:
        fired: list[bool] = []
        signal.connect(lambda: fired.append(True))
        return fired

    def _watch_columns(self) -> None:
        for column in self.page.board.columns.values():
            self.watch.watch(column.view.viewport())

    # --- moves --------------------------------------------------------------------
    def moves(self, count: int) -> list[tuple[Move, float]]:
        self._watch_columns()
        timings = [(move, self.move(i, move)) for i, move in enumerate(plan(count))]
        return timings + [(move, self.move(i, move)) for i, move in enumerate(extra_moves())]

    def move(self, i: int, move: Move) -> float:
        """Drops a card of one open stage into the next or previous one; milliseconds
        until both columns are painted again."""
        from funneldesk.ui.board.card_delegate import CARD_HEIGHT
        from funneldesk.ui.board.card_model import encode_mime

        board = self.page.board
        stages = [s.id for s in board.board.pipeline.stages if s.is_open]  # type: ignore[union-attr]
        pair = i % (len(stages) - 1)
        src, dst = (stages[pair], stages[pair + 1]) if move.forward \
            else (stages[pair + 1], stages[pair])
        source, target = board.columns[src], board.columns[dst]
        # a card the user can see: its column repaints when it leaves
        card = source.model.card_at(i % max(1, source.view.viewport().height() // CARD_HEIGHT))
        view = target.view
        # only a drop below the 33rd card can find the 33 deals above it crammed together
        centre = target.model.card_count() // 2 if move.deep else 40 if move.renumber else 0
        if centre:
            target.model.show_row(centre)
            view.scrollTo(target.model.index(centre), view.ScrollHint.PositionAtCenter)
            self.app.processEvents()  # lays the view out and scrolls it before the drop
        y = view.viewport().height() // 2 if move.mid_view else 10
        pos = QPoint(40, y)
        before = view.card_before(pos)
        used_up = move.respread or move.renumber
        assert before or not used_up, "no card to drop above"
        above = self._use_up_gap(dst, before, move.renumber) if used_up and before else 0
        self.watch.reset()
        ids = {id(source.view.viewport()), id(view.viewport())}
        start = time.perf_counter()
        drop(view.viewport(), encode_mime(card), pos)
        spin_until(lambda: ids <= self.watch.painted, "move painted")
        elapsed = (time.perf_counter() - start) * 1000
        assert target.model.row_of(card.id) >= 0, "the card did not move"
        if used_up and before:
            assert self._made_room(above, before), "the gap is still used up"
        if centre:
            view.scrollToTop()  # the next drops take a card the user sees at the top
            self.app.processEvents()
        return elapsed

    def _use_up_gap(self, stage_id: int, before_id: int, whole: bool) -> int:
        """Puts the deal above ``before_id`` a hair's breadth above it in the database, or
        with ``whole`` the 34 deals above it, each a hair above the next, so that spreading
        the 32 nearest leaves no room either; returns the id of the nearest."""
        (anchor,) = self.sql.execute("SELECT position FROM deals WHERE id = ?",
                                     (before_id,)).fetchone()
        above = [ident for (ident,) in self.sql.execute(
            "SELECT id FROM deals WHERE stage_id = ? AND position < ? AND deleted_at IS NULL "
            "ORDER BY position DESC LIMIT ?", (stage_id, anchor, 34 if whole else 1))]
        assert len(above) == (34 if whole else 1), "too few deals above the drop"
        self.sql.executemany("UPDATE deals SET position = ? WHERE id = ?",
                             [(anchor - 1e-7 * (n + 1), ident) for n, ident in enumerate(above)])
        return int(above[0])

    def _made_room(self, above: int, before_id: int) -> bool:
        (gap,) = self.sql.execute("SELECT b.position - a.position FROM deals a, deals b "
                                  "WHERE a.id = ? AND b.id = ?", (above, before_id)).fetchone()
        return bool(gap >= 1)

    # --- filter -------------------------------------------------------------------
    def filters(self) -> list[float]:
        search = self.page.actions_.search
        viewports = {id(c.view.viewport()) for c in self.page.board.columns.values()
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
    cold, after_start = bench.first_load()
    warm, whole = zip(*(bench.reload() for _ in range(LOADS)), strict=True)
    timed = bench.moves(moves)
    planned = [(move, ms) for move, ms in timed if not (move.deep or move.renumber)]
    (_first, first_ms), rest = planned[0], planned[1:]
    steady = [ms for _m, ms in rest]
    filters = bench.filters()
    return {
        "board_load_cold_s": cold,
        "first_move_after_start_ms": after_start * 1000,
        "board_load_s": statistics.median(warm),
        "board_whole_s": statistics.median(whole),
        "first_move_ms": first_ms,
        "move_p50_ms": statistics.median(steady),
        "move_p95_ms": statistics.quantiles(steady, n=20)[18],
        "move_respread_ms": statistics.median(ms for m, ms in rest if m.respread),
        "move_renumber_ms": statistics.median(ms for m, ms in timed if m.renumber),
        "move_deep_ms": statistics.median(ms for m, ms in timed if m.deep),
        "filter_ms": statistics.median(filters),
        "filter_max_ms": max(filters),
        "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


if __name__ == "__main__":
    figures = measure(Path(sys.argv[1]), int(sys.argv[2]))
    print(json.dumps(figures), flush=True)
    os._exit(0)  # skip PySide6's teardown at interpreter exit, which can crash after the work

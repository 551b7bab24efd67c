"""The one path of every user action: the service call, a refusal said in the user's
language, the change set relayed once to every page and pane, and an undo command whose
undo and redo are service calls carrying the versions they saw (the pattern of Anki's
``CollectionOp``).

A result is anything with a ``changes`` attribute (a ``ChangeSet``). ``undo`` takes the
result of the call or of the last redo and returns the result of reverting it; ``redo``
takes that and returns a new result. Each step is one service call and one transaction,
so an undo that finds the records changed since is refused as a whole and leaves the
stack, said to the user like any other refusal.

Undo and redo carry the version a record has reached through this window's own changes
since the result they revert (``own_version``): a later change of one's own (an edit
after a move) must not make the earlier undo stale, while anybody else's change does.
``versions_left`` reads a deal's from a result; a record is keyed by its deal id, or by
(entity, id) for companies and contacts.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from typing import Any, Generic, Protocol, TypeVar

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack
from PySide6.QtWidgets import QWidget
from shiboken6 import isValid

from funneldesk.errors import FunnelDeskError, StepRefused
from funneldesk.i18n import _
from funneldesk.services.dto import ChangeSet
from funneldesk.ui.common.background import run_with_disabled
from funneldesk.ui.common.errors import show_error
from funneldesk.ui.common.save_state import note_refused, note_saved


class HasChanges(Protocol):
    @property
    def changes(self) -> ChangeSet: ...


R = TypeVar("R", bound=HasChanges)
U = TypeVar("U", bound=HasChanges)


def versions_left(result: object) -> list[tuple[int, int]]:
    """The deal versions a result leaves: its ``card``, its ``deal_id`` and ``version``,
    or its ``versions`` (pairs of deal id and version)."""
    pairs = list(getattr(result, "versions", ()))
    card = getattr(result, "card", None)
    if card is not None:
        pairs.append((card.id, card.version))
    deal_id, version = getattr(result, "deal_id", None), getattr(result, "version", None)
    if isinstance(deal_id, int) and isinstance(version, int):
        pairs.append((deal_id, version))
    return pairs


class ActionRunner(QObject):
    """Runs user actions for one window. Every page and pane listens to ``changed``."""

    changed = Signal(object, object)  # ChangeSet, the object that asked (or None)
    stepped = Signal(str)  # what an undo or redo did, for the status bar

    def __init__(self, undo_stack: QUndoStack, window: QWidget) -> None:
        super().__init__(window)
        self.undo_stack, self.window = undo_stack, window
        # record (deal id, or (entity, id)) -> versions this window's changes left
        self._own: dict[Hashable, set[int]] = {}

    def own_version(self, record: Hashable, version: int) -> int:
        """The version a record is at now if, since ``version``, only this window changed
        it: each change moves a record's version up by one, so this follows the versions
        this window's own changes left. A change by anybody else breaks the chain, and
        the undo or redo that carries the result is refused as stale."""
        mine = self._own.get(record, ())
        while version + 1 in mine:
            version += 1
        return version

    def remember(self, pairs: Iterable[tuple[Hashable, int]]) -> None:
        for record, version in pairs:
            self._own.setdefault(record, set()).add(version)

    def forget(self, pairs: Iterable[tuple[Hashable, int]]) -> None:
        """The versions a command left no longer count as this window's own once the
        command is dropped (its undo was refused): an older undo must not reach past them
        and take back, unseen, what the user was told stays."""
        for record, version in pairs:
            self._own.get(record, set()).discard(version)

    def forget_everything(self) -> None:
        """Empties the undo stack: after a person's data is erased, no step may keep it
        (a step's text names its record, and its undo holds the record as it was)."""
        self.undo_stack.clear()
        self._own.clear()

    def run(self, text: str, call: Callable[[], R], *,
            undo: Callable[[R], U] | None = None, redo: Callable[[U], R] | None = None,
            shown: Callable[[Any], None] | None = None,
            versions: Callable[[Any], Iterable[tuple[Hashable, int]]] = versions_left,
            refused: Callable[[FunnelDeskError], None] | None = None,
            origin: object = None, parent: QWidget | None = None,
            reraise: tuple[type[FunnelDeskError], ...] = ()) -> R | None:
        """Runs ``call``; the result, or None when it was refused (said in a box over
        ``parent``, then ``refused`` is called; an error of ``reraise`` is passed on
        unsaid instead). ``versions`` says which deal versions a result leaves (see
        ``own_version``). ``shown`` gets every result (of the call, undo and redo) before
        the change set goes out, so that the view that acted shows it first. With
        ``undo`` and ``redo``, the action goes on the undo stack as ``text``."""
        step = _Step(self, shown, versions, refused, origin, parent or self.window)
        try:
            result = call()
        except reraise as error:
            note_refused(error)
            raise
        except FunnelDeskError as error:
            step.refuse(error)
            return None
        step.done(result)
        if undo is not None and redo is not None:
            self.undo_stack.push(_Command(text, step, result, undo, redo))
        else:
            self.drop_redo()
        return result

    def drop_redo(self) -> None:
        """A change that cannot be undone (a claim, an import) ends what Redo offered: a
        step undone before it would be redone over a change it never saw, as in any
        editor. The steps before it stay undoable."""
        stack = self.undo_stack
        if stack.canRedo():
            stack.push(_RedoDropped())
            # Qt says nothing of a command it dropped at once: Edit ▸ Redo would stay
            # enabled, naming the step it no longer has
            stack.canRedoChanged.emit(False)
            stack.redoTextChanged.emit("")

    def run_in_background(self, text: str, call: Callable[[], R], *,
                          then: Callable[[R | None], None],
                          undo: Callable[[R], U], redo: Callable[[U], R],
                          origin: object = None, parent: QWidget | None = None,
                          reraise: tuple[type[FunnelDeskError], ...] = (),
                          failed: Callable[[FunnelDeskError], None] | None = None) -> None:
        """``run`` for an action that may take seconds (a bulk action over thousands of
        deals): ``call`` runs off the GUI thread with the window disabled, then, on the
        GUI thread, the result is shown and relayed and the undo command pushed, and
        ``then`` gets it (None when refused). An error of ``reraise`` goes to ``failed``
        unsaid. Undo and redo run off the GUI thread too, with the window disabled."""
        step = _Step(self, None, versions_left, None, origin, parent or self.window)

        def done(result: R) -> None:
            step.done(result)
            self.undo_stack.push(_Command(text, step, result, undo, redo, slow=True))
            then(result)

        def refused(error: FunnelDeskError) -> None:
            if isinstance(error, reraise) and failed is not None:
                note_refused(error)
                failed(error)
            else:
                step.refuse(error)
            then(None)

        run_with_disabled(self.window, call, done, refused)

    def relay(self, changes: ChangeSet, origin: object = None) -> None:
        """Tells every page and pane what changed (for a change that needs no service
        call of its own, such as a reload after another program's change)."""
        if not changes.empty:
            self.changed.emit(changes, origin)


class _Step:
    """What each step of an action does with its result or its refusal."""

    def __init__(self, runner: ActionRunner, shown: Callable[[Any], None] | None,
                 versions: Callable[[Any], Iterable[tuple[Hashable, int]]],
                 refused: Callable[[FunnelDeskError], None] | None, origin: object,
                 parent: QWidget) -> None:
        self.runner, self.shown, self.refused = runner, shown, refused
        self.versions = versions
        self.origin, self.parent = origin, parent

    def done(self, result: HasChanges) -> None:
        note_saved()
        self.runner.remember(self.versions(result))
        if self.shown is not None:
            self.shown(result)
        self.runner.relay(result.changes, self.origin)

    def refuse(self, error: FunnelDeskError) -> None:
        # an undo from Edit ▸ Undo after the window that acted has closed: said over the
        # main window, and that window's own way of showing it is gone with it
        gone = not isValid(self.parent)
        show_error(self.runner.window if gone else self.parent, error)
        if self.refused is not None and not gone:
            self.refused(error)

    def attempt(self, call: Callable[[], HasChanges],
                explain: Callable[[FunnelDeskError], FunnelDeskError]) -> HasChanges | None:
        try:
            result = call()
        except FunnelDeskError as error:
            self.refuse(explain(error))
            return None
        self.done(result)
        return result


class _RedoDropped(QUndoCommand):
    """Pushed only to drop the steps Redo offered: obsolete once done, Qt keeps no trace
    of it on the stack."""

    def redo(self) -> None:
        self.setObsolete(True)


class _Command(QUndoCommand, Generic[R, U]):
    """Done before it is pushed; undo and redo each replay one service call, and a step
    that is refused makes the command obsolete (Qt then drops it from the stack)."""

    def __init__(self, text: str, step: _Step, result: R, undo: Callable[[R], U],
                 redo: Callable[[U], R], *, slow: bool = False) -> None:
        super().__init__(text)
        self.step, self._undo, self._redo = step, undo, redo
        self._last: Any = result
        self._done = True
        self._slow = slow  # replayed off the GUI thread, the window disabled meanwhile

    def undo(self) -> None:
        if self._done:
            self._replay(self._undo, done=False)

    def redo(self) -> None:
        if not self._done:  # the first redo is Qt's push: the call has run already
            self._replay(self._redo, done=True)

    def _replay(self, call: Callable[[Any], Any], *, done: bool) -> None:
        last = self._last
        if self._slow:
            self._replay_slowly(lambda: call(last), done=done)
            return
        result = self.step.attempt(lambda: call(last), lambda e: self._refusal(e, done))
        if result is None:
            self._drop()
            return
        self._last, self._done = result, done
        self._said(done)

    def _refusal(self, error: FunnelDeskError, redoing: bool) -> FunnelDeskError:
        """The refusal as the user sees it: which step, and why it cannot be replayed
        (not "try again": the step is dropped)."""
        return StepRefused(self.text(), not redoing, error)

    def _said(self, redone: bool) -> None:
        text = (_("Redone: {step}") if redone else _("Undone: {step}")).format(step=self.text())
        # once the stack has taken the step: the status bar is cleared while it does
        QTimer.singleShot(0, self.step.runner, lambda: self.step.runner.stepped.emit(text))

    def _replay_slowly(self, call: Callable[[], Any], *, done: bool) -> None:
        """The stack has moved past this command already; a refusal takes it off the
        stack afterwards: stepping back over it (a no-op, since it did not change) lets
        Qt drop it as obsolete."""
        stack = self.step.runner.undo_stack

        def finished(result: Any) -> None:
            self.step.done(result)
            self._last, self._done = result, done
            self._said(done)

        def refused(error: FunnelDeskError) -> None:
            self.step.refuse(self._refusal(error, done))
            self._drop()
            (stack.redo if not done else stack.undo)()

        run_with_disabled(self.step.runner.window, call, finished, refused)

    def _drop(self) -> None:
        """Off the stack; the pages read again what the step touched, so that they show
        what the others made of it."""
        self.step.runner.forget(self.step.versions(self._last))
        self.setObsolete(True)
        self.step.runner.relay(self._last.changes)

"""The Review page: open deals untouched for some days, past their expected close date or
rotting in their stage, with why; each one updated quickly (a new expected date, a next
step, a note) and recorded as a review, or opened."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QModelIndex, QPoint
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLabel,
    QMenu,
    QSpinBox,
    QTableView,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from funneldesk import formatting
from funneldesk.errors import FunnelDeskError
from funneldesk.i18n import _, ngettext
from funneldesk.services.activities.review_records import (
    MAX_UNTOUCHED_DAYS,
    ReviewFields,
    ReviewQuery,
    ReviewRow,
)
from funneldesk.services.dto import ChangeSet
from funneldesk.ui.activities import actions
from funneldesk.ui.activities.fields import days_spin
from funneldesk.ui.activities.review_dialog import ReviewDialog, review
from funneldesk.ui.activities.review_model import ROW_ROLE, ReviewModel
from funneldesk.ui.activities.scope import pipeline_combo, whose_combo
from funneldesk.ui.common import record_table
from funneldesk.ui.common.background import run_in_background
from funneldesk.ui.common.errors import show_error
from funneldesk.ui.common.page import Page, Workspace


class ReviewPage(Page):
    key = "review"

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(workspace, parent)
        self._reading = 0  # the latest read asked for: only its answer is shown
        services, actor = workspace.services, workspace.actor
        self.model = ReviewModel()
        self.table = record_table.set_up(QTableView())
        self.table.setAccessibleName(_("Deals to review"))
        self.table.setModel(self.model)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.customContextMenuRequested.connect(self._menu)
        self.table.activated.connect(lambda _i: self.quick_update())
        self.table.selectionModel().currentRowChanged.connect(lambda *_a: self._enable())
        # wide enough for English dates ("Nov 29, 2026") and the longest reasons
        for column, chars in enumerate((22, 18, 12, 10, 40, 13, 16, 16)):
            self.table.setColumnWidth(column, chars * self.fontMetrics().averageCharWidth())
        self.empty = record_table.empty_notice(self.table)
        self.pipeline = pipeline_combo(services)
        self.whose = whose_combo(services, actor, _("Mine and my deal teams"))
        self.days = QSpinBox()
        self.days.setAccessibleName(_("Untouched for at least"))
        self.days.setRange(1, MAX_UNTOUCHED_DAYS)
        self.days.setValue(int(workspace.settings.get("review.untouched_days")))
        days_spin(self.days, "", lambda n: ngettext(" day", " days", n))
        for combo in (self.pipeline, self.whose):
            combo.currentIndexChanged.connect(lambda _i: self.reload())
        self.days.valueChanged.connect(lambda _v: self.reload())
        self._actions = [self.make_action(actions.QUICK_UPDATE, self.quick_update),
                         self.make_action(actions.ON_TRACK, self.on_track),
                         self.make_action(actions.OPEN_REVIEWED, self.open_deal),
                         self.make_action(actions.RELOAD_REVIEW, self.reload)]
        self._tools = QToolBar(_("Review"))
        self._tools.setObjectName("review-tools")
        for label, widget in ((_("Pipeline:"), self.pipeline), (_("Whose:"), self.whose),
                              (_("Untouched for at least:"), self.days)):
            self._tools.addWidget(QLabel(f" {label} "))
            self._tools.addWidget(widget)
        self._tools.addSeparator()
        for action in self._actions[:3]:
            self._tools.addAction(action)
        hint = record_table.page_hint(_(
            "Deals nobody touched for a while, past their expected close date, or rotting in "
            "their stage. Double-click one for a quick update."))
        layout = QVBoxLayout(self)
        layout.addWidget(hint)
        layout.addWidget(self.table, 1)
        self.reload()

    # --- the page's frame -----------------------------------------------------------
    def page_actions(self) -> list[QAction]:
        return self._actions

    def tool_bar(self) -> QToolBar:
        return self._tools

    def store_settings(self) -> None:
        self.workspace.settings.set("review.untouched_days", self.days.value())

    def apply_changes(self, changes: ChangeSet, origin: object) -> None:
        if changes.everything or changes.deal_ids or changes.activity_ids:
            self.reload_when_shown()

    # --- reading --------------------------------------------------------------------
    def query(self) -> ReviewQuery | None:
        pipeline_id = self.pipeline.currentData()
        if pipeline_id is None:
            return None
        return ReviewQuery(int(pipeline_id), self.days.value(), int(self.whose.currentData()))

    def reload(self) -> None:
        query = self.query()
        if query is None:
            return
        self._reading += 1
        reading, today = self._reading, dt.date.today()
        reviews = self.workspace.services.reviews
        run_in_background(lambda: reviews.deals(query, today),
                          lambda rows: self._show(reading, rows, query),
                          self._failed, owner=self)

    def _show(self, reading: int, rows: list[ReviewRow], query: ReviewQuery) -> None:
        if reading != self._reading:
            return
        chosen = self.current_row()
        self.model.set_rows(rows)
        self.empty.setText(ngettext(
            "Nothing needs a look: every open deal here was touched in the last {n} day, "
            "is dated ahead and is moving.",
            "Nothing needs a look: every open deal here was touched in the last {n} days, "
            "is dated ahead and is moving.", query.untouched_days).format(
            n=formatting.number(query.untouched_days)))
        self.empty.setVisible(not rows)
        for number, row in enumerate(rows):  # the deal chosen before stays chosen
            if chosen is not None and row.deal_id == chosen.deal_id:
                self.table.selectRow(number)
                break
        self._enable()
        self.set_status_text(ngettext("{n} deal to review", "{n} deals to review",
                                      len(rows)).format(n=formatting.number(len(rows))))
        self.firstPainted.emit()

    def _failed(self, error: Exception) -> None:
        if not isinstance(error, FunnelDeskError):
            raise error
        show_error(self, error)

    # --- acting ---------------------------------------------------------------------
    def current_row(self) -> ReviewRow | None:
        row = self.model.data(self.table.currentIndex(), ROW_ROLE)
        return row if isinstance(row, ReviewRow) else None

    def quick_update(self) -> None:
        row = self.current_row()
        if row is None:
            self.workspace.show_message(_("Choose a deal first."))
            return
        if not self._may_review(row):
            return
        dialog = ReviewDialog(self.workspace, row, self)
        if dialog.exec() and dialog.saved is not None:
            self.workspace.show_message(_("Review of “{title}” saved.").format(title=row.title))

    def on_track(self) -> None:
        """Records a review that changes nothing: the deal was looked at and is as it
        should be (it leaves the untouched list until it goes quiet again)."""
        row = self.current_row()
        if row is None:
            self.workspace.show_message(_("Choose a deal first."))
            return
        if not self._may_review(row):
            return
        try:
            review(self.workspace, row, ReviewFields(row.expected_close), parent=self)
        except FunnelDeskError as error:
            show_error(self, error)
            return
        self.workspace.show_message(_("Review of “{title}” saved.").format(title=row.title))

    def _may_review(self, row: ReviewRow) -> bool:
        """Whether the user may review the deal, said when not (a colleague on its team
        sees it here but does not own it)."""
        actor = self.workspace.actor
        if actor.is_manager or actor.id == row.owner_id:
            return True
        self.workspace.show_message(_("Only the deal's owner or a manager can review it."))
        return False

    def _enable(self) -> None:
        row = self.current_row()
        actor = self.workspace.actor
        allowed = row is not None and (actor.is_manager or actor.id == row.owner_id)
        self._actions[0].setEnabled(allowed)
        self._actions[1].setEnabled(allowed)
        self._actions[2].setEnabled(row is not None)

    def open_deal(self) -> None:
        row = self.current_row()
        if row is not None:
            self.workspace.open_record("deal", row.deal_id)

    def _menu(self, at: QPoint) -> None:
        index: QModelIndex = self.table.indexAt(at)
        if not index.isValid():
            return
        self.table.setCurrentIndex(index)
        menu = QMenu(self)
        for action in self._actions[:3]:
            menu.addAction(action)
        menu.exec(self.table.viewport().mapToGlobal(at))

"""A deal's team and its notes feed, as a tab of the deal form. Unlike the form's other
tabs it does not wait for Save: putting a colleague on the team, taking one off and
posting a note are each a step of their own, undoable from the Edit menu, because the
people they concern see them at once."""

from __future__ import annotations

from collections.abc import Callable

import shiboken6
from PySide6.QtCore import QUrl, Signal
from PySide6.QtGui import QKeySequence, QShortcut, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from funneldesk import formatting
from funneldesk.enums import DealRole
from funneldesk.errors import FunnelDeskError
from funneldesk.i18n import _
from funneldesk.services.activities.team_records import DealTeam, MemberResult, NoteResult, role_label
from funneldesk.ui.common import record_table
from funneldesk.ui.common.error_label import ErrorLabel
from funneldesk.ui.common.page import Workspace
from funneldesk.ui.common.rich_text import escaped, names_unbroken, para

_MUTED = "color:gray"
TAKE_BACK = "take-back"  # a note's link that takes it back


class TeamTab(QWidget):
    changed = Signal()  # the team or its notes changed (the form's timeline reads again)

    def __init__(self, ws: Workspace, deal_id: int, title: Callable[[], str],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws, self.deal_id, self.title = ws, deal_id, title
        self.team: DealTeam | None = None
        self.owner = QLabel()
        self.members = QStandardItemModel(0, 3, self)
        self.members.setHorizontalHeaderLabels([_("Colleague"), _("Role on this deal"),
                                                _("Since")])
        self.table = record_table.set_up(QTableView())
        self.table.setAccessibleName(_("Deal team"))
        self.table.setModel(self.members)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.setMaximumHeight(130)
        self.colleague = QComboBox()
        self.colleague.setAccessibleName(_("Colleague"))
        self.role = QComboBox()
        self.role.setAccessibleName(_("Role on this deal"))
        for role in DealRole:
            self.role.addItem(role_label(role), role)
        self.add_button = QPushButton(_("Add to the team"))
        self.remove_button = QPushButton(_("Take off the team"))
        self.add_button.clicked.connect(self._add)
        self.remove_button.clicked.connect(self._remove)
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self._enable())
        self.team_error = ErrorLabel()
        self.feed = QTextBrowser()
        self.feed.setAccessibleName(_("Notes"))
        self.feed.setOpenLinks(False)
        self.feed.anchorClicked.connect(self._link)
        self.note = QPlainTextEdit()
        self.note.setAccessibleName(_("New note"))
        self.note.setPlaceholderText(_("Write a note for the deal's team…"))
        self.note.setMaximumHeight(70)
        self.post_button = QPushButton(_("Post"))
        self.post_button.setToolTip(_("Post the note (Ctrl+Enter)"))
        self.post_button.clicked.connect(self._post)
        QShortcut(QKeySequence("Ctrl+Return"), self.note, self._post)
        self.note_error = ErrorLabel()
        adding = QHBoxLayout()
        adding.addWidget(self.colleague, 2)
        adding.addWidget(self.role, 2)
        adding.addWidget(self.add_button)
        adding.addWidget(self.remove_button)
        posting = QHBoxLayout()
        posting.addWidget(self.note, 1)
        posting.addWidget(self.post_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.owner)
        layout.addWidget(self.table)
        layout.addLayout(adding)
        layout.addWidget(self.team_error)
        layout.addWidget(QLabel(_("Notes the team shares, newest first:")))
        layout.addWidget(self.feed, 1)
        layout.addLayout(posting)
        layout.addWidget(self.note_error)
        self.reload()

    # --- reading --------------------------------------------------------------------
    def reload(self) -> None:
        try:
            self.team = team = self.ws.services.deal_teams.team(self.deal_id)
        except FunnelDeskError as error:
            self.team_error.show_error(error)
            return
        self.owner.setText(_("Owner: {name}").format(name=team.owner))
        self.members.removeRows(0, self.members.rowCount())
        for member in team.members:
            cells = [QStandardItem(member.name), QStandardItem(member.role_label),
                     QStandardItem(formatting.date(member.added_at.astimezone().date()))]
            cells[0].setData(member.user_id)
            self.members.appendRow(cells)
        on_it = {team.owner_id, *(m.user_id for m in team.members)}
        self.colleague.clear()
        for user in self.ws.services.users.list():
            if user.id not in on_it:
                self.colleague.addItem(user.display_name, user.id)
        self.feed.setHtml(self._feed_html(team))
        self._enable()

    def _feed_html(self, team: DealTeam) -> str:
        if not team.notes:
            return para(_("No notes yet. What the team writes here, everyone on the deal "
                          "sees."))
        items = []
        for note in team.notes:
            head = _("{who} · {when}").format(who=note.author,
                                              when=formatting.datetime(note.at))
            take_back = ""
            if self.ws.actor.id in (note.author_id, team.owner_id) or self.ws.actor.is_manager:
                label = escaped(_("Take back"))
                take_back = f" · <a href='{TAKE_BACK}:{note.id:d}'>{label}</a>"
            body = escaped(note.body).replace("\n", "<br>")
            items.append(f"<p><span style='{_MUTED}'>{names_unbroken(escaped(head), note.author)}"
                         f"</span>{take_back}<br>{body}</p>")
        older = escaped(_("Older notes are not shown."))
        more = f"<p style='{_MUTED}'>{older}</p>" if team.more_notes else ""
        return "".join(items) + more

    def _enable(self) -> None:
        team, actor = self.team, self.ws.actor
        manages = team is not None and (actor.is_manager or actor.id == team.owner_id)
        for widget in (self.colleague, self.role, self.add_button):
            widget.setEnabled(manages)
        self.add_button.setEnabled(manages and self.colleague.count() > 0)
        self.remove_button.setEnabled(manages and self.table.selectionModel().hasSelection())
        may_post = team is not None and (actor.is_manager or team.is_on(actor.id))
        self.note.setEnabled(may_post)
        self.post_button.setEnabled(may_post)
        if not manages:
            self.add_button.setToolTip(_("Only the deal's owner or a manager can change who "
                                         "is on its team."))
        if not may_post:
            self.note.setPlaceholderText(_("Only the deal's owner, its team or a manager can "
                                           "post to its notes."))

    # --- acting ---------------------------------------------------------------------
    def _add(self) -> None:
        user_id, role = self.colleague.currentData(), self.role.currentData()
        if user_id is None:
            return
        teams, by = self.ws.services.deal_teams, self.ws.actor
        name = self.colleague.currentText()
        self._member_step(_("Add {name} to the team of “{title}”").format(
            name=name, title=self.title()),
            lambda: teams.set_member(self.deal_id, user_id, DealRole(role), by=by))

    def _remove(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return
        user_id = self.members.item(rows[0].row(), 0).data()
        name = self.members.item(rows[0].row(), 0).text()
        teams, by = self.ws.services.deal_teams, self.ws.actor
        self._member_step(_("Take {name} off the team of “{title}”").format(
            name=name, title=self.title()),
            lambda: teams.remove_member(self.deal_id, user_id, by=by))

    def _member_step(self, text: str, call: Callable[[], MemberResult]) -> None:
        teams, by = self.ws.services.deal_teams, self.ws.actor
        self.team_error.show_message("")

        def back(result: MemberResult) -> MemberResult:
            # undo and redo alike: the role as it was before the step, while the team
            # is still as the step left it
            return teams.restore_member(result, by=by)

        self.ws.runner.run(text, call, undo=back, redo=back, shown=self._shown,
                           refused=self.team_error.show_error, parent=self)

    def _post(self) -> None:
        body = self.note.toPlainText()
        teams, by = self.ws.services.deal_teams, self.ws.actor
        self.note_error.show_message("")
        try:
            result = self.ws.runner.run(
                _("Post a note on “{title}”").format(title=self.title()),
                lambda: teams.post_note(self.deal_id, body, by=by),
                undo=lambda r: teams.take_back_note(r.note.id, by=by),
                redo=lambda r: teams.bring_back_note(r.note.id, by=by),
                shown=self._shown, reraise=(FunnelDeskError,), parent=self)
        except FunnelDeskError as error:
            self.note_error.show_error(error)  # said under the note, which stays as typed
            return
        if result is not None:
            self.note.clear()

    def _link(self, url: QUrl) -> None:
        kind, _sep, ident = url.toString().partition(":")
        if kind != TAKE_BACK or not ident.isdigit():
            return
        teams, by = self.ws.services.deal_teams, self.ws.actor
        self.ws.runner.run(_("Take back a note on “{title}”").format(title=self.title()),
                           lambda: teams.take_back_note(int(ident), by=by),
                           undo=lambda r: teams.bring_back_note(r.note.id, by=by),
                           redo=lambda r: teams.take_back_note(r.note.id, by=by),
                           shown=self._shown, parent=self)

    def _shown(self, _result: MemberResult | NoteResult) -> None:
        if not shiboken6.isValid(self):  # undone from the Edit menu after the form closed
            return
        self.reload()
        self.changed.emit()

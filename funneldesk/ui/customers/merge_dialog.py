"""Merging two companies (or two contacts) that are one customer: which record stays,
every field of both side by side with the value to keep chosen per row, what moves to
the record that stays, and the merge itself (off the GUI thread, undone with Ctrl+Z)."""

from __future__ import annotations

from typing import Any

from phonenumbers import NumberParseException
from PySide6.QtCore import QModelIndex
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QRadioButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from funneldesk import formatting
from funneldesk.errors import FunnelDeskError
from funneldesk.i18n import _, ngettext
from funneldesk.services import Services
from funneldesk.services.customers.records import MergePreview
from funneldesk.services.customers.validation import phone_shown
from funneldesk.services.dto import Actor
from funneldesk.ui.common.error_label import ErrorLabel
from funneldesk.ui.common.user_action import ActionRunner
from funneldesk.ui.customers.labels import code_label
from funneldesk.ui.customers.merge_action import Merged, run_merge
from funneldesk.ui.customers.merge_model import FIELD, KEPT, MergeFieldsModel
from funneldesk.ui.customers.radio_delegate import RadioDelegate


def _phone(stored: str, region: str) -> str:
    """A kept number as people write it (one kept from before checking, as it was)."""
    try:
        return phone_shown(stored, region)
    except NumberParseException:
        return stored


class MergeDialog(QDialog):
    """Merges the records ``first_id`` and ``second_id`` of ``entity`` ("company" or
    "contact"); ``first_id`` stays unless the user picks the other. With a ``runner``
    the merge is one step on the window's undo stack."""

    def __init__(self, services: Services, actor: Actor, entity: str, first_id: int,
                 second_id: int, runner: ActionRunner | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services, self.actor, self.entity, self.runner = services, actor, entity, runner
        self.ids = (first_id, second_id)
        self.result_: Merged | None = None
        self.preview: MergePreview | None = None
        self.model: MergeFieldsModel | None = None
        self.setWindowTitle(_("Merge companies") if entity == "company"
                            else _("Merge contacts"))
        self.keep_first, self.keep_second = QRadioButton(), QRadioButton()
        self.keep_first.setChecked(True)
        self.keep_first.toggled.connect(lambda _on: self.load())
        keep = QHBoxLayout()
        keep.addWidget(QLabel(_("Keep:")))
        keep.addWidget(self.keep_first)
        keep.addWidget(self.keep_second)
        keep.addStretch(1)
        hint = QLabel(_("Where the two differ, click the value to keep. The other record "
                        "is then deleted; Undo (Ctrl+Z) parts them again."))
        hint.setWordWrap(True)
        self.table = QTableView()
        self.table.verticalHeader().hide()
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.clicked.connect(self._clicked)
        self.table.setItemDelegate(RadioDelegate(self.table))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(FIELD, QHeaderView.ResizeMode.ResizeToContents)
        self.moving = QLabel()
        self.moving.setWordWrap(True)
        self.busy = QLabel()
        self.busy.hide()
        self.error = ErrorLabel()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        merge = self.buttons.addButton(_("Merge"), QDialogButtonBox.ButtonRole.AcceptRole)
        assert merge is not None
        self.merge_button = merge
        self.buttons.accepted.connect(self.merge)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(keep)
        layout.addWidget(hint)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.moving)
        layout.addWidget(self.busy)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.resize(820, 600)
        self._names = self._lookups()
        self.load()

    def _lookups(self) -> dict[str, dict[Any, str]]:
        owners = {u.id: u.display_name for u in self.services.users.list()}
        sources = {s.id: s.label for s in self.services.lead_sources.all(inactive=True)}
        return {"owner_id": owners, "lead_source_id": sources}

    def text_of(self, field: str, value: Any) -> str:
        """A value as the user reads it: a name for an id, a label for a code, and
        "(empty)" for nothing (a choice too: it keeps the field empty)."""
        if value is None or value == "" or value == [] or value == ():
            return _("(empty)")
        if field in self._names:
            return self._names[field].get(value, str(value))
        if field == "company_id":
            try:
                return self.services.customers.company(int(value)).name
            except FunnelDeskError:
                return str(value)
        if isinstance(value, (list, tuple)):  # phones, emails, tags
            return formatting.items([str(v) for v in value])
        return code_label(field, str(value)).replace("\n", " ")

    # --- what is shown ------------------------------------------------------------
    @property
    def kept_and_merged(self) -> tuple[int, int]:
        first, second = self.ids
        return (first, second) if self.keep_first.isChecked() else (second, first)

    def load(self) -> None:
        kept_id, merged_id = self.kept_and_merged
        try:
            preview = self.services.merges.preview(self.entity, kept_id, merged_id,
                                                   by=self.actor)
        except FunnelDeskError as error:
            self.error.show_error(error)
            self.merge_button.setEnabled(False)
            return
        self.preview = preview
        first, second = ((preview.kept, preview.merged) if self.keep_first.isChecked()
                         else (preview.merged, preview.kept))
        for button, record in ((self.keep_first, first), (self.keep_second, second)):
            # the record's number only tells apart two of the same name
            button.setText(_("“{name}” (#{id})").format(name=record.name, id=record.id)
                           if first.name == second.name
                           else _("“{name}”").format(name=record.name))
        self.model = MergeFieldsModel(
            preview.fields, self.text_of,
            (_("“{name}”, kept").format(name=preview.kept.name),
             _("“{name}”, merged into it").format(name=preview.merged.name)), self.entity, self)
        self.table.setModel(self.model)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(FIELD, QHeaderView.ResizeMode.ResizeToContents)
        for column in (KEPT, KEPT + 1):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        self.moving.setText(self.moving_text(preview))
        if preview.refused:  # said at once, not after the user chose every value
            self.error.show_message(preview.refused)
            self.merge_button.setEnabled(False)
            self.table.setEnabled(False)

    def moving_text(self, preview: MergePreview) -> str:
        """What the kept record gains, one sentence a line (counts of nothing left out)."""
        kept, n = preview.kept.name, formatting.number
        lines = []
        if preview.deals:
            lines.append(ngettext("{n} deal moves to “{name}”.", "{n} deals move to “{name}”.",
                                  preview.deals).format(n=n(preview.deals), name=kept))
        if preview.contacts:
            lines.append(ngettext(
                "{n} contact moves to “{name}”.", "{n} contacts move to “{name}”.",
                preview.contacts).format(n=n(preview.contacts), name=kept))
        if preview.channels:
            lines.append(ngettext(
                "{n} phone or email moves to it.", "{n} phones and emails move to it.",
                preview.channels).format(n=n(preview.channels)))
        if preview.tags_added:
            lines.append(ngettext("{n} tag is added to it.", "{n} tags are added to it.",
                                  preview.tags_added).format(n=n(preview.tags_added)))
        region = self.services.customers.region()
        if preview.phones:
            lines.append(_("Phones after the merge: {list}").format(
                list=formatting.items([_phone(p, region) for p in preview.phones])))
        if preview.emails:
            lines.append(_("Emails after the merge: {list}").format(
                list=formatting.items(preview.emails)))
        if preview.tags:
            lines.append(_("Tags after the merge: {list}").format(list=formatting.items(preview.tags)))
        return "\n".join(lines)

    def _clicked(self, index: QModelIndex) -> None:
        """A click anywhere on a value keeps it (not only on its small round mark)."""
        if self.model is not None and index.column() != FIELD:
            self.model.choose(index.row(), "kept" if index.column() == KEPT else "merged")

    # --- merging ------------------------------------------------------------------
    def merge(self) -> None:
        if self.preview is None or self.model is None:
            return
        preview = self.preview
        self.merge_button.setEnabled(False)
        self.error.show_message("")
        self.busy.setText(_("Merging…"))
        self.busy.show()
        run_merge(self.runner, self.services, self.actor, entity=self.entity,
                  kept=(preview.kept.id, preview.kept.name),
                  merged=(preview.merged.id, preview.merged.name),
                  choices=self.model.choices(), versions=preview.versions, parent=self,
                  then=self._merged)

    def _merged(self, result: Merged | None) -> None:
        self.busy.hide()
        self.merge_button.setEnabled(True)
        if result is None:  # refused, and said: the preview may be out of date
            self.load()
            return
        self.result_ = result
        super().accept()

    def accept(self) -> None:  # Enter merges, as the Merge button does
        self.merge()

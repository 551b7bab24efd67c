"""The team's contract settings: the terms' templates in Chinese and English (with the
placeholders listed beside, an unknown one said as it is typed), the review checklist
(each item and who ticks it), the days after delivery of the return visits (回访), and
the return visit's questionnaire per customer segment. A manager changes them; a rep
reads them."""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from funneldesk.errors import FunnelDeskError
from funneldesk.i18n import _
from funneldesk.services import Services
from funneldesk.services.contracts.records import REVIEWER_LABELS, reviewer_label
from funneldesk.services.contracts.settings import ContractSettings
from funneldesk.services.dto import Actor
from funneldesk.ui.common.error_label import ErrorLabel, show_refusal
from funneldesk.ui.common.rows_model import Index
from funneldesk.ui.contracts.terms_tab import placeholder_list, unknown_warning

WHO_ROLE = Qt.ItemDataRole.UserRole + 1


class _WhoDelegate(QStyledItemDelegate):
    """Who ticks an item, chosen from the manager and the deal team's roles."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem,
                     index: Index) -> QWidget:
        combo = QComboBox(parent)
        for who in REVIEWER_LABELS:
            combo.addItem(reviewer_label(who), who)
        return combo

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        assert isinstance(editor, QComboBox)
        who = index.data(WHO_ROLE)
        editor.setCurrentIndex(max(0, editor.findData(who)))

    def setModelData(self, editor: QWidget, model: QAbstractItemModel,
                     index: Index) -> None:
        assert isinstance(editor, QComboBox)
        model.setData(index, editor.currentData(), WHO_ROLE)
        model.setData(index, editor.currentText())


class ContractSettingsDialog(QDialog):
    def __init__(self, services: Services, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services, self.actor = services, actor
        self.setWindowTitle(_("Contracts: templates, review and return visits"))
        self.resize(900, 640)
        settings = services.contract_settings.settings()
        manager = actor.is_manager
        self.templates: dict[str, QPlainTextEdit] = {}
        self.errors: dict[str, ErrorLabel] = {}
        tabs = QTabWidget()
        for language, title in (("zh_CN", _("Template in Chinese")),
                                ("en", _("Template in English"))):
            edit = QPlainTextEdit(settings.templates[language])
            edit.setReadOnly(not manager)
            edit.setAccessibleName(title)
            error = ErrorLabel()
            edit.textChanged.connect(
                lambda e=edit, said=error: unknown_warning(e.toPlainText(), said))
            self.templates[language], self.errors[f"template_{language}"] = edit, error
            page = QWidget()
            body = QHBoxLayout()
            column = QVBoxLayout()
            column.addWidget(edit, 1)
            column.addWidget(error)
            body.addLayout(column, 3)
            side = QVBoxLayout()
            side.addWidget(QLabel(_("Placeholders (double-click to insert):")))
            side.addWidget(placeholder_list(edit), 1)
            body.addLayout(side, 2)
            outer = QVBoxLayout(page)
            hint = QLabel(_("A new contract starts from the template in its language. Clauses "
                            "are apart by a blank line; a clause's first line is its heading."))
            hint.setWordWrap(True)
            outer.addWidget(hint)
            outer.addLayout(body, 1)
            tabs.addTab(page, title)
        tabs.addTab(self._review_page(settings, manager), _("Review checklist"))
        tabs.addTab(self._visits_page(settings, manager), _("Return visits"))
        self.error = ErrorLabel()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel if manager
                                   else QDialogButtonBox.StandardButton.Close)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        if not manager:
            layout.addWidget(QLabel(_("Only a manager changes the contract settings.")))
        layout.addWidget(tabs, 1)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def _review_page(self, settings: ContractSettings, manager: bool) -> QWidget:
        self.review = QStandardItemModel(0, 2, self)
        self.review.setHorizontalHeaderLabels([_("Review item"), _("Ticked by")])
        for label, who in settings.review_items:
            self._review_row(label, who)
        view = QTableView()
        view.setAccessibleName(_("Review checklist"))
        view.setModel(self.review)
        view.setItemDelegateForColumn(1, _WhoDelegate(view))
        view.horizontalHeader().setStretchLastSection(True)
        view.setColumnWidth(0, 60 * self.fontMetrics().averageCharWidth())
        view.verticalHeader().hide()
        view.setEditTriggers(QAbstractItemView.EditTrigger.AllEditTriggers if manager
                             else QAbstractItemView.EditTrigger.NoEditTriggers)
        self.review_view = view
        add, remove = QPushButton(_("Add item")), QPushButton(_("Remove item"))
        add.clicked.connect(lambda: self._review_row(_("New review item"), "manager"))
        remove.clicked.connect(lambda: self.review.removeRow(view.currentIndex().row())
                               if view.currentIndex().isValid() else None)
        for button in (add, remove):
            button.setEnabled(manager)
        self.errors["review_items"] = ErrorLabel()
        page = QWidget()
        layout = QVBoxLayout(page)
        hint = QLabel(_("Each item is ticked by a manager, or by the colleague on the deal's "
                        "team in that role; a contract goes out for signature only when "
                        "every item is ticked."))
        hint.setWordWrap(True)
        layout.addWidget(hint)
        layout.addWidget(view, 1)
        layout.addWidget(self.errors["review_items"])
        row = QHBoxLayout()
        row.addWidget(add)
        row.addWidget(remove)
        row.addStretch(1)
        layout.addLayout(row)
        return page

    def _review_row(self, label: str, who: str) -> None:
        who_item = QStandardItem(reviewer_label(who))
        who_item.setData(who, WHO_ROLE)
        self.review.appendRow([QStandardItem(label), who_item])

    def _visits_page(self, settings: ContractSettings, manager: bool) -> QWidget:
        self.days = QLineEdit(", ".join(str(d) for d in settings.visit_days))
        self.days.setAccessibleName(_("Return visit days"))
        self.days.setReadOnly(not manager)
        self.errors["visit_days"] = ErrorLabel()
        self.segment = QComboBox()
        self.segment.setEditable(manager)
        self.segment.setAccessibleName(_("Customer segment"))
        self.questionnaires = dict(settings.questionnaires)
        self.segment.addItem(_("Every segment"), "")
        for segment in sorted(k for k in self.questionnaires if k):
            self.segment.addItem(segment, segment)
        self.questions = QPlainTextEdit(self.questionnaires.get("", ""))
        self.questions.setReadOnly(not manager)
        self.questions.setAccessibleName(_("Questionnaire"))
        self._shown_segment = ""
        self.segment.currentIndexChanged.connect(lambda _i: self._switch_segment())
        line = self.segment.lineEdit()
        if line is not None:  # a manager types a new segment's name
            line.editingFinished.connect(self._switch_segment)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(QLabel(_("Days after delivery on which return visits are planned "
                                  "(for example 7, 30, 90):")))
        layout.addWidget(self.days)
        layout.addWidget(self.errors["visit_days"])
        layout.addWidget(QLabel(_("The visit's questionnaire, per customer segment (a "
                                  "segment without its own takes the one for every "
                                  "segment):")))
        layout.addWidget(self.segment)
        layout.addWidget(self.questions, 1)
        return page

    def _switch_segment(self) -> None:
        self.questionnaires[self._shown_segment] = self.questions.toPlainText()
        segment = self.segment.currentText().strip()
        if self.segment.currentIndex() == 0 and segment == self.segment.itemText(0):
            segment = ""
        self._shown_segment = segment
        self.questions.setPlainText(self.questionnaires.get(segment, ""))

    def settings(self) -> ContractSettings:
        self.questionnaires[self._shown_segment] = self.questions.toPlainText()
        items = []
        for row in range(self.review.rowCount()):
            label, who = self.review.item(row, 0), self.review.item(row, 1)
            if label is not None and who is not None:
                items.append((label.text(), str(who.data(WHO_ROLE))))
        days = tuple(int(part) for part in self.days.text().replace("，", ",").split(",")
                     if part.strip().isdigit())
        return ContractSettings({k: e.toPlainText() for k, e in self.templates.items()},
                                tuple(items), days, self.questionnaires)

    def accept(self) -> None:
        if not self.actor.is_manager:
            super().accept()
            return
        bad = [part for part in self.days.text().replace("，", ",").split(",")
               if part.strip() and not part.strip().isdigit()]
        if bad or not self.days.text().strip():
            self.errors["visit_days"].show_message(_(
                "Write whole days apart by commas, for example 7, 30, 90."))
            self.days.setFocus()
            return
        try:
            self.services.contract_settings.set_settings(self.settings(), by=self.actor)
        except FunnelDeskError as error:
            for label in (*self.errors.values(), self.error):
                label.show_message("")
            fields: dict[str, QWidget] = {f"template_{k}": e for k, e in self.templates.items()}
            fields.update(review_items=self.review_view, visit_days=self.days)
            show_refusal(error, self.errors, fields, self.error)
            return
        super().accept()

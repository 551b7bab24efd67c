"""Choosing a company among thousands: type any part of its name and pick it from a
short list that the services search at each keystroke."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QCompleter, QLineEdit, QWidget

from funneldesk.errors import InvalidInput
from funneldesk.i18n import _
from funneldesk.services.dto import Named
from funneldesk.ui.common.type_ahead import TypeAhead

IdRole = Qt.ItemDataRole.UserRole + 1
SHOWN = 30  # names in the list; typing more narrows it


class CompanyPicker(QLineEdit):
    """``search(text, limit)`` returns the companies whose name contains ``text``."""

    companyChanged = Signal()

    def __init__(self, search: Callable[[str, int], list[Named]],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.search = search
        self.chosen: Named | None = None
        self.setPlaceholderText(_("Type part of the name"))
        self.setClearButtonEnabled(True)
        self.matches = QStandardItemModel(self)
        self.popup_list = QCompleter(self.matches, self)
        # the service has filtered already: the completer shows its list as it is
        self.popup_list.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.popup_list.setMaxVisibleItems(12)
        self.popup_list.setWidget(self)
        # the stubs do not model overloaded signals; this is the (QModelIndex) overload
        self.popup_list.activated[QModelIndex].connect(self._picked)  # type: ignore[index]
        self.ahead = TypeAhead(lambda text: self.search(text, SHOWN), self)
        self.ahead.found.connect(self._show)
        self.textEdited.connect(self._typed)
        self.editingFinished.connect(self._typed_in_full)

    def set_company(self, company: Named | None) -> None:
        self.ahead.cancel()  # a search still on its way must not reopen the list
        self.chosen = company
        self.setText(company.name if company else "")
        self.companyChanged.emit()

    def company_id(self) -> int | None:
        """The chosen company; a name typed in full counts as chosen when exactly one
        company has it. Raises InvalidInput for a name no company has."""
        text = self.text().strip()
        if not text:
            return None
        if self.chosen is not None and self.chosen.name == text:
            return self.chosen.id
        named = self._named(text)
        if named is not None:
            return named.id
        raise InvalidInput("company", _("No company is called “{name}”. Choose one from the "
                                        "list, or create it with “New company…”.").format(name=text))

    def _named(self, text: str) -> Named | None:
        same = [c for c in self.search(text, SHOWN) if c.name == text]
        return same[0] if len(same) == 1 else None

    def _typed_in_full(self) -> None:
        """A full name typed without picking it chooses that company (its contacts show)."""
        text = self.text().strip()
        if text and self.chosen is None:
            named = self._named(text)
            if named is not None:
                self.chosen = named
                self.companyChanged.emit()

    def _typed(self, text: str) -> None:
        if self.chosen is not None:
            self.chosen = None
            self.companyChanged.emit()
        if not text.strip():
            self.ahead.cancel()
            self.matches.clear()
            self._hide_list()
            return
        self.ahead.typed(text)

    def _show(self, _text: str, found: list[Named]) -> None:
        self.matches.clear()
        for company in found:
            item = QStandardItem(company.name)
            item.setData(company.id, IdRole)
            item.setEditable(False)
            self.matches.appendRow(item)
        if self.matches.rowCount():
            self.popup_list.complete()
        else:
            self._hide_list()

    def _hide_list(self) -> None:
        popup = self.popup_list.popup()
        if popup is not None:
            popup.hide()

    def _picked(self, index: QModelIndex) -> None:
        self.set_company(Named(int(index.data(IdRole)), str(index.data())))

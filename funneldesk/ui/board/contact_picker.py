"""Choosing a deal's contact: the chosen company's people in a list, or any part of a
name typed and picked from what the services find at each keystroke (among the
company's people when one is chosen, else among everyone's)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QComboBox, QCompleter, QWidget

from funneldesk.errors import InvalidInput
from funneldesk.i18n import _
from funneldesk.services.dto import Named
from funneldesk.ui.common.type_ahead import TypeAhead

IdRole = Qt.ItemDataRole.UserRole + 1
NameRole = Qt.ItemDataRole.UserRole + 2  # what a pick puts in the field: the name alone
SHOWN = 30  # names in the list; typing more narrows it
# search(text, company_id, limit): the contacts whose name contains text
Search = Callable[[str, int | None, int], list[Named]]


class ContactPicker(QComboBox):
    """An editable list of contacts; ``contact_id()`` reads the choice."""

    # a contact of another company, or of one not chosen yet, was picked: its Named
    picked = Signal(object)

    def __init__(self, search: Search, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.search = search
        self.company_id: int | None = None
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        edit = self.lineEdit()
        assert edit is not None  # an editable combo has one
        edit.setPlaceholderText(_("Type part of the name"))
        self.matches = QStandardItemModel(self)
        self.popup_list = QCompleter(self.matches, self)
        # the service has filtered already: the completer shows its list as it is
        self.popup_list.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.popup_list.setCompletionRole(NameRole)
        self.popup_list.setMaxVisibleItems(12)
        self.setCompleter(self.popup_list)
        # the stubs do not model overloaded signals; this is the (QModelIndex) overload
        self.popup_list.activated[QModelIndex].connect(self._picked)  # type: ignore[index]
        self.ahead = TypeAhead(lambda text: self.search(text, self.company_id, SHOWN), self)
        self.ahead.found.connect(self._show)
        edit.textEdited.connect(self._typed)
        # "(none)" chosen leaves the field empty, ready for a name to be typed
        self.currentIndexChanged.connect(lambda i: self.setEditText("") if i == 0 else None)

    def set_contacts(self, company_id: int | None, contacts: list[Named],
                     select_id: int | None) -> None:
        """The people of ``company_id`` (None: no company chosen), ``select_id`` chosen."""
        self.company_id = company_id
        self.clear()
        self.addItem(_("(none)"), None)
        for contact in contacts:
            self.addItem(contact.name, contact.id)
        self.setCurrentIndex(max(self.findData(select_id), 0))
        if self.currentIndex() == 0:
            self.setEditText("")

    def choose(self, contact: Named) -> None:
        """Makes ``contact`` the choice, adding it to the list if it is not there."""
        self.ahead.cancel()  # a search still on its way must not reopen the list
        if self.findData(contact.id) < 0:
            self.addItem(contact.name, contact.id)
        self.setCurrentIndex(self.findData(contact.id))

    def contact_id(self) -> int | None:
        """The chosen contact; a name typed in full counts when exactly one contact (of
        the company, if one is chosen) has it. Raises InvalidInput for a name nobody has."""
        text = self.currentText().strip()
        if not text or (self.currentIndex() == 0 and text == self.itemText(0)):
            return None
        if self.currentIndex() > 0 and self.itemText(self.currentIndex()) == text:
            return int(self.currentData())
        same = [c for c in self.search(text, self.company_id, SHOWN) if c.name == text]
        if len(same) == 1:
            return same[0].id
        raise InvalidInput("contact", _("No contact is called “{name}”. Choose one from the "
                                        "list, or create it with “New contact…”.").format(
            name=text))

    def _typed(self, text: str) -> None:
        if not text.strip():
            self.ahead.cancel()
            self.matches.clear()
            return
        self.ahead.typed(text)

    def _show(self, _text: str, found: list[Named]) -> None:
        self.matches.clear()
        for contact in found:
            # among everyone's people, each with their company: two 张伟 are two lines
            shown = (_("{name} · {company}").format(name=contact.name, company=contact.company)
                     if self.company_id is None and contact.company else contact.name)
            item = QStandardItem(shown)
            item.setData(contact.name, NameRole)
            item.setData(contact, IdRole)
            item.setEditable(False)
            self.matches.appendRow(item)
        if self.matches.rowCount():
            self.popup_list.complete()
        elif (popup := self.popup_list.popup()) is not None:
            popup.hide()  # nobody of that name: no empty list

    def _picked(self, index: QModelIndex) -> None:
        contact = index.data(IdRole)
        if not isinstance(contact, Named):
            return
        if contact.company_id is not None and contact.company_id != self.company_id:
            self.picked.emit(contact)  # the form chooses the company, then the contact
        self.choose(contact)

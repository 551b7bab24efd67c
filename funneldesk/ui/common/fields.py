"""Small input widgets shared by forms."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QDateEdit, QWidget

from funneldesk.i18n import _

_NONE = QDate(2000, 1, 1)


class OptionalDateEdit(QDateEdit):
    """A date field that can also be empty (shown as “—”)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setCalendarPopup(True)
        self.setMinimumDate(_NONE)
        self.setSpecialValueText(_("—"))
        self.set_value(None)

    def value(self) -> dt.date | None:
        date = self.date()
        if date == _NONE:
            return None
        value = date.toPython()
        assert isinstance(value, dt.date)
        return value

    def set_value(self, value: dt.date | None) -> None:
        # by its parts: PySide6 6.11's QDate has no constructor from a Python date
        self.setDate(QDate(value.year, value.month, value.day) if value else _NONE)

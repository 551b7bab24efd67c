"""The fields an activity is typed into, the same in every dialog that asks for one (the
activity dialog, Mark done's next activity)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtWidgets import QComboBox, QLineEdit, QSpinBox

from funneldesk.enums import ActivityKind
from funneldesk.errors import InvalidInput
from funneldesk.i18n import _
from funneldesk.services.activities.records import TITLE_LIMIT, kind_label


def kind_box(kind: ActivityKind) -> QComboBox:
    """The kinds of activity, ``kind`` chosen (Qt gives back the kind's str value)."""
    box = QComboBox()
    for each in ActivityKind:
        box.addItem(kind_label(each), each.value)
    box.setCurrentIndex(box.findData(kind.value))
    return box


def days_spin(spin: QSpinBox, prefix: str, unit: Callable[[int], str]) -> None:
    """Makes ``spin`` read "every 14 days", "within 1 day of entering": ``prefix``
    before the number, ``unit`` of the number after it (a suffix is one text, whatever
    the number, and a plural must follow it)."""
    spin.setPrefix(prefix)
    spin.valueChanged.connect(lambda days: spin.setSuffix(unit(days)))
    spin.setSuffix(unit(spin.value()))


def title_edit() -> QLineEdit:
    edit = QLineEdit()
    edit.setMaxLength(TITLE_LIMIT)
    edit.setPlaceholderText(_("e.g. Send the revised quote"))
    return edit


def time_edit() -> QLineEdit:
    """A time of day, typed (``parse_time`` reads it); empty for the whole day."""
    edit = QLineEdit()
    edit.setPlaceholderText(_("e.g. 14:30 (empty: all day)"))
    return edit


def parse_time(text: str) -> dt.time | None:
    """A time of day typed as 14:30, 1430 or 9; None when empty."""
    text = text.strip().replace("：", ":")
    if not text:
        return None
    for pattern in ("%H:%M", "%H%M", "%H"):
        try:
            return dt.datetime.strptime(text, pattern).time()
        except ValueError:
            continue
    raise InvalidInput("time", _("“{text}” is not a time of day. Type it like 14:30, or "
                                 "leave it empty for the whole day.").format(text=text))

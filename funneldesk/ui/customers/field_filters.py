"""Filters a customers list by any profile field (industry, city, size, role, consent ...):
each field offers the values its records hold (the most common, in alphabetical or pinyin
order), and takes a typed one. A field left empty is not filtered; a field no record
fills is not offered."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping, Sequence

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from funneldesk.collation import sort_key
from funneldesk.i18n import _
from funneldesk.services import Services
from funneldesk.ui.common.background import run_in_background
from funneldesk.ui.customers.labels import code_label, field_label

Profile = tuple[tuple[str, str], ...]
_IN_THE_BAR = frozenset({"key_level"})  # fields the filter bar has a box of its own for


def _label_key(name: str, value: str) -> tuple[tuple[int, int, str], ...]:
    """Words in their (pinyin) order, numbers by their size: 1-49 before 50-199 before
    1000+."""
    parts = re.split(r"(\d+)", code_label(name, value))
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, sort_key(p)) for p in parts if p)


class FieldFiltersDialog(QDialog):
    def __init__(self, entity: str, chosen: Profile, values: Mapping[str, Sequence[str]],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Filter by field"))
        wanted = dict(chosen)
        self.boxes: dict[str, QComboBox] = {}
        form = QFormLayout()
        # a field no record fills filters nothing; the key level has its own box in the bar
        offered = [n for n in values if (values[n] or wanted.get(n)) and n not in _IN_THE_BAR]
        for name in sorted(offered, key=lambda n: sort_key(field_label(n, entity))):
            box = QComboBox()
            box.setEditable(True)
            # Return means OK: a typed value must stay text, not become a new item
            box.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
            box.setAccessibleName(field_label(name, entity))
            box.addItem("", "")
            held = list(values[name])
            if wanted.get(name) and wanted[name] not in held:
                held.append(wanted[name])
            # the most common values, listed in the order of their words (pinyin for Chinese)
            held.sort(key=functools.partial(_label_key, name))
            for value in held:
                box.addItem(code_label(name, value), value)
            box.setCurrentIndex(max(0, box.findData(wanted.get(name, ""))))
            editor = box.lineEdit()
            assert editor is not None  # an editable box has one
            editor.setPlaceholderText(_("Any"))
            label = QLabel(_("{field}:").format(field=field_label(name, entity)))
            label.setBuddy(box)
            form.addRow(label, box)
            self.boxes[name] = box
        holder = QWidget()
        holder.setLayout(form)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(holder)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel
                                   | QDialogButtonBox.StandardButton.Reset)
        buttons.button(QDialogButtonBox.StandardButton.Reset).setText(_("Clear all"))
        buttons.button(QDialogButtonBox.StandardButton.Reset).clicked.connect(self.clear)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(_("Show only the records whose fields hold these values.")))
        layout.addWidget(scroll, 1)
        layout.addWidget(buttons)
        self.resize(420, 520)

    def clear(self) -> None:
        for box in self.boxes.values():
            box.setCurrentIndex(0)

    def chosen(self) -> Profile:
        """(field, value) for every field given a value: a listed value's code, or the
        text typed."""
        picked = []
        for name, box in self.boxes.items():
            text = box.currentText().strip()
            found = box.findText(text)
            data = box.itemData(found) if found >= 0 else None
            value = str(data) if data is not None else text
            if value:
                picked.append((name, value))
        return tuple(picked)


def choose_fields(parent: QWidget, services: Services, entity: str, chosen: Profile,
                  apply: Callable[[Profile], None], failed: Callable[[Exception], None],
                  still_wanted: Callable[[], bool]) -> None:
    """Reads the values the records hold off the GUI thread, then opens the dialog;
    ``apply`` gets the fields chosen when the user presses OK, ``failed`` a failed read
    (as ``run_in_background`` gives it). ``still_wanted`` says
    whether the list still shows ``entity`` (the user may switch while the values load)."""

    def opened(values: dict[str, tuple[str, ...]]) -> None:
        if not still_wanted():
            return
        dialog = FieldFiltersDialog(entity, chosen, values, parent)
        dialog.accepted.connect(lambda: apply(dialog.chosen()) if still_wanted() else None)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    run_in_background(lambda: services.customer_list.field_values(entity), opened, failed)

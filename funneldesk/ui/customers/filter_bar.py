"""The customers list's filters: a text search (name, phone, email), owner, the public
pool, lead source, key level and tag, and a Fields button for any other profile field.
``changed`` whenever the user changes one (the text once typing pauses);
``fieldsWanted`` when the Fields button is pressed (the page reads what the fields hold
and opens the dialog)."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QComboBox, QLineEdit, QPushButton, QWidget

from funneldesk.i18n import _, ngettext
from funneldesk.services.dto import ANY_KEY_LEVEL, KEY_LEVELS, CustomerQuery, UserInfo
from funneldesk.ui.common.fields import shrinking_combo, whole_choices
from funneldesk.ui.common.flow_layout import FlowLayout

if TYPE_CHECKING:  # its module reads the models: the window must start without them
    from funneldesk.services.team.lead_sources import LeadSourceInfo

TYPING_PAUSE_MS = 300


class CustomerFilterBar(QWidget):
    changed = Signal()
    fieldsWanted = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._query = CustomerQuery()
        self.text = QLineEdit()
        self.text.setPlaceholderText(_("Search name, phone or email"))
        self.text.setAccessibleName(_("Search"))
        self.text.setClearButtonEnabled(True)
        self.text.setMinimumWidth(120)
        self.owner = self._combo(_("Owner"))
        self.pool = self._combo(_("Public pool"))
        self.pool.addItem(_("All leads"), None)
        self.pool.addItem(_("Owned only"), False)
        self.pool.addItem(_("Pool only"), True)
        self.source = self._combo(_("Lead source"))
        self.level = self._combo(_("Key level"))
        self.level.addItem(_("Any level"), "")
        self.level.addItem(_("Key only"), ANY_KEY_LEVEL)
        for level in KEY_LEVELS:
            self.level.addItem(_("Key level {level}").format(level=level), level)
        self.tag = self._combo(_("Tag"))
        self.fields = QPushButton()
        self.fields.setToolTip(_("Filter by any other field: industry, city, size, role ..."))
        self.fields.clicked.connect(self.fieldsWanted)
        self._typing = QTimer(self)
        self._typing.setSingleShot(True)
        self._typing.setInterval(TYPING_PAUSE_MS)
        self._typing.timeout.connect(self._edited)
        self.text.textEdited.connect(lambda _t: self._typing.start())
        self.text.returnPressed.connect(self._edited)
        layout = FlowLayout(self)  # wraps beside a docked pane rather than widen the window
        layout.setContentsMargins(6, 4, 6, 4)
        layout.add(self.text, stretch=True)
        for combo in (self.owner, self.pool, self.source, self.level, self.tag):
            whole_choices(combo)
            layout.add(combo)
            combo.currentIndexChanged.connect(lambda _i: self._edited())
        layout.add(self.fields)
        self.set_choices((), (), ())

    @staticmethod
    def _combo(name: str) -> QComboBox:
        return shrinking_combo(name)

    def set_choices(self, owners: tuple[UserInfo, ...], sources: tuple[LeadSourceInfo, ...],
                    tags: tuple[str, ...]) -> None:
        """What the owner, lead source and tag boxes offer (what they show stays chosen)."""
        self._quietly(lambda: self._fill(owners, sources, tags))

    def _fill(self, owners: tuple[UserInfo, ...], sources: tuple[LeadSourceInfo, ...],
              tags: tuple[str, ...]) -> None:
        self.owner.clear()
        self.owner.addItem(_("Any owner"), None)
        for user in owners:
            self.owner.addItem(user.display_name, user.id)
        self.source.clear()
        self.source.addItem(_("Any source"), None)
        for source in sources:
            if source.active or source.id == self._query.lead_source_id:
                self.source.addItem(source.label, source.id)
        self.tag.clear()
        self.tag.addItem(_("Any tag"), "")
        for tag in sorted(set(tags) | ({self._query.tag} - {""}), key=str.casefold):
            self.tag.addItem(tag, tag)
        self._show(self._query)

    def query(self) -> CustomerQuery:
        """The query the bar shows, its other filters and sort as they were set."""
        return replace(self._query, text=self.text.text().strip(),
                       owner_id=self.owner.currentData(), in_pool=self.pool.currentData(),
                       lead_source_id=self.source.currentData(),
                       key_level=self.level.currentData() or "",
                       tag=self.tag.currentData() or "")

    def set_query(self, query: CustomerQuery) -> None:
        self._query = query
        self._quietly(lambda: self._show(query))

    def set_profile(self, profile: tuple[tuple[str, str], ...]) -> None:
        """Filters by these (field, value) pairs besides the bar's own filters."""
        self._query = replace(self.query(), profile=profile)
        self._show(self._query)
        self.changed.emit()

    def _show(self, query: CustomerQuery) -> None:
        count = len(query.profile)
        self.fields.setText(ngettext("Fields ({count})…", "Fields ({count})…", count).format(
            count=count) if count else _("Fields…"))
        if self.text.text().strip() != query.text:
            self.text.setText(query.text)
        if query.tag and self.tag.findData(query.tag) < 0:
            self.tag.addItem(query.tag, query.tag)
        for combo, value in ((self.owner, query.owner_id), (self.pool, query.in_pool),
                             (self.source, query.lead_source_id), (self.level, query.key_level),
                             (self.tag, query.tag)):
            combo.setCurrentIndex(max(0, combo.findData(value)))

    def _quietly(self, fill: object) -> None:
        widgets = [self.owner, self.pool, self.source, self.level, self.tag, self.text]
        for widget in widgets:
            widget.blockSignals(True)
        try:
            fill()  # type: ignore[operator]
        finally:
            for widget in widgets:
                widget.blockSignals(False)

    def _edited(self) -> None:
        self._typing.stop()
        self._query = self.query()
        self.changed.emit()

"""A deal's timeline, read off the GUI thread and shown as rich text (the deal form's
Timeline tab)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QTextBrowser, QWidget

from funneldesk.errors import FunnelDeskError
from funneldesk.i18n import _
from funneldesk.services import Services
from funneldesk.services.activities.timeline import Timeline
from funneldesk.ui.activities.timeline_html import timeline_html
from funneldesk.ui.common.background import run_in_background
from funneldesk.ui.common.rich_text import escaped


class DealTimeline(QTextBrowser):
    loaded = Signal()  # the timeline was read and is shown

    def __init__(self, services: Services, deal_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenLinks(False)
        self.setAccessibleName(_("Timeline"))
        self.services, self.deal_id = services, deal_id
        self.timeline: Timeline | None = None
        reading = _("Reading the timeline…")
        self.setHtml(f"<p style='color:gray'>{escaped(reading)}</p>")
        self.reload()

    def reload(self) -> None:
        services, deal_id = self.services, self.deal_id
        run_in_background(lambda: services.timeline.of_deal(deal_id), self._show,
                          self._failed, owner=self)

    def _show(self, timeline: Timeline) -> None:
        self.timeline = timeline
        self.setHtml(timeline_html(timeline, name_deals=False))
        self.loaded.emit()

    def _failed(self, error: Exception) -> None:
        if not isinstance(error, FunnelDeskError):
            raise error  # a bug: the application's handler reports it
        self.setHtml(f"<p style='color:#c0392b'>{escaped(error.message())}</p>")

"""Screenshots of the deal team, the review view and the forecast board (called by
dialogs.py): the Review page and its quick update, the Forecast page, and the deal form's
Team tab with a colleague and the team's notes."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QApplication, QWidget


def take_teams(app: QApplication, window: QWidget, services: object, me: object, lang: str,
               out: Path, when_open: Callable[[QApplication, Callable[[QWidget], None]], None],
               shoot: Callable[[QApplication, QWidget, Path], None]) -> None:
    from funneldesk.services import Services
    from funneldesk.ui.activities.forecast_page import ForecastPage
    from funneldesk.ui.activities.review_page import ReviewPage
    from funneldesk.ui.activities.team_tab import TeamTab

    assert isinstance(services, Services)
    window.show_page("review")  # type: ignore[attr-defined]
    review = window.pages["review"]  # type: ignore[attr-defined]
    assert isinstance(review, ReviewPage)
    while review.status_text() == "":
        app.processEvents()
    shoot(app, window, out / f"review-{lang}.png")
    review.table.selectRow(0)

    def quick_update(dialog: QWidget) -> None:
        dialog.note.setPlainText(  # type: ignore[attr-defined]
            "客户预算推迟到下季度，先保持联系" if lang == "zh_CN"
            else "Their budget moved to next quarter; keep in touch")
        shoot(app, dialog, out / f"review-dialog-{lang}.png")
        dialog.reject()  # type: ignore[attr-defined]

    when_open(app, quick_update)
    review.quick_update()
    window.show_page("forecast")  # type: ignore[attr-defined]
    forecast = window.pages["forecast"]  # type: ignore[attr-defined]
    assert isinstance(forecast, ForecastPage)
    while forecast.status_text() == "":
        app.processEvents()
    for _ in range(10):
        app.processEvents()
    shoot(app, window, out / f"forecast-{lang}.png")
    deal_id = services.db.query(
        "SELECT deal_id FROM deal_members GROUP BY deal_id ORDER BY count(*) DESC, deal_id "
        "LIMIT 1")[0][0]
    services.deal_teams.post_note(deal_id, "报价单已发给客户，等采购回复" if lang == "zh_CN"
                                  else "Quote sent; waiting for purchasing", by=me)  # type: ignore[arg-type]

    def team_tab(form: QWidget) -> None:
        tabs = form.tabs  # type: ignore[attr-defined]
        tab = next(tabs.widget(i) for i in range(tabs.count())
                   if isinstance(tabs.widget(i), TeamTab))
        tabs.setCurrentWidget(tab)
        shoot(app, form, out / f"deal-team-{lang}.png")
        form.done(0)  # type: ignore[attr-defined]

    when_open(app, team_tab)
    window.editor.open(deal_id)  # type: ignore[attr-defined]
    window.show_page("board")  # type: ignore[attr-defined]

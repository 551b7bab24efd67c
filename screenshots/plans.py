"""Screenshots of follow-up plans and assessments (called by dialogs.py): the bar that
offers what a stage proposes after a move, the dialog that chooses among them, the deal
form's plan and assessment tabs, the board's cards with their scores and probabilities,
and the pipeline editor with what a stage proposes."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QApplication, QWidget

from funneldesk.ui.board.board_page import board_page


def take_plans(app: QApplication, window: QWidget, services: object, me: object, lang: str,
               out: Path, when_open: Callable[[QApplication, Callable[[QWidget], None]], None],
               shoot: Callable[[QApplication, QWidget, Path], None]) -> None:
    from funneldesk.services import Services

    assert isinstance(services, Services)
    page = board_page(window)  # type: ignore[arg-type]
    columns = list(page.board.columns.values())
    card = columns[0].model.visible_cards()[0]
    for criterion in columns[0].stage.criteria:  # its exit criteria ticked: it moves at once
        version = services.deals.detail(card.id).version
        services.deals.set_criterion(deal_id=card.id, criterion_id=criterion.id, checked=True,
                                     by=me, expected_version=version)  # type: ignore[arg-type]
    page.controller.refresh_card(card.id)
    moved = page.board.find_card(card.id)
    assert moved is not None
    page.controller.move(card.id, moved.version, columns[1].stage.id, None)
    while page.proposals.isHidden():  # read off the GUI thread after the move
        app.processEvents()
    shoot(app, window, out / f"proposal-bar-{lang}.png")

    def choose(dialog: QWidget) -> None:
        shoot(app, dialog, out / f"proposal-choose-{lang}.png")
        dialog.close()

    when_open(app, choose)
    page.proposals.choose()
    page.proposals.plan_all()

    def plan_tab(form: QWidget) -> None:
        tab = form.plan_tab  # type: ignore[attr-defined]
        form.tabs.setCurrentWidget(tab)  # type: ignore[attr-defined]
        tab.every_kind.setCurrentIndex(tab.every_kind.findData("visit"))
        tab.goal.setText("月底前拿到采购意向书" if lang == "zh_CN"
                         else "A letter of intent by the end of the month")
        tab.budget.setText("3,000")
        shoot(app, form, out / f"deal-plan-{lang}.png")
        form.done(0)  # type: ignore[attr-defined]

    when_open(app, plan_tab)
    window.editor.open(card.id)  # type: ignore[attr-defined]

    def assessment_tab(form: QWidget) -> None:
        tab = form.assessment_tab  # type: ignore[attr-defined]
        form.tabs.setCurrentWidget(tab)  # type: ignore[attr-defined]
        shoot(app, form, out / f"deal-assessment-{lang}.png")
        form.done(0)  # type: ignore[attr-defined]

    rated = max(services.assessments.ratings(columns[0].stage.pipeline_id).items(),
                key=lambda item: item[1].score or 0)[0]
    when_open(app, assessment_tab)
    window.editor.open(rated)  # type: ignore[attr-defined]
    page.read_ratings()
    while not page.board.ratings:
        app.processEvents()
    column = columns[2]
    column.sort.setCurrentIndex(column.sort.findData("win"))
    shoot(app, window, out / f"board-ratings-{lang}.png")

    def editor(dialog: QWidget) -> None:
        view = dialog.stage_view  # type: ignore[attr-defined]
        view.setCurrentIndex(view.model().index(1, 0))
        shoot(app, dialog, out / f"pipeline-steps-{lang}.png")
        dialog.close()

    when_open(app, editor)
    window.manage_pipelines()  # type: ignore[attr-defined]

"""Opportunity assessment in the window: the deal form's Assessment tab rates the deal,
shows its value score as each rating changes and its win probability with the reason,
and saves with the form (one undo takes it back); the board's cards show score and
probability and a column sorts by either; a manager sets the weights in Team settings."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot

from funneldesk.services import Services
from funneldesk.services.activities.assessment_records import ScoreFields
from funneldesk.services.dto import Actor, ChangeSet
from funneldesk.ui.admin.team_settings import TeamSettingsDialog
from funneldesk.ui.board.board_page import board_page
from funneldesk.ui.board.card_model import FaceRole
from funneldesk.ui.board.deal_form import DealForm
from funneldesk.ui.shell.main_window import MainWindow
from tests.helpers import make_deal, stage
from tests.ui.conftest import answer_next_dialog, reload


def test_the_assessment_tab_scores_as_it_is_rated_and_saves_with_the_form(
        qtbot: QtBot, services: Services, manager: Actor, window: MainWindow) -> None:
    card = make_deal(services, manager)
    reload(qtbot, window)
    seen: list[str] = []

    def rate(form: DealForm) -> None:
        tab = form.assessment_tab
        assert tab is not None
        seen.append(tab.score.text())
        seen.append(tab.chance.text())
        tab.boxes["intent"].setCurrentIndex(3)
        tab.boxes["budget"].setCurrentIndex(3)
        seen.append(tab.score.text())  # at once, before saving
        seen.append(tab.chance.text().splitlines()[-1])  # learned from the saved ones
        tab.competitors.setText("金蝶")
        form.accept()

    answer_next_dialog(rate)
    window.editor.open(card.id)
    assert seen == [
        "Value score: not rated yet",
        "Win probability: 10%\nToo little history to learn from (0 closed deals; it needs "
        "20, at least 3 won and 3 lost): this is the stage's probability.",
        "Value score: 50 of 100",
        "Save to see the win probability with these ratings."]
    assert services.assessments.assessment(card.id).fields == ScoreFields(
        intent=3, budget=3, competitors="金蝶")
    window.actions_.undo.trigger()
    assert services.assessments.assessment(card.id).fields == ScoreFields()


def test_cards_show_score_and_probability_and_a_column_sorts_by_score(
        qtbot: QtBot, services: Services, manager: Actor, window: MainWindow) -> None:
    ids = {}
    for title, budget in (("low", 1), ("high", 3), ("mid", 2)):
        deal = make_deal(services, manager, title=title, stage_name="Proposal")
        services.assessments.save(deal.id, ScoreFields(budget=budget), expected_version=None,
                                  by=manager)
        ids[title] = deal.id
    page = board_page(window)
    reload(qtbot, window)
    qtbot.waitUntil(lambda: ids["high"] in page.board.ratings, timeout=10000)
    column = page.board.columns[stage(services, "Proposal").id]
    model = column.model
    high = model.index(model.row_of(ids["high"]))
    rating = model.data(high, FaceRole)[-1]
    assert (rating.score, rating.percent, rating.learned) == (25, 40, False)
    assert "Value score 25 of 100 · Win probability 40% (the stage's: too little history)" \
        in model.data(high, Qt.ItemDataRole.ToolTipRole)
    column.sort.setCurrentIndex(column.sort.findData("score"))
    assert [model.card_at(r).title for r in range(3)] == ["high", "mid", "low"]
    # a rating saved elsewhere reorders the column once the ratings are read again
    services.assessments.save(ids["low"], ScoreFields(budget=3, intent=3),
                              expected_version=1, by=manager)
    window.runner.relay(ChangeSet(frozenset({ids["low"]})))
    qtbot.waitUntil(lambda: page.board.ratings[ids["low"]].score == 50, timeout=10000)
    assert [model.card_at(r).title for r in range(3)] == ["low", "high", "mid"]


def test_a_manager_weighs_the_scorecard_in_team_settings(
        qtbot: QtBot, services: Services, manager: Actor, rep: Actor) -> None:
    dialog = TeamSettingsDialog(services, manager)
    qtbot.addWidget(dialog)
    dialog.weights["timeline"].setValue(7)
    qtbot.mouseClick(dialog.findChild(QDialogButtonBox).button(  # type: ignore[union-attr]
        QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton)
    assert services.assessments.weights()["timeline"] == 7
    read_only = TeamSettingsDialog(services, rep)
    qtbot.addWidget(read_only)
    assert not read_only.weights["intent"].isEnabled()
    assert read_only.weights["timeline"].value() == 7

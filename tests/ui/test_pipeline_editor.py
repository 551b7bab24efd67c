"""The pipeline editor keeps a stage's unsaved edits when another stage is chosen (it
asks what to do with them) and asks before it deletes a stage."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtWidgets import QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from funneldesk.services import Services
from funneldesk.services.dto import Actor
from funneldesk.ui.admin.pipeline_editor import PipelineEditor
from tests.helpers import pipeline, stage
from tests.ui.conftest import answer_next_dialog


def editor_for(qtbot: QtBot, services: Services, manager: Actor) -> PipelineEditor:
    editor = PipelineEditor(services, manager, services.board.pipelines()[0][0])
    qtbot.addWidget(editor)
    editor.show()
    return editor


def answer(button: QMessageBox.StandardButton, asked: list[str]) -> Callable[[QWidget], None]:
    def click(box: QWidget) -> None:
        assert isinstance(box, QMessageBox)
        asked.append(box.text())
        box.button(button).click()

    return click


def choose_stage(editor: PipelineEditor, row: int) -> None:
    editor.stage_view.setCurrentIndex(editor.stages.index(row, 0))


def test_choosing_another_stage_asks_and_cancel_keeps_the_edits(
        qtbot: QtBot, services: Services, manager: Actor) -> None:
    editor = editor_for(qtbot, services, manager)
    editor.name.setText("First call")
    editor.probability.setValue(15)
    asked: list[str] = []
    answer_next_dialog(answer(QMessageBox.StandardButton.Cancel, asked))
    choose_stage(editor, 1)
    assert asked == ["The changes to the stage “Initial contact” are not saved. Save them?"]
    assert editor.current_stage().name == "Initial contact"  # type: ignore[union-attr]
    assert (editor.name.text(), editor.probability.value()) == ("First call", 15)
    assert stage(services, "Initial contact").probability == 10  # nothing saved yet
    answer_next_dialog(answer(QMessageBox.StandardButton.Save, asked))
    choose_stage(editor, 1)
    assert editor.current_stage().name == "Needs analysis"  # type: ignore[union-attr]
    assert editor.name.text() == "Needs analysis"
    assert pipeline(services).stages[0].name == "First call"
    assert pipeline(services).stages[0].probability == 15
    assert editor.stages.item(0).text() == "First call — 15%"
    editor.reject()


def test_discarded_edits_are_dropped_and_unchanged_stages_ask_nothing(
        qtbot: QtBot, services: Services, manager: Actor) -> None:
    editor = editor_for(qtbot, services, manager)
    choose_stage(editor, 2)  # nothing edited: no question
    editor.guidance.setPlainText("Send it within two days.")
    asked: list[str] = []
    answer_next_dialog(answer(QMessageBox.StandardButton.Discard, asked))
    choose_stage(editor, 0)
    assert len(asked) == 1
    assert stage(services, "Proposal").guidance.startswith("Send a proposal")
    choose_stage(editor, 2)
    assert editor.guidance.toPlainText().startswith("Send a proposal")
    editor.reject()


def test_adding_a_criterion_keeps_the_unsaved_name(
        qtbot: QtBot, services: Services, manager: Actor) -> None:
    from PySide6.QtWidgets import QInputDialog

    editor = editor_for(qtbot, services, manager)
    editor.name.setText("First call")

    def criterion(dialog: QWidget) -> None:
        assert isinstance(dialog, QInputDialog)
        dialog.setTextValue("Email address known")
        dialog.accept()

    answer_next_dialog(criterion)
    editor._add_criterion(stage(services, "Initial contact").criteria[0].kind)
    assert editor.name.text() == "First call"
    assert editor.criteria.rowCount() == 3
    editor._save_stage()
    editor.reject()


def test_won_offers_no_exit_criterion(qtbot: QtBot, services: Services,
                                     manager: Actor) -> None:
    editor = editor_for(qtbot, services, manager)
    choose_stage(editor, 0)
    assert editor.exit_button.isEnabled()
    choose_stage(editor, [s.name for s in pipeline(services).stages].index("Won"))
    assert not editor.exit_button.isEnabled()
    assert "reopened" in editor.exit_button.toolTip()
    editor.reject()


def test_deleting_a_stage_asks_first(qtbot: QtBot, services: Services, manager: Actor) -> None:
    editor = editor_for(qtbot, services, manager)
    choose_stage(editor, 3)
    asked: list[str] = []
    answer_next_dialog(answer(QMessageBox.StandardButton.No, asked))
    editor._delete_stage()
    assert "Negotiation" in asked[0]
    assert "Negotiation" in [s.name for s in pipeline(services).stages]
    answer_next_dialog(answer(QMessageBox.StandardButton.Yes, asked))
    editor._delete_stage()
    assert "Negotiation" not in [s.name for s in pipeline(services).stages]
    assert editor.stages.rowCount() == 6
    editor.reject()


def test_a_stage_that_holds_deals_is_refused_without_asking_first(
        qtbot: QtBot, services: Services, manager: Actor,
        monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.helpers import make_deal

    make_deal(services, manager, stage_name="Negotiation")
    editor = editor_for(qtbot, services, manager)
    choose_stage(editor, 3)
    asked: list[str] = []

    def question(_parent: object, _title: str, text: str, *_a: object) -> object:
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", question)
    editor._delete_stage()
    assert asked == []  # refused straight away, no question first
    assert editor.error.text() == "“Negotiation” still holds 1 deal. Move it to another stage first."
    assert "Negotiation" in [s.name for s in pipeline(services).stages]
    editor.reject()


def test_a_manager_makes_contract_signed_the_criterion_a_signed_contract_meets(
        qtbot: QtBot, services: Services, manager: Actor) -> None:

    editor = editor_for(qtbot, services, manager)
    row = next(i for i, s in enumerate(pipeline(services).stages) if s.name == "Contract")
    choose_stage(editor, row)
    editor.criteria_view.setCurrentIndex(editor.criteria.index(0, 0))
    toggle = editor.rule_button
    assert toggle.text() == "Met by a signed contract"
    assert toggle.isEnabled()
    toggle.click()
    (signed,) = stage(services, "Contract").criteria
    assert signed.rule == "contract_signed"
    assert "met by a signed contract" in editor.criteria.item(0).text()
    editor.criteria_view.setCurrentIndex(editor.criteria.index(0, 0))
    assert toggle.text() == "Tick by hand instead"
    toggle.click()  # ticked by hand again
    assert stage(services, "Contract").criteria[0].rule == ""
    # a rule left behind when the stages move is shown in red, with what to do
    editor.criteria_view.setCurrentIndex(editor.criteria.index(0, 0))
    toggle.click()
    assert stage(services, "Contract").criteria[0].rule == "contract_signed"
    contract_stage = stage(services, "Contract")
    services.pipelines.add_stage(pipeline_id=pipeline(services).id, name="Handover",
                                 by=manager)  # after the last open stage, Contract
    editor._load_pipeline(contract_stage.id)
    assert "no longer the last before Won" in editor.criteria.item(0).toolTip()
    # on an earlier stage a signature cannot meet a criterion: greyed out, with the reason
    choose_stage(editor, 0)
    editor.criteria_view.setCurrentIndex(editor.criteria.index(0, 0))
    assert not toggle.isEnabled()
    assert "what wins a deal" in toggle.toolTip()

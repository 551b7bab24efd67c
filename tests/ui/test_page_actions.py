"""Each page's actions as its area declares them (PageSpec.actions, which the command
palette lists without building the page) are the actions the built page has, in the same
order: a built action carries its declaration's key (PageAction.make, which also gives it
the declared name and shortcut), so the same keys in the same order mean nothing was
added, left out or made apart from its declaration."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QKeySequence
from pytestqt.qtbot import QtBot

from funneldesk import i18n
from funneldesk.services import Services
from funneldesk.services.dto import Actor
from funneldesk.settings import Settings
from funneldesk.ui.common.page import PageSpec
from funneldesk.ui.shell.areas import PAGES
from funneldesk.ui.shell.main_window import MainWindow


def shortcut(text: str) -> str:
    return QKeySequence(text).toString()


@pytest.mark.parametrize("language", ["en", "zh_CN"])
@pytest.mark.parametrize("spec", PAGES, ids=lambda s: s.key)
def test_a_pages_declared_actions_are_the_actions_it_builds(
        qtbot: QtBot, services: Services, manager: Actor, spec: PageSpec,
        language: str) -> None:
    i18n.set_language(language)
    window = MainWindow(services, manager, Settings())
    qtbot.addWidget(window)
    page = window.page(spec.key)
    built = [a.objectName() for a in page.page_actions()]
    declared = [d.key for d in spec.actions]
    assert built == declared
    assert len(declared) > 3
    assert len(set(declared)) == len(declared)
    # and the palette's stand-in for it reads as the page's own action does
    texts = {a.objectName(): (a.text(), a.shortcut().toString()) for a in page.page_actions()}
    assert all(texts[d.key] == (d.name(), shortcut(d.shortcut)) for d in spec.actions)


def test_another_pages_actions_are_offered_under_its_name(
        qtbot: QtBot, services: Services, manager: Actor) -> None:
    window = MainWindow(services, manager, Settings())
    qtbot.addWidget(window)
    assert window.current_key() == "board"
    names = [a.text() for a in window.all_actions()]
    deals = next(s for s in PAGES if s.key == "deals")
    assert [f"{d.name()} (Deals)" for d in deals.actions] == [
        n for n in names if n.endswith(" (Deals)")]
    assert "Move to next stage" in names
    assert "deals" not in window.pages

"""Pickers search once typing pauses, off the GUI thread, and show only the answer for
the text the field still holds."""

from __future__ import annotations

import threading

from pytestqt.qtbot import QtBot

from funneldesk.ui.common.type_ahead import TypeAhead


def test_a_burst_of_keys_is_searched_once_for_the_last_text(qtbot: QtBot) -> None:
    asked: list[tuple[str, bool]] = []

    def search(text: str) -> list[str]:
        asked.append((text, threading.current_thread() is threading.main_thread()))
        return [text.upper()]

    ahead = TypeAhead(search)
    shown: list[tuple[str, object]] = []
    ahead.found.connect(lambda text, found: shown.append((text, found)))
    for text in ("z", "zh", "zha"):
        ahead.typed(text)
    qtbot.waitUntil(lambda: bool(shown))
    assert asked == [("zha", False)]  # once, and not on the GUI thread
    assert shown == [("zha", ["ZHA"])]


def test_an_answer_for_text_no_longer_in_the_field_is_dropped(qtbot: QtBot) -> None:
    release, started = threading.Event(), threading.Event()

    def search(text: str) -> list[str]:
        if text == "slow":
            started.set()
            release.wait(5)
        return [text]

    ahead = TypeAhead(search)
    shown: list[str] = []
    ahead.found.connect(lambda text, _found: shown.append(text))
    ahead.typed("slow")
    qtbot.waitUntil(started.is_set)  # its search runs, and waits
    ahead.typed("quick")
    qtbot.waitUntil(lambda: shown == ["quick"])
    release.set()
    qtbot.waitUntil(lambda: ahead.answers == 2)
    assert shown == ["quick"]  # the slow answer came last and was not shown


def test_a_pick_made_while_a_search_runs_keeps_the_list_closed(qtbot: QtBot) -> None:
    from funneldesk.services.dto import Named
    from funneldesk.ui.board.company_picker import CompanyPicker

    release, started = threading.Event(), threading.Event()

    def search(text: str, _limit: int) -> list[Named]:
        started.set()
        release.wait(5)
        return [Named(1, "星辰科技"), Named(2, "星辰物流")]

    picker = CompanyPicker(search)
    qtbot.addWidget(picker)
    picker.show()
    picker.setText("星辰")
    picker.textEdited.emit("星辰")  # as typed
    qtbot.waitUntil(started.is_set)
    picker.set_company(Named(1, "星辰科技"))  # picked (from an earlier list) meanwhile
    release.set()
    qtbot.waitUntil(lambda: picker.ahead.answers == 1)
    popup = picker.popup_list.popup()
    assert popup is None or not popup.isVisible()
    assert picker.company_id() == 1

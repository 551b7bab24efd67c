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

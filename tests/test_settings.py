"""Settings when several windows (one per database) share one settings file."""

from __future__ import annotations

from pathlib import Path

from funneldesk.settings import Settings


def test_two_windows_keep_each_others_filters_whichever_closes_last(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    first = Settings(path)
    first.set("board.filters", {"/a.db": {"owner": 1, "search": "old"}})
    first.save()
    sales, samples = Settings(path), Settings(path)  # two windows open at once
    sales.set("board.filters", {**sales.get("board.filters"),
                                "/a.db": {"owner": 2, "search": "CRM"}})
    samples.set("board.filters", {**samples.get("board.filters"),
                                  "/samples.db": {"owner": 7, "search": "云服务"}})
    sales.save()
    samples.save()  # closes last, holding a stale copy of /a.db's entry
    assert Settings(path).get("board.filters") == {
        "/a.db": {"owner": 2, "search": "CRM"},
        "/samples.db": {"owner": 7, "search": "云服务"},
    }


def test_a_window_that_changed_nothing_leaves_the_others_values(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    idle, busy = Settings(path), Settings(path)
    busy.set("board.show_closed", True)
    busy.save()
    idle.save()
    assert Settings(path).get("board.show_closed") is True

"""Before Qt's xcb plugin aborts the process for want of a system library, FunnelDesk names
every missing library and the Debian packages that bring them, in one line."""

from __future__ import annotations

import pytest

from funneldesk import system_libraries
from funneldesk.app import display_problem


@pytest.fixture
def desktop(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("QT_QPA_PLATFORM", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.setenv("DISPLAY", ":0")
    monkeypatch.setattr("sys.platform", "linux")


def missing(monkeypatch: pytest.MonkeyPatch, *sonames: str) -> None:
    monkeypatch.setattr(system_libraries, "loadable", lambda soname: soname not in sonames)


@pytest.mark.usefixtures("desktop")
def test_every_missing_xcb_library_is_named_with_its_package(monkeypatch: pytest.MonkeyPatch) -> None:
    missing(monkeypatch, "libxcb-icccm.so.4", "libxkbcommon-x11.so.0", "libEGL.so.1")
    problem = display_problem()
    assert problem is not None
    assert "\n" not in problem
    for package in ("libxcb-icccm4", "libxkbcommon-x11-0", "libegl1"):
        assert package in problem
    assert "apt-get install" in problem
    assert "libxcb-cursor0" not in problem


@pytest.mark.usefixtures("desktop")
def test_libxcb_cursor_alone_is_still_named(monkeypatch: pytest.MonkeyPatch) -> None:
    missing(monkeypatch, "libxcb-cursor.so.0")
    problem = display_problem()
    assert problem is not None
    assert "libxcb-cursor0" in problem


@pytest.mark.usefixtures("desktop")
def test_nothing_missing_means_no_problem(monkeypatch: pytest.MonkeyPatch) -> None:
    missing(monkeypatch)
    assert display_problem() is None


@pytest.mark.usefixtures("desktop")
def test_on_wayland_the_xcb_set_is_not_required(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WAYLAND_DISPLAY", "wayland-0")
    missing(monkeypatch, "libxcb-icccm.so.4", "libfontconfig.so.1")
    problem = display_problem()
    assert problem is not None
    assert "libfontconfig1" in problem
    assert "libxcb-icccm4" not in problem


def test_the_libraries_of_this_machine_are_found() -> None:
    # this machine runs the tests with every package scripts/setup.sh installs
    assert system_libraries.missing(wayland=False) == []

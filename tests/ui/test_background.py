"""Work off the GUI thread reports back only to a page that is still there."""

from __future__ import annotations

import os
import threading

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from funneldesk.services import Services
from funneldesk.services.customers.list_records import CustomerColumn
from funneldesk.services.customers.records import CompanyFields
from funneldesk.services.dto import Actor, CustomerQuery
from funneldesk.ui.common.background import finish_background_work, quitting, run_in_background


def test_a_result_reaches_nobody_once_its_owner_is_gone(qtbot: QtBot) -> None:
    owner, release = QObject(), threading.Event()
    reported: list[object] = []

    def work(result: str) -> str:
        release.wait(5)
        return result

    def done(result: object) -> None:
        reported.append(result)

    run_in_background(lambda: work("gone"), done, reported.append, owner=owner)
    kept = QObject()
    run_in_background(lambda: work("kept"), done, reported.append, owner=kept)
    owner.deleteLater()
    QApplication.sendPostedEvents(None, 0)  # the owner goes (deferred deletes included)
    release.set()
    qtbot.waitUntil(lambda: reported == ["kept"], timeout=5000)
    qtbot.wait(100)  # the first job's report, had it gone anywhere, would be here by now
    assert reported == ["kept"]


def test_pool_threads_read_sorted_lists_one_job_after_another(
        qtbot: QtBot, services: Services, manager: Actor) -> None:
    """A pool thread's connection has SQL functions (the pinyin sort key); it goes when
    Python clears the thread's state after each job, and closing it then crashed the
    process. Here many jobs read with the function, and their connections are closed."""
    for city in ("上海", "北京", "长沙"):
        services.customers.add_company(CompanyFields(name=f"{city}客户", city=city), by=manager)
    query = CustomerQuery(sort=CustomerColumn.CITY)
    results: list[object] = []
    for _job in range(20):
        run_in_background(lambda: [r.city for r in services.customer_list.page(query, 0, 10)],
                          results.append, results.append)
    qtbot.waitUntil(lambda: len(results) == 20, timeout=20000)
    assert results == [["北京", "长沙", "上海"]] * 20
    if os.path.isdir("/proc/self/fd"):  # Linux: the files this process holds open
        database = str(services.location())
        opened = [fd for fd in os.listdir("/proc/self/fd")
                  if os.path.realpath(f"/proc/self/fd/{fd}") == database]
        assert len(opened) < 10  # not one per job


def test_quitting_asks_the_running_chores_to_stop_and_a_later_window_is_not_stopped(
        qtbot: QtBot) -> None:
    """A chore running as FunnelDesk quits sees ``quitting()`` and ends early; once every
    job is done the flag is down again, so a window opened later in the same process (a
    second run of the tests) indexes its imports to the end."""
    started, seen = threading.Event(), []

    def chore() -> None:
        started.set()
        while not quitting():  # steps, asking between each
            threading.Event().wait(0.01)
        seen.append("stopped")

    run_in_background(chore, lambda _r: None, lambda _e: None)
    assert started.wait(5)
    finish_background_work()
    assert seen == ["stopped"]
    assert not quitting()

"""A big import looks for names alike beside itself, in a worker process, and counts what
the look after an import counts; a worker that fails costs only that look, and none is
left running after an import however it ended."""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import pickle
import signal
import sqlite3
import threading
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from funneldesk.services import Services
from funneldesk.services.common.tabular.engine import ImportOptions, ImportReport
from funneldesk.services.customers import alike_apart
from funneldesk.services.customers.records import CompanyFields, ContactFields
from funneldesk.services.dto import Actor

ROWS = alike_apart.LOOK_APART_ROWS
OPTIONS = ImportOptions(columns={"name": "姓名", "company": "公司名称", "phone": "手机"},
                        skip_bad_rows=True)


def _name(n: int) -> str:
    """A name of its own: twelve letters drawn from n, far from any other's."""
    return hashlib.sha1(str(n).encode()).hexdigest()[:12]


def _file(tmp_path: Path) -> Path:
    """ROWS contacts at 2,000 companies, none alike by chance, then one written twice
    (two letters swapped), one alike to a contact there before, one whose company is
    written as another's with its legal form, and a row that repeats an earlier row's
    phone (refused)."""
    lines = ["姓名,公司名称,手机"]
    for n in range(ROWS - 4):
        lines.append(f"{_name(n)},Firm {n % 2_000:04d},{13_000_000_000 + n}")
    typo = _name(7)[:-2] + _name(7)[-1] + _name(7)[-2]
    lines += [f"{typo},Firm 0007,13900000001",
              "李 晓明,星辰科技有限公司,13900000002",  # 李晓明 is there before
              "Someone,星辰科技股份有限公司,13900000003",  # a company alike to one there
              f"{_name(9)},Firm 0009,13000000009"]  # 9's phone: refused
    path = tmp_path / "big.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _there_before(services: Services, manager: Actor) -> None:
    """A company and a contact the file's are alike to; and a contact alike to them that
    was deleted, and one merged away: neither counts."""
    add = services.customers.add_contact
    star = services.customers.add_company(CompanyFields(name="星辰科技有限公司"), by=manager)
    there = add(ContactFields(name="李晓明", company_id=star.id, phones=("13800138000",)),
                by=manager)
    gone = add(ContactFields(name="李 晓明", company_id=star.id), by=manager)
    merged = add(ContactFields(name="李小明", company_id=star.id), by=manager)
    with closing(sqlite3.connect(services.db.path)) as conn:
        conn.execute("UPDATE contacts SET deleted_at = '2026-01-01 00:00:00.000000' "
                     "WHERE id = ?", (gone.id,))
        conn.execute("UPDATE contacts SET merged_into_id = ? WHERE id = ?",
                     (there.id, merged.id))
        conn.commit()


@pytest.fixture(autouse=True)
def _patient(monkeypatch: pytest.MonkeyPatch) -> None:
    """However slow the machine, the worker's count is waited for (no test passes or
    fails by how fast it counts); the test of the deadline sets its own."""
    monkeypatch.setattr(alike_apart, "WAIT_S", 300.0)


class _Leaks:
    """What an import's worker may leave behind: child processes, threads of this process
    (the one that sends it batches), open pipes."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.threads = set(threading.enumerate())
        self.looks: list[alike_apart.AlikeApart] = []  # every worker started
        real = alike_apart.AlikeApart.__init__

        def kept(look: alike_apart.AlikeApart, *args: Any) -> None:
            self.looks.append(look)
            real(look, *args)

        monkeypatch.setattr(alike_apart.AlikeApart, "__init__", kept)

    def assert_none(self) -> None:
        # what collects a count ends the worker; the copy of the log into the file ends
        for thread in threading.enumerate():
            if thread.name in ("alike-count", "wal-checkpoint"):
                thread.join(30)
        assert multiprocessing.active_children() == []
        assert set(threading.enumerate()) <= self.threads
        for look in self.looks:
            assert not look._sender.is_alive()
            assert look._inbox.closed
            assert look._outbox.closed


def test_a_big_import_counts_names_alike_beside_itself_as_a_look_after_it_does(
        tmp_path: Path, services: Services, manager: Actor,
        monkeypatch: pytest.MonkeyPatch) -> None:
    _there_before(services, manager)
    leaks = _Leaks(monkeypatch)
    report = services.imports.run("contacts", _file(tmp_path), OPTIONS, by=manager)
    assert len(leaks.looks) == 1
    assert (report.created, report.failed) == (ROWS - 1, 1)
    # 7 and its double; 李 晓明 (李晓明 was there before, and is not counted; neither are
    # a deleted 李 晓明 and a 李小明 merged away); the company the file named as
    # 星辰科技股份有限公司
    assert _counted(report) == {"contact": 3, "company": 1}
    assert _counted(report) == services.duplicates.alike_after_import(report.created_from,
                                                                      report.renamed)
    assert services.duplicates.alike_of(report) == _counted(report)
    leaks.assert_none()


def _counted(report: ImportReport) -> dict[str, int] | None:
    """What the import's worker counted (None: it counted nothing, the look comes after)."""
    assert report.alike is not None, "no worker was started"
    return report.alike.result(timeout=60)


def test_the_import_returns_as_it_commits_without_waiting_for_the_count(
        tmp_path: Path, services: Services, manager: Actor,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Cancel pressed meanwhile would say nothing was written of what was saved."""
    held = threading.Event()
    real = alike_apart.AlikeApart.result

    def holding(look: alike_apart.AlikeApart) -> dict[str, int] | None:
        held.wait(60)
        return real(look)

    monkeypatch.setattr(alike_apart.AlikeApart, "result", holding)
    leaks = _Leaks(monkeypatch)
    report = services.imports.run("contacts", _file(tmp_path), OPTIONS, by=manager)
    assert report.wrote
    assert report.alike is not None
    assert not report.alike.done()
    held.set()
    assert services.duplicates.alike_of(report) == {"contact": 2, "company": 2}
    leaks.assert_none()


def test_a_big_companies_import_counts_its_names_alike_beside_itself(
        tmp_path: Path, services: Services, manager: Actor,
        monkeypatch: pytest.MonkeyPatch) -> None:
    services.customers.add_company(CompanyFields(name="星辰科技有限公司"), by=manager)
    path = tmp_path / "companies.csv"
    path.write_text("名称\n" + "".join(f"{_name(n)} Trading\n" for n in range(ROWS))
                    + "星辰科技（集团）有限公司\n北京星辰科技\n", encoding="utf-8")
    leaks = _Leaks(monkeypatch)
    report = services.imports.run("companies", path, ImportOptions(columns={"name": "名称"}),
                                  by=manager)
    assert len(leaks.looks) == 1
    assert report.created == ROWS + 2
    assert _counted(report) == {"company": 2}
    assert _counted(report) == services.duplicates.alike_after_import(report.created_from, {})
    leaks.assert_none()


def test_a_database_named_by_a_relative_path_with_spaces_and_chinese_is_read(
        tmp_path: Path, manager: Actor, monkeypatch: pytest.MonkeyPatch) -> None:
    from funneldesk.db import open_database

    monkeypatch.chdir(tmp_path)
    db = open_database(Path("客户 数据.db"))
    try:
        services = Services.for_database(db)
        me = services.users.current("manager")
        report = services.imports.run("contacts", _file(tmp_path), OPTIONS, by=me)
    finally:
        db.close()
    assert _counted(report) == {"contact": 2, "company": 2}  # 星辰科技, with 股份 and not


def test_a_worker_that_fails_leaves_the_look_to_after_the_import(
        tmp_path: Path, services: Services, manager: Actor,
        monkeypatch: pytest.MonkeyPatch) -> None:
    _there_before(services, manager)
    real = alike_apart.AlikeApart.__init__

    def elsewhere(self: alike_apart.AlikeApart, _path: Path, below: dict[str, int]) -> None:
        real(self, tmp_path / "no such database.db", below)  # the worker cannot read it

    monkeypatch.setattr(alike_apart.AlikeApart, "__init__", elsewhere)
    leaks = _Leaks(monkeypatch)
    report = services.imports.run("contacts", _file(tmp_path), OPTIONS, by=manager)
    assert report.created == ROWS - 1
    assert report.alike is not None
    assert _counted(report) is None
    assert services.duplicates.alike_of(report) == {"contact": 3, "company": 1}
    leaks.assert_none()


def test_a_worker_killed_under_way_leaves_the_look_to_after_the_import(
        tmp_path: Path, services: Services, manager: Actor,
        monkeypatch: pytest.MonkeyPatch) -> None:
    real = alike_apart.AlikeApart.made
    calls = [0]

    def killing(self: alike_apart.AlikeApart, *args: Any) -> None:
        calls[0] += 1
        if calls[0] == 3:
            self._worker.kill()
        real(self, *args)

    monkeypatch.setattr(alike_apart.AlikeApart, "made", killing)
    leaks = _Leaks(monkeypatch)
    report = services.imports.run("contacts", _file(tmp_path), OPTIONS, by=manager)
    assert calls[0] > 3
    assert report.created == ROWS - 1
    assert _counted(report) is None
    leaks.assert_none()


def test_a_worker_that_does_not_answer_in_time_leaves_the_look_to_after_the_import(
        tmp_path: Path, services: Services, manager: Actor,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(alike_apart, "WAIT_S", 0.5)
    real = alike_apart.AlikeApart.__init__

    def stopped(look: alike_apart.AlikeApart, *args: Any) -> None:
        real(look, *args)
        assert look._worker.pid is not None
        os.kill(look._worker.pid, signal.SIGSTOP)  # alive, and silent

    monkeypatch.setattr(alike_apart.AlikeApart, "__init__", stopped)
    leaks = _Leaks(monkeypatch)
    report = services.imports.run("contacts", _file(tmp_path), OPTIONS, by=manager)
    assert report.created == ROWS - 1
    assert _counted(report) is None
    assert services.duplicates.alike_of(report) == {"contact": 2, "company": 2}
    leaks.assert_none()


@pytest.mark.parametrize(("options", "workers"), [
    (ImportOptions(columns=OPTIONS.columns, skip_bad_rows=True, dry_run=True), 0),
    # all or nothing: the refused row undoes all, and ends the worker it had started
    (ImportOptions(columns=OPTIONS.columns), 1)])
def test_an_import_that_writes_nothing_counts_nothing_and_leaves_no_worker(
        tmp_path: Path, services: Services, manager: Actor, options: ImportOptions,
        workers: int, monkeypatch: pytest.MonkeyPatch) -> None:
    leaks = _Leaks(monkeypatch)
    report = services.imports.run("contacts", _file(tmp_path), options, by=manager)
    assert len(leaks.looks) == workers
    assert not report.wrote
    assert report.alike is None
    leaks.assert_none()


def test_a_cancelled_import_leaves_no_worker(tmp_path: Path, services: Services,
                                             manager: Actor,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    from funneldesk.services.common.tabular.engine import ImportCancelled

    seen: list[int] = []

    def progress(done: int, _total: int) -> None:
        seen.append(done)

    leaks = _Leaks(monkeypatch)
    with pytest.raises(ImportCancelled):
        services.imports.run("contacts", _file(tmp_path), OPTIONS, by=manager,
                             progress=progress, cancelled=lambda: len(seen) > 5)
    assert len(leaks.looks) == 1
    leaks.assert_none()


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(max_size=6)))
def test_names_passed_to_the_worker_arrive_as_they_were_sent(texts: list[str]) -> None:
    """They travel as one text where none holds a new line (a name can: a quoted cell)."""
    sent = pickle.loads(pickle.dumps(alike_apart._joined(texts)))
    assert alike_apart._split(sent) == texts

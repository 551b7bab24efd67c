"""A big import looks for names alike beside itself, in a worker process, and counts what
the look after an import counts; a worker that fails costs only that look, and none is
left running after an import however it ended."""

from __future__ import annotations

import hashlib
import multiprocessing
from pathlib import Path

import pytest

from funneldesk.services import Services
from funneldesk.services.common.tabular.engine import ImportOptions
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
    star = services.customers.add_company(CompanyFields(name="星辰科技有限公司"), by=manager)
    services.customers.add_contact(ContactFields(name="李晓明", company_id=star.id,
                                                 phones=("13800138000",)), by=manager)


def test_a_big_import_counts_names_alike_beside_itself_as_a_look_after_it_does(
        tmp_path: Path, services: Services, manager: Actor) -> None:
    _there_before(services, manager)
    report = services.imports.run("contacts", _file(tmp_path), OPTIONS, by=manager)
    assert (report.created, report.failed) == (ROWS - 1, 1)
    # 7 and its double; 李 晓明 (李晓明 was there before, and is not counted); the
    # company the file named as 星辰科技股份有限公司
    assert report.alike == {"contact": 3, "company": 1}
    assert report.alike == services.duplicates.alike_after_import(report.created_from,
                                                                  report.renamed)
    assert services.duplicates.alike_of(report) == report.alike
    assert multiprocessing.active_children() == []


def test_a_worker_that_fails_leaves_the_look_to_after_the_import(
        tmp_path: Path, services: Services, manager: Actor,
        monkeypatch: pytest.MonkeyPatch) -> None:
    _there_before(services, manager)
    real = alike_apart.AlikeApart.__init__

    def elsewhere(self: alike_apart.AlikeApart, _path: Path, below: dict[str, int]) -> None:
        real(self, tmp_path / "no such database.db", below)  # the worker cannot read it

    monkeypatch.setattr(alike_apart.AlikeApart, "__init__", elsewhere)
    report = services.imports.run("contacts", _file(tmp_path), OPTIONS, by=manager)
    assert report.created == ROWS - 1
    assert report.alike is None
    assert services.duplicates.alike_of(report) == {"contact": 3, "company": 1}
    assert multiprocessing.active_children() == []


def test_a_worker_killed_under_way_leaves_the_look_to_after_the_import(
        tmp_path: Path, services: Services, manager: Actor,
        monkeypatch: pytest.MonkeyPatch) -> None:
    real = alike_apart.AlikeApart.made
    calls = [0]

    def killing(self: alike_apart.AlikeApart, *args: object) -> None:
        calls[0] += 1
        if calls[0] == 3:
            self._worker.kill()
        real(self, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(alike_apart.AlikeApart, "made", killing)
    report = services.imports.run("contacts", _file(tmp_path), OPTIONS, by=manager)
    assert calls[0] > 3
    assert report.created == ROWS - 1
    assert report.alike is None
    assert multiprocessing.active_children() == []


@pytest.mark.parametrize("options", [
    ImportOptions(columns=OPTIONS.columns, skip_bad_rows=True, dry_run=True),
    ImportOptions(columns=OPTIONS.columns)])  # all or nothing: the refused row undoes all
def test_an_import_that_writes_nothing_looks_at_nothing_and_leaves_no_worker(
        tmp_path: Path, services: Services, manager: Actor, options: ImportOptions) -> None:
    report = services.imports.run("contacts", _file(tmp_path), options, by=manager)
    assert not report.wrote
    assert report.alike is None
    assert multiprocessing.active_children() == []


def test_a_cancelled_import_leaves_no_worker(tmp_path: Path, services: Services,
                                             manager: Actor) -> None:
    from funneldesk.services.common.tabular.engine import ImportCancelled

    seen: list[int] = []

    def progress(done: int, _total: int) -> None:
        seen.append(done)

    with pytest.raises(ImportCancelled):
        services.imports.run("contacts", _file(tmp_path), OPTIONS, by=manager,
                             progress=progress, cancelled=lambda: len(seen) > 5)
    assert multiprocessing.active_children() == []

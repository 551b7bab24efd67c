"""A user's activities as an iCalendar file, parsed back as a calendar reads it: one event
per planned activity with a stable UID and an alarm, all-day events for activities with no
time, and those closed since the previous file written again as cancelled."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from contextlib import closing
from dataclasses import replace
from pathlib import Path

import pytest
from icalendar import Calendar

from funneldesk.cli import main
from funneldesk.enums import ActivityKind
from funneldesk.services import Services
from funneldesk.services.activities.calendar import CalendarFile
from funneldesk.services.activities.records import ActivityFields
from funneldesk.services.dto import Actor
from tests.helpers import make_deal

TODAY = dt.date.today()
DAY = dt.timedelta(days=1)


def local(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute)).astimezone()


def events(data: bytes) -> dict[str, dict[str, object]]:
    """UID -> what a calendar reads of the event."""
    found = {}
    for event in Calendar.from_ical(data).walk("VEVENT"):
        alarms = event.walk("VALARM")
        found[str(event["UID"])] = {
            "summary": str(event["SUMMARY"]), "status": str(event["STATUS"]),
            "sequence": int(event["SEQUENCE"]), "start": event.decoded("DTSTART"),
            "end": event.decoded("DTEND"),
            "trigger": alarms[0].decoded("TRIGGER") if alarms else None,
            "description": str(event.get("DESCRIPTION", ""))}
    return found


def exported(services: Services, user_id: int) -> CalendarFile:
    """A calendar file made and written (as the command does)."""
    now = dt.datetime.now(dt.UTC)
    made = services.calendar.ics(user_id, now=now)
    services.calendar.exported(user_id, made, now)
    return made


def database_id(db_path: Path) -> str:
    with closing(sqlite3.connect(db_path)) as conn:
        return str(conn.execute(
            "SELECT value FROM team_settings WHERE key = 'database_id'").fetchone()[0])


def test_each_planned_activity_is_an_event_with_an_alarm_and_a_stable_uid(
        services: Services, manager: Actor, rep: Actor, db_path: Path) -> None:
    deal = make_deal(services, manager)
    plan = services.activities.plan
    timed = plan(ActivityFields(ActivityKind.VISIT, "现场演示", agenda="带样机", deal_id=deal.id,
                                due_on=TODAY + DAY, due_time=dt.time(15, 30), minutes=90),
                 by=manager).activity
    all_day = plan(ActivityFields(ActivityKind.CALL, "回访", deal_id=deal.id,
                                  due_on=TODAY + 3 * DAY), by=manager).activity
    overdue = plan(ActivityFields(ActivityKind.EMAIL, "Send the quote", deal_id=deal.id,
                                  due_on=TODAY - 5 * DAY), by=manager).activity
    plan(ActivityFields(ActivityKind.CALL, "not mine", deal_id=deal.id, due_on=TODAY,
                        assignee_id=rep.id), by=manager)
    later = plan(ActivityFields(ActivityKind.DEMO, "next quarter", deal_id=deal.id,
                                due_on=TODAY + 60 * DAY), by=manager).activity

    made = services.calendar.ics(manager.id, alarm_minutes=15)
    data, planned, dropped = made.data, made.planned, made.cancelled

    ident = database_id(db_path)
    found = events(data)
    assert (planned, dropped) == (4, 0)
    assert set(found) == {f"activity-{a.id}@{ident}" for a in (timed, all_day, overdue, later)}
    visit = found[f"activity-{timed.id}@{ident}"]
    assert visit["summary"] == "Visit: 现场演示"
    assert visit["start"] == local(TODAY + DAY, 15, 30)
    assert visit["end"] == local(TODAY + DAY, 17)
    assert visit["trigger"] == -dt.timedelta(minutes=15)
    assert "带样机" in str(visit["description"])
    assert deal.title in str(visit["description"])
    call = found[f"activity-{all_day.id}@{ident}"]
    assert (call["start"], call["end"]) == (TODAY + 3 * DAY, TODAY + 4 * DAY)  # all day
    assert call["trigger"] == dt.timedelta(hours=8, minutes=45)  # before nine on its day
    assert all(e["status"] == "CONFIRMED" for e in found.values())


def test_activities_closed_since_the_last_file_are_written_once_as_cancelled(
        services: Services, manager: Actor, db_path: Path) -> None:
    deal = make_deal(services, manager)
    other = make_deal(services, manager, title="Vans")
    plan = services.activities.plan
    done = plan(ActivityFields(ActivityKind.CALL, "done", deal_id=deal.id, due_on=TODAY),
                by=manager).activity
    dropped_deal = plan(ActivityFields(ActivityKind.CALL, "trashed", deal_id=other.id,
                                       due_on=TODAY + DAY), by=manager).activity
    moved = plan(ActivityFields(ActivityKind.CALL, "moved", deal_id=deal.id, due_on=TODAY),
                 by=manager).activity
    first = events(exported(services, manager.id).data)
    ident = database_id(db_path)
    assert {e["sequence"] for e in first.values()} == {0}

    services.activities.complete(done.id, "agreed", expected_version=done.version, by=manager)
    services.trash.delete(deal_id=other.id, expected_version=services.deals.detail(
        other.id).version, by=manager)
    services.activities.update(moved.id, ActivityFields(
        ActivityKind.CALL, "moved", deal_id=deal.id, due_on=TODAY + 2 * DAY),
        expected_version=services.activities.activity(moved.id).version, by=manager)
    made = exported(services, manager.id)
    data, planned, cancelled = made.data, made.planned, made.cancelled
    second = events(data)

    assert (planned, cancelled) == (1, 2)
    for activity in (done, dropped_deal):
        event = second[f"activity-{activity.id}@{ident}"]
        assert event["status"] == "CANCELLED"
        assert event["trigger"] is None
        assert event["sequence"] > first[f"activity-{activity.id}@{ident}"]["sequence"]
    moved_event = second[f"activity-{moved.id}@{ident}"]
    assert (moved_event["start"], moved_event["status"]) == (TODAY + 2 * DAY, "CONFIRMED")
    assert moved_event["sequence"] > first[f"activity-{moved.id}@{ident}"]["sequence"]
    third = events(exported(services, manager.id).data)
    assert set(third) == {f"activity-{moved.id}@{ident}"}  # cancelled once is enough


def test_the_command_lists_reminders_as_json_and_writes_the_calendar(
        services: Services, manager: Actor, rep: Actor, db_path: Path, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    deal = make_deal(services, manager)
    now = dt.datetime.now().astimezone()
    plan = services.activities.plan
    late = plan(ActivityFields(ActivityKind.CALL, "回访", deal_id=deal.id,
                               due_on=TODAY - DAY, assignee_id=rep.id), by=manager).activity
    soon = plan(ActivityFields(ActivityKind.VISIT, "拜访", deal_id=deal.id,
                               due_on=TODAY + 2 * DAY, due_time=dt.time(10),
                               assignee_id=rep.id), by=manager).activity
    plan(ActivityFields(ActivityKind.CALL, "far", deal_id=deal.id, due_on=TODAY + 30 * DAY,
                        assignee_id=rep.id), by=manager)
    untitled = plan(ActivityFields(ActivityKind.CALL, deal_id=deal.id, due_on=TODAY,
                                   assignee_id=rep.id), by=manager).activity

    assert main(["--db", str(db_path), "--lang", "zh_CN", "reminders", "--json",
                 "--user", "rep"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert listed["user"] == "rep"
    assert [(a["id"], a["kind"], a["title"]) for a in listed["today"]] == [
        (untitled.id, "call", "")]  # codes and the user's own text, never a translation
    assert [a["id"] for a in listed["overdue"]] == [late.id]
    assert listed["overdue"][0] == {
        "id": late.id, "kind": "call", "title": "回访", "due": (TODAY - DAY).isoformat(),
        "deal": {"id": deal.id, "name": deal.title}, "company": None, "contact": None}
    (upcoming,) = listed["upcoming"]
    assert upcoming["id"] == soon.id
    assert dt.datetime.fromisoformat(upcoming["due"]) == dt.datetime.combine(
        TODAY + 2 * DAY, dt.time(10)).astimezone()
    assert dt.datetime.fromisoformat(upcoming["due"]).utcoffset() == now.utcoffset()

    target = tmp_path / "rep.ics"
    assert main(["--db", str(db_path), "reminders", "--user", "rep", "--ics",
                 str(target)]) == 0
    assert "4 planned activities written" in capsys.readouterr().out
    assert len(events(target.read_bytes())) == 4
    assert main(["--db", str(db_path), "reminders", "--user", "nobody"]) == 1
    assert "no user “nobody”" in capsys.readouterr().err
    # a file that could not be written does not count as the last one: what closes
    # meanwhile is still cancelled in the next file
    services.activities.complete(late.id, "", expected_version=late.version, by=rep)
    assert main(["--db", str(db_path), "reminders", "--user", "rep", "--ics",
                 str(tmp_path / "no such folder" / "rep.ics")]) == 1
    assert main(["--db", str(db_path), "reminders", "--user", "rep", "--ics",
                 str(target)]) == 0
    cancelled = [e for e in events(target.read_bytes()).values()
                 if e["status"] == "CANCELLED"]
    assert [e["summary"] for e in cancelled] == ["Call: 回访"]


def test_activities_export_to_csv_and_xlsx_with_their_deals_and_times(
        services: Services, manager: Actor, db_path: Path, tmp_path: Path) -> None:
    deal = make_deal(services, manager)
    trashed = make_deal(services, manager, title="Vans")
    plan = services.activities.plan
    visit = plan(ActivityFields(ActivityKind.VISIT, "现场演示", deal_id=deal.id,
                                due_on=TODAY, due_time=dt.time(15, 30), minutes=60),
                 by=manager).activity
    services.activities.complete(visit.id, "客户认可", expected_version=visit.version,
                                 by=manager)
    plan(ActivityFields(ActivityKind.CALL, "gone", deal_id=trashed.id, due_on=TODAY),
         by=manager)
    services.trash.delete(deal_id=trashed.id, expected_version=services.deals.detail(
        trashed.id).version, by=manager)

    assert main(["--db", str(db_path), "export", "activities", str(tmp_path / "a.csv")]) == 0
    with (tmp_path / "a.csv").open(encoding="utf-8-sig", newline="") as f:
        import csv

        (row,) = list(csv.DictReader(f))
    assert {k: row[k] for k in ("id", "kind", "state", "title", "due_on", "due_time",
                                "minutes", "deal", "outcome")} == {
        "id": str(visit.id), "kind": "visit", "state": "done", "title": "现场演示",
        "due_on": TODAY.isoformat(), "due_time": "15:30", "minutes": "60",
        "deal": deal.title, "outcome": "客户认可"}
    assert main(["--db", str(db_path), "--lang", "zh_CN", "export", "activities",
                 str(tmp_path / "a.xlsx"), "--headers", "labels"]) == 0
    import openpyxl

    sheet = openpyxl.load_workbook(tmp_path / "a.xlsx").worksheets[0]
    header, values = ([c.value for c in r] for r in sheet.iter_rows(max_row=2))
    assert dict(zip(header, values, strict=True))["类型"] == "拜访"


def test_every_event_no_longer_planned_for_the_user_is_cancelled_and_never_outranked(
        services: Services, manager: Actor, rep: Actor, db_path: Path) -> None:
    plan, ident = services.activities.plan, database_id(db_path)
    deal = make_deal(services, manager)
    trashed = make_deal(services, manager, title="Vans")
    purged = make_deal(services, manager, title="Kiosks")

    def planned(title: str, deal_id: int) -> int:
        return plan(ActivityFields(ActivityKind.CALL, title, deal_id=deal_id,
                                   due_on=TODAY + DAY), by=manager).activity.id

    given, undated = planned("given away", deal.id), planned("undated", deal.id)
    restored, gone = planned("restored", trashed.id), planned("purged", purged.id)
    exported(services, manager.id)

    activity = services.activities.activity
    services.activities.update(given, replace(activity(given).fields(), assignee_id=rep.id),
                               expected_version=activity(given).version, by=manager)
    services.activities.update(undated, replace(activity(undated).fields(), due_on=None),
                               expected_version=activity(undated).version, by=manager)
    for doomed in (trashed, purged):
        services.trash.delete(deal_id=doomed.id, expected_version=services.deals.detail(
            doomed.id).version, by=manager)
    services.trash.empty(deal_ids=[purged.id], by=manager)
    second = events(exported(services, manager.id).data)
    assert {u: e["status"] for u, e in second.items()} == {
        f"activity-{a}@{ident}": "CANCELLED" for a in (given, undated, restored, gone)}
    assert second[f"activity-{gone}@{ident}"]["summary"] == "Call: purged"  # though gone

    in_trash = next(d for d in services.trash.deals() if d.id == trashed.id)
    services.trash.restore(deal_id=trashed.id, expected_version=in_trash.version, by=manager)
    third = events(exported(services, manager.id).data)
    back = third[f"activity-{restored}@{ident}"]
    assert back["status"] == "CONFIRMED"
    assert back["sequence"] > second[f"activity-{restored}@{ident}"]["sequence"]
    assert set(third) == {f"activity-{restored}@{ident}"}  # the others were cancelled once

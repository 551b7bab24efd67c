"""``funneldesk reminders``: what a user has to do (overdue, today, the next 7 days), as
text or JSON, or every planned activity as an iCalendar file with alarms."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

from funneldesk import formatting
from funneldesk.cli.common import opened_services
from funneldesk.i18n import _, ngettext


def add_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser],
                 common: argparse.ArgumentParser) -> None:
    command = sub.add_parser(
        "reminders", parents=[common],
        help=_("list a user's overdue activities, today's and the next 7 days'"),
        description=_("Lists the activities planned for the operating-system user (or "
                      "LOGIN): overdue, due today, and the next 7 days. With --ics, writes "
                      "every planned activity to an iCalendar file that phone and desktop "
                      "calendars import, each with an alarm; importing a newer file "
                      "updates the events and drops those done or cancelled since."))
    command.add_argument("--json", action="store_true", help=_("write JSON"))
    command.add_argument("--user", metavar="LOGIN", help=_("another user's reminders"))
    command.add_argument("--ics", type=Path, metavar="FILE",
                         help=_("write the planned activities to this iCalendar file"))
    command.set_defaults(run=run_reminders)


def run_reminders(args: argparse.Namespace) -> int:
    from funneldesk.services.activities.records import section_heading
    from funneldesk.settings import Settings

    with opened_services(args) as services:
        user = services.users.named(args.user) if args.user else services.users.current()
        if args.ics is not None:
            now = dt.datetime.now(dt.UTC)
            made = services.calendar.ics(
                user.id, alarm_minutes=Settings().get("reminders.alarm_minutes"), now=now)
            _write(args.ics, made.data)
            services.calendar.exported(user.id, made, now)  # only once the file is there
            print(ngettext("{n} planned activity written to {path}",
                           "{n} planned activities written to {path}", made.planned).format(
                n=formatting.number(made.planned), path=args.ics))
            if made.cancelled:
                print(ngettext("{n} activity no longer planned since the last file is "
                               "written as cancelled",
                               "{n} activities no longer planned since the last file are "
                               "written as cancelled", made.cancelled).format(
                    n=formatting.number(made.cancelled)))
            return 0
        found = services.reminders.reminders(user.id)
    sections = {"overdue": found.overdue, "today": found.today, "upcoming": found.upcoming}
    if args.json:
        json.dump({"user": user.login, **{k: [_plain(a) for a in v]
                                          for k, v in sections.items()}},
                  sys.stdout, ensure_ascii=False, indent=1)
        print()
        return 0
    print(_("Reminders for {user}").format(user=found.user))
    for key, activities in sections.items():
        print(f"\n{section_heading(key, len(activities))}")
        for activity in activities:
            print(f"  {activity.due_text}  {activity.summary}"
                  + "".join(f" · {name}" for name in (activity.deal, activity.company,
                                                      activity.contact) if name))
    return 0


def _write(path: Path, data: bytes) -> None:
    from funneldesk.errors import InvalidInput

    try:
        path.write_bytes(data)
    except OSError as error:
        raise InvalidInput("ics", _("FunnelDesk cannot write {path}: {reason}").format(
            path=path, reason=error.strerror or error)) from None


def _due(activity: Any) -> str | None:
    if activity.due_at is not None:
        return str(activity.due_at.astimezone().isoformat(timespec="minutes"))
    return activity.due_on.isoformat() if activity.due_on is not None else None


def _plain(activity: Any) -> dict[str, Any]:
    return {"id": activity.id, "kind": activity.kind.value,
            "title": activity.title, "due": _due(activity),
            "deal": _named(activity.deal_id, activity.deal),
            "company": _named(activity.company_id, activity.company),
            "contact": _named(activity.contact_id, activity.contact)}


def _named(ident: int | None, name: str) -> dict[str, Any] | None:
    return {"id": ident, "name": name} if ident is not None else None

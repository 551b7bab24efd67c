"""A second FunnelDesk on the same database file, run as its own process by the tests.

    python -m tests.services.second_app DB LOGIN ACTION ARGS...

It acts as the user LOGIN (created on first use) through the real services and prints
one line: the outcome of each action (``ok VERSION``, ``busy``, ``stale WHO`` ...).
Actions:
    value DEAL VERSION AMOUNT       sets the deal's value (expected version VERSION)
    untick DEAL CRITERION           unticks a criterion
    hold                            takes the write lock, prints ``holding``, keeps it
                                    until a line arrives on stdin
    squeeze STAGE ANCHOR DEAL...    drops each DEAL just above ANCHOR, over and over
                                    (ROUNDS times, from the environment), printing
                                    one line per round
"""

from __future__ import annotations

import dataclasses
import os
import sqlite3
import sys
from decimal import Decimal

from funneldesk import i18n
from funneldesk.db import open_database
from funneldesk.errors import DatabaseBusy, StaleEdit
from funneldesk.services import Services
from funneldesk.services.dto import Actor

BUSY_MS = int(os.environ.get("SECOND_APP_BUSY_MS", "5000"))


def main(path: str, login: str, action: str, *args: str) -> None:
    i18n.set_language("en")
    if action == "hold":
        hold(path)
        return
    services = Services(open_database(path, busy_timeout_ms=BUSY_MS))
    try:
        me = services.users.current(login)
        if action == "value":
            deal, version, amount = int(args[0]), int(args[1]), Decimal(args[2])
            fields = dataclasses.replace(services.deals.detail(deal).fields, value=amount)
            result = services.deals.update(deal_id=deal, expected_version=version,
                                           fields=fields, by=me)
            print("ok", result.card.version, flush=True)
        elif action == "untick":
            deal = int(args[0])  # the version as saved now: bob acts on what he sees
            services.deals.set_criterion(deal_id=deal, criterion_id=int(args[1]), checked=False,
                                         by=me, expected_version=services.deals.detail(deal).version)
            print("ok", flush=True)
        elif action == "squeeze":
            squeeze(services, me, int(args[0]), int(args[1]), [int(a) for a in args[2:]])
        else:
            raise SystemExit(f"unknown action {action}")
    except DatabaseBusy:
        print("busy", flush=True)
    except StaleEdit as error:
        print("stale", error.changed_by, flush=True)


def hold(path: str) -> None:
    """Holds the write lock the way any other writer would: an open IMMEDIATE transaction."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")
    print("holding", flush=True)
    sys.stdin.readline()
    conn.execute("ROLLBACK")
    conn.close()


def squeeze(services: Services, me: Actor, stage_id: int, anchor: int, deals: list[int]) -> None:
    versions = {d: services.deals.detail(d).version for d in deals}
    for _round in range(int(os.environ.get("ROUNDS", "10"))):
        for deal in deals:
            result = services.moves.move_deal(deal_id=deal, to_stage_id=stage_id,
                                              before_id=anchor, expected_version=versions[deal],
                                              by=me)
            versions[deal] = result.card.version
        print("round", flush=True)


if __name__ == "__main__":
    main(*sys.argv[1:])

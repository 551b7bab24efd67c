"""Writes to a FunnelDesk database until killed: deals created one per transaction, with a
checkpoint after each, so that the main file changes under any reader. Prints one line
per committed deal."""

from __future__ import annotations

import sys

from funneldesk import i18n
from funneldesk.db import open_database
from funneldesk.services import Services
from tests.helpers import make_deal


def main(path: str) -> None:
    i18n.set_language("en")
    db = open_database(path)
    services = Services.for_database(db)
    me = services.users.current("writer")
    n = 0
    while True:
        n += 1
        make_deal(services, me, title=f"Written while checked {n} " + "x" * 200)
        # move the committed pages into the main file now, as a busy day's checkpoints do
        db.query("PRAGMA wal_checkpoint(PASSIVE)")
        print(n, flush=True)


if __name__ == "__main__":
    main(sys.argv[1])

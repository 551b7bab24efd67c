"""Moves deals back and forth until killed, printing each move once it is committed."""

from __future__ import annotations

import sys

from funneldesk import i18n
from funneldesk.db import open_database
from funneldesk.services import Services
from tests.helpers import make_deal, stage, tick_all, version


def main(path: str) -> None:
    i18n.set_language("en")
    services = Services.for_database(open_database(path))
    me = services.users.current("mover")
    cards = [make_deal(services, me, title=f"D{i}", stage_name="Proposal") for i in range(20)]
    for c in cards:  # so that the forward move back to Proposal is allowed
        tick_all(services, me, c.id, "Initial contact", "Needs analysis", "Proposal")
    targets = [stage(services, "Initial contact").id, stage(services, "Proposal").id]
    versions = {c.id: version(services, c.id) for c in cards}  # ticks changed them
    n = 0
    while True:
        for c in cards:
            result = services.moves.move_deal(deal_id=c.id, to_stage_id=targets[n % 2],
                                              before_id=None, expected_version=versions[c.id],
                                              by=me)
            versions[c.id] = result.card.version
            print(result.change_id, c.id, targets[n % 2], flush=True)
        n += 1


if __name__ == "__main__":
    main(sys.argv[1])

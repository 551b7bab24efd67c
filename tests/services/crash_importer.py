"""Imports a big contacts file, printing its progress (and the process id of the worker
that looks for names alike beside it), until killed."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from funneldesk import i18n
from funneldesk.db import open_database
from funneldesk.services import Services
from funneldesk.services.common.tabular.engine import ImportOptions
from funneldesk.services.customers import alike_apart


def main(database: str, source: str) -> None:
    i18n.set_language("en")
    services = Services.for_database(open_database(database))
    me = services.users.current("importer")
    options = ImportOptions(columns={"name": "name", "company": "company", "phone": "phone"})

    def progress(done: int, total: int) -> None:
        print(done, total, flush=True)

    started = alike_apart.AlikeApart.__init__

    def told(look: alike_apart.AlikeApart, *args: Any) -> None:
        started(look, *args)
        print("worker", look._worker.pid, flush=True)

    alike_apart.AlikeApart.__init__ = told  # type: ignore[method-assign]

    services.imports.run("contacts", Path(source), options, by=me, progress=progress)
    print("committed", flush=True)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])

"""The names-alike look of a big import, run beside it in a worker process.

An import checks and writes on two cores (its rows here, SQLite on a writer thread), and
leaves part of the second free. A worker process reads the names the database held before
the import (a reader sees what was committed), then takes each batch of companies and
contacts the import makes as it makes them, and compares each on arrival
(``name_pairs.Colleagues``): when the import commits, what it made that is alike to
another record is known within a few hundredths of a second, where a look after it took
most of a second per 100,000 contacts. It counts what ``DuplicateService
.alike_after_import`` counts.

The worker imports only name_pairs.py and what it needs, so that it starts in a fraction
of a second; a small import is looked at after it instead (``LOOK_APART_ROWS``). A worker
that cannot start, fails or dies costs nothing but that look: the caller looks after the
import as for a small one.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import queue
import sqlite3
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from funneldesk.services.customers.name_pairs import (
    NAME_THRESHOLD,
    Colleagues,
    NameIndex,
    made_alike,
)

LOOK_APART_ROWS = 20_000  # records an import needs before a worker is worth its start
_PATIENCE_S = 0.5  # between two looks at whether a silent worker is still alive


class AlikeApart:
    """This process's side: ``made`` hands over what the import makes, ``result`` waits
    for the counts once it has committed, ``close`` ends the worker in any case."""

    def __init__(self, path: Path, below: Mapping[str, int]) -> None:
        spawn = multiprocessing.get_context("spawn")  # no copy of this process's threads
        self._inbox: Any = spawn.Queue()  # a feeding thread: a put never waits for the worker
        self._outbox: Any = spawn.Queue()
        self._worker = spawn.Process(target=_look, name="funneldesk-alike", daemon=True,
                                     args=(str(path), dict(below), self._inbox,
                                           self._outbox, NAME_THRESHOLD))
        self._worker.start()
        self._ended = False

    def made(self, entity: str, ids: Sequence[int], names: Sequence[str],
             companies: Sequence[int | None] | None = None,
             keys: Sequence[str] | None = None) -> None:
        """Records the import made (numbered ``ids``): companies by name, contacts with
        their companies and the sort keys of their names."""
        count = len(ids)
        self._inbox.put((entity, list(ids), list(names),
                         list(companies) if companies is not None else [None] * count,
                         list(keys) if keys is not None else [""] * count))

    def end(self) -> None:
        """Nothing more comes: the worker counts (while this process commits)."""
        if not self._ended:
            self._ended = True
            self._inbox.put(None)

    def result(self) -> dict[str, int] | None:
        """By kind of record, how many the import made have a name alike to another's
        (kinds with none left out); None if the worker failed or died."""
        self.end()
        while True:
            try:
                outcome = self._outbox.get(timeout=_PATIENCE_S)
            except queue.Empty:
                if not self._worker.is_alive():
                    return None
                continue
            return outcome if isinstance(outcome, dict) else None

    def close(self) -> None:
        if self._worker.is_alive():
            self._worker.terminate()
        self._worker.join()
        for channel in (self._inbox, self._outbox):
            channel.close()
            channel.cancel_join_thread()  # what it still holds is for a worker gone


def _look(path: str, below: dict[str, int], inbox: Any, outbox: Any,
          min_score: float) -> None:
    """In the worker: the names there were (ids below ``below``), then what ``inbox``
    brings until None; puts the counts (or the failure, as text) in ``outbox``."""
    gc.disable()  # its many rows make no cycles
    if hasattr(os, "nice"):  # the import's own threads first: this takes the core they leave
        os.nice(19)
    _end_with_parent()
    try:
        people, firms = Colleagues(min_score), NameIndex(min_score)
        with sqlite3.connect(f"{Path(path).as_uri()}?mode=ro", uri=True) as conn:
            people.add(conn.execute(
                "SELECT id, name, company_id, sort_name FROM contacts WHERE id < ? "
                "AND deleted_at IS NULL AND merged_into_id IS NULL ORDER BY id",
                (below["contact"],)), new=False)
            for ident, name in conn.execute(
                    "SELECT id, name FROM companies WHERE id < ? "
                    "AND deleted_at IS NULL AND merged_into_id IS NULL", (below["company"],)):
                firms.file_company(ident, name)
        made: set[str] = set()
        while (batch := inbox.get()) is not None:
            entity, ids, names, companies, keys = batch
            made.add(entity)
            if entity == "contact":
                people.add(zip(ids, names, companies, keys, strict=True), new=True)
            else:
                for ident, name in zip(ids, names, strict=True):
                    firms.file_company(ident, name)
        found: dict[str, int] = {}
        if "company" in made:
            def new_firm(ident: int) -> bool:
                return ident >= below["company"]
            found["company"] = made_alike(firms.name_pairs(new_firm), firms.place, new_firm)
        if "contact" in made:
            def new_person(ident: int) -> bool:
                return ident >= below["contact"]
            found["contact"] = made_alike(people.pairs(new_person), lambda _i: "", new_person)
        outbox.put({entity: count for entity, count in found.items() if count})
    except BaseException as error:
        outbox.put(repr(error))



def _end_with_parent() -> None:
    """Ends this worker the moment the import's process ends, however it ends: killed in
    the middle of handing over a batch, it would leave the worker waiting for the rest."""
    parent = multiprocessing.parent_process()
    if parent is None:
        return

    def watch() -> None:
        parent.join()
        os._exit(1)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()

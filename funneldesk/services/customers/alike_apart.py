"""The names-alike look of a big import, run beside it in a worker process.

An import checks and writes on two cores (its rows here, SQLite on a writer thread), and
leaves part of the second free. A worker process, at the lowest priority where the system
has one, reads the names the database held before the import (a reader sees what was
committed), then takes each batch of companies and contacts the import makes as it makes
them, and compares each on arrival (``name_pairs.Colleagues``): when the import commits,
how many of what it made are alike to another record is known at once, where a look
after it took most of a second per 100,000 contacts. It counts what ``DuplicateService
.alike_after_import`` counts (the same reads, ``name_pairs.LIVE_CONTACTS`` and
``LIVE_COMPANIES``).

The worker is spawned (no copy of this process's threads) and imports name_pairs.py and
the packages around it, not the ORM's models or the importers. A small import is looked at
after it instead (``LOOK_APART_ROWS``), and so is one whose worker could not start, failed,
died or took too long: that costs the look's time, never the import.

Each pipe has one end in each process only: a worker that dies closes its ends, so that
this process's writes fail and its reads end at once, and no thread of this process waits
for a worker that is gone. The worker ends the moment this process ends.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
import queue
import signal
import sqlite3
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import closing
from pathlib import Path
from typing import Any

from funneldesk.services.customers.name_pairs import (
    LIVE_COMPANIES,
    LIVE_CONTACTS,
    NAME_THRESHOLD,
    Colleagues,
    NameIndex,
    made_alike,
    strongest,
)

LOOK_APART_ROWS = 20_000  # records an import needs before a worker is worth its start
# how long the count is waited for once the import has ended, before it is left to a
# look after it (a worker at the lowest priority on a busy machine may lag far behind,
# and that look, at the caller's priority, takes a second or two)
WAIT_S = 2.0


class AlikeApart:
    """This process's side: ``made`` hands over what the import makes (a thread sends
    it, so that the import never waits for the worker), ``result`` waits for the counts
    once it has committed, ``close`` ends the worker and the sending in any case."""

    def __init__(self, path: Path, below: Mapping[str, int]) -> None:
        spawn = multiprocessing.get_context("spawn")
        their_inbox, self._inbox = spawn.Pipe(duplex=False)
        self._outbox, their_outbox = spawn.Pipe(duplex=False)
        self._worker = spawn.Process(target=_look, name="funneldesk-alike", daemon=True,
                                     args=(str(path), dict(below), their_inbox,
                                           their_outbox, NAME_THRESHOLD))
        try:
            with _interrupts_not_passed_on():
                self._worker.start()
        finally:
            their_inbox.close()  # the worker's now: gone with it
            their_outbox.close()
        self._batches: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self._sender = threading.Thread(target=self._send, name="alike-sender", daemon=True)
        self._sender.start()
        self._ended = False

    def made(self, entity: str, ids: Sequence[int], names: Sequence[str],
             companies: Sequence[int | None] | None = None,
             keys: Sequence[str] | None = None) -> None:
        """Records the import made (numbered ``ids``): companies by name, contacts with
        their companies and the sort keys of their names."""
        if not self._sender.is_alive():
            return  # the worker is gone: nothing would take it
        count = len(ids)
        self._batches.put((entity, ids if isinstance(ids, range) else list(ids),
                           _joined(names),
                           list(companies) if companies is not None else [None] * count,
                           _joined(keys) if keys is not None else [""] * count))

    def end(self) -> None:
        """Nothing more comes: the worker counts (while this process commits)."""
        if not self._ended:
            self._ended = True
            self._batches.put(None)

    def result(self) -> dict[str, int] | None:
        """By kind of record, how many the import made have a name alike to another's
        (kinds with none left out); None if the worker failed, died or took longer than
        ``WAIT_S`` once told that nothing more comes."""
        self.end()
        deadline = time.monotonic() + WAIT_S
        try:
            if not self._outbox.poll(max(0.0, deadline - time.monotonic())):
                return None
            outcome = self._outbox.recv()  # EOFError: the worker ended without a word
        except (EOFError, OSError):
            return None
        return outcome if isinstance(outcome, dict) else None

    def close(self) -> None:
        self.end()
        if self._worker.is_alive():
            self._worker.terminate()  # a sender blocked on a full pipe then fails
            self._worker.join(1.0)
            if self._worker.is_alive():  # stopped, or deaf to the request
                self._worker.kill()
        self._worker.join()
        self._worker.close()
        self._sender.join()
        self._outbox.close()

    def _send(self) -> None:
        try:
            while (batch := self._batches.get()) is not None:
                self._inbox.send(batch)
            self._inbox.send(None)
        except OSError:  # the worker is gone (failed, or terminated by close)
            pass
        finally:
            self._inbox.close()


def _look(path: str, below: dict[str, int], inbox: Any, outbox: Any,
          min_score: float) -> None:
    """In the worker: the names there were (ids below ``below``, of the kinds it names),
    then what ``inbox`` brings until None; sends the counts (or the failure, as text)
    through ``outbox``."""
    gc.disable()  # its many rows make no cycles
    if hasattr(os, "nice"):  # the import's own threads first: this takes the core they leave
        os.nice(19)
    _end_with_parent()
    try:
        people, firms = Colleagues(min_score), NameIndex(min_score)
        with closing(sqlite3.connect(f"{Path(path).as_uri()}?mode=ro", uri=True)) as conn:
            if "contact" in below:
                people.add(conn.execute(f"{LIVE_CONTACTS} AND id < ? ORDER BY id",
                                        (below["contact"],)), new=False)
            if "company" in below:
                for ident, name in conn.execute(f"{LIVE_COMPANIES} AND id < ? ORDER BY id",
                                                (below["company"],)):
                    firms.file_company(ident, name)
        made: set[str] = set()
        while (batch := inbox.recv()) is not None:
            entity, ids, names, companies, keys = batch
            names, keys = _split(names), _split(keys)
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
            found["company"] = made_alike(strongest(firms.name_pairs(new_firm)), firms.place,
                                          new_firm)
        if "contact" in made:
            def new_person(ident: int) -> bool:
                return ident >= below["contact"]
            found["contact"] = made_alike(strongest(people.pairs(new_person)),
                                          lambda _i: "", new_person)
        outbox.send({entity: count for entity, count in found.items() if count})
    except BaseException as error:
        outbox.send(repr(error))


@contextlib.contextmanager
def _interrupts_not_passed_on() -> Iterator[None]:
    """Ctrl+C reaches every process of the terminal's group: the worker, started with it
    ignored (which it keeps across its start), says nothing of it; the import's process
    decides (the command cancels the import). Only the main thread may change it."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    before = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, before)


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


def _joined(texts: Sequence[str]) -> str | list[str]:
    """Texts as one, where none holds a new line: a tenth of the time a list of them takes
    to pass between the processes."""
    joined = "\n".join(texts)
    if texts and joined.count("\n") == len(texts) - 1:
        return joined
    return list(texts)


def _split(texts: str | list[str]) -> list[str]:
    return texts.split("\n") if isinstance(texts, str) else texts

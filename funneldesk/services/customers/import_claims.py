"""Which rows of an import repeat a record: the keys (phones, emails, external ids ...)
that records already hold, and those that earlier rows of the file claim.

Rows are taken a batch at a time. A row is a duplicate when one of its keys is held; a
duplicate claims none of its keys, so a later row that shares only those is new. Only
the rows whose keys are held already, or repeat within the batch (the suspects), need
that rule applied one by one, in order; set operations find which keys clash, and the
others claim their keys all at once. Finding the suspects still takes a pass over each
clashing field's keys, and reading their keys a pass over all of the batch's, but no
other work per row: testing each row's keys one by one took a tenth of a 100,000-row
import (py-spy).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from itertools import compress
from operator import itemgetter, not_
from typing import NamedTuple


class Column(NamedTuple):
    """One field's keys in a batch, and the row (0, 1, ...) each belongs to."""

    rows: Sequence[int]  # a range where every row has one key
    keys: Sequence[str]

    @classmethod
    def of(cls, lists: Sequence[Sequence[str]]) -> Column:
        """From each row's list of keys."""
        if set(map(len, lists)) == {1}:
            return cls(range(len(lists)), list(map(itemgetter(0), lists)))
        return cls([n for n, listed in enumerate(lists) for _key in listed],
                   [key for listed in lists for key in listed])


Keys = Mapping[str, Column]  # field -> its keys, fields in the order a duplicate names them


class Claims:
    def __init__(self, held: Mapping[str, Iterable[str]]) -> None:
        self.held: dict[str, set[str]] = {field: set(keys) for field, keys in held.items()}

    def claim(self, keys: Keys, count: int) -> list[str | None]:
        """For each of ``count`` rows, in order: None when the row claims its keys, else
        the field of its first key held already."""
        suspects: set[int] = set()
        for field, (rows, found) in keys.items():
            held = self.held.setdefault(field, set())
            clashing = held.intersection(found)
            if len(set(found)) != len(found):
                clashing.update(key for key, seen in Counter(found).items() if seen > 1)
            if clashing:
                suspects.update(compress(rows, map(clashing.__contains__, found)))
        fates: list[str | None] = [None] * count
        if suspects:
            # a key of a row that is no suspect is nowhere else in the batch nor held, so
            # the suspects, in order, decide among themselves
            theirs: dict[int, list[tuple[str, str]]] = {row: [] for row in sorted(suspects)}
            for field, (rows, found) in keys.items():
                if isinstance(rows, range) and rows.start == 0 and len(rows) == count:
                    for row, pairs in theirs.items():  # one key a row, in order
                        pairs.append((field, found[row]))
                    continue
                for row, key in zip(rows, found, strict=True):
                    if row in theirs:
                        theirs[row].append((field, key))
            for row, pairs in theirs.items():
                fates[row] = next((field for field, key in pairs if key in self.held[field]),
                                  None)
                if fates[row] is None:
                    for field, key in pairs:
                        self.held[field].add(key)
        if not suspects:
            for field, (_rows, found) in keys.items():
                self.held[field].update(found)
            return fates
        claiming = list(map(not_, fates))
        for field, (rows, found) in keys.items():
            every = isinstance(rows, range) and rows.start == 0 and len(rows) == count
            self.held[field].update(compress(found, claiming if every
                                             else map(claiming.__getitem__, rows)))
        return fates


def casefolded(texts: Sequence[str]) -> list[str]:
    """Each text case-folded (in one pass over them all where none holds a new line)."""
    joined = "\n".join(texts)
    if texts and joined.count("\n") == len(texts) - 1:
        return joined.casefold().split("\n")
    return [text.casefold() for text in texts]

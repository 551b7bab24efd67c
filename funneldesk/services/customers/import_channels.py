"""The phones and emails of a batch of imported rows: read from the rows once, keyed for
the duplicate search, and written column by column for the records the batch creates.

Where every row has one of a kind, the most common case, the columns are built without a
loop in Python and the records' ids are numbered by SQLite (see common/bulk.py)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from itertools import accumulate, compress
from typing import Any, NamedTuple

from funneldesk.services.customers import validation
from funneldesk.services.customers.import_claims import Column, casefolded


class Channels(NamedTuple):
    """One kind's channels (phones or emails) of a batch: each value, its key, and the
    row (0, 1, ...) it belongs to, in the rows' order."""

    kind: str
    rows: Sequence[int]  # a range where every row has one
    values: Sequence[str]
    keys: Sequence[str]

    @classmethod
    def of(cls, kind: str, found: Sequence[Mapping[str, Any]]) -> Channels:
        """Of the rows' values ``found`` (a kind's field holds a list)."""
        rows, values = Column.of([row.get(kind, ()) for row in found])
        keys = validation.phone_keys(values) if kind == "phone" else casefolded(values)
        return cls(kind, rows, values, keys)

    @property
    def column(self) -> Column:
        return Column(self.rows, self.keys)

    def kept(self, accepted: Sequence[bool]) -> Channels:
        """Those of the rows ``accepted``, the rows numbered anew among them."""
        if all(accepted):
            return self
        by_value = list(map(accepted.__getitem__, self.rows))
        values = list(compress(self.values, by_value))
        rows: Sequence[int]
        if isinstance(self.rows, range):
            rows = range(len(values))
        else:
            place = list(accumulate(accepted))  # an accepted row's place, from 1
            rows = [place[row] - 1 for row in compress(self.rows, by_value)]
        return Channels(self.kind, rows, values, list(compress(self.keys, by_value)))


def channel_inserts(entity: str, ids: range, phones: Channels, emails: Channels
                    ) -> list[dict[str, Sequence[Any]]]:
    """The inserts of the channels of new records numbered ``ids`` (row n is ids[n]):
    one per kind, column by column. A record's phones come first, then its emails: its
    kind, and most often its position and a key equal to its value, are then the same on
    every row, which the writer binds once (less to write into each batch's JSON)."""
    phones_before = _counts(phones.rows, len(ids))
    inserts: list[dict[str, Sequence[Any]]] = []
    for channels, before in ((phones, None), (emails, phones_before)):
        if not channels.values:
            continue
        rows = channels.rows
        owners = ids if isinstance(rows, range) else [ids.start + row for row in rows]
        positions = _places(rows)
        if before is not None:
            positions = [n + before[row] for n, row in zip(positions, rows, strict=True)]
        inserts.append({f"{entity}_id": owners, "kind": [channels.kind] * len(owners),
                        "value": channels.values, "key": channels.keys,
                        "position": positions})
    return inserts


def _counts(rows: Sequence[int], count: int) -> list[int]:
    """How many of ``rows`` name each of ``count`` rows."""
    if isinstance(rows, range):
        return [1] * count
    counts = [0] * count
    for row in rows:
        counts[row] += 1
    return counts


def _places(rows: Sequence[int]) -> list[int]:
    """Each value's place among its row's (rows come in order)."""
    if isinstance(rows, range):
        return [0] * len(rows)
    places: list[int] = []
    last, place = -1, 0
    for row in rows:
        place = place + 1 if row == last else 0
        places.append(place)
        last = row
    return places

"""Records of the sample-data area."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class SampleCounts:
    """Sample records that removing the sample data takes away (or took away)."""

    deals: int
    companies: int
    contacts: int
    users: int

    @property
    def total(self) -> int:
        return self.deals + self.companies + self.contacts + self.users

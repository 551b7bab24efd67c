"""Records of the customers area."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Named:
    id: int
    name: str
    company_id: int | None = None

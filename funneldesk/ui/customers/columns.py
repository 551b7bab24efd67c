"""The columns of the customers lists: their headers and what each cell shows (named in
services/customers/list_text.py, which the Export writes too), and their default widths
here."""

from __future__ import annotations

from funneldesk.services.customers.list_text import cell, header, owner_text
from funneldesk.services.dto import CustomerColumn

__all__ = ["NUMERIC", "WIDTHS", "cell", "header", "owner_text"]

C = CustomerColumn

WIDTHS = {
    C.NAME: 220, C.COMPANY: 220, C.TITLE: 130, C.ROLE: 110, C.CITY: 130, C.INDUSTRY: 110,
    C.SEGMENT: 100, C.OWNER: 110, C.KEY_LEVEL: 70, C.LEAD_SOURCE: 120, C.TAGS: 150,
    C.OPEN_DEALS: 80, C.PHONE: 130, C.EMAIL: 190, C.CONSENT: 90, C.CREATED: 100,
}

# right-aligned: counts
NUMERIC = frozenset({C.OPEN_DEALS})

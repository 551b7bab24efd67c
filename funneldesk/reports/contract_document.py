"""What a contract's PDF shows, as plain data: the services fill it, the renderer draws
it. Every text is already in the contract's language and every amount formatted."""

from __future__ import annotations

from dataclasses import dataclass

from funneldesk.reports.quote_document import Letterhead, PdfLine


@dataclass(frozen=True, slots=True)
class PdfMilestone:
    label: str
    due: str
    share: str  # "30%", or "" for a fixed amount
    amount: str


@dataclass(frozen=True, slots=True)
class ContractPdf:
    language: str  # zh_CN or en: the labels' language
    letterhead: Letterhead
    number: str
    title: str
    date: str
    quote_number: str
    buyer: str
    buyer_address: str
    buyer_contact: str
    currency: str
    prices_include_tax: bool
    items: tuple[PdfLine, ...]
    subtotal: str
    tax: str
    total: str
    in_words: str  # the total in capital numerals (CNY), else ""
    milestones: tuple[PdfMilestone, ...]
    clauses: tuple[tuple[str, str], ...]  # (heading, text), placeholders filled
    commitments: tuple[tuple[str, str], ...] = ()  # (what, promise)
    watermark: tuple[str, str] | None = None  # (big, small) across every page

"""What a quote's PDF shows, as plain data: the services fill it, the renderer draws it.
Every text is already in the quote's language and every amount already formatted."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Letterhead:
    name: str = ""
    address: str = ""
    phone: str = ""
    email: str = ""
    tax_number: str = ""
    bank: str = ""
    account: str = ""
    logo: bytes = b""  # PNG or JPEG; empty: none


@dataclass(frozen=True, slots=True)
class PdfLine:
    name: str
    description: str
    unit: str
    quantity: str
    unit_price: str
    discount: str  # "" when none
    amount: str
    product_key: int = 0  # lines of the same product line up side by side


@dataclass(frozen=True, slots=True)
class PdfOption:
    name: str
    lines: tuple[PdfLine, ...]
    subtotal: str
    tax: str
    total: str
    in_words: str  # the total in capital numerals (CNY), else ""


@dataclass(frozen=True, slots=True)
class QuotePdf:
    language: str  # zh_CN or en: the labels' language
    letterhead: Letterhead
    number: str
    revision: int
    issued: str
    valid_until: str
    customer: str
    contact: str
    contact_details: str
    owner: str
    owner_details: str
    title: str
    currency: str
    prices_include_tax: bool
    options: tuple[PdfOption, ...]
    payment_terms: str
    delivery_terms: str
    notes: str
    draft: bool = False  # below floor and not approved: every page says so
    details: tuple[tuple[str, str], ...] = field(default_factory=tuple)

"""The product catalogue: what quotes' lines are made of. Managers keep it; everyone reads
it, converted to a quote's currency where the quote needs that."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from funneldesk.collation import sort_key
from funneldesk.db.stale import last_change
from funneldesk.errors import InvalidFields, InvalidInput
from funneldesk.i18n import _, ngettext
from funneldesk.models import Product
from funneldesk.money import round_cents
from funneldesk.services.common import audit
from funneldesk.services.common.base import Service
from funneldesk.services.common.lookups import get_or_raise
from funneldesk.services.common.money import check_amount
from funneldesk.services.common.permissions import require_manager
from funneldesk.services.common.records import Actor, ChangeSet
from funneldesk.services.common.sql import session_query
from funneldesk.services.quotes.records import CatalogueItem, ProductDraft
from funneldesk.services.team import reads as team_reads
from funneldesk.services.team.products import base_currency_in, find_product
from funneldesk.services.team.rates import check_currency

_FIELDS = ("name", "code", "name_en", "unit", "description", "currency", "list_price",
           "floor_price", "cost", "tax_rate", "active")


def item_of(product: Product) -> CatalogueItem:
    return CatalogueItem(product.id, product.code, product.name, product.name_en, product.unit,
                         product.description, product.currency, product.list_price,
                         product.floor_price, product.cost, product.tax_rate, product.active,
                         product.version)


def check_tax_rate(rate: Decimal, field: str = "tax_rate") -> Decimal:
    if not rate.is_finite() or not Decimal(0) <= rate <= Decimal(100) \
            or rate != rate.quantize(Decimal("0.01")):
        raise InvalidInput(field, _("Enter a tax rate from 0 to 100 percent, with at most "
                                    "two decimals (13 for 13%)."))
    return rate


def check_draft(draft: ProductDraft, base_currency: str) -> ProductDraft:
    """The draft as it is kept (trimmed, currency in capitals); raises InvalidFields with
    every problem, each under its field."""
    problems: list[InvalidInput] = []
    name = draft.name.strip()
    if not name:
        problems.append(InvalidInput("name", _("Enter the product's name.")))
    elif len(name) > 200:
        problems.append(InvalidInput("name", _("The name is too long: at most 200 characters.")))
    for field, limit, text in (("code", 50, draft.code), ("name_en", 200, draft.name_en),
                               ("unit", 20, draft.unit)):
        if len(text.strip()) > limit:
            problems.append(InvalidInput(field, ngettext(
                "Too long: at most {n} character.", "Too long: at most {n} characters.",
                limit).format(n=limit)))
    currency = draft.currency.strip() or base_currency
    amounts: dict[str, Decimal | None] = {}
    for field, value in (("list_price", draft.list_price), ("floor_price", draft.floor_price),
                         ("cost", draft.cost)):
        try:
            amounts[field] = None if value is None else check_amount(value, field)
        except InvalidInput as problem:
            problems.append(problem)
    floor, listed = amounts.get("floor_price"), amounts.get("list_price")
    if floor is not None and listed is not None and floor > listed:
        problems.append(InvalidInput("floor_price", _(
            "The floor price is above the list price: a rep could not quote the list price "
            "without an approval.")))
    try:
        currency = check_currency(currency)
    except InvalidInput as problem:
        problems.append(problem)
    try:
        check_tax_rate(draft.tax_rate)
    except InvalidInput as problem:
        problems.append(problem)
    if problems:
        raise InvalidFields.of(problems)
    return replace(draft, name=name, code=draft.code.strip(), name_en=draft.name_en.strip(),
                   unit=draft.unit.strip(), description=draft.description.strip(),
                   currency=currency, list_price=listed or Decimal(0),
                   floor_price=floor, cost=amounts.get("cost"))


def converted(item: CatalogueItem, currency: str, rates: dict[str, Decimal],
              base: str) -> CatalogueItem | None:
    """``item`` with its prices in ``currency``, each rounded half-up to the cent; None
    when a rate it needs is missing."""
    if item.currency == currency:
        return item
    to_base = Decimal(1) if item.currency == base else rates.get(item.currency)
    from_base = Decimal(1) if currency == base else rates.get(currency)
    if to_base is None or not from_base:
        return None

    def convert(amount: Decimal | None) -> Decimal | None:
        return None if amount is None else round_cents(amount * to_base / from_base)

    return replace(item, currency=currency, list_price=convert(item.list_price) or Decimal(0),
                   floor_price=convert(item.floor_price), cost=convert(item.cost))


class CatalogueService(Service):
    def items(self, *, inactive: bool = False) -> list[CatalogueItem]:
        """The catalogue by name, in pinyin order."""
        with self.db.reading() as session:
            products = session.scalars(select(Product)).all()
            items = [item_of(p) for p in products if inactive or p.active]
        return sorted(items, key=lambda item: (sort_key(item.name), item.id))

    def item(self, product_id: int) -> CatalogueItem:
        with self.db.reading() as session:
            return item_of(get_or_raise(session, Product, product_id, "product"))

    def add(self, draft: ProductDraft, *, by: Actor) -> CatalogueItem:
        require_manager(by, _("Only a manager can change the catalogue."))
        with self.db.session() as session:
            clean = check_draft(draft, base_currency_in(session))
            _check_name_free(session, clean.name, None)
            product = Product(**{name: getattr(clean, name) for name in _FIELDS})
            session.add(product)
            session.flush()
            audit.record(session, by, "create", "product", product.id, name=clean.name)
            return item_of(product)

    def update(self, product_id: int, draft: ProductDraft, *, expected_version: int,
               by: Actor) -> tuple[CatalogueItem, ChangeSet]:
        """Saves a product's fields; quotes keep the prices their lines were saved with
        until they are saved again."""
        require_manager(by, _("Only a manager can change the catalogue."))
        with self.db.session() as session:
            product = get_or_raise(session, Product, product_id, "product")
            if product.version != expected_version:
                raise last_change(session, Product, product_id)
            clean = check_draft(draft, base_currency_in(session))
            _check_name_free(session, clean.name, product_id)
            changed = {name: [getattr(product, name), getattr(clean, name)] for name in _FIELDS
                       if getattr(product, name) != getattr(clean, name)}
            for name, (_before, after) in changed.items():
                setattr(product, name, after)
            session.flush()
            if changed:
                audit.record(session, by, "update", "product", product_id, changed=changed)
            return item_of(product), ChangeSet(everything="name" in changed)


def priced_in(session: Session, currency: str) -> dict[int, CatalogueItem]:
    """Every product (inactive ones too: old lines name them) with its prices converted to
    ``currency``, read in ``session``; a product whose rate is missing is left out."""
    rates = team_reads.rates(session_query(session))
    base = base_currency_in(session)
    found = {}
    for product in session.scalars(select(Product)):
        item = converted(item_of(product), currency, rates, base)
        if item is not None:
            found[item.id] = item
    return found


def _check_name_free(session: Session, name: str, product_id: int | None) -> None:
    holder = find_product(session, name)
    if holder is not None and holder.id != product_id:
        raise InvalidInput("name", _("“{name}” is already in the catalogue.").format(name=name))

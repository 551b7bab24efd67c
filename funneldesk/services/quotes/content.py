"""A revision's content as the editor sends it: checked field by field, and written as
options and lines with the catalogue's rules copied in."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from funneldesk.errors import InvalidFields, InvalidInput
from funneldesk.i18n import _, ngettext
from funneldesk.models import QuoteLine, QuoteOption, QuoteRevision
from funneldesk.services.common.money import check_amount
from funneldesk.services.quotes.pricing import LineTerms, price_option
from funneldesk.services.quotes.records import CatalogueItem, QuoteContent

MAX_QUANTITY = Decimal("999999999")
MAX_OPTIONS = 6  # side by side on an A4 page, and more than a customer compares
MAX_LINES = 500
TEXT_LIMIT = 4000


def line_field(option: int, line: int, name: str) -> str:
    """The field name a problem of one line's cell carries (the editor marks that cell)."""
    return f"options.{option}.lines.{line}.{name}"


def stale_lines(lines: list[QuoteLine], products: dict[int, CatalogueItem]) -> bool:
    """Whether the catalogue changed since the lines were saved: a product's unit, tax
    rate, list price, floor or cost (in the quote's currency) is not what a line copied."""
    for line in lines:
        item = products.get(line.product_id)
        if item is None or (line.unit, line.tax_rate, line.list_price, line.floor_price,
                            line.cost, line.name, line.name_en) != (
                item.unit, item.tax_rate, item.list_price, item.floor_price, item.cost,
                item.name, item.name_en):
            return True
    return False


def revision_lines(session: Session, revision_id: int) -> list[QuoteLine]:
    options = select(QuoteOption.id).where(QuoteOption.revision_id == revision_id)
    return list(session.scalars(select(QuoteLine).where(QuoteLine.option_id.in_(options))))


def check_content(content: QuoteContent, products: dict[int, CatalogueItem],
                  kept: frozenset[int] = frozenset()) -> QuoteContent:
    """The content as it is kept (texts trimmed), so that it compares equal to what is
    saved; raises InvalidFields naming every problem, each under its field.
    ``products``: the catalogue in the quote's currency."""
    problems: list[InvalidInput] = []
    if not content.options:
        problems.append(InvalidInput("options", _("A quote needs at least one option.")))
    if len(content.options) > MAX_OPTIONS:
        problems.append(InvalidInput("options", ngettext("A quote has at most {n} option.",
                                              "A quote has at most {n} options.", MAX_OPTIONS)
                                     .format(n=MAX_OPTIONS)))
    names: set[str] = set()
    for o, option in enumerate(content.options):
        name = option.name.strip()
        if not name:
            problems.append(InvalidInput(f"options.{o}.name", _("Give the option a name, "
                                                                "such as Standard.")))
        elif len(name) > 100:
            problems.append(InvalidInput(f"options.{o}.name", _(
                "The option's name is too long: at most 100 characters.")))
        elif name.casefold() in names:
            problems.append(InvalidInput(f"options.{o}.name", _(
                "Two options are called “{name}”: give each its own name.").format(name=name)))
        names.add(name.casefold())
        if len(option.lines) > MAX_LINES:
            problems.append(InvalidInput(f"options.{o}.lines", ngettext(
                "An option has at most {n} line.", "An option has at most {n} lines.",
                MAX_LINES).format(n=MAX_LINES)))
        for i, line in enumerate(option.lines):
            problems.extend(_line_problems(o, i, line.product_id, line.quantity,
                                           line.unit_price, line.discount, line.description,
                                           products, kept))
    terms = content.terms
    for field, text in (("payment_terms", terms.payment_terms),
                        ("delivery_terms", terms.delivery_terms), ("notes", terms.notes)):
        if len(text) > TEXT_LIMIT:
            problems.append(InvalidInput(field, ngettext(
                "Too long: at most {n} character.", "Too long: at most {n} characters.",
                TEXT_LIMIT).format(n=TEXT_LIMIT)))
    if problems:
        raise InvalidFields.of(problems)
    return QuoteContent(
        tuple(replace(option, name=option.name.strip(), lines=tuple(
            replace(line, description=line.description.strip()) for line in option.lines))
            for option in content.options),
        replace(terms, payment_terms=terms.payment_terms.strip(),
                delivery_terms=terms.delivery_terms.strip(), notes=terms.notes.strip()))


def _line_problems(o: int, i: int, product_id: int, quantity: Decimal, unit_price: Decimal,
                   discount: Decimal, description: str, products: dict[int, CatalogueItem],
                   kept: frozenset[int]) -> list[InvalidInput]:
    problems = []
    item = products.get(product_id)
    if item is None:
        problems.append(InvalidInput(line_field(o, i, "product"), _(
            "Choose a product from the catalogue (a product in another currency needs "
            "its exchange rate).")))
    elif not item.active and product_id not in kept:
        # a product no longer offered, or one a rep named on a deal that no manager has
        # priced yet, stays on the lines that have it but joins no new one
        problems.append(InvalidInput(line_field(o, i, "product"), _(
            "“{name}” is not offered in new quotes: a manager makes it active in the "
            "catalogue, with its prices.").format(name=item.name)))
    if not quantity.is_finite() or quantity <= 0 or quantity > MAX_QUANTITY:
        problems.append(InvalidInput(line_field(o, i, "quantity"), _(
            "Enter a quantity above 0.")))
    elif quantity != quantity.quantize(Decimal("0.001")):
        problems.append(InvalidInput(line_field(o, i, "quantity"), _(
            "A quantity has at most three decimals.")))
    try:
        check_amount(unit_price, line_field(o, i, "unit_price"))
    except InvalidInput as problem:
        problems.append(problem)
    if not discount.is_finite() or not Decimal(0) <= discount <= Decimal(100) \
            or discount != discount.quantize(Decimal("0.01")):
        problems.append(InvalidInput(line_field(o, i, "discount"), _(
            "Enter a discount from 0 to 100 percent, with at most two decimals.")))
    if len(description) > TEXT_LIMIT:
        problems.append(InvalidInput(line_field(o, i, "description"), ngettext(
            "Too long: at most {n} character.", "Too long: at most {n} characters.",
            TEXT_LIMIT).format(n=TEXT_LIMIT)))
    return problems


def clear_revision(session: Session, revision_id: int) -> None:
    """Deletes the revision's options and their lines."""
    options = select(QuoteOption.id).where(QuoteOption.revision_id == revision_id)
    session.execute(delete(QuoteLine).where(QuoteLine.option_id.in_(options)))
    session.execute(delete(QuoteOption).where(QuoteOption.revision_id == revision_id))


def write_content(session: Session, revision: QuoteRevision, content: QuoteContent,
                  products: dict[int, CatalogueItem], include_tax: bool, by_id: int) -> None:
    """Replaces the revision's options and lines with ``content``; each line copies its
    product's unit, tax rate, list price, floor and cost as they are now."""
    clear_revision(session, revision.id)
    terms = content.terms
    revision.saved_by_id = by_id
    revision.valid_until = terms.valid_until
    revision.payment_terms = terms.payment_terms.strip()
    revision.delivery_terms = terms.delivery_terms.strip()
    revision.notes = terms.notes.strip()
    for position, draft in enumerate(content.options):
        lines = []
        for index, line in enumerate(draft.lines):
            product = products[line.product_id]
            lines.append(QuoteLine(
                position=index, product_id=product.id, name=product.name,
                name_en=product.name_en, description=line.description.strip(),
                unit=product.unit, quantity=line.quantity, unit_price=line.unit_price,
                discount=line.discount, tax_rate=product.tax_rate,
                list_price=product.list_price, floor_price=product.floor_price,
                cost=product.cost))
        amounts = price_option([LineTerms(x.quantity, x.unit_price, x.discount, x.tax_rate)
                                for x in lines], include_tax=include_tax)
        option = QuoteOption(revision_id=revision.id, position=position,
                             name=draft.name.strip(), subtotal=amounts.subtotal,
                             tax=amounts.tax, total=amounts.total)
        session.add(option)
        session.flush()
        for line_row in lines:
            line_row.option_id = option.id
        session.add_all(lines)
    session.flush()

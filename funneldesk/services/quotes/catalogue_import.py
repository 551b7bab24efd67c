"""``funneldesk import products``: the catalogue from a CSV or XLSX file, matched on the
product's name or code."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from funneldesk.errors import InvalidFields, InvalidInput
from funneldesk.i18n import N_, _
from funneldesk.models import Product
from funneldesk.services.common import audit
from funneldesk.services.common.permissions import require_manager
from funneldesk.services.common.records import Actor
from funneldesk.services.common.tabular.checking import require, required_fields
from funneldesk.services.common.tabular.records import Context, Field, Row
from funneldesk.services.quotes.catalogue import check_draft
from funneldesk.services.quotes.records import ProductDraft
from funneldesk.services.team.products import base_currency_in

_YES_NO = {word: "1" for word in ("yes", "y", "true", "1", "是", "在售", "启用", "active")} | {
    word: "0" for word in ("no", "n", "false", "0", "否", "停售", "停用", "inactive")}


def _f(name: str, label: str, kind: str, *aliases: str, limit: int = 0,
       required: bool = False) -> Field:
    return Field(name, label, kind, required, aliases, limit,
                 _YES_NO if kind == "choice" else None)


PRODUCT_FIELDS = (
    _f("name", N_("Product"), "text", "product", "product name", "产品", "产品名称", "名称",
       "品名", limit=200, required=True),
    _f("code", N_("Code"), "text", "sku", "product code", "编码", "产品编码", "物料编码",
       limit=50),
    _f("name_en", N_("English name"), "text", "name (en)", "english", "英文名称", "英文名",
       limit=200),
    _f("unit", N_("Unit"), "text", "uom", "单位", "计量单位", limit=20),
    _f("description", N_("Description"), "text", "描述", "说明", "规格", limit=2000),
    _f("currency", N_("Currency"), "text", "币种", "货币", limit=3),
    _f("list_price", N_("List price"), "money", "price", "unit price", "标准价", "单价",
       "标价", "目录价"),
    _f("floor_price", N_("Floor price"), "money", "minimum price", "bottom price", "底价",
       "最低价"),
    _f("cost", N_("Cost"), "money", "unit cost", "成本", "成本价"),
    _f("tax_rate", N_("Tax rate"), "percent", "tax", "vat", "税率"),
    _f("active", N_("Active"), "choice", "status", "状态", "是否在售"),
)

_ATTRIBUTES = ("name", "code", "name_en", "unit", "description", "currency", "list_price",
               "floor_price", "cost", "tax_rate", "active")


class ProductImporter:
    entity = "product"
    fields: tuple[Field, ...] = PRODUCT_FIELDS
    match_keys: tuple[str, ...] = ("name", "code")
    references_checked = False

    def check_actor(self, by: Actor) -> None:
        """Prices and floors are a manager's: a rep imports none."""
        require_manager(by, _("Only a manager can change the catalogue."))

    def parse(self, row: Row, ctx: Context) -> None:
        """Each cell is checked as it is read; the rules across cells when applied."""

    def apply(self, session: Session, rows: Iterable[Row], ctx: Context) -> None:
        key = ctx.options.match or "name"
        base = base_currency_in(session)
        products = list(session.scalars(select(Product)))
        existing = {str(getattr(p, key)).casefold(): p for p in products if getattr(p, key)}
        named = {p.name.casefold(): p for p in products}
        for row in rows:
            probe = str(row.values.get(key, "")).casefold()  # "": a blank key matches none
            product = existing.get(probe) if probe and ctx.options.mode != "create" else None
            if product is None and ctx.options.mode == "update":
                ctx.fail(row, key, "not_found")
                continue
            if product is None and not require(row, required_fields(self.fields), ctx):
                continue
            draft = _checked(row, product, base, ctx)
            if draft is None:
                continue
            holder = named.get(draft.name.casefold())
            if holder is not None and holder is not product:  # the name is another's
                ctx.fail(row, "name", "duplicate")
                continue
            if product is None:
                product = Product(**{name: getattr(draft, name) for name in _ATTRIBUTES})
                session.add(product)
                ctx.done("created")
            else:
                changed = {name: [getattr(product, name), getattr(draft, name)]
                           for name in _ATTRIBUTES
                           if getattr(product, name) != getattr(draft, name)}
                if not changed:
                    ctx.done("unchanged")
                    continue
                del named[product.name.casefold()]
                existing.pop(str(getattr(product, key)).casefold(), None)
                for name, (_before, after) in changed.items():
                    setattr(product, name, after)
                session.flush()
                audit.record(session, ctx.by, "update", "product", product.id, imported=True,
                             changed=changed)
                ctx.done("updated")
            named[product.name.casefold()] = product
            if getattr(product, key):
                existing[str(getattr(product, key)).casefold()] = product
        session.flush()
        audit.record(session, ctx.by, "import", "product", None,
                     created=ctx.report.created, updated=ctx.report.updated)


def _checked(row: Row, product: Product | None, base: str, ctx: Context) -> ProductDraft | None:
    """The row's product: its cells over what the catalogue has (a blank cell keeps the
    value); None when a rule across cells fails, reported under its column."""
    values: dict[str, Any] = {name: getattr(product, name) for name in _ATTRIBUTES} \
        if product is not None else {"currency": base, "list_price": Decimal(0),
                                     "tax_rate": Decimal(13 if base == "CNY" else 0),
                                     "active": True}
    for name in _ATTRIBUTES:
        if name in row.values:
            value = row.values[name]
            values[name] = value == "1" if name == "active" else value
    try:
        return check_draft(ProductDraft(**values), base)
    except InvalidFields as problems:
        for problem in problems.problems:
            _fail(row, problem, ctx)
        return None


def _fail(row: Row, problem: InvalidInput, ctx: Context) -> None:
    reason = {"floor_price": "floor_above_list", "currency": "unknown_currency"}.get(
        problem.field, "bad_value")
    ctx.fail(row, problem.field, reason)

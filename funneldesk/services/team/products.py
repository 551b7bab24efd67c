"""The list of products a deal names (the Quotes area grows it into the catalogue)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from funneldesk.collation import sort_key
from funneldesk.errors import InvalidInput
from funneldesk.i18n import _, language
from funneldesk.models import Product, TeamSetting
from funneldesk.services.common import audit
from funneldesk.services.common.base import Service
from funneldesk.services.common.permissions import require_manager
from funneldesk.services.common.records import Actor
from funneldesk.services.team.defaults import base_currency_for


@dataclass(frozen=True, slots=True)
class ProductInfo:
    id: int
    name: str
    code: str
    active: bool


class ProductService(Service):
    def all(self, *, inactive: bool = False) -> list[ProductInfo]:
        """The products by name, in pinyin order (a short list: sorted here)."""
        rows = self.db.query("SELECT id, name, code, active FROM products ORDER BY id")
        return sorted((ProductInfo(int(r[0]), str(r[1]), str(r[2]), bool(r[3]))
                       for r in rows if inactive or r[3]), key=lambda p: sort_key(p.name))

    def add(self, *, name: str, by: Actor, code: str = "") -> ProductInfo:
        require_manager(by, _("Only a manager can change the product list."))
        with self.db.session() as session:
            if find_product(session, name) is not None:
                raise InvalidInput("name", _("“{name}” is already on the product list.")
                                   .format(name=name.strip()))
            product = product_named(session, name, by, code=code)
            return ProductInfo(product.id, product.name, product.code, True)


def base_currency_in(session: Session) -> str:
    """The team's base currency, read in ``session`` (a new product's prices are in it)."""
    setting = session.get(TeamSetting, "base_currency")
    return setting.value if setting is not None else base_currency_for(language())


def find_product(session: Session, name: str) -> Product | None:
    """The product called ``name``, any case."""
    return session.scalar(select(Product).where(
        func.lower(Product.name) == name.strip().lower()).limit(1))


def product_named(session: Session, name: str, by: Actor | None, *, code: str = "",
                  sample: bool = False) -> Product:
    """The product called ``name``, created when the list does not have it yet."""
    clean = name.strip()
    if not clean:
        raise InvalidInput("product", _("Enter the product's name."))
    found = find_product(session, clean)
    if found is not None:
        return found
    # one a rep names (a deal's import) joins the catalogue unpriced and inactive: no quote
    # takes it until a manager prices it (a product with no floor is quoted at any price)
    product = Product(name=clean, code=code.strip(), is_sample=sample,
                      currency=base_currency_in(session),
                      active=by is None or by.is_manager)
    session.add(product)
    session.flush()
    audit.record(session, by, "create", "product", product.id, name=clean)
    return product

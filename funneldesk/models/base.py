"""Declarative base, naming convention and the column types every model shares."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import DateTime, Integer, MetaData, Numeric, TypeDecorator
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.types import TypeEngine

from funneldesk.money import from_storage, round_cents, to_hundredths

# Named constraints make Alembic diffs stable and let services map an IntegrityError
# back to the rule that was broken.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class UTCDateTime(TypeDecorator[dt.datetime]):
    """Stores aware datetimes as UTC; SQLite drops the offset, so it is put back on read."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given where an aware one is required")
        return value.astimezone(dt.UTC).replace(tzinfo=None)

    def process_result_value(self, value: Any, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        assert isinstance(value, dt.datetime)
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


class Money(TypeDecorator[Decimal]):
    """Exact money: integer hundredths on SQLite (whose NUMERIC is a binary float, so that
    SQL sums would be float arithmetic), ``Numeric(14, 2)`` elsewhere; ``Decimal`` in Python.

    Values are rounded half-up to 0.01 on the way in. ``SUM()`` over such a column keeps
    the type, so an aggregate comes back as an exact ``Decimal`` too.
    """

    impl = Numeric(14, 2, asdecimal=True)
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(Integer())
        return dialect.type_descriptor(Numeric(14, 2, asdecimal=True))

    def process_bind_param(self, value: Decimal | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if not isinstance(value, Decimal):
            raise TypeError(f"money must be a Decimal, not {type(value).__name__}")
        return to_hundredths(value) if dialect.name == "sqlite" else round_cents(value)

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        return None if value is None else from_storage(value)


class Scaled(TypeDecorator[Decimal]):
    """An exact decimal with a fixed number of places (quantities, percentages): integer
    units of the last place on SQLite, as for money, ``Numeric(14, places)`` elsewhere.

    Values with more places than the column keeps are refused, not rounded: the services
    check what users type, and a silent rounding here would hide a bug there.
    """

    impl = Numeric(14, 3, asdecimal=True)
    cache_ok = True

    def __init__(self, places: int) -> None:
        super().__init__()
        self.places = places

    def __repr__(self) -> str:  # what Alembic writes into a migration
        return f"Scaled(places={self.places})"

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(Integer())
        return dialect.type_descriptor(Numeric(14, self.places, asdecimal=True))

    def process_bind_param(self, value: Decimal | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if not isinstance(value, Decimal):
            raise TypeError(f"a scaled amount must be a Decimal, not {type(value).__name__}")
        units = value.scaleb(self.places)
        if units != units.to_integral_value():
            raise ValueError(f"{value} has more than {self.places} decimal places")
        return int(units) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        if isinstance(value, int) and not isinstance(value, bool):
            return Decimal(value).scaleb(-self.places)
        return Decimal(value).quantize(Decimal(1).scaleb(-self.places))


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)

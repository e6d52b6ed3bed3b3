"""Declarative base, naming convention and reusable column types for all models."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated

from sqlalchemy import DateTime, Integer, MetaData, Numeric, String, event, types
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column

from portfolio.domain import limits
from portfolio.domain.limits import NumberLimit

# Deterministic constraint names: Alembic autogenerate and SQLite batch migrations
# need every constraint to have a name they can refer to.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> dt.datetime:
    """The current time in UTC without tzinfo: how every timestamp is stored.

    SQLite drops time zones, so storing naive UTC keeps SQLite and PostgreSQL
    identical; Flask-Babel converts to Europe/Stockholm for display.
    """
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class _ScaledNumeric(Numeric):
    """NUMERIC(p, s) in the DDL whose values pass to and from the driver untouched."""

    cache_ok = True

    def bind_processor(self, dialect):
        return None

    def result_processor(self, dialect, coltype):
        return None


class ExactDecimal(types.TypeDecorator):
    """A Decimal stored exactly on every database, within the range of a NumberLimit.

    PostgreSQL keeps NUMERIC(digits, places). SQLite has no exact decimal type (NUMERIC has
    REAL affinity: 15 significant digits), so there the value is stored as a scaled integer
    (1234,50 kr as 123450), which SQLite keeps exactly up to 18 digits and still compares and
    sorts as a number. A value outside the limit or with more decimals than it keeps is refused
    with ValueError, never rounded: the forms and services check first and say why.
    """

    impl = Numeric
    cache_ok = True

    def __init__(self, limit: NumberLimit):
        super().__init__(limit.digits, limit.places)
        self.limit = limit

    def load_dialect_impl(self, dialect):
        if dialect.name == "sqlite":
            return dialect.type_descriptor(_ScaledNumeric(self.limit.digits, self.limit.places))
        return dialect.type_descriptor(Numeric(self.limit.digits, self.limit.places))

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        value = Decimal(value) if not isinstance(value, Decimal) else value
        if not value.is_finite() or abs(value) >= Decimal(10) ** (self.limit.digits - self.limit.places):
            raise ValueError(f"{value} is outside the range of a {self.limit.name} value")
        exact = value.quantize(Decimal(1).scaleb(-self.limit.places))
        if exact != value:
            raise ValueError(f"{value} has more than {self.limit.places} decimals")
        if dialect.name == "sqlite":
            return int(exact.scaleb(self.limit.places))
        return exact

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if dialect.name == "sqlite":
            scaled = Decimal(value) if isinstance(value, int) else Decimal(str(value))
            return scaled.scaleb(-self.limit.places)
        return value if isinstance(value, Decimal) else Decimal(str(value))


intpk = Annotated[int, mapped_column(primary_key=True)]
str200 = Annotated[str, mapped_column(String(200))]
money = Annotated[Decimal, mapped_column(ExactDecimal(limits.MONEY))]
quantity = Annotated[Decimal, mapped_column(ExactDecimal(limits.MEASURED))]
created_at = Annotated[dt.datetime, mapped_column(DateTime(), default=utcnow)]


class Base(DeclarativeBase):
    """Base class of every model; its metadata carries the naming convention."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Versioned:
    """A model whose edit forms carry its version (optimistic concurrency).

    SQLAlchemy's version counter: every UPDATE of the row adds one to `version` and only
    succeeds WHERE the version is still the one that was read, so a write based on an old read
    fails (StaleDataError) instead of overwriting. See portfolio.services.concurrency.
    """

    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1, server_default="1")

    @declared_attr.directive
    def __mapper_args__(cls):  # noqa: N805 - SQLAlchemy's declared_attr signature
        return {"version_id_col": cls.__table__.c.version}


def enum_column(enum_cls, *, constraint_name: str | None = None, **kwargs):
    """A column storing a StrEnum by value, as a plain string with a CHECK constraint.

    The constraint is named after the enum unless `constraint_name` is given (needed when
    one table has two columns of the same enum).
    """
    from sqlalchemy import Enum

    return mapped_column(
        Enum(
            enum_cls,
            values_callable=lambda cls: [member.value for member in cls],
            native_enum=False,
            create_constraint=True,
            length=32,
            name=constraint_name or enum_cls.__name__.lower(),
            validate_strings=True,
        ),
        **kwargs,
    )


def _refuse_change(mapper, connection, target) -> None:  # noqa: ARG001 - SQLAlchemy event signature
    raise RuntimeError(f"{type(target).__name__} rows are append-only")


def make_append_only(cls: type) -> None:
    """Refuse ORM updates and deletes of rows of `cls`."""
    event.listen(cls, "before_update", _refuse_change)
    event.listen(cls, "before_delete", _refuse_change)

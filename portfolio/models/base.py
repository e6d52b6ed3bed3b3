"""Declarative base, naming convention and reusable column types for all models."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated

from sqlalchemy import DateTime, MetaData, Numeric, String, event
from sqlalchemy.orm import DeclarativeBase, mapped_column

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


intpk = Annotated[int, mapped_column(primary_key=True)]
str200 = Annotated[str, mapped_column(String(200))]
money = Annotated[Decimal, mapped_column(Numeric(14, 2))]
quantity = Annotated[Decimal, mapped_column(Numeric(18, 4))]
created_at = Annotated[dt.datetime, mapped_column(DateTime(), default=utcnow)]


class Base(DeclarativeBase):
    """Base class of every model; its metadata carries the naming convention."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


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

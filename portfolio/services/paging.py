"""Pages of a long list: a fixed number of queries (a count and one page of rows) however long the list."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

T = TypeVar("T")


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of rows: `number` counts from 1, `pages` is at least 1 (the pagination macro's shape)."""

    items: list[T]
    number: int
    pages: int
    total: int
    per_page: int


def paginate(session: Session, statement: Select[Any], number: int, per_page: int) -> Page:
    """Run `statement` (ordered, with its eager loads) for page `number`; out-of-range numbers are clamped."""
    total = session.scalar(select(func.count()).select_from(statement.order_by(None).subquery())) or 0
    pages = max(1, -(-total // per_page))
    number = min(max(1, number), pages)
    items = list(session.scalars(statement.limit(per_page).offset((number - 1) * per_page)).unique())
    return Page(items=items, number=number, pages=pages, total=total, per_page=per_page)

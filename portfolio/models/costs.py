"""Cost items entered by finance (DESIGN §4)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, ForeignKey, Integer, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portfolio.domain.economics import CostCategory, CostKind, CostPhase

from .base import Base, Versioned, created_at, enum_column, intpk, money, utcnow
from .pilot import Pilot
from .user import User


class CostItem(Versioned, Base):
    """A one-off or recurring cost of a pilot, in SEK excluding VAT."""

    __tablename__ = "cost_items"
    __table_args__ = (
        CheckConstraint("amount >= 0", name="amount_not_negative"),
        CheckConstraint("last_year IS NULL OR last_year >= first_year", name="last_year_after_first"),
    )

    id: Mapped[intpk]
    pilot_id: Mapped[int] = mapped_column(ForeignKey("pilots.id"), index=True)
    category: Mapped[CostCategory] = enum_column(CostCategory)
    kind: Mapped[CostKind] = enum_column(CostKind)
    phase: Mapped[CostPhase] = enum_column(CostPhase)
    first_year: Mapped[int] = mapped_column(Integer)
    last_year: Mapped[int | None] = mapped_column(Integer)
    amount: Mapped[money]
    note: Mapped[str] = mapped_column(Text, default="")
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[created_at]
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    pilot: Mapped[Pilot] = relationship()
    entered_by: Mapped[User | None] = relationship()

"""Effect goals, their indicators (with valuation) and measurements (DESIGN §4)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import CheckConstraint, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portfolio.domain.economics import BenefitClass, Direction

from portfolio.domain import limits

from .base import Base, ExactDecimal, Versioned, created_at, enum_column, intpk, quantity, str200
from .pilot import Pilot
from .user import User


class GoalCategory(StrEnum):
    """What kind of change an effect goal is about."""

    RESOURCE_EFFICIENCY = "resource_efficiency"
    QUALITY = "quality"
    BOTH = "both"


class MeasurementPhase(StrEnum):
    """When a measurement was taken."""

    TEST = "test"
    FOLLOW_UP = "follow_up"


class EffectGoal(Versioned, Base):
    """A statement of the change a pilot should bring, phrased as a change."""

    __tablename__ = "effect_goals"

    id: Mapped[intpk]
    pilot_id: Mapped[int] = mapped_column(ForeignKey("pilots.id"), index=True)
    statement: Mapped[str] = mapped_column(Text)
    category: Mapped[GoalCategory] = enum_column(GoalCategory)
    beneficiary: Mapped[str] = mapped_column(String(200), default="")
    position: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[created_at]

    pilot: Mapped[Pilot] = relationship()
    indicators: Mapped[list[Indicator]] = relationship(
        back_populates="effect_goal", order_by="Indicator.position, Indicator.id", cascade="all, delete-orphan"
    )


class Indicator(Versioned, Base):
    """A measure (mått) of an effect goal, with its measurement method and valuation."""

    __tablename__ = "indicators"
    __table_args__ = (
        CheckConstraint("value_per_unit IS NULL OR value_per_unit >= 0", name="value_per_unit_not_negative"),
        CheckConstraint("annual_volume IS NULL OR annual_volume >= 0", name="annual_volume_not_negative"),
    )

    id: Mapped[intpk]
    effect_goal_id: Mapped[int] = mapped_column(ForeignKey("effect_goals.id", ondelete="CASCADE"), index=True)
    name: Mapped[str200]
    unit: Mapped[str] = mapped_column(String(50), default="")
    direction: Mapped[Direction] = enum_column(Direction)
    measurement_method: Mapped[str] = mapped_column(Text, default="")
    data_source: Mapped[str] = mapped_column(String(200), default="")
    frequency: Mapped[str] = mapped_column(String(100), default="")
    baseline_value: Mapped[quantity | None]
    baseline_date: Mapped[dt.date | None] = mapped_column(Date)
    target_value: Mapped[quantity | None]
    target_date: Mapped[dt.date | None] = mapped_column(Date)
    position: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[created_at]

    # Valuation, kept by finance.
    value_per_unit: Mapped[Decimal | None] = mapped_column(ExactDecimal(limits.PRICE_PER_UNIT))
    annual_volume: Mapped[Decimal | None] = mapped_column(ExactDecimal(limits.VOLUME))
    benefit_class: Mapped[BenefitClass] = enum_column(BenefitClass, default=BenefitClass.UNVALUED)

    effect_goal: Mapped[EffectGoal] = relationship(back_populates="indicators")
    measurements: Mapped[list[Measurement]] = relationship(
        back_populates="indicator", order_by="Measurement.measured_on, Measurement.id", cascade="all, delete-orphan"
    )


class Measurement(Versioned, Base):
    """One measured value of an indicator."""

    __tablename__ = "measurements"

    id: Mapped[intpk]
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicators.id", ondelete="CASCADE"), index=True)
    measured_on: Mapped[dt.date] = mapped_column(Date)
    value: Mapped[quantity]
    phase: Mapped[MeasurementPhase] = enum_column(MeasurementPhase)
    comment: Mapped[str] = mapped_column(Text, default="")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[created_at]

    indicator: Mapped[Indicator] = relationship(back_populates="measurements")
    recorded_by: Mapped[User | None] = relationship()

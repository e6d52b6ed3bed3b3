"""Pilots and their append-only phase transitions."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Column, Date, ForeignKey, Integer, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portfolio.domain import limits
from portfolio.domain.lifecycle import Origin, Phase
from portfolio.domain.process import TransitionKind

from .base import Base, ExactDecimal, Versioned, created_at, enum_column, intpk, make_append_only, str200, utcnow
from .org import Goal, Unit
from .user import User

pilot_goals = Table(
    "pilot_goals",
    Base.metadata,
    Column("pilot_id", ForeignKey("pilots.id", ondelete="CASCADE"), primary_key=True),
    Column("goal_id", ForeignKey("goals.id", ondelete="CASCADE"), primary_key=True),
)


class Pilot(Versioned, Base):
    """An innovation pilot, from idea through test and scale-up to decision and follow-up."""

    __tablename__ = "pilots"

    id: Mapped[intpk]
    code: Mapped[str] = mapped_column(String(20), unique=True)
    title: Mapped[str200]
    need: Mapped[str] = mapped_column(Text, default="")
    description: Mapped[str] = mapped_column(Text, default="")
    idea_bearer: Mapped[str] = mapped_column(String(200), default="")
    innovation_leader_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    origin: Mapped[Origin] = enum_column(Origin)
    target_groups: Mapped[str] = mapped_column(Text, default="")
    test_start: Mapped[dt.date | None] = mapped_column(Date)
    test_end: Mapped[dt.date | None] = mapped_column(Date)
    phase: Mapped[Phase] = enum_column(Phase, default=Phase.IDEA, index=True)
    step: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[created_at]
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    # Economics parameters, overridable per pilot by finance (None: the admin's default).
    first_year: Mapped[int | None] = mapped_column(Integer)
    discount_rate: Mapped[Decimal | None] = mapped_column(ExactDecimal(limits.RATIO))
    horizon_years: Mapped[int | None] = mapped_column(Integer)
    ramp_up: Mapped[list[str] | None] = mapped_column(JSON)
    sensitivity: Mapped[dict[str, str] | None] = mapped_column(JSON)

    # Finance sign-off ("Ekonomi granskad"); cleared by any change to costs or valuation.
    finance_signed_off_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    finance_signed_off_at: Mapped[dt.datetime | None]
    # One more with every change to the decision basis (costs, valuation, parameters, effect
    # goals, indicators, measurements, sign-off): a sign-off names the basis_version finance saw.
    basis_version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    # The scale-up process (DESIGN §3): what the leader writes when completing steps 1 and 2,
    # and, for a parked pilot, when to look at it again.
    review_comment: Mapped[str] = mapped_column(Text, default="")
    results_summary: Mapped[str] = mapped_column(Text, default="")
    lessons_learned: Mapped[str] = mapped_column(Text, default="")
    revisit_on: Mapped[dt.date | None] = mapped_column(Date)

    innovation_leader: Mapped[User | None] = relationship(foreign_keys=[innovation_leader_id])
    finance_signed_off_by: Mapped[User | None] = relationship(foreign_keys=[finance_signed_off_by_id])
    unit: Mapped[Unit | None] = relationship()
    goals: Mapped[list[Goal]] = relationship(secondary=pilot_goals, order_by="Goal.position")
    transitions: Mapped[list[PhaseTransition]] = relationship(
        back_populates="pilot", order_by="PhaseTransition.id"
    )


class PhaseTransition(Base):
    """One move of a pilot between phases or steps: append-only."""

    __tablename__ = "phase_transitions"

    id: Mapped[intpk]
    pilot_id: Mapped[int] = mapped_column(ForeignKey("pilots.id"), index=True)
    from_phase: Mapped[Phase | None] = enum_column(Phase, constraint_name="from_phase", nullable=True)
    to_phase: Mapped[Phase] = enum_column(Phase, constraint_name="to_phase")
    from_step: Mapped[int] = mapped_column(Integer, default=0)
    to_step: Mapped[int] = mapped_column(Integer, default=0)
    kind: Mapped[TransitionKind] = enum_column(TransitionKind, default=TransitionKind.MOVE)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    comment: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[created_at]

    pilot: Mapped[Pilot] = relationship(back_populates="transitions")
    actor: Mapped[User | None] = relationship()


make_append_only(PhaseTransition)


class AppSettings(Versioned, Base):
    """Installation-wide settings kept by the admin: a single row with id 1."""

    __tablename__ = "app_settings"

    id: Mapped[intpk]
    organisation_name: Mapped[str200]
    discount_rate: Mapped[Decimal] = mapped_column(ExactDecimal(limits.RATIO))
    horizon_years: Mapped[int] = mapped_column(Integer)
    ramp_up: Mapped[list[str]] = mapped_column(JSON, default=list)
    sensitivity: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

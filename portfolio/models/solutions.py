"""Beyond the single pilot (DESIGN §9): challenges, overlap coordination, solutions in operation
and the open portfolio's settings."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Boolean, CheckConstraint, Column, Date, ForeignKey, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portfolio.domain.initiatives import ChallengeStatus
from portfolio.domain.process import OwnerLevel, Responsibility
from portfolio.domain.solutions import AiRiskClass

from .base import Base, created_at, enum_column, intpk, money, str200, utcnow
from .org import Goal, Unit
from .pilot import Pilot
from .user import User

challenge_goals = Table(
    "challenge_goals",
    Base.metadata,
    Column("challenge_id", ForeignKey("challenges.id", ondelete="CASCADE"), primary_key=True),
    Column("goal_id", ForeignKey("goals.id", ondelete="CASCADE"), primary_key=True),
)


class Challenge(Base):
    """A need or challenge (behov eller utmaning) raised by a unit, waiting for an idea-bearer."""

    __tablename__ = "challenges"

    id: Mapped[intpk]
    title: Mapped[str200]
    description: Mapped[str] = mapped_column(Text, default="")
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    affected: Mapped[str] = mapped_column(Text, default="")  # who is affected
    frequency: Mapped[str] = mapped_column(Text, default="")  # how often it happens
    cost_today: Mapped[money | None]  # what it costs today, if known (SEK a year)
    status: Mapped[ChallengeStatus] = enum_column(ChallengeStatus, default=ChallengeStatus.OPEN, index=True)
    raised_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    raised_at: Mapped[created_at]
    taken_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    taken_at: Mapped[dt.datetime | None]
    pilot_id: Mapped[int | None] = mapped_column(ForeignKey("pilots.id"), unique=True)  # the pilot that answers it
    close_reason: Mapped[str] = mapped_column(Text, default="")
    closed_at: Mapped[dt.datetime | None]

    unit: Mapped[Unit | None] = relationship()
    raised_by: Mapped[User] = relationship(foreign_keys=[raised_by_id])
    taken_by: Mapped[User | None] = relationship(foreign_keys=[taken_by_id])
    pilot: Mapped[Pilot | None] = relationship()
    goals: Mapped[list[Goal]] = relationship(secondary=challenge_goals, order_by="Goal.position")


class OverlapCoordination(Base):
    """Two overlapping initiatives marked as coordinated, with a note: the flag stays, marked."""

    __tablename__ = "overlap_coordinations"
    __table_args__ = (
        UniqueConstraint("first_pilot_id", "second_pilot_id", name="uq_overlap_coordinations_pair"),
        CheckConstraint("first_pilot_id < second_pilot_id", name="ordered_pair"),
    )

    id: Mapped[intpk]
    first_pilot_id: Mapped[int] = mapped_column(ForeignKey("pilots.id"), index=True)
    second_pilot_id: Mapped[int] = mapped_column(ForeignKey("pilots.id"), index=True)
    note: Mapped[str] = mapped_column(Text)
    coordinated_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    coordinated_at: Mapped[created_at]

    coordinated_by: Mapped[User] = relationship()


solution_units = Table(
    "solution_units",
    Base.metadata,
    Column("solution_id", ForeignKey("solutions.id", ondelete="CASCADE"), primary_key=True),
    Column("unit_id", ForeignKey("units.id", ondelete="CASCADE"), primary_key=True),
)


class Solution(Base):
    """A solution in operation (förvaltningsobjekt): from a scaled-up pilot or entered by hand."""

    __tablename__ = "solutions"
    __table_args__ = (
        CheckConstraint("uses_ai OR ai_risk_class IS NULL", name="risk_class_needs_ai"),
    )

    id: Mapped[intpk]
    name: Mapped[str200]
    description: Mapped[str] = mapped_column(Text, default="")
    pilot_id: Mapped[int | None] = mapped_column(ForeignKey("pilots.id"), unique=True)
    system_owner: Mapped[str] = mapped_column(Text, default="")  # systemägare: a function or person
    contract_end: Mapped[dt.date | None] = mapped_column(Date)  # licence or contract end
    yearly_cost: Mapped[money | None]  # yearly operating cost, SEK excluding VAT
    uses_ai: Mapped[bool] = mapped_column(Boolean, default=False)
    ai_risk_class: Mapped[AiRiskClass | None] = enum_column(AiRiskClass, nullable=True)
    ai_use: Mapped[str] = mapped_column(Text, default="")  # what the AI does
    decommissioned_on: Mapped[dt.date | None] = mapped_column(Date)
    decommission_reason: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[created_at]
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    pilot: Mapped[Pilot | None] = relationship()
    units: Mapped[list[Unit]] = relationship(secondary=solution_units, order_by="Unit.name")
    owners: Mapped[list[SolutionOwner]] = relationship(
        back_populates="solution", cascade="all, delete-orphan", order_by="SolutionOwner.id"
    )


class SolutionOwner(Base):
    """Who procures, manages, supports or decommissions a solution at one level."""

    __tablename__ = "solution_owners"
    __table_args__ = (
        UniqueConstraint("solution_id", "responsibility", "level", name="uq_solution_owners_role_level"),
    )

    id: Mapped[intpk]
    solution_id: Mapped[int] = mapped_column(ForeignKey("solutions.id", ondelete="CASCADE"), index=True)
    responsibility: Mapped[Responsibility] = enum_column(Responsibility)
    level: Mapped[OwnerLevel] = enum_column(OwnerLevel)
    owner: Mapped[str200]

    solution: Mapped[Solution] = relationship(back_populates="owners")


class PublicInitiative(Base):
    """An initiative the admin has made public, and which of its fields (DESIGN §9)."""

    __tablename__ = "public_initiatives"

    id: Mapped[intpk]
    pilot_id: Mapped[int] = mapped_column(ForeignKey("pilots.id"), unique=True)
    fields: Mapped[list[str]] = mapped_column(JSON, default=list)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    pilot: Mapped[Pilot] = relationship()

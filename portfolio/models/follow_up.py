"""Follow-up after scale-up (DESIGN §4, §5): the schedule, benefit owners and harvest decisions.

A follow-up's status (planned, due, overdue, done) is not stored: the domain derives it from
the due date and the follow-up measurements (`portfolio.domain.follow_up`).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portfolio.domain.follow_up import HarvestKind

from .base import Base, created_at, enum_column, intpk, make_append_only, money, quantity, str200, utcnow
from .effects import EffectGoal, Indicator
from .org import Unit
from .pilot import Pilot
from .process import Decision
from .user import User


class FollowUp(Base):
    """One due date in a scaled-up pilot's follow-up schedule.

    Created (6, 12 and 24 months after the decision) when a scale-up decision is recorded; the
    management group may move, add or remove dates per pilot.
    """

    __tablename__ = "follow_ups"
    __table_args__ = (UniqueConstraint("pilot_id", "due_on", name="uq_follow_ups_pilot_id_due_on"),)

    id: Mapped[intpk]
    pilot_id: Mapped[int] = mapped_column(ForeignKey("pilots.id"), index=True)
    # The scale-up decision the schedule follows up (None for a date added later by hand).
    decision_id: Mapped[int | None] = mapped_column(ForeignKey("decisions.id"))
    due_on: Mapped[dt.date] = mapped_column(Date, index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[created_at]
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1, server_default="1")

    __mapper_args__ = {"version_id_col": version}

    pilot: Mapped[Pilot] = relationship()
    decision: Mapped[Decision | None] = relationship()
    created_by: Mapped[User | None] = relationship()


class BenefitOwner(Base):
    """Who in the line organisation owns the realisation of an effect goal's benefits: a user (the
    reminders go to them), with their role or title as free text ("rektor, Förskoleområde Norr").

    Owners named before users could be chosen keep their text with no user where it named no one
    user unambiguously (migration 0013); the page asks for a user the next time it is saved.
    """

    __tablename__ = "benefit_owners"

    id: Mapped[intpk]
    effect_goal_id: Mapped[int] = mapped_column(ForeignKey("effect_goals.id", ondelete="CASCADE"), unique=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    # The role or title (may be empty), or the whole text of an owner named before users were chosen.
    name: Mapped[str200]
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1, server_default="1")

    __mapper_args__ = {"version_id_col": version}

    effect_goal: Mapped[EffectGoal] = relationship()
    user: Mapped[User | None] = relationship(foreign_keys=[user_id])
    unit: Mapped[Unit | None] = relationship()
    updated_by: Mapped[User | None] = relationship(foreign_keys=[updated_by_id])


class HarvestDecision(Base):
    """A harvest decision (hemtagningsbeslut): what is done with a realised benefit. Append-only.

    `amount` is the annual value in SEK the decision takes home: for a budget reduction the amount
    the budget line is reduced by from `budget_year`; for redeployed hours the value of those
    hours, which is what counts against the realised benefit.
    """

    __tablename__ = "harvest_decisions"
    __table_args__ = (
        CheckConstraint("amount > 0", name="amount_positive"),
        CheckConstraint(
            "kind != 'budget_reduction' OR (budget_line != '' AND budget_year IS NOT NULL)",
            name="budget_reduction_names_line_and_year",
        ),
        CheckConstraint(
            "kind != 'hours_redeployed' OR (hours IS NOT NULL AND hours > 0 AND redeployed_to != '')",
            name="hours_redeployed_names_hours_and_work",
        ),
    )

    id: Mapped[intpk]
    pilot_id: Mapped[int] = mapped_column(ForeignKey("pilots.id"), index=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicators.id"), index=True)
    kind: Mapped[HarvestKind] = enum_column(HarvestKind)
    amount: Mapped[money]
    budget_line: Mapped[str] = mapped_column(String(200), default="")
    budget_year: Mapped[int | None] = mapped_column(Integer)
    hours: Mapped[quantity | None]
    redeployed_to: Mapped[str] = mapped_column(Text, default="")
    owner: Mapped[str200]
    decided_on: Mapped[dt.date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[created_at]

    pilot: Mapped[Pilot] = relationship()
    indicator: Mapped[Indicator] = relationship()
    recorded_by: Mapped[User] = relationship()


make_append_only(HarvestDecision)

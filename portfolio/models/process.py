"""The scale-up process's records (DESIGN §3, §4): the implementation plan and the decision."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, CheckConstraint, Date, ForeignKey, Integer, String, Text, UniqueConstraint, event, inspect
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portfolio.domain.process import (
    Checkpoint,
    CheckpointStatus,
    DecisionOutcome,
    OwnerLevel,
    Responsibility,
    RolloutStatus,
)

from .base import Base, created_at, enum_column, intpk, str200, utcnow
from .org import Unit
from .pilot import Pilot
from .user import User


class ImplementationPlan(Base):
    """How a pilot would be put to use at scale: one plan per pilot, with its parts below."""

    __tablename__ = "implementation_plans"

    id: Mapped[intpk]
    pilot_id: Mapped[int] = mapped_column(ForeignKey("pilots.id"), unique=True)
    target_groups: Mapped[str] = mapped_column(Text, default="")
    # Whether children use the solution: then a child impact assessment is needed. None: not answered.
    children_use_solution: Mapped[bool | None] = mapped_column(Boolean)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    pilot: Mapped[Pilot] = relationship()
    rollout_units: Mapped[list[RolloutUnit]] = relationship(
        back_populates="plan", cascade="all, delete-orphan", order_by="RolloutUnit.id"
    )
    milestones: Mapped[list[Milestone]] = relationship(
        back_populates="plan", cascade="all, delete-orphan", order_by="Milestone.due_on, Milestone.id"
    )
    risks: Mapped[list[Risk]] = relationship(back_populates="plan", cascade="all, delete-orphan", order_by="Risk.id")
    lifecycle_owners: Mapped[list[LifecycleOwner]] = relationship(
        back_populates="plan", cascade="all, delete-orphan", order_by="LifecycleOwner.id"
    )
    checkpoints: Mapped[list[SchoolCheckpoint]] = relationship(
        back_populates="plan", cascade="all, delete-orphan", order_by="SchoolCheckpoint.id"
    )


class RolloutUnit(Base):
    """A unit the solution is rolled out to, with how far the roll-out has come."""

    __tablename__ = "rollout_units"
    __table_args__ = (UniqueConstraint("plan_id", "unit_id", name="uq_rollout_units_plan_id_unit_id"),)

    id: Mapped[intpk]
    plan_id: Mapped[int] = mapped_column(ForeignKey("implementation_plans.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    status: Mapped[RolloutStatus] = enum_column(RolloutStatus, default=RolloutStatus.PLANNED)
    planned_start: Mapped[dt.date | None] = mapped_column(Date)
    in_use_from: Mapped[dt.date | None] = mapped_column(Date)

    plan: Mapped[ImplementationPlan] = relationship(back_populates="rollout_units")
    unit: Mapped[Unit] = relationship()


class Milestone(Base):
    """A dated milestone on the implementation timeline."""

    __tablename__ = "milestones"

    id: Mapped[intpk]
    plan_id: Mapped[int] = mapped_column(ForeignKey("implementation_plans.id", ondelete="CASCADE"), index=True)
    due_on: Mapped[dt.date] = mapped_column(Date)
    title: Mapped[str200]

    plan: Mapped[ImplementationPlan] = relationship(back_populates="milestones")


class Risk(Base):
    """A risk of the implementation and how it is mitigated."""

    __tablename__ = "risks"

    id: Mapped[intpk]
    plan_id: Mapped[int] = mapped_column(ForeignKey("implementation_plans.id", ondelete="CASCADE"), index=True)
    description: Mapped[str] = mapped_column(Text)
    mitigation: Mapped[str] = mapped_column(Text, default="")

    plan: Mapped[ImplementationPlan] = relationship(back_populates="risks")


class LifecycleOwner(Base):
    """Who procures, manages, supports or decommissions the solution, and at which level."""

    __tablename__ = "lifecycle_owners"
    __table_args__ = (
        UniqueConstraint("plan_id", "responsibility", name="uq_lifecycle_owners_plan_id_responsibility"),
    )

    id: Mapped[intpk]
    plan_id: Mapped[int] = mapped_column(ForeignKey("implementation_plans.id", ondelete="CASCADE"), index=True)
    responsibility: Mapped[Responsibility] = enum_column(Responsibility)
    level: Mapped[OwnerLevel] = enum_column(OwnerLevel)
    owner: Mapped[str200]  # a named owner: a person or a function, e.g. "IT-enheten, Anna Andersson"

    plan: Mapped[ImplementationPlan] = relationship(back_populates="lifecycle_owners")


class SchoolCheckpoint(Base):
    """A check a school pilot needs answered: done, not needed (with a reason) or planned (with a date)."""

    __tablename__ = "school_checkpoints"
    __table_args__ = (UniqueConstraint("plan_id", "checkpoint", name="uq_school_checkpoints_plan_id_checkpoint"),)

    id: Mapped[intpk]
    plan_id: Mapped[int] = mapped_column(ForeignKey("implementation_plans.id", ondelete="CASCADE"), index=True)
    checkpoint: Mapped[Checkpoint] = enum_column(Checkpoint)
    status: Mapped[CheckpointStatus] = enum_column(CheckpointStatus)
    done_on: Mapped[dt.date | None] = mapped_column(Date)
    not_needed_reason: Mapped[str] = mapped_column(Text, default="")
    planned_on: Mapped[dt.date | None] = mapped_column(Date)

    plan: Mapped[ImplementationPlan] = relationship(back_populates="checkpoints")


class Decision(Base):
    """The management group's decision in step 4 (DESIGN §2, §3): kept for ever, never changed.

    One decision per paper version: two people submitting the same decision at once get one row.
    The archived copy of the paper (with the decision filled in) is attached once, right after.
    """

    __tablename__ = "decisions"
    __table_args__ = (
        CheckConstraint(
            "outcome != 'continue_testing' OR new_test_end IS NOT NULL", name="continue_testing_has_end_date"
        ),
        CheckConstraint("outcome != 'park' OR revisit_on IS NOT NULL", name="park_has_revisit_date"),
    )

    id: Mapped[intpk]
    pilot_id: Mapped[int] = mapped_column(ForeignKey("pilots.id"), index=True)
    outcome: Mapped[DecisionOutcome] = enum_column(DecisionOutcome)
    decision_text: Mapped[str] = mapped_column(Text)  # "... beslutar att ..."
    decision_maker: Mapped[str200]  # the individual who decides, under a delegation
    presenter: Mapped[str200]  # föredragande
    body: Mapped[str200]  # the body or meeting, e.g. "Ledningsgruppen 2026-12-08, punkt 1"
    decided_on: Mapped[dt.date] = mapped_column(Date, index=True)
    case_number: Mapped[str] = mapped_column(String(50))  # diarienummer
    delegation_reference: Mapped[str] = mapped_column(String(200), default="")
    conditions: Mapped[str] = mapped_column(Text, default="")
    new_test_end: Mapped[dt.date | None] = mapped_column(Date)  # continue testing: until when
    revisit_on: Mapped[dt.date | None] = mapped_column(Date)  # park: when to look again
    lessons_learned: Mapped[str] = mapped_column(Text, default="")  # stop: what was learned
    step_before: Mapped[int] = mapped_column(Integer)  # the step the pilot had reached
    paper_version_id: Mapped[int] = mapped_column(ForeignKey("paper_versions.id"), unique=True)
    archived_paper_version_id: Mapped[int | None] = mapped_column(ForeignKey("paper_versions.id"), unique=True)
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[created_at]

    pilot: Mapped[Pilot] = relationship()
    recorded_by: Mapped[User] = relationship()
    # PaperVersion lives in the paper module; the relationship is resolved by name.
    paper_version: Mapped["PaperVersion"] = relationship(foreign_keys=[paper_version_id])  # noqa: F821
    archived_paper_version: Mapped["PaperVersion | None"] = relationship(  # noqa: F821
        foreign_keys=[archived_paper_version_id]
    )


@event.listens_for(Decision, "before_delete")
def _refuse_delete(mapper, connection, target) -> None:  # noqa: ARG001 - SQLAlchemy event signature
    raise RuntimeError("decisions are kept: nothing decided is ever deleted")


@event.listens_for(Decision, "before_update")
def _refuse_change(mapper, connection, target) -> None:  # noqa: ARG001 - SQLAlchemy event signature
    """Only the archived copy may be attached, once; everything else is fixed when recorded."""
    state = inspect(target)
    changed = {attr.key for attr in state.attrs if attr.history.has_changes()}
    archive = state.attrs.archived_paper_version_id.history
    attaching = changed <= {"archived_paper_version_id", "archived_paper_version"} and not any(
        value is not None for value in archive.deleted
    )
    if not attaching:
        raise RuntimeError("decisions are append-only")


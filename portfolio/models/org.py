"""Organisational units and the configurable goal frameworks pilots serve."""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy import Boolean, ForeignKey, Integer, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, Versioned, enum_column, intpk, str200


class UnitLevel(StrEnum):
    """The level of an organisational unit."""

    SCHOOL = "school"
    AREA = "area"
    ADMINISTRATION = "administration"
    CITY = "city"


class Unit(Versioned, Base):
    """An organisational unit: a school or preschool, an area, the administration, the city."""

    __tablename__ = "units"

    id: Mapped[intpk]
    name: Mapped[str200] = mapped_column(unique=True)
    level: Mapped[UnitLevel] = enum_column(UnitLevel)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class GoalFramework(Versioned, Base):
    """A list of goals, e.g. the digitalisation strategy's goal areas."""

    __tablename__ = "goal_frameworks"

    id: Mapped[intpk]
    name: Mapped[str200] = mapped_column(unique=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    goals: Mapped[list[Goal]] = relationship(
        back_populates="framework", order_by="Goal.position", cascade="all, delete-orphan"
    )


class Goal(Versioned, Base):
    """One strategic goal a pilot may serve."""

    __tablename__ = "goals"
    __table_args__ = (UniqueConstraint("framework_id", "name", name="uq_goals_framework_id_name"),)

    id: Mapped[intpk]
    framework_id: Mapped[int] = mapped_column(ForeignKey("goal_frameworks.id", ondelete="CASCADE"), index=True)
    name: Mapped[str200]
    position: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    framework: Mapped[GoalFramework] = relationship(back_populates="goals")

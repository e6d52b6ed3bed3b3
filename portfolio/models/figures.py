"""The figures of each pilot, as the domain computes them, stored so that the portfolio overview
and the pilot list sum, count and sort them in SQL (DESIGN §1, §5).

Derived data only: `services.figures` is their single owner and refreshes a pilot's rows in the
same transaction as any change to what they are computed from; nothing else writes them.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from portfolio.domain import limits

from .base import Base, ExactDecimal, intpk

figure = ExactDecimal(limits.FIGURE)


class PilotFigure(Base):
    """One pilot's economics figures (its economics page's, annual values in SEK a year), the
    checks of its next scale-up step and the fingerprint of the data a paper would be made from."""

    __tablename__ = "pilot_figures"

    pilot_id: Mapped[int] = mapped_column(ForeignKey("pilots.id", ondelete="CASCADE"), primary_key=True)
    # Some figure is beyond what is stored (absurd valuations): the money figures are then 0 and
    # the overview says how many pilots it could not sum.
    too_large: Mapped[bool] = mapped_column(Boolean, default=False)
    has_figures: Mapped[bool] = mapped_column(Boolean)
    is_estimate: Mapped[bool] = mapped_column(Boolean)
    spent_to_date: Mapped[Decimal] = mapped_column(figure)
    planned_costs: Mapped[Decimal] = mapped_column(figure)
    total_cost: Mapped[Decimal] = mapped_column(figure, index=True)
    expected_financial: Mapped[Decimal] = mapped_column(figure)
    expected_reallocation: Mapped[Decimal] = mapped_column(figure)
    realised_financial: Mapped[Decimal] = mapped_column(figure)
    realised_reallocation: Mapped[Decimal] = mapped_column(figure)
    used_financial: Mapped[Decimal] = mapped_column(figure)
    used_reallocation: Mapped[Decimal] = mapped_column(figure)
    npv_cash: Mapped[Decimal] = mapped_column(figure)
    npv_full: Mapped[Decimal] = mapped_column(figure)
    realisation: Mapped[Decimal | None] = mapped_column(ExactDecimal(limits.FIGURE_RATIO))
    realisation_phase: Mapped[str | None] = mapped_column(String(16))
    unvalued: Mapped[int] = mapped_column(Integer)
    # A pilot in the scale-up process: the step it completes next and the gate rules it does not
    # meet yet, comma-separated ("" when none or not in the process).
    missing_step: Mapped[int | None] = mapped_column(Integer)
    missing_codes: Mapped[str] = mapped_column(String(1000), default="")
    # SHA-256 of the data a decision paper would be made from now (pilots in the scale-up process
    # that have a paper; else None): compared with the newest paper's own.
    paper_fingerprint: Mapped[str | None] = mapped_column(String(64))
    # The first year of the cash flow when it was taken from today's date (no first year set and no
    # end of test: next year), else None; a new year makes the figures stale, and they are refreshed.
    first_year_from_today: Mapped[int | None] = mapped_column(Integer)


class BenefitFigure(Base):
    """One indicator of a scaled-up pilot: potential, realised and harvested (SEK a year)."""

    __tablename__ = "benefit_figures"

    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicators.id", ondelete="CASCADE"), primary_key=True)
    pilot_id: Mapped[int] = mapped_column(ForeignKey("pilots.id", ondelete="CASCADE"), index=True)
    benefit_class: Mapped[str] = mapped_column(String(32))
    valued: Mapped[bool] = mapped_column(Boolean)
    measured: Mapped[bool] = mapped_column(Boolean)
    potential: Mapped[Decimal] = mapped_column(figure)
    realised: Mapped[Decimal] = mapped_column(figure)
    harvested: Mapped[Decimal] = mapped_column(figure)
    gap: Mapped[Decimal | None] = mapped_column(figure, index=True)  # realised − harvested, when realised


class FollowUpFigure(Base):
    """One follow-up of a scaled-up pilot: how many of its indicators are measured in its window."""

    __tablename__ = "follow_up_figures"
    __table_args__ = (UniqueConstraint("pilot_id", "due_on", name="uq_follow_up_figures_pilot_id_due_on"),)

    id: Mapped[intpk]
    pilot_id: Mapped[int] = mapped_column(ForeignKey("pilots.id", ondelete="CASCADE"))
    due_on: Mapped[dt.date] = mapped_column(Date, index=True)
    measured: Mapped[int] = mapped_column(Integer)
    indicators: Mapped[int] = mapped_column(Integer)
    done: Mapped[bool] = mapped_column(Boolean)

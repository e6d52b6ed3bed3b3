"""Follow-up after scale-up (DESIGN §4, §5): the schedule, its statuses and harvest decisions.

A scaled-up pilot is followed up on a schedule (by default 6, 12 and 24 months after the
decision). Whether a follow-up is done, due or overdue is not stored: it follows from its due
date, today's date and the follow-up measurements taken, and is computed here. So are the
three amounts of a benefit after scale-up: potential (at target), realised (at the latest
follow-up measurement) and harvested (covered by harvest decisions), and the rule that a
harvest may not exceed what is realised. Pure: no database, no web.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

# Months after the decision date of the default follow-ups.
DEFAULT_SCHEDULE_MONTHS: tuple[int, ...] = (6, 12, 24)
# A follow-up whose due date is this close (or closer) is "due"; further ahead it is "planned".
DUE_SOON_DAYS = 60


class HarvestKind(StrEnum):
    """What is done with a realised benefit (hemtagningsbeslut)."""

    BUDGET_REDUCTION = "budget_reduction"  # a budget line reduced by an amount from a year
    HOURS_REDEPLOYED = "hours_redeployed"  # freed hours redeployed to named work


class FollowUpStatus(StrEnum):
    """Where one follow-up stands."""

    PLANNED = "planned"  # due later than DUE_SOON_DAYS from today
    DUE = "due"  # due soon or today, not yet done
    OVERDUE = "overdue"  # the due date has passed, not done
    DONE = "done"  # every indicator has a follow-up measurement in the follow-up's window


def add_months(day: dt.date, months: int) -> dt.date:
    """`day` moved `months` calendar months on, clamped to the month's last day (31 Aug + 6 → 28/29 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def default_schedule(decided_on: dt.date, months: Sequence[int] = DEFAULT_SCHEDULE_MONTHS) -> list[dt.date]:
    """The default follow-up due dates after a scale-up decision taken on `decided_on`."""
    return [add_months(decided_on, m) for m in months]


# ------------------------------------------------------------------------------------------------
# The schedule's statuses
# ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FollowUpState:
    """One follow-up with its status, derived from dates and the follow-up measurements."""

    due_on: dt.date
    status: FollowUpStatus
    window_start: dt.date | None  # measurements from this day (None: from the beginning) …
    window_end: dt.date | None  # … up to and including this day (None: with no end) count
    measured: int  # indicators with a follow-up measurement in the window
    indicators: int  # the pilot's indicators

    @property
    def is_open(self) -> bool:
        """Due or overdue: a follow-up someone has to act on now."""
        return self.status in (FollowUpStatus.DUE, FollowUpStatus.OVERDUE)


def _midpoint(first: dt.date, second: dt.date) -> dt.date:
    return first + (second - first) / 2


def follow_up_states(
    due_dates: Iterable[dt.date],
    *,
    decided_on: dt.date | None,
    measurements: dict[object, Sequence[dt.date]],
    indicators: Iterable[object],
    today: dt.date,
) -> list[FollowUpState]:
    """The statuses of a pilot's follow-ups, in date order.

    Each follow-up has a window of measurement dates that count for it: from halfway between the
    previous due date (the decision date for the first) and its own, to halfway to the next one
    (no end for the last). A follow-up is done when every indicator of the pilot has a follow-up
    measurement in its window; otherwise it is overdue once its due date has passed, due within
    DUE_SOON_DAYS before it, and planned before that. `measurements` maps an indicator (any key
    also found in `indicators`) to the dates of its follow-up measurements.
    """
    dates = sorted(set(due_dates))
    keys = list(dict.fromkeys(indicators))
    states: list[FollowUpState] = []
    for index, due_on in enumerate(dates):
        if index == 0:
            start = decided_on
        else:
            start = _midpoint(dates[index - 1], due_on) + dt.timedelta(days=1)
        end = _midpoint(due_on, dates[index + 1]) if index + 1 < len(dates) else None
        measured = sum(
            1 for key in keys
            if any((start is None or day >= start) and (end is None or day <= end) for day in measurements.get(key, ()))
        )
        if keys and measured == len(keys):
            status = FollowUpStatus.DONE
        elif due_on < today:
            status = FollowUpStatus.OVERDUE
        elif (due_on - today).days <= DUE_SOON_DAYS:
            status = FollowUpStatus.DUE
        else:
            status = FollowUpStatus.PLANNED
        states.append(FollowUpState(due_on, status, start, end, measured, len(keys)))
    return states


class ScheduleError(ValueError):
    """A follow-up schedule the rules refuse: `code` says why."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def check_schedule(due_dates: Sequence[dt.date], *, decided_on: dt.date | None) -> list[dt.date]:
    """A schedule as it will be kept: sorted, at least one date, none twice, none before the decision."""
    if not due_dates:
        raise ScheduleError("empty")
    if len(set(due_dates)) != len(due_dates):
        raise ScheduleError("duplicate")
    if decided_on is not None and any(day <= decided_on for day in due_dates):
        raise ScheduleError("before_decision")
    return sorted(due_dates)


# ------------------------------------------------------------------------------------------------
# Potential, realised and harvested (DESIGN §5, last paragraphs)
# ------------------------------------------------------------------------------------------------

_ZERO = Decimal(0)
_MONEY_CLASSES = ("financial", "reallocation")


@dataclass(frozen=True)
class BenefitInput:
    """One indicator of a scaled-up pilot, with its latest follow-up measurement and harvests."""

    key: object  # the caller's identifier, e.g. the indicator id
    direction: str  # "higher_is_better" or "lower_is_better"
    baseline: Decimal | None
    target: Decimal | None
    value_per_unit: Decimal | None
    annual_volume: Decimal | None
    benefit_class: str  # "financial", "reallocation" or "unvalued"
    latest_follow_up: Decimal | None  # the latest follow-up measurement's value, None if none
    harvested: Decimal = _ZERO  # the sum of the harvest decisions' amounts


@dataclass(frozen=True)
class Benefit:
    """The three amounts of one benefit after scale-up, per year (SEK)."""

    key: object
    benefit_class: str
    is_valued: bool  # a money class with SEK per unit, annual volume, baseline and target
    potential: Decimal | None  # at target; None when not valued
    realised: Decimal | None  # at the latest follow-up measurement; None when not valued or not measured
    harvested: Decimal
    realisation: Decimal | None  # improvement over the span to target, as a ratio; None when undefined

    @property
    def gap(self) -> Decimal | None:
        """Realised but not harvested (negative when more was harvested than is realised now)."""
        return None if self.realised is None else self.realised - self.harvested

    @property
    def available(self) -> Decimal:
        """What a new harvest decision may still take home: never below zero."""
        return max(self.gap or _ZERO, _ZERO)


def _improvement(direction: str, baseline: Decimal, value: Decimal) -> Decimal:
    return value - baseline if direction == "higher_is_better" else baseline - value


def benefit(item: BenefitInput) -> Benefit:
    """Potential, realised and harvested of one indicator (the formulas of DESIGN §5)."""
    measured = item.baseline is not None and item.latest_follow_up is not None
    span = abs(item.target - item.baseline) if item.target is not None and item.baseline is not None else None
    ratio = None
    if measured and span:
        ratio = _improvement(item.direction, item.baseline, item.latest_follow_up) / span
    valued = (
        item.benefit_class in _MONEY_CLASSES and item.value_per_unit is not None
        and item.annual_volume is not None and span is not None
    )
    potential = realised = None
    if valued:
        potential = span * item.value_per_unit * item.annual_volume
        if measured:
            realised = (_improvement(item.direction, item.baseline, item.latest_follow_up)
                        * item.value_per_unit * item.annual_volume)
    return Benefit(item.key, item.benefit_class, valued, potential, realised, item.harvested, ratio)


@dataclass(frozen=True)
class BenefitTotals:
    """Potential, realised and harvested summed over benefits, in total and per money class."""

    potential: Decimal
    realised: Decimal
    harvested: Decimal
    by_class: dict[str, tuple[Decimal, Decimal, Decimal]]  # class → (potential, realised, harvested)
    valued: int  # benefits valued in money
    measured: int  # of those, with a follow-up measurement
    unvalued: int  # benefits not valued in money: listed beside the money, never dropped

    @property
    def gap(self) -> Decimal:
        """Realised but not harvested."""
        return self.realised - self.harvested


def totals(benefits: Iterable[Benefit]) -> BenefitTotals:
    """Sum benefits in one pass: the totals of a pilot or of the whole (filtered) portfolio."""
    sums = {name: [_ZERO, _ZERO, _ZERO] for name in _MONEY_CLASSES}
    valued = measured = unvalued = 0
    for item in benefits:
        if not item.is_valued:
            unvalued += 1
            continue
        valued += 1
        row = sums[item.benefit_class]
        row[0] += item.potential or _ZERO
        row[2] += item.harvested
        if item.realised is not None:
            measured += 1
            row[1] += item.realised
    by_class = {name: (row[0], row[1], row[2]) for name, row in sums.items()}
    return BenefitTotals(
        potential=sum((row[0] for row in by_class.values()), _ZERO),
        realised=sum((row[1] for row in by_class.values()), _ZERO),
        harvested=sum((row[2] for row in by_class.values()), _ZERO),
        by_class=by_class, valued=valued, measured=measured, unvalued=unvalued,
    )


class HarvestRefused(ValueError):
    """A harvest decision the rules refuse: `code` says why, `available` what may still be harvested."""

    def __init__(self, code: str, available: Decimal = _ZERO):
        super().__init__(code)
        self.code = code
        self.available = available


def check_harvest(item: Benefit, amount: Decimal) -> None:
    """Refuse a harvest of `amount` SEK a year from `item` unless it is covered by what is realised.

    A benefit not valued in money cannot be harvested in money; one without a follow-up
    measurement has nothing realised yet; and the harvests together may not exceed the realised
    annual value (the rest of the gap is what can still be decided on).
    """
    if amount <= 0:
        raise HarvestRefused("not_positive")
    if not item.is_valued:
        raise HarvestRefused("not_valued")
    if item.realised is None:
        raise HarvestRefused("not_measured")
    if item.realised <= 0:
        raise HarvestRefused("nothing_realised")
    if item.harvested + amount > item.realised:
        raise HarvestRefused("exceeds_realised", item.available)

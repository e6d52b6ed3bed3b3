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

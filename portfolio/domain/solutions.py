"""The solution register (DESIGN §9): solutions in operation, their lifecycle owners and AI use.

Pure rules over plain values: no database, no web.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from enum import StrEnum

from .process import OwnerLevel, Responsibility


class AiRiskClass(StrEnum):
    """Risk classes of the EU AI Act (Regulation (EU) 2024/1689)."""

    PROHIBITED = "prohibited"  # art. 5: unacceptable risk, e.g. emotion recognition in education
    HIGH = "high"  # annex III point 3: admission, assessing learning outcomes, monitoring pupils in tests
    LIMITED = "limited"  # art. 50 transparency duties, e.g. a chatbot must say it is one
    MINIMAL = "minimal"  # everything else


#: Gravest first: how the register lists AI in use.
AI_RISK_ORDER = (AiRiskClass.PROHIBITED, AiRiskClass.HIGH, AiRiskClass.LIMITED, AiRiskClass.MINIMAL)

#: How far ahead a contract's end is flagged.
CONTRACT_WARNING_MONTHS = 6


class SolutionError(ValueError):
    """Input the register refuses: `field` names it, `code` says why."""

    def __init__(self, field: str, code: str):
        super().__init__(field, code)
        self.field = field
        self.code = code


def check_ai(uses_ai: bool | None, risk_class: AiRiskClass | str | None) -> None:
    """A solution that uses AI names its risk class; one that does not names none."""
    if uses_ai and risk_class is None:
        raise SolutionError("ai_risk_class", "required")
    if not uses_ai and risk_class is not None:
        raise SolutionError("ai_risk_class", "without_ai")


def missing_responsibilities(owned: Iterable[Responsibility | str]) -> tuple[Responsibility, ...]:
    """The lifecycle roles nobody holds at any level, in the register's order."""
    held = {Responsibility(role) for role in owned}
    return tuple(role for role in Responsibility if role not in held)


def add_months(day: dt.date, months: int) -> dt.date:
    """`day` moved `months` calendar months on (the 31st becomes the month's last day)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    next_month = dt.date(year + month // 12, month % 12 + 1, 1)
    last_day = (next_month - dt.timedelta(days=1)).day
    return dt.date(year, month, min(day.day, last_day))


def contract_ends_soon(end: dt.date | None, today: dt.date, months: int = CONTRACT_WARNING_MONTHS) -> bool:
    """Whether a licence or contract ends within `months` from today (or has already ended)."""
    return end is not None and end <= add_months(today, months)


def check_decommission(decommissioned_on: dt.date | None, reason: str, *, already: bool) -> None:
    """A solution is decommissioned once, with a date and a reason."""
    if already:
        raise SolutionError("decommissioned_on", "already")
    if decommissioned_on is None:
        raise SolutionError("decommissioned_on", "required")
    if not reason.strip():
        raise SolutionError("decommission_reason", "required")


LEVELS = tuple(OwnerLevel)
RESPONSIBILITIES = tuple(Responsibility)

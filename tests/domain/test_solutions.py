"""The solution register's rules: owners missing, contracts ending, AI risk classes, decommissioning."""

from __future__ import annotations

import datetime as dt

import pytest

from portfolio.domain.process import Responsibility
from portfolio.domain.solutions import (
    AiRiskClass,
    SolutionError,
    add_months,
    check_ai,
    check_decommission,
    contract_ends_soon,
    missing_responsibilities,
)


def test_missing_responsibilities_are_those_nobody_holds_at_any_level():
    assert missing_responsibilities([Responsibility.MANAGE, "support", Responsibility.MANAGE]) == (
        Responsibility.PROCURE, Responsibility.DECOMMISSION)
    assert missing_responsibilities(list(Responsibility)) == ()


@pytest.mark.parametrize(("day", "months", "expected"), [
    ("2026-08-31", 6, "2027-02-28"), ("2026-12-01", 6, "2027-06-01"), ("2026-01-31", 1, "2026-02-28"),
    ("2027-08-31", 6, "2028-02-29"),
])
def test_add_months_keeps_the_day_or_the_months_last(day, months, expected):
    assert add_months(dt.date.fromisoformat(day), months) == dt.date.fromisoformat(expected)


def test_a_contract_is_flagged_when_it_ends_within_six_months_or_has_ended():
    today = dt.date(2026, 12, 1)
    assert contract_ends_soon(dt.date(2027, 6, 1), today)
    assert contract_ends_soon(dt.date(2026, 1, 1), today)
    assert not contract_ends_soon(dt.date(2027, 6, 2), today)
    assert not contract_ends_soon(None, today)


def test_a_risk_class_goes_with_ai_and_only_with_ai():
    check_ai(True, AiRiskClass.HIGH)
    check_ai(False, None)
    with pytest.raises(SolutionError, match="required"):
        check_ai(True, None)
    with pytest.raises(SolutionError, match="without_ai"):
        check_ai(False, AiRiskClass.MINIMAL)


def test_decommissioning_needs_a_date_and_a_reason_and_happens_once():
    check_decommission(dt.date(2026, 12, 1), "Ersatt av stadens nya plattform", already=False)
    for args, code in (((None, "skäl"), "required"), ((dt.date(2026, 12, 1), " "), "required")):
        with pytest.raises(SolutionError, match=code):
            check_decommission(*args, already=False)
    with pytest.raises(SolutionError, match="already"):
        check_decommission(dt.date(2026, 12, 1), "x", already=True)

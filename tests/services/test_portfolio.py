"""The portfolio overview service: the demo portfolio's figures, filters and attention lists."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import select

from portfolio import demo
from portfolio.domain.economics import BenefitClass
from portfolio.domain.lifecycle import Origin, Phase
from portfolio.models import Pilot
from portfolio.services import economics, follow_up, portfolio
from portfolio.services.portfolio import OverviewFilters
from tests.process_scenario import fast_papers  # noqa: F401

TODAY = dt.date(2026, 12, 1)
KRONA = Decimal(1)
RATIO = Decimal("0.000001")


@pytest.fixture
def seeded(db, fast_papers):
    demo.seed(db)
    db.commit()
    return db


def _sum(values) -> Decimal:
    return sum(values, Decimal(0)).quantize(KRONA)


def test_the_overviews_totals_are_the_sums_of_the_pilots_own_economics_figures(seeded):
    result = portfolio.overview(seeded, OverviewFilters(), today=TODAY)
    pilots = seeded.scalars(select(Pilot).order_by(Pilot.code)).all()
    assert [line.code for line in result.pilots] == [pilot.code for pilot in pilots]
    own = [economics.load_economics(seeded, pilot) for pilot in pilots]
    with_figures = [e for e in own if e.has_figures]
    totals = result.totals
    assert totals.pilots == len(pilots) and totals.with_figures == len(with_figures)
    assert totals.spent_to_date.quantize(KRONA) == _sum(e.evaluation.spent_to_date for e in own)
    assert totals.planned_costs.quantize(KRONA) == _sum(e.evaluation.cash.total_costs for e in own)
    assert totals.npv_cash.quantize(KRONA) == _sum(e.evaluation.cash.npv for e in with_figures)
    assert totals.npv_full.quantize(KRONA) == _sum(e.evaluation.full.npv for e in with_figures)
    for benefit_class in (BenefitClass.FINANCIAL, BenefitClass.REALLOCATION):
        valued = [r for e in own for r in e.valued(benefit_class)]
        assert totals.expected[benefit_class.value].quantize(KRONA) == _sum(r.expected_annual_value for r in valued)
        assert totals.realised[benefit_class.value].quantize(KRONA) == _sum(
            r.realised_annual_value for r in valued if r.realised_annual_value is not None)
    # Each pilot's line carries its own page's NPV, and the pilot list's NPV and realisation.
    listed = economics.register_figures(seeded, pilots)
    for line, figures, pilot in zip(result.pilots, own, pilots, strict=True):
        assert line.figures.npv_full.quantize(KRONA) == figures.evaluation.full.npv.quantize(KRONA), line.code
        own_ratio = listed[pilot.id].realisation  # stored with six decimals (a percent shows none)
        assert line.figures.realisation == (None if own_ratio is None else own_ratio.quantize(RATIO)), line.code
        assert (line.figures.realisation_phase or None) == (listed[pilot.id].realisation_phase or None), line.code
    assert sum(count for _phase, _step, count in result.by_phase) == len(pilots)


def test_every_figure_follows_the_filters(seeded):
    everything = portfolio.overview(seeded, OverviewFilters(), today=TODAY)
    filters = OverviewFilters(origin=Origin.CHALLENGE_DRIVEN)
    narrowed = portfolio.overview(seeded, filters, today=TODAY)
    expected = [line.code for line in everything.pilots
                if seeded.scalar(select(Pilot.origin).where(Pilot.id == line.id)) is Origin.CHALLENGE_DRIVEN]
    assert [line.code for line in narrowed.pilots] == expected and 0 < len(expected) < len(everything.pilots)
    codes = set(expected)
    assert {row.pilot_code for row in narrowed.attention.unharvested} <= codes
    assert {row.pilot_code for row in narrowed.attention.follow_ups} <= codes
    assert {line.code for line in narrowed.attention.awaiting_decision} <= codes
    assert {line.code for line in narrowed.chart_pilots} <= codes
    assert narrowed.totals.spent_to_date == sum((line.figures.spent_to_date for line in narrowed.pilots), Decimal(0))
    assert filters.query_args() == {"origin": "challenge_driven"}
    # A year no pilot was registered in leaves nothing.
    assert portfolio.overview(seeded, OverviewFilters(year=1999), today=TODAY).pilots == []


def test_the_attention_lists_of_the_demo(seeded):
    result = portfolio.overview(seeded, OverviewFilters(), today=TODAY)
    attention = result.attention
    laiban = next(line for line in result.pilots if line.title.startswith("Laiban"))
    assert laiban.phase is Phase.IMPLEMENTATION
    assert any(row.pilot_code == laiban.code for row in attention.unharvested)
    assert all(line.phase is Phase.SCALE_UP and line.step == 3 for line in attention.awaiting_decision)
    assert all(line.phase is Phase.TEST and end < TODAY for line, end in attention.tests_past_end)
    assert all(item.pilot.phase is Phase.SCALE_UP and item.codes for item in attention.missing_items)
    # The overview's lists are the follow-up service's own.
    assert attention.unharvested == follow_up.unharvested_benefits(seeded)
    assert attention.follow_ups == follow_up.due_follow_ups(seeded, before=TODAY + dt.timedelta(days=60),
                                                            today=TODAY)
    assert result.benefits.potential > 0 and result.benefits.realised > 0  # realised may beat the target

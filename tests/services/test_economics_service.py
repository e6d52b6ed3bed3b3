"""Loading a pilot's economics from the database: the inputs the calculation gets, in fixed queries."""

import datetime as dt
from decimal import Decimal

from portfolio.domain.economics import BenefitClass
from portfolio.domain.roles import Role
from portfolio.models import ApiToken
from portfolio.services import economics, tokens

from tests.conftest import count_queries
from tests.economics_scenario import laiban
from tests.factories import make_effect_goal, make_indicator, make_pilot, make_user

D = Decimal


def test_latest_test_measurement_is_used_by_date_then_by_id(app, db):
    scenario = laiban(db)
    data = economics.load_economics(db, scenario.pilot)
    minutes = next(line for line in data.lines if line.indicator.id == scenario.ids["minutes"])
    # 44 was recorded after 45 on the same day; 59 is older; the follow-up value 30 is not a test result.
    assert minutes.latest.value == D(44)
    assert minutes.result.indicator.latest == D(44)
    assert minutes.result.realisation == D("0.8")
    assert minutes.result.realised_annual_value == D(16) * D("7.5") * 1200


def test_inputs_are_mapped_with_the_indicator_id_as_key(app, db):
    scenario = laiban(db)
    ev = economics.evaluate_pilot(db, scenario.pilot)
    by_key = {r.key: r for r in ev.indicators}
    licences = by_key[str(scenario.ids["licences"])]
    assert licences.benefit_class is BenefitClass.FINANCIAL
    assert licences.is_estimate and licences.annual_value_used == D(100) * D("12.3456") * D("10.5")
    assert by_key[str(scenario.ids["satisfaction"])] in ev.unvalued
    # The parameters are the pilot's (ramp-up 50 % in year 0) over the admin's defaults.
    assert ev.first_year == 2027
    assert ev.parameters.ramp_up == (D("0.5"),)
    assert ev.spent_to_date == D(25000)
    assert ev.costs_before_horizon == D(5000)
    assert ev.costs_by_year[:2] == [D("116000.50"), D("48346.17")]


def test_indicators_without_baseline_or_target_are_listed_not_valued(app, db):
    pilot = make_pilot(db)
    goal = make_effect_goal(db, pilot)
    make_indicator(db, goal, name="Utan något", baseline_value=None, target_value=None,
                   benefit_class=BenefitClass.FINANCIAL, value_per_unit=D(5), annual_volume=D(10))
    make_indicator(db, goal, name="Komplett", benefit_class=BenefitClass.FINANCIAL, value_per_unit=D(5),
                   annual_volume=D(10))
    db.commit()
    data = economics.load_economics(db, pilot)
    assert [line.missing for line in data.incomplete] == [("baseline", "target")]
    assert [r.name for r in data.evaluation.indicators] == ["Komplett"]
    assert data.evaluation.benefits_by_class[BenefitClass.FINANCIAL].annual_value == D(20) * 5 * 10


def test_a_pilot_with_nothing_recorded_evaluates_to_nothing(app, db):
    pilot = make_pilot(db)
    db.commit()
    data = economics.load_economics(db, pilot)
    assert data.goals == [] and data.costs == []
    assert not data.has_figures
    assert data.evaluation.full.npv == 0 and data.evaluation.full.bcr is None


def test_loading_runs_a_fixed_number_of_queries(app, db):
    small = laiban(db).pilot
    large = laiban(db, extra_goals=6).pilot
    counts = []
    for pilot in (small, large):
        db.expire_all()
        with count_queries(app) as statements:
            economics.load_economics(db, pilot)
        counts.append(len(statements))
    assert counts[0] == counts[1] <= 6


def test_token_use_is_recorded_at_most_once_a_minute(app, db):
    user = make_user(db, roles=[Role.VIEWER])
    token, raw = tokens.create_token(db, user, "Rapport", actor=user)
    db.commit()
    first = dt.datetime(2026, 11, 22, 10, 0)
    assert tokens.user_for_token(db, raw, now=first) == user
    assert token.last_used_at == first
    tokens.user_for_token(db, raw, now=first + dt.timedelta(seconds=30))
    assert token.last_used_at == first
    tokens.user_for_token(db, raw, now=first + dt.timedelta(minutes=2))
    assert token.last_used_at == first + dt.timedelta(minutes=2)


def test_a_user_finds_only_their_own_tokens(app, db):
    alice = make_user(db)
    bob = make_user(db)
    mine, _ = tokens.create_token(db, alice, "Min", actor=alice)
    theirs, _ = tokens.create_token(db, bob, "Hans", actor=bob)
    db.commit()
    assert tokens.tokens_of(db, alice) == [mine]
    assert tokens.token_of(db, alice, mine.id) == mine
    assert tokens.token_of(db, alice, theirs.id) is None
    assert isinstance(mine, ApiToken)

"""The JSON API: bearer tokens, the pilot list and a pilot's economics, checked against DESIGN §5."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from decimal import ROUND_HALF_UP, Decimal, localcontext

import pytest
from sqlalchemy import select

from portfolio import demo
from portfolio.domain.lifecycle import Origin, Phase
from portfolio.domain.roles import Role
from portfolio.models import ApiToken, MeasurementPhase
from portfolio.services import openness, tokens
from portfolio.services import portfolio as portfolio_service
from portfolio.services.portfolio import OverviewFilters
from portfolio.web.openapi import document

from tests.conftest import count_queries, login
from tests.economics_scenario import laiban
from tests.factories import (
    make_decision,
    make_effect_goal,
    make_follow_ups,
    make_indicator,
    make_measurement,
    make_pilot,
    make_user,
)
from tests.process_scenario import fast_papers  # noqa: F401

D = Decimal
MONEY = re.compile(r"^-?\d+\.\d\d$")


def bearer(raw: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {raw}"}


@pytest.fixture
def viewer_token(db):
    user = make_user(db, roles=[Role.VIEWER])
    token, raw = tokens.create_token(db, user, "Rapport", actor=user)
    db.commit()
    return token, raw


# --------------------------------------------------------------------------------------------
# An independent recomputation of DESIGN §5 from the inputs the JSON returns.
# --------------------------------------------------------------------------------------------


def öre(value: Decimal) -> str:
    rounded = value.quantize(D("0.01"), rounding=ROUND_HALF_UP)
    return str(abs(rounded) if rounded == 0 else rounded)


def recompute(data: dict) -> dict:
    """NPV, BCR, payback, yearly rows and spent to date, straight from the formulas in DESIGN §5."""
    with localcontext() as ctx:
        ctx.prec = 50
        years = list(range(data["first_year"], data["first_year"] + data["horizon_years"]))
        rate = D(data["discount_rate"])
        ramp = [D(f) for f in data["ramp_up"]]

        def annual(indicator) -> Decimal:
            b, t = D(indicator["baseline"]), D(indicator["target"])
            price, volume = D(indicator["value_per_unit"]), D(indicator["annual_volume"])
            if indicator["latest"] is None:  # not measured: the expected value at target
                return abs(t - b) * price * volume
            a = D(indicator["latest"])
            delta = a - b if indicator["direction"] == "higher_is_better" else b - a
            return delta * price * volume

        valued = [
            i for i in data["indicators"]
            if i["benefit_class"] in ("financial", "reallocation") and i["value_per_unit"] and i["annual_volume"]
        ]
        per_class = {
            cls: sum((annual(i) for i in valued if i["benefit_class"] == cls), D(0))
            for cls in ("financial", "reallocation")
        }

        def cost_in(cost, year) -> Decimal:
            amount = D(cost["amount"])
            if cost["kind"] == "one_off":
                return amount if year == cost["first_year"] else D(0)
            last = cost["last_year"] if cost["last_year"] is not None else years[-1]
            return amount if cost["first_year"] <= year <= last else D(0)

        forward = [c for c in data["costs"] if c["phase"] != "test"]
        costs = [sum((cost_in(c, y) for c in forward), D(0)) for y in years]
        spent = D(0)
        for cost in data["costs"]:
            if cost["phase"] == "test":
                span = 1 if cost["kind"] == "one_off" or cost["last_year"] is None else (
                    cost["last_year"] - cost["first_year"] + 1)
                spent += D(cost["amount"]) * span

        def view(classes, b_factor=D(1), c_factor=D(1)) -> dict:
            benefits = [sum((per_class[c] for c in classes), D(0)) * ramp[k] * b_factor for k in range(len(years))]
            scaled = [c * c_factor for c in costs]
            nets = [b - c for b, c in zip(benefits, scaled)]
            discount = [(1 + rate) ** k for k in range(len(years))]
            pv_b = sum((b / f for b, f in zip(benefits, discount)), D(0))
            pv_c = sum((c / f for c, f in zip(scaled, discount)), D(0))
            cumulative, payback, started = D(0), None, False
            for year, net, b, c in zip(years, nets, benefits, scaled):
                started = started or bool(b or c)  # payback counts from the first year with any money
                cumulative += net
                if started and payback is None and cumulative >= 0:
                    payback = year
            return {
                "years": [
                    {"year": y, "costs": öre(c), "benefits": öre(b), "net": öre(n)}
                    for y, c, b, n in zip(years, scaled, benefits, nets)
                ],
                "npv": öre(pv_b - pv_c),
                "bcr": None if pv_c == 0 else (pv_b / pv_c),
                "payback_year": payback,
            }

        cases = {}
        for name, case in data["sensitivity"].items():
            b_factor, c_factor = D(case["benefits_factor"]), D(case["costs_factor"])
            cases[name] = {
                "cash": view(["financial"], b_factor, c_factor)["npv"],
                "full": view(["financial", "reallocation"], b_factor, c_factor)["npv"],
            }
        return {
            "cash": view(["financial"]),
            "full": view(["financial", "reallocation"]),
            "spent_to_date": öre(spent),
            "sensitivity": cases,
        }


def test_economics_json_agrees_with_a_recomputation_from_its_own_inputs(client, db, login_as):
    scenario = laiban(db)
    login_as(Role.VIEWER)
    data = client.get(f"/api/v1/pilots/{scenario.pilot.code}/economics").get_json()
    expected = recompute(data)
    for name in ("cash", "full"):
        got = data["views"][name]
        assert [{k: row[k] for k in ("year", "costs", "benefits", "net")} for row in got["years"]] == \
            expected[name]["years"]
        assert got["npv"] == expected[name]["npv"]
        assert got["payback_year"] == expected[name]["payback_year"]
        assert D(got["bcr"]) == expected[name]["bcr"].quantize(D("0.000001"), rounding=ROUND_HALF_UP)
    assert data["spent_to_date"] == expected["spent_to_date"] == "25000.00"
    for name, case in expected["sensitivity"].items():
        assert data["sensitivity"][name]["npv"] == case
    # Spot checks against figures worked out by hand: 2027 costs 80 000 + 36 000,50; benefits of
    # year 0 at 50 % ramp-up: (144 000 + 12 962,88) / 2; the full view pays back in 2028.
    assert data["views"]["full"]["years"][0] == {
        "year": 2027, "costs": "116000.50", "benefits": "78481.44", "net": "-37519.06",
        "cumulative_net": "-37519.06", "present_value": "-37519.06",
    }
    assert data["views"]["full"]["payback_year"] == 2028
    assert data["views"]["cash"]["payback_year"] is None


def test_economics_json_describes_inputs_with_exact_decimal_strings(client, db, login_as):
    scenario = laiban(db)
    login_as(Role.FINANCE)
    data = client.get(f"/api/v1/pilots/{scenario.pilot.code}/economics").get_json()
    assert data["pilot"] == {"code": scenario.pilot.code, "title": "Laiban i förskolan", "phase": "test"}
    assert data["currency"] == "SEK"
    assert (data["first_year"], data["horizon_years"], data["discount_rate"]) == (2027, 5, "0.03")
    assert data["ramp_up"] == ["0.5", "1", "1", "1", "1"]
    assert data["sensitivity"]["low"]["benefits_factor"] == "0.5"
    assert data["sensitivity"]["low"]["costs_factor"] == "1.2"
    minutes, licences, satisfaction = data["indicators"]
    assert (minutes["name"], minutes["unit"]) == ("Minuter per dag på rutinfrågor", "minuter")
    assert (minutes["baseline"], minutes["target"], minutes["latest"]) == ("60", "40", "44")
    assert minutes["direction"] == "lower_is_better"
    assert (minutes["value_per_unit"], minutes["annual_volume"]) == ("7.5", "1200")
    assert minutes["benefit_class"] == "reallocation" and minutes["realisation"] == "0.8"
    assert (minutes["expected_annual_value"], minutes["realised_annual_value"]) == ("180000.00", "144000.00")
    assert minutes["is_estimate"] is False
    assert licences["is_estimate"] is True and licences["latest"] is None
    assert licences["expected_annual_value"] == "12962.88" and licences["realised_annual_value"] is None
    assert satisfaction["benefit_class"] == "unvalued" and satisfaction["expected_annual_value"] is None
    assert data["incomplete_indicators"][0]["missing"] == ["target"]
    assert {c["phase"] for c in data["costs"]} == {"test", "implementation", "operation"}
    recurring = next(c for c in data["costs"] if c["kind"] == "recurring")
    assert {key: recurring[key] for key in ("category", "phase", "first_year", "last_year", "amount")} == {
        "category": "licence", "phase": "operation", "first_year": 2027, "last_year": None, "amount": "36000.50"}
    assert data["is_estimate"] is True
    for view in data["views"].values():
        assert {"years", "npv", "bcr", "payback_year"} <= set(view)
        for row in view["years"]:
            assert all(MONEY.match(row[key]) for key in ("costs", "benefits", "net"))
        assert MONEY.match(view["npv"])


def test_a_pilot_without_costs_has_no_bcr_and_pays_back_at_once(client, db, login_as):
    pilot = make_pilot(db)
    db.commit()
    login_as(Role.VIEWER)
    data = client.get(f"/api/v1/pilots/{pilot.code}/economics").get_json()
    assert data["views"]["cash"]["bcr"] is None
    assert data["views"]["cash"]["npv"] == "0.00"
    assert data["indicators"] == [] and data["costs"] == []


def test_unknown_pilot_is_a_json_404(client, people, login_as):
    login_as(Role.VIEWER)
    response = client.get("/api/v1/pilots/INN-1999-999/economics")
    assert response.status_code == 404
    assert "error" in response.get_json()


def test_pilot_list_is_paginated_by_code(client, db, viewer_token):
    _token, raw = viewer_token
    for n in range(55):
        make_pilot(db, code=f"INN-2025-{n:03d}", title=f"Pilot {n}")
    db.commit()
    first = client.get("/api/v1/pilots", headers=bearer(raw)).get_json()
    assert (first["page"], first["pages"], first["total"]) == (1, 2, 55)
    assert first["pilots"][0] == {"code": "INN-2025-000", "title": "Pilot 0", "phase": "test",
                                  "economics_url": "/api/v1/pilots/INN-2025-000/economics"}
    second = client.get("/api/v1/pilots?page=2", headers=bearer(raw)).get_json()
    assert [p["code"] for p in second["pilots"]] == [f"INN-2025-{n:03d}" for n in range(50, 55)]
    assert client.get("/api/v1/pilots?page=99", headers=bearer(raw)).get_json()["page"] == 2  # the last page
    refused = client.get("/api/v1/pilots?page=x", headers=bearer(raw))
    assert refused.status_code == 400
    assert refused.get_json() == {"error": "page must be a whole number from 1 to 2147483647"}


# --------------------------------------------------------------------------------------------
# Tokens
# --------------------------------------------------------------------------------------------


def test_without_a_token_the_api_answers_401_json(client, db):
    response = client.get("/api/v1/pilots")
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert "error" in response.get_json()


def test_a_bearer_token_reads_with_its_users_permissions(client, db, viewer_token):
    pilot = make_pilot(db)
    nobody = make_user(db, roles=[])
    _t, nobody_raw = tokens.create_token(db, nobody, "Utan roller", actor=nobody)
    db.commit()
    _token, raw = viewer_token
    assert client.get(f"/api/v1/pilots/{pilot.code}/economics", headers=bearer(raw)).status_code == 200
    refused = client.get(f"/api/v1/pilots/{pilot.code}/economics", headers=bearer(nobody_raw))
    assert refused.status_code == 403 and "error" in refused.get_json()


def test_revoked_unknown_and_deactivated_tokens_are_refused(client, db, viewer_token):
    token, raw = viewer_token
    assert client.get("/api/v1/pilots", headers=bearer(raw)).status_code == 200
    tokens.revoke_token(db, token, actor=None)
    db.commit()
    assert client.get("/api/v1/pilots", headers=bearer(raw)).status_code == 401
    assert client.get("/api/v1/pilots", headers=bearer(raw + "x")).status_code == 401
    assert client.get("/api/v1/pilots", headers={"Authorization": "Basic abc"}).status_code == 401
    gone = make_user(db, roles=[Role.VIEWER], active=False)
    _t, gone_raw = tokens.create_token(db, gone, "Gammal", actor=None)
    db.commit()
    assert client.get("/api/v1/pilots", headers=bearer(gone_raw)).status_code == 401


def test_using_a_token_records_when_it_was_last_used(app, client, db, viewer_token):
    token, raw = viewer_token

    def last_used():
        # A separate session sees only what was committed, as the account page will.
        with app.extensions["portfolio_db"].sessions() as other:
            return other.scalar(select(ApiToken.last_used_at).where(ApiToken.id == token.id))

    assert last_used() is None
    client.get("/api/v1/pilots", headers=bearer(raw))
    assert last_used() is not None
    # A request that fails after authenticating still counts as a use of the token.
    long_ago = dt.datetime(2020, 1, 1)
    db.get(ApiToken, token.id).last_used_at = long_ago
    db.commit()
    assert client.get("/api/v1/pilots/INN-1999-999/economics", headers=bearer(raw)).status_code == 404
    assert last_used() > long_ago


def test_a_token_created_on_the_command_line_works(app, runner, db):
    user = make_user(db, roles=[Role.MANAGEMENT], email="ledning@example.org")
    db.commit()
    result = runner.invoke(args=["tokens", "create", "ledning@example.org", "--name", "Power BI"])
    assert result.exit_code == 0, result.output
    raw = result.output.strip()
    assert raw.startswith(tokens.TOKEN_PREFIX)
    response = app.test_client().get("/api/v1/pilots", headers=bearer(raw))
    assert response.status_code == 200
    assert db.scalar(select(ApiToken.name).where(ApiToken.user_id == user.id)) == "Power BI"
    refused = runner.invoke(args=["tokens", "create", "ingen@example.org"])
    assert refused.exit_code != 0


def test_the_api_runs_a_fixed_number_of_queries(app, client, db, viewer_token):
    _token, raw = viewer_token
    small = laiban(db).pilot
    large = laiban(db, extra_goals=6).pilot
    for n in range(30):
        make_pilot(db, code=f"INN-2025-{n:03d}")
    db.commit()
    client.get("/api/v1/pilots", headers=bearer(raw))  # the first use writes last_used_at
    counts = []
    for pilot in (small, large):
        with count_queries(app) as statements:
            assert client.get(f"/api/v1/pilots/{pilot.code}/economics", headers=bearer(raw)).status_code == 200
        counts.append(len(statements))
    assert counts[0] == counts[1]
    with count_queries(app) as statements:
        client.get("/api/v1/pilots", headers=bearer(raw))
    assert len(statements) <= 5


# --------------------------------------------------------------------------------------------
# Initiatives, challenges, solutions and the open portfolio
# --------------------------------------------------------------------------------------------


def test_an_initiative_reads_with_its_goals_indicators_and_latest_measurements(client, db, viewer_token):
    _token, raw = viewer_token
    pilot = make_pilot(db, title="Laiban")
    goal = make_effect_goal(db, pilot, statement="Färre rutinfrågor")
    indicator = make_indicator(db, goal, name="Minuter per dag")
    make_measurement(db, indicator, value="50", measured_on=dt.date(2026, 3, 1))
    make_measurement(db, indicator, value="41.5", measured_on=dt.date(2026, 5, 1))
    make_measurement(db, indicator, value="30", measured_on=dt.date(2027, 5, 1), phase=MeasurementPhase.FOLLOW_UP)
    db.commit()
    body = client.get(f"/api/v1/initiatives/{pilot.code}", headers=bearer(raw)).get_json()
    assert (body["title"], body["kind"], body["economics_url"]) == (
        "Laiban", "innovation", f"/api/v1/pilots/{pilot.code}/economics")
    [goal_json] = body["effect_goals"]
    [indicator_json] = goal_json["indicators"]
    assert goal_json["statement"] == "Färre rutinfrågor" and indicator_json["name"] == "Minuter per dag"
    assert indicator_json["latest_test"] == {"measured_on": "2026-05-01", "value": "41.5", "phase": "test"}
    assert indicator_json["latest_follow_up"]["value"] == "30"
    listed = client.get("/api/v1/initiatives?kind=innovation&q=laiban", headers=bearer(raw)).get_json()
    assert [item["code"] for item in listed["initiatives"]] == [pilot.code]
    assert client.get("/api/v1/initiatives?kind=digitalisation", headers=bearer(raw)).get_json()["total"] == 0
    refused = client.get("/api/v1/initiatives?phase=done", headers=bearer(raw))
    assert refused.status_code == 400 and refused.get_json()["error"].startswith("phase must be one of: idea, test")
    missing = client.get("/api/v1/initiatives/INN-1999-999", headers=bearer(raw))
    assert missing.status_code == 404 and missing.get_json() == {"error": "Sidan finns inte."}


def test_the_public_initiatives_need_no_token_and_everything_else_does(client, db, people):
    pilot = make_pilot(db, title="Robotgräsklippare")
    openness.set_publication(db, pilot, ["title", "status"], people[Role.ADMIN])
    db.commit()
    assert client.get("/api/v1/public/initiatives").get_json() == {
        "initiatives": [{"code": pilot.code, "title": "Robotgräsklippare", "status": "test"}]}
    for path in ("/api/v1/initiatives", "/api/v1/challenges", "/api/v1/solutions", "/api/v1/decisions"):
        assert client.get(path).status_code == 401, path


# --------------------------------------------------------------------------------------------
# Follow-ups
# --------------------------------------------------------------------------------------------


def _scaled_up(db, manager, *, decided_on, due_dates, title="Laiban"):
    pilot = make_pilot(db, title=title)
    indicator = make_indicator(db, make_effect_goal(db, pilot), name="Minuter per dag")
    decision = make_decision(db, pilot, recorded_by=manager, decided_on=decided_on)
    make_follow_ups(db, pilot, decision, due_dates)
    return pilot, indicator


def test_follow_ups_list_each_due_date_with_its_status_and_the_measurements_taken_for_it(client, db, people,
                                                                                        viewer_token):
    _token, raw = viewer_token
    today = dt.date.today()
    days = lambda n: today + dt.timedelta(days=n)  # noqa: E731
    laiban, indicator = _scaled_up(db, people[Role.MANAGEMENT], decided_on=days(-400),
                                   due_dates=[days(-200), days(-10), days(30), days(365)])
    make_measurement(db, indicator, value="31.5", measured_on=days(-205), phase=MeasurementPhase.FOLLOW_UP)
    make_measurement(db, indicator, value="99", measured_on=days(-205))  # a test measurement: not a follow-up
    other, _indicator = _scaled_up(db, people[Role.MANAGEMENT], decided_on=days(-30), due_dates=[days(20)],
                                   title="Skrivstöd")
    make_pilot(db, title="Inte uppskalad")
    db.commit()

    body = client.get("/api/v1/follow-ups", headers=bearer(raw)).get_json()
    rows = [(row["initiative"]["code"], row["due_on"], row["status"]) for row in body["follow_ups"]]
    assert rows == [
        (laiban.code, days(-200).isoformat(), "done"),
        (laiban.code, days(-10).isoformat(), "overdue"),
        (other.code, days(20).isoformat(), "due"),
        (laiban.code, days(30).isoformat(), "due"),
        (laiban.code, days(365).isoformat(), "planned"),
    ]
    assert body["total"] == 5 and body["pages"] == 1
    first = body["follow_ups"][0]
    assert first["measurements"] == [{"indicator_id": indicator.id, "indicator_name": "Minuter per dag",
                                      "unit": indicator.unit, "measured_on": days(-205).isoformat(), "value": "31.5"}]
    assert (first["indicators"], first["indicators_measured"]) == (1, 1)
    assert all(row["measurements"] == [] for row in body["follow_ups"][1:])
    assert first["initiative"]["url"] == f"/api/v1/initiatives/{laiban.code}"

    overdue = client.get("/api/v1/follow-ups?status=overdue", headers=bearer(raw)).get_json()
    assert [row["due_on"] for row in overdue["follow_ups"]] == [days(-10).isoformat()]
    due = client.get(f"/api/v1/follow-ups?status=due&pilot={other.code}", headers=bearer(raw)).get_json()
    assert [row["initiative"]["code"] for row in due["follow_ups"]] == [other.code]
    second_page = client.get("/api/v1/follow-ups?per_page=2&page=2", headers=bearer(raw)).get_json()
    assert [row["due_on"] for row in second_page["follow_ups"]] == [days(20).isoformat(), days(30).isoformat()]
    assert second_page["pages"] == 3
    assert client.get("/api/v1/follow-ups?pilot=INN-1999-999", headers=bearer(raw)).get_json()["total"] == 0

    refused = client.get("/api/v1/follow-ups?status=late", headers=bearer(raw))
    assert refused.status_code == 400
    assert refused.get_json() == {"error": "status must be one of: planned, due, overdue, done"}
    assert client.get("/api/v1/follow-ups").status_code == 401


def test_the_follow_up_list_reads_as_many_queries_for_many_pilots_as_for_one(app, client, db, people, viewer_token):
    _token, raw = viewer_token
    today = dt.date.today()
    client.get("/api/v1/follow-ups", headers=bearer(raw))  # the first use writes last_used_at
    counts = []
    for pilots in (1, 12):
        for _n in range(pilots):
            _pilot, indicator = _scaled_up(db, people[Role.MANAGEMENT], decided_on=today - dt.timedelta(days=100),
                                           due_dates=[today + dt.timedelta(days=d) for d in (-50, 80, 300)])
            make_measurement(db, indicator, value="3", measured_on=today - dt.timedelta(days=55),
                             phase=MeasurementPhase.FOLLOW_UP)
        db.commit()
        with count_queries(app) as statements:
            body = client.get("/api/v1/follow-ups?per_page=100", headers=bearer(raw)).get_json()
        assert sum(len(row["measurements"]) for row in body["follow_ups"]) == body["total"] // 3
        counts.append(len(statements))
    assert counts[0] == counts[1]


# --------------------------------------------------------------------------------------------
# The initiative list filters as the portfolio overview does
# --------------------------------------------------------------------------------------------


def _api_codes(client, raw: str, query: str) -> list[str]:
    body = client.get(f"/api/v1/initiatives?per_page=100&{query}", headers=bearer(raw)).get_json()
    assert body["pages"] == 1, "more initiatives than one page: the comparison would miss some"
    return [item["code"] for item in body["initiatives"]]


def _overview_codes(client, query: str) -> list[str]:
    """The pilots of the overview's table, as its CSV export lists them (the same query string)."""
    text = client.get(f"/portfolio/export.csv?{query}").get_data(as_text=True).lstrip("\ufeff")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    return [row[0] for row in rows[1:] if re.fullmatch(r"[A-Z]+-\d{4}-\d{3}", row[0])]


def test_the_initiative_list_and_the_overview_agree_for_the_same_filters(client, db, fast_papers, people,
                                                                        viewer_token):
    demo.seed(db)
    db.commit()
    _token, raw = viewer_token
    login(client, people[Role.MANAGEMENT])
    options = portfolio_service.filter_options(db)
    queries = [""]
    queries += [f"unit={unit_id}" for unit_id, _name in options.units]
    queries += [f"goal={goal_id}" for goal_id, _name in options.goals]
    queries += [f"leader={leader_id}" for leader_id, _name in options.leaders]
    queries += [f"year={year}" for year in options.years]
    queries += [f"origin={origin.value}" for origin in Origin] + [f"phase={phase.value}" for phase in Phase]
    unit_id, goal_id, leader_id = options.units[0][0], options.goals[0][0], options.leaders[0][0]
    queries += ["origin=idea_driven&phase=test", f"leader={leader_id}&year={options.years[-1]}",
                f"unit={unit_id}&goal={goal_id}&phase=implementation"]
    narrowed = 0
    for query in queries:
        expected = _overview_codes(client, query)
        assert _api_codes(client, raw, query) == expected, query
        narrowed += 0 < len(expected) < len(_overview_codes(client, ""))
    assert narrowed >= 10  # the filters do narrow: the comparison is not between two full lists

    # The parameters are the overview's own (the names of its URL), and all are documented.
    every = OverviewFilters(unit_id=1, goal_id=1, origin=Origin.IDEA_DRIVEN, phase=Phase.TEST, leader_id=1, year=2026)
    documented = {parameter["name"] for parameter in document()["paths"]["/initiatives"]["get"]["parameters"]}
    assert set(every.query_args()) <= documented


@pytest.mark.parametrize(("query", "message"), [
    ("unit=förskolan", "unit must be a whole number from 1 to 2147483647"),
    ("goal=0", "goal must be a whole number from 1 to 2147483647"),
    ("leader=-3", "leader must be a whole number from 1 to 2147483647"),
    ("year=26", "year must be a whole number from 1900 to 9999"),
    ("origin=idea", "origin must be one of: idea_driven, challenge_driven, opportunity_driven"),
    ("phase=", "phase must be one of: idea, test, scale_up, implementation, closed, parked"),
])
def test_a_malformed_overview_filter_is_refused_with_a_message_naming_it(client, db, viewer_token, query, message):
    _token, raw = viewer_token
    response = client.get(f"/api/v1/initiatives?{query}", headers=bearer(raw))
    assert response.status_code == 400 and response.get_json() == {"error": message}


def test_an_unknown_unit_or_year_matches_no_initiative(client, db, viewer_token):
    _token, raw = viewer_token
    make_pilot(db)
    db.commit()
    for query in ("unit=999999", "year=1999", "leader=999999", "goal=999999"):
        body = client.get(f"/api/v1/initiatives?{query}", headers=bearer(raw)).get_json()
        assert body["total"] == 0 and body["initiatives"] == [], query

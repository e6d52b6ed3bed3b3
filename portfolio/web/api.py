"""The JSON API (`/api/v1/`), read with personal bearer tokens (or a logged-in browser session).

Money is a decimal string rounded once to the öre ("1234.50"); ratios and measured values are
decimal strings too, never floats, so a client can recompute every figure exactly. The figures
come from the same :func:`services.economics.load_economics` as the economics page.
Errors are JSON (`{"error": ...}`) with the HTTP status; 401 without a valid token.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from flask import Blueprint, abort, jsonify, request, url_for
from sqlalchemy import select

from portfolio.db import get_session
from portfolio.domain.economics import SENSITIVITY_CASES, BenefitClass, IndicatorResult, View
from portfolio.domain.roles import Permission
from portfolio.i18n import round_display
from portfolio.domain.follow_up import FollowUpStatus
from portfolio.domain.initiatives import ChallengeStatus, InitiativeKind
from portfolio.domain.lifecycle import Origin, Phase
from portfolio.domain.process import DecisionOutcome
from portfolio.models import MeasurementPhase, Pilot
from portfolio.services import challenges as challenge_service
from portfolio.services import economics, openness, process
from portfolio.services import initiatives as initiative_service
from portfolio.services import pilots as pilot_service
from portfolio.services import solutions as solution_service
from portfolio.services.follow_up_list import list_follow_ups
from portfolio.services.paging import paginate
from portfolio.services.portfolio import OverviewFilters

from .access import public, requires
from .openapi import document

bp = Blueprint("api", __name__, url_prefix="/api/v1")

PILOTS_PER_PAGE = 50


@bp.before_request
def _record_token_use():
    """Keep the `last_used_at` the token lookup set, whatever the view answers afterwards."""
    # Access is enforced (and the bearer token looked up) by the app-wide hook, which runs
    # before this one; committing here stores the use in its own small transaction.
    get_session().commit()


def money(value: Decimal | None) -> str | None:
    """Money as a decimal string rounded to the öre ("1234.50"); None stays None."""
    if value is None:
        return None
    rounded = round_display(value, 2)
    return str(rounded.copy_abs() if rounded == 0 else rounded)  # never "-0.00"


def ratio(value: Decimal | None) -> str | None:
    """A ratio (realisation, BCR, factor, rate) as a decimal string to at most 6 decimals."""
    if value is None:
        return None
    return plain(round_display(value, 6))


def plain(value: Decimal | None) -> str | None:
    """An exact decimal in plain notation without trailing zeros ("0.5", "60", "1500")."""
    if value is None:
        return None
    text = format(Decimal(value).normalize(), "f")
    return "0" if text == "-0" else text


def _indicator(line: economics.IndicatorLine, result: IndicatorResult) -> dict[str, Any]:
    ind = result.indicator
    return {
        "id": line.indicator.id,
        "effect_goal_id": line.indicator.effect_goal_id,
        "name": ind.name,
        "unit": ind.unit,
        "direction": ind.direction.value,
        "baseline": plain(ind.baseline),
        "target": plain(ind.target),
        "latest": plain(ind.latest),
        "latest_measured_on": line.latest.measured_on.isoformat() if line.latest else None,
        # SEK per unit of improvement is a price, not an amount: kept exact, not rounded to öre.
        "value_per_unit": plain(ind.value_per_unit),
        "annual_volume": plain(ind.annual_volume),
        "benefit_class": ind.benefit_class.value,
        "is_valued": result.is_valued,
        "improvement": plain(result.improvement),
        "realisation": ratio(result.realisation),
        "expected_annual_value": money(result.expected_annual_value),
        "realised_annual_value": money(result.realised_annual_value),
        "annual_value_used": money(result.annual_value_used),
        "is_estimate": result.is_estimate,
    }


def _view(view: View) -> dict[str, Any]:
    return {
        "years": [
            {
                "year": row.year,
                "costs": money(row.costs),
                "benefits": money(row.benefits),
                "net": money(row.net),
                "cumulative_net": money(row.cumulative_net),
                "present_value": money(row.present_value),
            }
            for row in view.years
        ],
        "total_costs": money(view.total_costs),
        "total_benefits": money(view.total_benefits),
        "total_net": money(view.total_net),
        "pv_costs": money(view.pv_costs),
        "pv_benefits": money(view.pv_benefits),
        "npv": money(view.npv),
        "bcr": ratio(view.bcr),
        "payback_year": view.payback_year,
        "is_estimate": view.is_estimate,
    }


def economics_json(data: economics.PilotEconomics) -> dict[str, Any]:
    """The JSON form of a pilot's economics (the same figures as the page, to the öre)."""
    ev = data.evaluation
    params = ev.parameters
    pilot = data.pilot
    lines = {str(line.indicator.id): line for line in data.lines}
    return {
        "pilot": {"code": pilot.code, "title": pilot.title, "phase": pilot.phase.value},
        "currency": "SEK",
        "first_year": ev.first_year,
        "horizon_years": params.horizon_years,
        "years": ev.years,
        "discount_rate": ratio(params.discount_rate),
        "ramp_up": [ratio(factor) for _year, factor in data.ramp_up_by_year],
        "sensitivity": {
            name: {
                "benefits_factor": ratio(case.benefits_factor),
                "costs_factor": ratio(case.costs_factor),
                "npv": {"cash": money(case.cash.npv), "full": money(case.full.npv)},
            }
            for name, case in ((name, ev.sensitivity[name]) for name in SENSITIVITY_CASES)
        },
        "indicators": [_indicator(lines[r.key], r) for r in ev.indicators],
        "incomplete_indicators": [
            {
                "id": line.indicator.id,
                "effect_goal_id": line.indicator.effect_goal_id,
                "name": line.indicator.name,
                "unit": line.indicator.unit,
                "missing": list(line.missing),
            }
            for line in data.incomplete
        ],
        "costs": [
            {
                "id": cost.id,
                "category": cost.category.value,
                "kind": cost.kind.value,
                "phase": cost.phase.value,
                "first_year": cost.first_year,
                "last_year": cost.last_year,
                "amount": money(cost.amount),
            }
            for cost in data.costs
        ],
        "costs_by_year": [money(value) for value in ev.costs_by_year],
        "costs_before_horizon": money(ev.costs_before_horizon),
        "spent_to_date": money(ev.spent_to_date),
        "benefits_by_class": {
            benefit_class.value: {
                "annual_value": money(ev.benefits_by_class[benefit_class].annual_value),
                "by_year": [money(value) for value in ev.benefits_by_class[benefit_class].by_year],
                "is_estimate": ev.benefits_by_class[benefit_class].is_estimate,
            }
            for benefit_class in (BenefitClass.FINANCIAL, BenefitClass.REALLOCATION)
        },
        "is_estimate": ev.is_estimate,
        "views": {name: _view(view) for name, view in ev.views.items()},
        "finance_sign_off": {
            "signed_off": pilot.finance_signed_off_at is not None,
            "at": pilot.finance_signed_off_at.isoformat() if pilot.finance_signed_off_at else None,
            "by": pilot.finance_signed_off_by.name if pilot.finance_signed_off_by else None,
        },
    }


@bp.route("/pilots")
@requires(Permission.READ)
def pilots():
    """The pilots (code, title, phase), by code, `PILOTS_PER_PAGE` a page (`?page=2`)."""
    number = _int_arg("page", default=1)
    page = paginate(get_session(), select(Pilot).order_by(Pilot.code), number, PILOTS_PER_PAGE)
    return jsonify(
        {
            "pilots": [
                {
                    "code": pilot.code,
                    "title": pilot.title,
                    "phase": pilot.phase.value,
                    "economics_url": url_for("api.pilot_economics", code=pilot.code),
                }
                for pilot in page.items
            ],
            "page": page.number,
            "pages": page.pages,
            "per_page": page.per_page,
            "total": page.total,
        }
    )


@bp.route("/pilots/<code>/economics")
@requires(Permission.READ)
def pilot_economics(code: str):
    """A pilot's economics: inputs, both views year by year, NPV, BCR, payback, sensitivity."""
    session = get_session()
    pilot = economics.pilot_by_code(session, code)
    if pilot is None:
        abort(404)
    return jsonify(economics_json(economics.load_economics(session, pilot)))


# ------------------------------------------------------------------------------------------------
# Initiatives, decisions, challenges, solutions and the open portfolio (described in openapi.py)
# ------------------------------------------------------------------------------------------------

#: The largest id or number a client may send: larger ones cannot name a row (and would overflow
#: a database integer), so they are refused as bad input, never passed on.
MAX_INT = 2_147_483_647
MAX_PER_PAGE = 100


class BadQuery(ValueError):
    """A query parameter the API refuses: answered 400 with a message naming it."""


@bp.errorhandler(BadQuery)
def _bad_query(error: BadQuery):
    return jsonify({"error": str(error)}), 400


def _int_arg(name: str, *, default: int | None = None, minimum: int = 1, maximum: int = MAX_INT) -> int | None:
    raw = request.args.get(name)
    if raw is None:
        return default
    if not raw.isascii() or not raw.isdigit():
        raise BadQuery(f"{name} must be a whole number from {minimum} to {maximum}")
    value = int(raw)
    if not minimum <= value <= maximum:
        raise BadQuery(f"{name} must be a whole number from {minimum} to {maximum}")
    return value


def _enum_arg(name: str, enum_cls):
    raw = request.args.get(name)
    if raw is None:
        return None
    try:
        return enum_cls(raw)
    except ValueError:
        raise BadQuery(f"{name} must be one of: {', '.join(member.value for member in enum_cls)}") from None


def _choice_arg(name: str, allowed: tuple[str, ...], default: str) -> str:
    raw = request.args.get(name)
    if raw is None:
        return default
    if raw not in allowed:
        raise BadQuery(f"{name} must be one of: {', '.join(allowed)}")
    return raw


def _text_arg(name: str, max_length: int = 200) -> str:
    raw = request.args.get(name, "")
    if len(raw) > max_length:
        raise BadQuery(f"{name} may be at most {max_length} characters")
    return raw


def _paging() -> tuple[int, int]:
    return _int_arg("page", default=1), _int_arg("per_page", default=25, maximum=MAX_PER_PAGE)


def _page_json(page, key: str, items: list) -> dict[str, Any]:
    return {key: items, "page": page.number, "pages": page.pages, "per_page": page.per_page, "total": page.total}


def _id_or_404(value: int) -> int:
    if value > MAX_INT:
        abort(404)
    return value


def _date(value) -> str | None:
    return value.isoformat() if value is not None else None


def _unit(unit) -> dict[str, Any] | None:
    return {"id": unit.id, "name": unit.name} if unit is not None else None


def _initiative_summary(pilot: Pilot) -> dict[str, Any]:
    return {
        "code": pilot.code,
        "title": pilot.title,
        "kind": pilot.kind.value,
        "phase": pilot.phase.value,
        "step": int(pilot.step),
        "origin": pilot.origin.value,
        "unit": _unit(pilot.unit),
        "test_start": _date(pilot.test_start),
        "test_end": _date(pilot.test_end),
        "url": url_for("api.initiative", code=pilot.code),
    }


def _overview_filters() -> OverviewFilters:
    """The portfolio overview's filters, by the names of the overview's URL (`OverviewFilters.query_args`).

    A value of the wrong form (not a whole number, not a phase) is refused: 400 naming the parameter.
    A well-formed id or year that no initiative has filters like any other and matches nothing: the
    document declares every whole number valid, and a client cannot tell "unknown" from "none yet".
    """
    return OverviewFilters(
        unit_id=_int_arg("unit"), goal_id=_int_arg("goal"), origin=_enum_arg("origin", Origin),
        phase=_enum_arg("phase", Phase), leader_id=_int_arg("leader"),
        year=_int_arg("year", minimum=1900, maximum=9999),
    )


@bp.route("/initiatives")
@requires(Permission.READ)
def initiatives():
    """Innovation pilots and digitalisation initiatives, with the overview's filters (the same names and
    values as the overview's URL), the register's search and sort, a page at a time."""
    number, per_page = _paging()
    overview_filters = _overview_filters()
    filters = pilot_service.PilotFilters(
        text=_text_arg("q"), kind=_enum_arg("kind", InitiativeKind),
        sort=_choice_arg("sort", pilot_service.SORT_KEYS, "code"),
        descending=_choice_arg("order", ("asc", "desc"), "asc") == "desc",
    )
    page = pilot_service.list_pilots(get_session(), filters, page=number, per_page=per_page,
                                     within=overview_filters.pilot_ids())
    return jsonify(_page_json(page, "initiatives", [_initiative_summary(pilot) for pilot in page.items]))


def _measurement(measurement) -> dict[str, Any] | None:
    if measurement is None:
        return None
    return {"measured_on": measurement.measured_on.isoformat(), "value": plain(measurement.value),
            "phase": measurement.phase.value}


@bp.route("/initiatives/<code>")
@requires(Permission.READ)
def initiative(code: str):
    """One initiative: its description, strategic goals, effect goals, indicators and latest measurements."""
    detail = initiative_service.load_detail(get_session(), code)
    if detail is None:
        abort(404)
    pilot = detail.pilot
    return jsonify(_initiative_summary(pilot) | {
        "need": pilot.need,
        "description": pilot.description,
        "target_groups": pilot.target_groups,
        "strategic_goals": [{"id": goal.id, "framework": goal.framework.name, "name": goal.name} for goal in pilot.goals],
        "challenge_id": detail.challenge_id,
        "solution_id": detail.solution_id,
        "economics_url": url_for("api.pilot_economics", code=pilot.code),
        "effect_goals": [
            {
                "id": goal.id,
                "statement": goal.statement,
                "category": goal.category.value,
                "beneficiary": goal.beneficiary,
                "indicators": [
                    {
                        "id": indicator.id,
                        "name": indicator.name,
                        "unit": indicator.unit,
                        "direction": indicator.direction.value,
                        "measurement_method": indicator.measurement_method,
                        "data_source": indicator.data_source,
                        "baseline": plain(indicator.baseline_value),
                        "baseline_date": _date(indicator.baseline_date),
                        "target": plain(indicator.target_value),
                        "target_date": _date(indicator.target_date),
                        "benefit_class": indicator.benefit_class.value,
                        "latest_test": _measurement(detail.latest.get((indicator.id, MeasurementPhase.TEST))),
                        "latest_follow_up": _measurement(detail.latest.get((indicator.id, MeasurementPhase.FOLLOW_UP))),
                    }
                    for indicator in goal.indicators
                ],
            }
            for goal in detail.goals
        ],
    })


@bp.route("/decisions")
@requires(Permission.READ)
def decisions():
    """The decisions register, newest first (`outcome`, `year`), a page at a time."""
    number, per_page = _paging()
    page = process.list_decisions(get_session(), outcome=_enum_arg("outcome", DecisionOutcome),
                                  year=_int_arg("year", minimum=1900, maximum=9999), page=number, per_page=per_page)
    return jsonify(_page_json(page, "decisions", [
        {
            "id": decision.id,
            "initiative": {"code": decision.pilot.code, "title": decision.pilot.title,
                           "url": url_for("api.initiative", code=decision.pilot.code)},
            "outcome": decision.outcome.value,
            "decision_text": decision.decision_text,
            "decision_maker": decision.decision_maker,
            "presenter": decision.presenter,
            "body": decision.body,
            "decided_on": decision.decided_on.isoformat(),
            "case_number": decision.case_number,
            "delegation_reference": decision.delegation_reference,
            "conditions": decision.conditions,
            "new_test_end": _date(decision.new_test_end),
            "revisit_on": _date(decision.revisit_on),
            "paper_version": decision.paper_version.number,
        }
        for decision in page.items
    ]))


@bp.route("/follow-ups")
@requires(Permission.READ)
def follow_ups():
    """The follow-ups of the scaled-up pilots, earliest due first (`status`, `pilot`), a page at a time,
    each with the follow-up measurements recorded for it."""
    number, per_page = _paging()
    status = _enum_arg("status", FollowUpStatus)
    pilot_code = request.args.get("pilot")
    if pilot_code is not None and (not pilot_code or len(pilot_code) > 40):
        raise BadQuery("pilot must be an initiative's code, at most 40 characters")
    page = list_follow_ups(get_session(), status=status, pilot_code=pilot_code, page=number, per_page=per_page)
    return jsonify(_page_json(page, "follow_ups", [
        {
            "initiative": {"code": item.pilot.code, "title": item.pilot.title,
                           "url": url_for("api.initiative", code=item.pilot.code)},
            "due_on": item.state.due_on.isoformat(),
            "status": item.state.status.value,
            "decided_on": _date(item.decided_on),
            "window_start": _date(item.state.window_start),
            "window_end": _date(item.state.window_end),
            "indicators": item.state.indicators,
            "indicators_measured": item.state.measured,
            "measurements": [
                {"indicator_id": m.indicator_id, "indicator_name": m.indicator_name, "unit": m.unit,
                 "measured_on": m.measured_on.isoformat(), "value": plain(m.value)}
                for m in item.measurements
            ],
        }
        for item in page.items
    ]))


def _challenge_json(challenge) -> dict[str, Any]:
    return {
        "id": challenge.id,
        "title": challenge.title,
        "description": challenge.description,
        "unit": _unit(challenge.unit),
        "affected": challenge.affected,
        "frequency": challenge.frequency,
        "cost_today": money(challenge.cost_today),
        "status": challenge.status.value,
        "raised_at": challenge.raised_at.isoformat(),
        "initiative_code": challenge.pilot.code if challenge.pilot else None,
        "close_reason": challenge.close_reason,
        "goal_ids": [goal.id for goal in challenge.goals],
    }


@bp.route("/challenges")
@requires(Permission.READ)
def challenges():
    """Needs and challenges, newest first (`status`, `unit`), a page at a time."""
    number, per_page = _paging()
    filters = challenge_service.ChallengeFilters(status=_enum_arg("status", ChallengeStatus), unit_id=_int_arg("unit"))
    session = get_session()
    page = challenge_service.list_challenges(session, filters, page=number, per_page=per_page)
    return jsonify(_page_json(page, "challenges", [_challenge_json(challenge) for challenge in page.items]))


@bp.route("/challenges/<int:challenge_id>")
@requires(Permission.READ)
def challenge(challenge_id: int):
    """One need or challenge."""
    found = challenge_service.get_challenge(get_session(), _id_or_404(challenge_id))
    if found is None:
        abort(404)
    return jsonify(_challenge_json(found))


def _solution_json(solution) -> dict[str, Any]:
    return {
        "id": solution.id,
        "name": solution.name,
        "description": solution.description,
        "initiative_code": solution.pilot.code if solution.pilot else None,
        "system_owner": solution.system_owner,
        "contract_end": _date(solution.contract_end),
        "yearly_cost": money(solution.yearly_cost),
        "uses_ai": solution.uses_ai,
        "ai_risk_class": solution.ai_risk_class.value if solution.ai_risk_class else None,
        "ai_use": solution.ai_use,
        "units": [_unit(unit) for unit in solution.units],
        "owners": [{"responsibility": o.responsibility.value, "level": o.level.value, "owner": o.owner}
                   for o in solution.owners],
        "decommissioned_on": _date(solution.decommissioned_on),
        "decommission_reason": solution.decommission_reason,
    }


@bp.route("/solutions")
@requires(Permission.READ)
def solutions():
    """Solutions in operation and decommissioned ones, by name, a page at a time."""
    number, per_page = _paging()
    page = solution_service.list_solutions(get_session(), page=number, per_page=per_page)
    return jsonify(_page_json(page, "solutions", [_solution_json(solution) for solution in page.items]))


@bp.route("/solutions/<int:solution_id>")
@requires(Permission.READ)
def solution(solution_id: int):
    """One solution with its lifecycle owners per level and its AI use."""
    found = solution_service.get_solution(get_session(), _id_or_404(solution_id))
    if found is None:
        abort(404)
    return jsonify(_solution_json(found))


@bp.route("/public/initiatives")
@public
def public_initiatives():
    """The open portfolio as JSON, without a token: only the fields the admin made public.

    Field names follow the city's open innovation database where it has one (impact_goals,
    funds_granted, funds_used, status, challenge).
    """

    items = openness.public_initiatives(get_session())
    for item in items:
        for name in ("funds_granted", "funds_used"):
            if name in item:
                item[name] = money(item[name])
    return jsonify({"initiatives": items})


@bp.route("/openapi.json")
@public
def openapi():
    """The OpenAPI 3.1 document describing this API."""
    return jsonify(document())

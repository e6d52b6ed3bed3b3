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
from portfolio.models import Pilot
from portfolio.services import economics
from portfolio.services.paging import paginate

from .access import requires

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
    number = request.args.get("page", default=1, type=int)
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

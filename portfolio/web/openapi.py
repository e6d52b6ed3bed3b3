"""The OpenAPI 3.1 document of `/api/v1`: what each endpoint takes and answers, schemas included.

Written by hand next to the views in `api.py`, and held to them by the tests: the document
validates as OpenAPI 3.1 and Schemathesis calls every endpoint and checks every answer against it.
"""

from __future__ import annotations

from typing import Any

from portfolio.domain.economics import BenefitClass
from portfolio.domain.follow_up import FollowUpStatus
from portfolio.domain.initiatives import ChallengeStatus, InitiativeKind
from portfolio.domain.lifecycle import Origin, Phase
from portfolio.domain.openness import PublicField
from portfolio.domain.process import DecisionOutcome, OwnerLevel, Responsibility
from portfolio.domain.solutions import AiRiskClass

MAX_INT = 2_147_483_647
SORT_KEYS = ("code", "title", "phase", "unit", "updated")

MONEY = {"type": "string", "pattern": r"^-?[0-9]+\.[0-9]{2}$", "description": "SEK excluding VAT, to the öre"}
DECIMAL = {"type": "string", "pattern": r"^-?[0-9]+(\.[0-9]+)?$", "description": "an exact decimal"}
DATE = {"type": "string", "format": "date"}
DATETIME = {"type": "string", "format": "date-time"}


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    if "$ref" in schema:
        return {"anyOf": [schema, {"type": "null"}]}
    kinds = schema.get("type")
    if isinstance(kinds, str):
        return {**schema, "type": [kinds, "null"]} | ({"enum": [*schema["enum"], None]} if "enum" in schema else {})
    return {"anyOf": [schema, {"type": "null"}]}


def _enum(enum_cls) -> dict[str, Any]:
    return {"type": "string", "enum": [member.value for member in enum_cls]}


def _object(properties: dict[str, Any], *, required: list[str] | None = None, extra: bool = False) -> dict[str, Any]:
    schema = {"type": "object", "properties": properties,
              "required": list(properties) if required is None else required}
    if not extra:
        schema["additionalProperties"] = False
    return schema


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _page(key: str, item: str) -> dict[str, Any]:
    return _object({
        key: {"type": "array", "items": _ref(item)},
        "page": {"type": "integer", "minimum": 1},
        "pages": {"type": "integer", "minimum": 1},
        "per_page": {"type": "integer", "minimum": 1},
        "total": {"type": "integer", "minimum": 0},
    })


UNIT = _object({"id": {"type": "integer"}, "name": {"type": "string"}})
MEASUREMENT = _object({"measured_on": DATE, "value": DECIMAL, "phase": {"type": "string", "enum": ["test", "follow_up"]}})

INITIATIVE_SUMMARY = {
    "code": {"type": "string"},
    "title": {"type": "string"},
    "kind": _enum(InitiativeKind),
    "phase": _enum(Phase),
    "step": {"type": "integer", "minimum": 0, "maximum": 4},
    "origin": _enum(Origin),
    "unit": _nullable(_ref("Unit")),
    "test_start": _nullable(DATE),
    "test_end": _nullable(DATE),
    "url": {"type": "string"},
}

INDICATOR = _object({
    "id": {"type": "integer"}, "name": {"type": "string"}, "unit": {"type": "string"},
    "direction": {"type": "string", "enum": ["higher_is_better", "lower_is_better"]},
    "measurement_method": {"type": "string"}, "data_source": {"type": "string"},
    "baseline": _nullable(DECIMAL), "baseline_date": _nullable(DATE),
    "target": _nullable(DECIMAL), "target_date": _nullable(DATE),
    "benefit_class": _enum(BenefitClass),
    "latest_test": _nullable(_ref("Measurement")), "latest_follow_up": _nullable(_ref("Measurement")),
})

EFFECT_GOAL = _object({
    "id": {"type": "integer"}, "statement": {"type": "string"},
    "category": {"type": "string", "enum": ["resource_efficiency", "quality", "both"]},
    "beneficiary": {"type": "string"}, "indicators": {"type": "array", "items": _ref("Indicator")},
})

INITIATIVE = _object(INITIATIVE_SUMMARY | {
    "need": {"type": "string"}, "description": {"type": "string"}, "target_groups": {"type": "string"},
    "strategic_goals": {"type": "array", "items": _object(
        {"id": {"type": "integer"}, "framework": {"type": "string"}, "name": {"type": "string"}})},
    "challenge_id": _nullable({"type": "integer"}), "solution_id": _nullable({"type": "integer"}),
    "economics_url": {"type": "string"},
    "effect_goals": {"type": "array", "items": _ref("EffectGoal")},
})

DECISION = _object({
    "id": {"type": "integer"},
    "initiative": _object({"code": {"type": "string"}, "title": {"type": "string"}, "url": {"type": "string"}}),
    "outcome": _enum(DecisionOutcome), "decision_text": {"type": "string"}, "decision_maker": {"type": "string"},
    "presenter": {"type": "string"}, "body": {"type": "string"}, "decided_on": DATE,
    "case_number": {"type": "string"}, "delegation_reference": {"type": "string"}, "conditions": {"type": "string"},
    "new_test_end": _nullable(DATE), "revisit_on": _nullable(DATE), "paper_version": {"type": "integer"},
})

CHALLENGE = _object({
    "id": {"type": "integer"}, "title": {"type": "string"}, "description": {"type": "string"},
    "unit": _nullable(_ref("Unit")), "affected": {"type": "string"}, "frequency": {"type": "string"},
    "cost_today": _nullable(MONEY), "status": _enum(ChallengeStatus), "raised_at": {"type": "string"},
    "initiative_code": _nullable({"type": "string"}), "close_reason": {"type": "string"},
    "goal_ids": {"type": "array", "items": {"type": "integer"}},
})

SOLUTION = _object({
    "id": {"type": "integer"}, "name": {"type": "string"}, "description": {"type": "string"},
    "initiative_code": _nullable({"type": "string"}), "system_owner": {"type": "string"},
    "contract_end": _nullable(DATE), "yearly_cost": _nullable(MONEY), "uses_ai": {"type": "boolean"},
    "ai_risk_class": _nullable(_enum(AiRiskClass)), "ai_use": {"type": "string"},
    "units": {"type": "array", "items": _ref("Unit")},
    "owners": {"type": "array", "items": _object(
        {"responsibility": _enum(Responsibility), "level": _enum(OwnerLevel), "owner": {"type": "string"}})},
    "decommissioned_on": _nullable(DATE), "decommission_reason": {"type": "string"},
})

FOLLOW_UP = _object({
    "initiative": _object({"code": {"type": "string"}, "title": {"type": "string"}, "url": {"type": "string"}}),
    "due_on": DATE,
    "status": {**_enum(FollowUpStatus), "description": (
        "done: every indicator has a follow-up measurement in the window; otherwise overdue once the due "
        "date has passed, due within 60 days before it, planned before that (as of today)")},
    "decided_on": {**_nullable(DATE), "description": "the scale-up decision's date"},
    "window_start": {**_nullable(DATE), "description": "follow-up measurements from this day count (null: any)"},
    "window_end": {**_nullable(DATE), "description": "… up to and including this day (null: no end)"},
    "indicators": {"type": "integer", "minimum": 0, "description": "the initiative's indicators"},
    "indicators_measured": {"type": "integer", "minimum": 0,
                            "description": "indicators with a follow-up measurement in the window"},
    "measurements": {"type": "array", "description": "the follow-up measurements in the window, by date",
                     "items": _object({"indicator_id": {"type": "integer"}, "indicator_name": {"type": "string"},
                                       "unit": {"type": "string"}, "measured_on": DATE, "value": DECIMAL})},
})

PUBLIC_INITIATIVE = _object({
    "code": {"type": "string", "description": "the initiative's public identifier"},
    PublicField.TITLE.value: {"type": "string"},
    PublicField.UNIT.value: _nullable({"type": "string"}),
    PublicField.KIND.value: _enum(InitiativeKind),
    PublicField.STATUS.value: {**_enum(Phase), "description": "the phase"},
    PublicField.CHALLENGE.value: _nullable({"type": "string", "description": "the need or challenge it answers"}),
    PublicField.DESCRIPTION.value: _nullable({"type": "string"}),
    PublicField.TARGET_GROUPS.value: _nullable({"type": "string"}),
    PublicField.TEST_PERIOD.value: _object({"start": _nullable(DATE), "end": _nullable(DATE)}),
    PublicField.IMPACT_GOALS.value: {"type": "array", "description": "the effect goals", "items": _object(
        {"statement": {"type": "string"}, "category": {"type": "string", "enum": ["resource_efficiency", "quality", "both"]}})},
    PublicField.STAGE_REACHED.value: {"type": "integer", "minimum": 0, "maximum": 4,
                                      "description": "scale-up steps completed (4: decided)"},
    PublicField.RESULTS.value: _nullable({"type": "string"}),
    PublicField.LESSONS.value: _nullable({"type": "string"}),
    PublicField.FUNDS_GRANTED.value: {**MONEY, "description": "implementation and operation costs over the horizon"},
    PublicField.FUNDS_USED.value: {**MONEY, "description": "spent to date (the test's costs)"},
}, required=["code"])

ECONOMICS_VIEW = _object({
    "years": {"type": "array", "items": _object({
        "year": {"type": "integer"}, "costs": MONEY, "benefits": MONEY, "net": MONEY,
        "cumulative_net": MONEY, "present_value": MONEY})},
    "total_costs": MONEY, "total_benefits": MONEY, "total_net": MONEY, "pv_costs": MONEY, "pv_benefits": MONEY,
    "npv": MONEY, "bcr": _nullable(DECIMAL), "payback_year": _nullable({"type": "integer"}),
    "is_estimate": {"type": "boolean"},
})

ECONOMICS = _object({
    "pilot": _object({"code": {"type": "string"}, "title": {"type": "string"}, "phase": _enum(Phase)}),
    "currency": {"const": "SEK"},
    "first_year": {"type": "integer"}, "horizon_years": {"type": "integer"},
    "years": {"type": "array", "items": {"type": "integer"}},
    "discount_rate": DECIMAL,
    "ramp_up": {"type": "array", "items": DECIMAL},
    "sensitivity": {"type": "object", "additionalProperties": _object({
        "benefits_factor": DECIMAL, "costs_factor": DECIMAL,
        "npv": _object({"cash": MONEY, "full": MONEY})})},
    "indicators": {"type": "array", "items": {"type": "object", "required": ["id", "name", "benefit_class"]}},
    "incomplete_indicators": {"type": "array", "items": {"type": "object", "required": ["id", "name", "missing"]}},
    "costs": {"type": "array", "items": {"type": "object", "required": ["id", "category", "kind", "phase", "amount"]}},
    "costs_by_year": {"type": "array", "items": MONEY},
    "costs_before_horizon": MONEY,
    "spent_to_date": MONEY,
    "benefits_by_class": {"type": "object"},
    "is_estimate": {"type": "boolean"},
    "views": _object({"cash": _ref("EconomicsView"), "full": _ref("EconomicsView")}),
    "finance_sign_off": _object({"signed_off": {"type": "boolean"}, "at": _nullable({"type": "string"}),
                                 "by": _nullable({"type": "string"})}),
})

PILOT_LIST = _object({
    "pilots": {"type": "array", "items": _object({
        "code": {"type": "string"}, "title": {"type": "string"}, "phase": _enum(Phase),
        "economics_url": {"type": "string"}})},
    "page": {"type": "integer"}, "pages": {"type": "integer"}, "per_page": {"type": "integer"},
    "total": {"type": "integer"},
})

SCHEMAS = {
    "Error": _object({"error": {"type": "string", "description": "what went wrong, in words"}}),
    "Unit": UNIT, "Measurement": MEASUREMENT, "Indicator": INDICATOR, "EffectGoal": EFFECT_GOAL,
    "InitiativeSummary": _object(INITIATIVE_SUMMARY), "Initiative": INITIATIVE,
    "InitiativeList": _page("initiatives", "InitiativeSummary"),
    "Decision": DECISION, "DecisionList": _page("decisions", "Decision"),
    "FollowUp": FOLLOW_UP, "FollowUpList": _page("follow_ups", "FollowUp"),
    "Challenge": CHALLENGE, "ChallengeList": _page("challenges", "Challenge"),
    "Solution": SOLUTION, "SolutionList": _page("solutions", "Solution"),
    "PublicInitiative": PUBLIC_INITIATIVE,
    "PublicInitiativeList": _object({"initiatives": {"type": "array", "items": _ref("PublicInitiative")}}),
    "PilotList": PILOT_LIST, "Economics": ECONOMICS, "EconomicsView": ECONOMICS_VIEW,
}


def _error(description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": _ref("Error")}}}


def _ok(schema: str, description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": _ref(schema)}}}


def _query(name: str, schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": False, "schema": schema, "description": description}


def _path(name: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "schema": schema}


ID = {"type": "integer", "minimum": 1, "maximum": MAX_INT}
PAGING = [
    _query("page", ID, "page number, from 1 (a number past the last page gives the last page)"),
    _query("per_page", {"type": "integer", "minimum": 1, "maximum": 100}, "rows per page (default 25)"),
]


def _get(summary: str, ok: dict[str, Any], *, parameters=(), public: bool = False, found: bool = False,
         bad: bool = True) -> dict[str, Any]:
    responses: dict[str, Any] = {"200": ok}
    if bad:
        responses["400"] = _error("A query parameter is not valid; the message names it")
    if not public:
        responses["401"] = _error("No valid bearer token")
        responses["403"] = _error("The token's user holds no role that may read")
    if found:
        responses["404"] = _error("Not found")
    responses["405"] = _error("Only GET (and HEAD) are supported")
    operation = {"summary": summary, "parameters": list(parameters), "responses": responses}
    if public:
        operation["security"] = []
    return {"get": operation}


def document() -> dict[str, Any]:
    """The OpenAPI 3.1 document (a fresh dict: callers may change it)."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Innovationsportföljen API",
            "version": "1",
            "description": (
                "Read access to the innovation portfolio. Send a personal API token as "
                "`Authorization: Bearer ipf_…`. Money is a decimal string in SEK excluding VAT, "
                "rounded to the öre; measured values and ratios are exact decimal strings. "
                "The open portfolio (`/public/initiatives`) needs no token."
            ),
        },
        "servers": [{"url": "/api/v1"}],
        "security": [{"bearer": []}],
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": SCHEMAS,
        },
        "paths": {
            "/initiatives": _get(
                "Innovation pilots and digitalisation initiatives, filtered as the portfolio overview filters "
                "(the same parameter names and values as the overview's URL); an id or year no initiative has "
                "matches nothing", _ok("InitiativeList", "One page"), parameters=[
                _query("unit", ID, "an organisational unit's id (the overview's unit filter)"),
                _query("goal", ID, "a strategic goal's id (the overview's goal filter)"),
                _query("origin", _enum(Origin), "what started it (the overview's origin filter)"),
                _query("phase", _enum(Phase), "the phase (the overview's phase filter)"),
                _query("leader", ID, "the responsible innovation leader's user id (the overview's leader filter)"),
                _query("year", {"type": "integer", "minimum": 1900, "maximum": 9999},
                       "the year the initiative was registered in, the year in its code (the overview's year filter)"),
                _query("q", {"type": "string", "maxLength": 200}, "words that must all occur in code, title, need, description or idea-bearer"),
                _query("kind", _enum(InitiativeKind), "innovation pilot or digitalisation initiative"),
                _query("sort", {"type": "string", "enum": list(SORT_KEYS)}, "sort key (default code)"),
                _query("order", {"type": "string", "enum": ["asc", "desc"]}, "sort order (default asc)"),
                *PAGING,
            ]),
            "/initiatives/{code}": _get("One initiative with goals, indicators and latest measurements",
                                        _ok("Initiative", "The initiative"),
                                        parameters=[_path("code", {"type": "string"})], found=True, bad=False),
            "/decisions": _get("The decisions register, newest first", _ok("DecisionList", "One page"), parameters=[
                _query("outcome", _enum(DecisionOutcome), "the decision's outcome"),
                _query("year", {"type": "integer", "minimum": 1900, "maximum": 9999}, "the year decided"),
                *PAGING,
            ]),
            "/follow-ups": _get(
                "The follow-ups of the scaled-up initiatives, earliest due first, each with the follow-up "
                "measurements recorded for it", _ok("FollowUpList", "One page"), parameters=[
                _query("status", _enum(FollowUpStatus), "where the follow-up stands today"),
                _query("pilot", {"type": "string", "minLength": 1, "maxLength": 40},
                       "only this initiative's follow-ups, by its code (an unknown code has none)"),
                *PAGING,
            ]),
            "/challenges": _get("Needs and challenges, newest first", _ok("ChallengeList", "One page"), parameters=[
                _query("status", _enum(ChallengeStatus), "where the challenge stands"),
                _query("unit", ID, "an organisational unit's id"),
                *PAGING,
            ]),
            "/challenges/{challenge_id}": _get("One need or challenge", _ok("Challenge", "The challenge"),
                                               parameters=[_path("challenge_id", ID)], found=True, bad=False),
            "/solutions": _get("Solutions in operation (and decommissioned ones), by name",
                               _ok("SolutionList", "One page"), parameters=PAGING),
            "/solutions/{solution_id}": _get("One solution with its owners per level and AI use",
                                             _ok("Solution", "The solution"),
                                             parameters=[_path("solution_id", ID)], found=True, bad=False),
            "/pilots": _get("Pilots by code (code, title, phase)", _ok("PilotList", "One page of 50"),
                            parameters=[PAGING[0]]),
            "/pilots/{code}/economics": _get("A pilot's economics: both views year by year, NPV, BCR, payback",
                                             _ok("Economics", "The economics"),
                                             parameters=[_path("code", {"type": "string"})], found=True, bad=False),
            "/public/initiatives": _get(
                "The open portfolio: only the fields the admin made public, no token needed",
                _ok("PublicInitiativeList", "Every public initiative, by code"), public=True, bad=False),
            "/openapi.json": {"get": {
                "summary": "This document", "security": [],
                "responses": {"200": {"description": "The OpenAPI 3.1 document",
                                      "content": {"application/json": {"schema": {"type": "object"}}}},
                              "405": _error("Only GET (and HEAD) are supported")},
            }},
        },
    }

"""Helpers for tests that walk every route: the objects URLs point at, URLs built from the URL map,
and a snapshot of the whole database to prove that a refused request changed nothing."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from portfolio.domain.meetings import ItemKind
from portfolio.domain.process import RolloutStatus
from portfolio.domain.roles import Role
from portfolio.models import (
    AuditEntry,
    Base,
    Goal,
    GoalFramework,
    ImplementationPlan,
    LoginThrottle,
    RateLimitWindow,
    RolloutUnit,
    SsoGroupRole,
    utcnow,
)
from portfolio.services import tokens
from portfolio.services.audit import SECURITY_ACTIONS
from portfolio.web.access import Open, access_rule
from tests import factories

METHODS = ("GET", "POST")  # HEAD and OPTIONS are answered by Flask for every GET route


@dataclass
class World:
    """The objects the URLs of the app point at: one pilot with everything hanging off it, and the lists.

    Kept as plain ids (and the pilot's code), not ORM objects: requests delete some of these rows, and
    the test's session is expired after each request.
    """

    pilot: object
    effect_goal: object
    indicator: object
    measurement: object
    cost: object
    unit: object
    framework: object
    framework_goal: object
    other_user: object
    paper_version: object
    meeting: object  # its secretary is the innovation leader who leads the pilot
    agenda_item: object
    meeting_document: object
    minutes_version: object
    rollout_unit: object
    challenge: object
    solution: object
    raw_tokens: dict  # user id -> raw API token
    token_ids: dict  # user id -> API token id
    throttle: object = None  # a locked account (login_protection)
    group_role: object = None  # a provider group giving a role (single sign-on)


def build_world(db, leader, users) -> World:
    """Create (and commit) a pilot led by `leader` and an API token for each of `users`."""
    unit = factories.make_unit(db)
    pilot = factories.make_pilot(db, leader=leader, unit=unit)
    effect_goal = factories.make_effect_goal(db, pilot)
    indicator = factories.make_indicator(db, effect_goal)
    measurement = factories.make_measurement(db, indicator, value="50")
    cost = factories.make_cost(db, pilot, amount="25000")
    framework = GoalFramework(name="Verksamhetsplan 2026", position=5, active=True)
    framework.goals = [Goal(name="Ökad måluppfyllelse", position=1, active=True)]
    db.add(framework)
    other_user = factories.make_user(db, roles=[Role.VIEWER], name="Någon annan")
    paper_version = factories.make_paper_version(db, pilot, created_by=leader)
    meeting = factories.make_meeting(db, secretary=leader)
    # An Information item: the pack of the walk's meeting holds no (stand-in) paper.
    agenda_item = factories.make_agenda_item(db, meeting, kind=ItemKind.INFORMATION, pilot=pilot)
    meeting_document = factories.make_meeting_document(db, meeting)
    minutes_version = factories.make_minutes_version(db, meeting)
    plan = ImplementationPlan(pilot_id=pilot.id, target_groups="Förskolebarn", children_use_solution=True)
    plan.rollout_units = [RolloutUnit(unit_id=unit.id, status=RolloutStatus.PLANNED)]
    db.add(plan)
    challenge = factories.make_challenge(db, raised_by=leader, unit=unit)
    solution = factories.make_solution(db)
    raw_tokens, token_ids = {}, {}
    for user in [*users, other_user]:
        token, raw = tokens.create_token(db, user, "Test", actor=user)
        raw_tokens[user.id], token_ids[user.id] = raw, token.id
    throttle = LoginThrottle(scope="account", key="gissad@example.org", failures=10, first_failure_at=utcnow(),
                             last_failure_at=utcnow(), locked_until=utcnow() + dt.timedelta(minutes=30))
    db.add(throttle)
    group_role = SsoGroupRole(group_id="5f2e6c1a-ekonomi", role=Role.FINANCE, description="Ekonomi")
    db.add(group_role)
    db.flush()
    objects = (pilot, effect_goal, indicator, measurement, cost, unit, framework, framework.goals[0], other_user,
               paper_version, meeting, agenda_item, meeting_document, minutes_version, plan.rollout_units[0],
               challenge, solution)
    world = World(*(_ref(obj) for obj in objects), raw_tokens, token_ids, throttle=_ref(throttle),
                  group_role=_ref(group_role))
    db.commit()
    return world


def _ref(obj) -> SimpleNamespace:
    """The id (and code, for a pilot; number, for a paper version) of a row, read while it exists."""
    return SimpleNamespace(id=obj.id, code=getattr(obj, "code", None), number=getattr(obj, "number", None),
                           secretary_id=getattr(obj, "secretary_id", None))


def routes(app) -> list[tuple[object, str]]:
    """Every (rule, method) but static files: GETs first, then POSTs, deletions last (they remove objects)."""
    pairs = [
        (rule, method)
        for rule in app.url_map.iter_rules()
        if rule.endpoint != "static"
        for method in METHODS
        if method in rule.methods
    ]
    return sorted(pairs, key=lambda p: (p[1] == "POST", "delete" in p[0].endpoint or "delete" in p[0].rule, p[0].rule))


def change_routes(app) -> list[tuple[object, str]]:
    """The POST routes that need a permission (not login, logout, language or the user's own account)."""
    return [(rule, method) for rule, method in routes(app)
            if method == "POST" and not isinstance(access_rule(rule.endpoint), Open)]


def parameter_values(rule, world: World, user) -> dict:
    """Values for the URL parameters by their fixed names (the team brief's URL conventions)."""
    owner = user if user is not None and user.id in world.token_ids else world.other_user
    in_framework = "framework_id" in rule.arguments
    known = {
        "code": world.pilot.code,
        # goal_id is a goal in a goal framework on the framework's own routes, else an effect goal.
        "goal_id": world.framework_goal.id if in_framework else world.effect_goal.id,
        "indicator_id": world.indicator.id,
        "measurement_id": world.measurement.id,
        "cost_id": world.cost.id,
        # Never the requesting user: an admin deactivating themselves would end the test's session.
        "user_id": world.other_user.id,
        "unit_id": world.unit.id,
        "framework_id": world.framework.id,
        "token_id": world.token_ids[owner.id],
        "throttle_id": world.throttle.id,
        "mapping_id": world.group_role.id,
        "version": world.paper_version.number,  # a paper version's number within its pilot
        "meeting_id": world.meeting.id,
        "item_id": world.agenda_item.id,
        "document_id": world.meeting_document.id,
        "minutes_number": world.minutes_version.number,  # a minutes version's number within its meeting
        "rollout_unit_id": world.rollout_unit.id,  # a unit of the pilot's roll-out
        "kind": "follow_ups",  # one of the overview's attention lists
        "challenge_id": world.challenge.id,
        "solution_id": world.solution.id,
        "token": "ipc_not-a-live-calendar-address",  # a calendar feed's secret: a wrong one is a 404
    }
    unknown = sorted(set(rule.arguments) - set(known))
    if unknown:
        pytest.fail(
            f"route {rule.rule} ({rule.endpoint}) has URL parameter(s) {unknown} that the route tests do not "
            f"know: use one of the fixed names {sorted(known)}, or teach parameter_values in tests/web/routes.py "
            "which object the new name refers to."
        )
    return {name: known[name] for name in rule.arguments}


def path_for(rule, world: World, user) -> str:
    """The URL of `rule` pointing at the world's objects."""
    _domain, path = rule.build(parameter_values(rule, world, user), append_unknown=False)
    return path


def is_api(rule) -> bool:
    return rule.rule.startswith("/api/")


def snapshot(db) -> dict[str, list]:
    """Every row of every table (the audit log included), as comparable values.

    Security bookkeeping is left out: a refused request is recorded as a security event in the
    audit log, a wrong password counts in `login_throttles` and a rate-limited fetch (the public
    calendar feed counts on GET) in `rate_limit_windows`; that is the point, not a change.
    """
    db.rollback()  # read what is committed now, not what this session remembers
    tables = {}
    for table in Base.metadata.sorted_tables:
        if table.name in (LoginThrottle.__tablename__, RateLimitWindow.__tablename__):
            continue  # counts of attempts (a calendar feed's fetches too), not changes
        statement = select(table)
        if table.name == AuditEntry.__tablename__:
            statement = statement.where(table.c.action.not_in(SECURITY_ACTIONS))
        tables[table.name] = sorted((tuple(map(repr, row)) for row in db.execute(statement)), key=repr)
    return tables


def security_events(db, action: str) -> list:
    """The audit entries of one kind of security event, oldest first."""
    db.rollback()
    return list(db.scalars(select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)))


_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')


def csrf_token(html: str) -> str:
    """The CSRF token of the first form on a page."""
    match = _CSRF.search(html)
    assert match, "no csrf_token field on the page"
    return match.group(1) or match.group(2)

"""Who may reach which route: generated from the app's URL map, so a new route is covered at once.

For every route and method, for every role and for an anonymous visitor, the test builds the URL
from objects it creates, sends the request and checks the answer against the role table of
DESIGN §2, written out here independently of `portfolio.domain.roles`.
"""

from __future__ import annotations

import dataclasses
from urllib.parse import urlsplit

import pytest

from portfolio.domain.roles import Permission, Role, permissions_of
from portfolio.web.access import Open, access_rule
from tests import factories
from tests.conftest import login
from tests.web.routes import World, build_world, change_routes, is_api, path_for, routes, snapshot

P = Permission
# DESIGN §2, read independently of the code: what each role may do.
# DESIGN §8: the management group and the admin create meetings; a meeting's agenda and minutes are
# kept by its secretary (any role but viewer) or a management group member.
# Everyone signed in, viewers included, may raise a need or challenge (DESIGN §2, §9); the register
# of solutions is kept by the management group and the admin (the system owner). The management group
# assigns benefits to owners in the line organisation after scale-up, as do the admin and the pilot's
# leader (who is let in for their own pilots only).
DESIGN_GRANTS: dict[Role, set[Permission]] = {
    Role.INNOVATION_LEADER: {P.READ, P.RAISE_CHALLENGE, P.CREATE_PILOT, P.EDIT_PILOT, P.GENERATE_PAPER, P.KEEP_MINUTES,
                             P.ASSIGN_BENEFIT_OWNER},
    Role.FINANCE: {P.READ, P.RAISE_CHALLENGE, P.EDIT_ECONOMICS, P.GENERATE_PAPER, P.KEEP_MINUTES},
    Role.MANAGEMENT: {P.READ, P.RAISE_CHALLENGE, P.DECIDE, P.GENERATE_PAPER, P.MANAGE_SOLUTIONS, P.MANAGE_MEETINGS,
                      P.KEEP_MINUTES, P.ASSIGN_BENEFIT_OWNER},
    Role.VIEWER: {P.READ, P.RAISE_CHALLENGE},
    Role.ADMIN: {P.READ, P.RAISE_CHALLENGE, P.ADMINISTER, P.GENERATE_PAPER, P.MANAGE_SOLUTIONS, P.MANAGE_MEETINGS,
                 P.KEEP_MINUTES, P.ASSIGN_BENEFIT_OWNER},
}
ANONYMOUS = "anonymous"
# Someone let in may still be turned away for other reasons: a form with errors (400/422), an
# object gone after an earlier delete in the same walk (404), a state that forbids the move (409).
ALLOWED_IN = {200, 201, 204, 302, 303, 400, 404, 409, 422}
# A POST body with fields many forms have, so that a route which forgot its check would change something.
SAMPLE_FORM = {"title": "Ändrad av testet", "amount": "1000", "comment": "Test", "name": "Test", "confirm": "y"}


@pytest.fixture
def world(db, people) -> World:
    return build_world(db, people[Role.INNOVATION_LEADER], people.values())


class Requester:
    """Sends requests as one user (or anonymously), each on a fresh client.

    The fresh client carries the session cookie from one login; POST /logout ends every session of
    the user, so the requester logs in again after it. API routes get the user's bearer token.
    """

    def __init__(self, app, user=None, raw_token: str | None = None):
        self.app, self.user, self.raw_token, self.cookie = app, user, raw_token, None
        if user is not None:
            self._log_in()

    def _log_in(self):
        client = self.app.test_client()
        login(client, self.user)
        self.cookie = client.get_cookie("session").value

    def send(self, rule, method: str, path: str):
        client = self.app.test_client()
        headers = {}
        if self.user is not None:
            if is_api(rule) and self.raw_token:
                headers["Authorization"] = f"Bearer {self.raw_token}"
            else:
                client.set_cookie("session", self.cookie)
        response = client.open(path, method=method, headers=headers, data=SAMPLE_FORM if method == "POST" else None)
        if self.user is not None and rule.endpoint == "auth.logout":
            self._log_in()
        return response


def test_the_role_table_in_the_code_agrees_with_the_design():
    assert set(DESIGN_GRANTS) == set(Role)
    for role, expected in DESIGN_GRANTS.items():
        assert permissions_of([role]) == expected, role


def test_every_route_declares_an_access_rule(app):
    missing = sorted(
        f"{rule.rule} ({rule.endpoint})"
        for rule in app.url_map.iter_rules()
        if rule.endpoint != "static" and access_rule(rule.endpoint) is None
    )
    assert not missing, (
        "these routes declare no access rule; put @requires(Permission.X), @public or @authenticated "
        "under @bp.route:\n  " + "\n  ".join(missing)
    )


def _verdict(rule, who, status: int, location: str, keeps_minutes: bool = False) -> str | None:
    """Why this answer is wrong for `who`, or None when it is right.

    `keeps_minutes`: whether `who` is the world meeting's secretary or a management group member,
    the only holders of keep_minutes the meeting's agenda and minutes let in.
    """
    declared = access_rule(rule.endpoint)
    if declared is Open.PUBLIC:
        return None if status not in (401, 403, 500) else f"public route answered {status}"
    if who == ANONYMOUS:
        if is_api(rule):
            return None if status == 401 else f"anonymous API request answered {status}, expected 401"
        if status in (302, 303) and urlsplit(location).path == "/login":
            return None
        return f"anonymous request answered {status} {location!r}, expected a redirect to /login"
    holds = declared is Open.AUTHENTICATED or Permission(declared) in DESIGN_GRANTS[who]
    if declared == P.KEEP_MINUTES:
        holds = holds and keeps_minutes
    if holds:
        return None if status in ALLOWED_IN else f"{who} holds {declared} but got {status}"
    return None if status == 403 else f"{who} lacks {declared} but got {status}"


@pytest.mark.parametrize("who", [ANONYMOUS, *Role], ids=str)
def test_every_route_answers_each_role_as_the_design_says(app, people, world, who):
    user = None if who == ANONYMOUS else people[who]
    requester = Requester(app, user, world.raw_tokens[user.id] if user else None)
    problems = []
    for rule, method in routes(app):
        path = path_for(rule, world, user)
        label = f"{method} {path} [{access_rule(rule.endpoint)}]"
        try:
            response = requester.send(rule, method, path)
        except Exception as error:  # noqa: BLE001 - report the crash with its route and go on
            problems.append(f"{label}: raised {error!r}")
            continue
        keeps = user is not None and (who == Role.MANAGEMENT or user.id == world.meeting.secretary_id)
        problem = _verdict(rule, who, response.status_code, response.headers.get("Location", ""), keeps)
        if problem:
            problems.append(f"{label}: {problem}")
    assert not problems, f"{len(problems)} route(s) answer {who} wrongly:\n  " + "\n  ".join(problems)


def test_a_viewer_posting_to_every_change_route_changes_nothing(app, db, people, world):
    viewer = people[Role.VIEWER]
    requester = Requester(app, viewer, world.raw_tokens[viewer.id])
    before = snapshot(db)

    statuses = {}
    for rule, method in change_routes(app):
        if access_rule(rule.endpoint) in DESIGN_GRANTS[Role.VIEWER]:
            continue  # raising a challenge: the one change a viewer may make
        path = path_for(rule, world, viewer)
        statuses[f"{method} {path}"] = requester.send(rule, method, path).status_code

    assert snapshot(db) == before
    assert all(status in (401, 403) for status in statuses.values()), statuses


def test_an_innovation_leader_cannot_edit_a_pilot_led_by_someone_else(app, db, people, world):
    """Holding edit_pilot is not enough: every pilot-editing route also checks who leads the pilot."""
    other_leader = factories.make_user(db, roles=[Role.INNOVATION_LEADER], name="Annan innovationsledare")
    db.commit()
    requester = Requester(app, other_leader)
    before = snapshot(db)

    problems = []
    for rule, method in routes(app):
        if access_rule(rule.endpoint) != Permission.EDIT_PILOT or "code" not in rule.arguments:
            continue
        path = path_for(rule, world, other_leader)
        status = requester.send(rule, method, path).status_code
        if status != 403:
            problems.append(f"{method} {path}: {status}")

    assert not problems, "require_pilot_editor(pilot) is missing on:\n  " + "\n  ".join(problems)
    assert snapshot(db) == before


def test_nobody_touches_another_users_api_token(app, db, people, world):
    """Routes on a token are open to any logged-in user, so each must check that the token is theirs."""
    viewer = people[Role.VIEWER]
    requester = Requester(app, viewer)
    someone_elses = dataclasses.replace(world, token_ids={viewer.id: world.token_ids[world.other_user.id]})
    before = snapshot(db)

    answers = {}
    for rule, method in routes(app):
        if "token_id" in rule.arguments:
            path = path_for(rule, someone_elses, viewer)
            answers[f"{method} {path}"] = requester.send(rule, method, path).status_code

    assert snapshot(db) == before
    assert all(status in (403, 404) for status in answers.values()), answers

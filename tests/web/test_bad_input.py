"""Bad input to every POST form, generated: never a server error, always a message, the input
kept and nothing changed when refused.

The routes come from the URL map and the forms from the pages themselves (every GET route is
crawled for POST forms pointing at the route), so a route or a field added later is covered
without touching this file. Each route is posted to as a role allowed to use it, with the form
as the page shows it and one to three fields replaced by bad values: blank, spaces, huge
numbers, too many decimals, control characters, wrong separators, impossible dates, another
pilot's ids, over-long text. Some examples point the URL at another pilot's objects or at an
id no row can have instead.

BAD_INPUT_EXAMPLES sets the number of examples per run (shared between the routes); the default
of 5 000 makes CI (SQLite, then PostgreSQL) run 10 000.
"""

from __future__ import annotations

import math
import os
import re
import time
from types import SimpleNamespace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markupsafe import escape
from sqlalchemy import func, select

from portfolio.domain.roles import Permission, Role, permissions_of
from portfolio.models import AuditEntry
from portfolio.web.access import Open, access_rule
from tests import factories
from tests.conftest import login, make_test_app
from tests.web.forms_found import FoundForm, post_forms
from tests.web.routes import build_world, path_for, routes, snapshot

TOTAL_EXAMPLES = int(os.environ.get("BAD_INPUT_EXAMPLES", "5000"))
#: Routes that end the session, switch the language or delete: they are not forms to fill in.
NOT_FORMS = re.compile(r"logout|language|delete|revoke")
#: A refusal shows a message: next to a field, in the error summary, or on the error page.
ERROR_SHOWN = re.compile(r"field__error|error-summary|govuk-error-message|govuk-error-summary|errors/error|"
                         r'class="error"|Förfrågan kunde inte tolkas|Formuläret hade gått ut')
REFUSED = {400, 403, 404, 405, 409, 413, 422, 429}
#: Signing in hashes a password on purpose (about 0.15 s): fewer examples there.
SLOW_ROUTES = {"auth.login": 50}
#: URL parameters that name an object of a pilot (replaced by another pilot's, which must be a 404).
PILOT_OBJECTS = ("indicator_id", "measurement_id", "cost_id", "goal_id")
#: Sensible values for text fields a "new" form shows empty, so that the bad value is what is
#: refused (choices are taken from the form itself: its first option).
GOOD_VALUES = {
    "title": "En pilot", "name": "Ett namn", "statement": "Färre minuter på rutinfrågor", "email": "ny@example.org",
    "amount": "1 000", "first_year": "2027", "measured_on": "2026-05-01", "value": "12,5", "baseline_value": "60",
    "target_value": "40", "password": "en lång och ovanlig mening", "confirm": "en lång och ovanlig mening",
    "organisation_name": "Förvaltningen",
}


def _post_rules() -> list[str]:
    app = make_test_app("sqlite://")
    endpoints = sorted({rule.endpoint for rule, method in routes(app)
                        if method == "POST" and not rule.rule.startswith("/api/") and not NOT_FORMS.search(
                            rule.endpoint + rule.rule)})
    app.extensions["portfolio_db"].engine.dispose()
    return endpoints


POST_ENDPOINTS = _post_rules()
_CAPPED = {endpoint: min(cap, math.ceil(TOTAL_EXAMPLES / len(POST_ENDPOINTS)))
           for endpoint, cap in SLOW_ROUTES.items() if endpoint in POST_ENDPOINTS}
PER_ROUTE = max(1, math.ceil((TOTAL_EXAMPLES - sum(_CAPPED.values()))
                             / max(1, len(POST_ENDPOINTS) - len(_CAPPED))))
_counts: dict[str, tuple[int, float]] = {}
_statuses: dict[str, dict[int, int]] = {}


# --------------------------------------------------------------------------------------------
# Bad values
# --------------------------------------------------------------------------------------------

BAD_TEXT = [
    "", " ", "   ", "\t", " \n ", "\u00a0", "\u200b",
    "9" * 400, "1e24", "1e25", "1" * 310, "-" + "9" * 30, "99999999999999999999", "1E+999", "NaN", "Infinity",
    "-0", "0x10", "²", "١٢٣", "½",
    "0,123456789", "1,00000001", "12345678901234,56789", "0,00001",
    "1.234,5", "1,234.5", "1 234.567,8", "12;5", "5 %", "1,2,3", "--5", "+-1", ",", ".", "1..2",
    "2026-02-30", "2026-13-01", "0000-00-00", "9999-99-99", "31/12/2026", "2025-02-29", "2026-1-1", "20260101",
    "-1", "-0,01", "-99999999",
    "Text\x00med NUL", "Klocka\x07", "Escape\x1b[31m", "\x01", "rad\r\nbrytning", "\ufeffBOM",
    "x" * 5000, "å" * 201, "<script>alert(1)</script>", "' OR 1=1 --", "=SUM(A1)", "😀" * 10,
]


def bad_values(field_kind: str, options: list[str], foreign: list[str]) -> st.SearchStrategy[str]:
    """Bad values for one field: the fixed list, another pilot's ids, and arbitrary short text."""
    choices = [st.sampled_from(BAD_TEXT), st.text(max_size=30)]
    if foreign:
        choices.append(st.sampled_from(foreign))
    if options:
        choices.append(st.sampled_from(options).map(lambda value: value + " "))
    return st.one_of(*choices)


# --------------------------------------------------------------------------------------------
# The world, the user and the form
# --------------------------------------------------------------------------------------------


def _role_for(endpoint: str) -> Role | None:
    rule = access_rule(endpoint)
    if rule is Open.PUBLIC:
        return None
    if rule is Open.AUTHENTICATED:
        return Role.VIEWER
    for role in (Role.INNOVATION_LEADER, Role.FINANCE, Role.MANAGEMENT, Role.ADMIN):
        if Permission(rule) in permissions_of([role]):
            return role
    pytest.fail(f"no role may use {endpoint}")


def _other_pilot(db, leader) -> SimpleNamespace:
    """A second pilot of the same leader, with objects whose ids are posted as "another pilot's"."""
    pilot = factories.make_pilot(db, leader=leader)
    goal = factories.make_effect_goal(db, pilot)
    indicator = factories.make_indicator(db, goal)
    measurement = factories.make_measurement(db, indicator, value="7")
    cost = factories.make_cost(db, pilot, amount="10")
    db.commit()
    return SimpleNamespace(goal_id=goal.id, indicator_id=indicator.id, measurement_id=measurement.id,
                           cost_id=cost.id, code=pilot.code)


def _find_form(app, client, world, user, target: str) -> FoundForm | None:
    """The form posting to `target`, from the page at the same URL or any other GET page."""
    pages = [(rule, path_for(rule, world, user)) for rule, method in routes(app)
             if method == "GET" and not rule.rule.startswith("/api/") and "export" not in rule.rule
             and not NOT_FORMS.search(rule.endpoint)]
    pages.sort(key=lambda pair: pair[1] != target)
    for _rule, path in pages:
        response = client.get(path)
        if response.status_code != 200 or "html" not in response.content_type:
            continue
        for form in post_forms(response.get_data(as_text=True), path):
            if form.action == target:
                return form
    return None


def _baseline(form: FoundForm | None) -> dict[str, object]:
    """What the form sends unchanged, with sensible values in the fields a new form shows empty."""
    if form is None:
        return {}
    data = form.data()
    for name, control in form.fields.items():
        if data.get(name) in ("", None, []) and control.kind == "password" and name not in GOOD_VALUES:
            data[name] = factories.PASSWORD  # the user's own password, asked again before some changes
        elif data.get(name) in ("", None, []) and name in GOOD_VALUES:
            data[name] = GOOD_VALUES[name] if not control.multiple else [GOOD_VALUES[name]]
        elif data.get(name) in ("", None, []) and control.kind in ("select", "radio", "checkbox") and control.options:
            first = next((option for option in control.options if option), "")
            data[name] = [first] if control.multiple else first
    return data


#: Bookkeeping of requests, not data: a refused request may count against a limit.
BOOKKEEPING = re.compile(r"throttle|rate_limit")


def _state(db) -> tuple:
    """Whether anything changed: every row of every table (the audit log included; the security
    bookkeeping left out as routes.snapshot says)."""
    return tuple(sorted((name, rows) for name, rows in snapshot(db).items() if not BOOKKEEPING.search(name)))


def _audit_count(db) -> int:
    db.rollback()
    return db.scalar(select(func.count(AuditEntry.id)))


# --------------------------------------------------------------------------------------------
# The test
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("endpoint", POST_ENDPOINTS)
def test_bad_input_to_every_form_is_refused_with_a_message_and_changes_nothing(app, db, people, endpoint):
    role = _role_for(endpoint)
    user = people[role] if role is not None else None
    world = build_world(db, people[Role.INNOVATION_LEADER], people.values())
    other = _other_pilot(db, people[Role.INNOVATION_LEADER])
    rule = next(rule for rule, method in routes(app) if rule.endpoint == endpoint and method == "POST")
    client = app.test_client()
    if user is not None:
        login(client, user)
    own_path = path_for(rule, world, user)
    form = _find_form(app, client, world, user, own_path)
    baseline = _baseline(form)
    fields = dict(form.fields) if form is not None else {}
    names = [name for name in fields if name != "csrf_token"] or list(GOOD_VALUES)[:6]
    foreign = [str(value) for value in (other.goal_id, other.indicator_id, other.measurement_id, other.cost_id)]
    url_kinds = ["own"] * 8 + (["foreign", "huge"] if set(PILOT_OBJECTS) & set(rule.arguments) else [])
    last = {"state": _state(db)}
    ran = {"count": 0}
    started = time.perf_counter()

    examples = _CAPPED.get(endpoint, PER_ROUTE)

    @settings(max_examples=examples, deadline=None, database=None, derandomize=False,
              suppress_health_check=list(HealthCheck))
    @given(data=st.data())
    def post_bad_input(data):
        url_kind = data.draw(st.sampled_from(url_kinds), label="url")
        path = own_path
        if url_kind != "own":
            values = {name: getattr(other, name) if url_kind == "foreign" else 99999999999999999999
                      for name in PILOT_OBJECTS if name in rule.arguments}
            swapped = data.draw(st.sampled_from(sorted(values)), label="parameter")
            arguments = {name: (values[name] if name == swapped else value)
                         for name, value in _arguments(rule, world, user).items()}
            path = rule.build(arguments, append_unknown=False)[1]
        chosen = data.draw(st.lists(st.sampled_from(names), min_size=1, max_size=min(3, len(names)), unique=True),
                           label="fields")
        posted = dict(baseline)
        for name in chosen:
            control = fields.get(name)
            value = data.draw(bad_values(control.kind if control else "text", control.options if control else [],
                                         foreign), label=name)
            posted[name] = value

        response = client.post(path, data=posted)
        ran["count"] += 1

        status = response.status_code
        page = response.get_data(as_text=True)
        if os.environ.get("BAD_INPUT_DEBUG"):
            _statuses.setdefault(endpoint, {}).setdefault(status, 0)
            _statuses[endpoint][status] += 1
        assert status < 500, f"{status} from POST {path} with {_shown(posted, chosen)}"
        if status in (302, 303) and "/login" in response.headers.get("Location", "") and user is not None:
            login(client, user)  # the form ended the session (e.g. a new password): sign in again
        state = _state(db)
        if url_kind != "own":
            assert status in (403, 404), f"{status} from POST {path} (another pilot's or no object)"
        if status in REFUSED:
            assert state == last["state"], f"refused ({status}) but something changed: POST {path}"
        last["state"] = state
        if status in (409, 422):
            assert ERROR_SHOWN.search(page), f"refused ({status}) without a message: POST {path}"
            for name in chosen:
                control = fields.get(name)
                if control is None or not control.typed:
                    continue
                typed = str(posted[name])
                assert str(escape(typed)) in page or str(escape(typed.strip())) in page, (
                    f"POST {path}: the typed {name}={typed!r} is not shown again")

    post_bad_input()
    _counts[endpoint] = (ran["count"], time.perf_counter() - started)
    if os.environ.get("BAD_INPUT_DEBUG"):
        print(endpoint, "form" if form else "NO FORM", sorted(names)[:12], _statuses.get(endpoint), _counts[endpoint])
    assert ran["count"] >= examples


def _arguments(rule, world, user) -> dict:
    from tests.web.routes import parameter_values

    return parameter_values(rule, world, user)


def _shown(posted: dict, chosen: list[str]) -> str:
    return ", ".join(f"{name}={posted[name]!r:.80}" for name in chosen)


def test_the_bad_input_suite_finds_the_forms_it_should(app):
    """The URL map gives the routes; a route this suite cannot post to would be silently untested."""
    assert {"costs.edit", "costs.valuation", "effects.new_measurement", "admin.settings",
            "admin.goal_edit", "pilots.edit"} <= set(POST_ENDPOINTS)
    assert sum(_CAPPED.get(endpoint, PER_ROUTE) for endpoint in POST_ENDPOINTS) >= TOTAL_EXAMPLES

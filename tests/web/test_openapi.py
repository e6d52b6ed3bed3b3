"""The API's OpenAPI 3.1 document: valid, and true to what every endpoint answers.

Schemathesis generates requests from the document (valid ones and, for the query parameters,
invalid ones), sends them to the app with a viewer's token and checks each answer against the
document: no server error, status codes, content types and bodies as documented.
"""

from __future__ import annotations

import datetime as dt

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from openapi_spec_validator import validate
from schemathesis import GenerationMode

from portfolio.domain.roles import Role
from portfolio.models import MeasurementPhase
from portfolio.services import openness, tokens
from tests import factories

#: Cases per operation and mode: 14 operations, a few hundred requests in all, a few seconds.
CASES = 12


def test_the_document_validates_as_openapi_3_1(client):
    response = client.get("/api/v1/openapi.json")  # public: no token needed
    assert response.status_code == 200
    document = response.get_json()
    assert document["openapi"] == "3.1.0"
    validate(document)
    api_rules = {rule.rule.removeprefix("/api/v1") for rule in client.application.url_map.iter_rules()
                 if rule.rule.startswith("/api/v1")}
    documented = {path.replace("{", "<").replace("}", ">") for path in document["paths"]}
    undocumented = {rule for rule in api_rules if rule.replace("<int:", "<") not in documented}
    assert not undocumented, f"endpoints missing from the OpenAPI document: {undocumented}"


@pytest.fixture
def world(db, people):
    """Something to find at every endpoint: an initiative with a goal, indicator and measurement, a
    scaled-up one with follow-ups (one measured), a challenge, a solution, a public initiative; and a
    viewer's token."""
    leader = people[Role.INNOVATION_LEADER]
    unit = factories.make_unit(db)
    pilot = factories.make_pilot(db, leader=leader, unit=unit)
    goal = factories.make_effect_goal(db, pilot)
    factories.make_measurement(db, factories.make_indicator(db, goal), value="50")
    today = dt.date.today()
    scaled = factories.make_pilot(db, leader=leader, unit=unit, title="Laiban")
    indicator = factories.make_indicator(db, factories.make_effect_goal(db, scaled))
    decision = factories.make_decision(db, scaled, recorded_by=people[Role.MANAGEMENT],
                                       decided_on=today - dt.timedelta(days=300))
    factories.make_follow_ups(db, scaled, decision, [today + dt.timedelta(days=d) for d in (-120, -5, 40, 400)])
    factories.make_measurement(db, indicator, value="12.5", measured_on=today - dt.timedelta(days=125),
                               phase=MeasurementPhase.FOLLOW_UP)
    factories.make_cost(db, pilot, amount="25000")
    factories.make_challenge(db, raised_by=leader, unit=unit)
    factories.make_solution(db, contract_end=dt.date(2027, 1, 31))
    openness.set_publication(db, pilot, [field.value for field in openness.PublicField], people[Role.ADMIN])
    _token, raw = tokens.create_token(db, people[Role.VIEWER], "Schemathesis", actor=people[Role.VIEWER])
    db.commit()
    return raw


def test_every_endpoint_answers_as_its_document_says(app, world):
    def each_request_in_its_own_context(environ, start_response):
        # The test holds an app context open; a request would reuse it (and its `g`, where the
        # logged-in user is kept), so one request's token would carry over to the next.
        with app.app_context():
            return app.wsgi_app(environ, start_response)

    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", each_request_in_its_own_context)

    @schema.auth()
    class ViewerToken:
        """The viewer's bearer token, declared as the requests' auth (so the auth checks can drop it)."""

        def get(self, case, context):
            return world

        def set(self, case, data, context):
            case.headers = {**(case.headers or {}), "Authorization": f"Bearer {data}"}

    calls, follow_ups = [], []
    for result in schema.get_all_operations():
        operation = result.ok()
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            if mode is GenerationMode.NEGATIVE and not operation.query:
                continue  # nothing to get wrong but the path, which any string or number fills

            @given(case=operation.as_strategy(generation_mode=mode))
            @settings(max_examples=CASES, deadline=None, database=None, derandomize=True,
                      phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
            def call(case):
                response = case.call_and_validate()
                calls.append(response.status_code)
                if operation.path == "/follow-ups" and response.status_code == 200:
                    follow_ups.extend(response.json()["follow_ups"])

            call()
    assert len(calls) >= 150
    assert 200 in calls and 400 in calls
    assert {row["status"] for row in follow_ups} == {"done", "overdue", "due", "planned"}
    assert any(row["measurements"] for row in follow_ups)

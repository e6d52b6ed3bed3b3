"""The problems a new user tripped over (issue 7), each pinned by a test that fails if it comes back."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from sqlalchemy import func, select

from portfolio.domain.economics import BenefitClass, CostCategory, CostKind, CostPhase
from portfolio.domain.lifecycle import Phase
from portfolio.domain.roles import Role
from portfolio.models import Measurement, MeasurementPhase, Pilot
from portfolio.services import audit
from tests import factories
from tests.conftest import count_queries
from tests.factories import make_cost, make_effect_goal, make_indicator, make_measurement, make_pilot
from tests.web.html import error_for, field_block

NBSP = "\u00a0"
MINUS = "\u2212"


def text(response) -> str:
    return response.get_data(as_text=True)


def visible(html: str) -> str:
    """The page's text as a reader sees it (tags dropped, spaces squashed)."""
    return re.sub(r"[ \t\r\n]+", " ", re.sub(r"<[^>]+>", " ", html))  # no-break spaces are kept


PILOT_FORM = {"title": "Laiban", "origin": "idea_driven", "need": "Behov", "description": "Beskrivning",
              "idea_bearer": "Arbetslag", "target_groups": "Pedagoger"}


# --- radios, check boxes, error summary ------------------------------------------------------------


def test_radios_and_check_boxes_sit_beside_their_labels_and_no_star_drops_below(client, login_as):
    login_as(Role.INNOVATION_LEADER)
    html = text(client.get("/pilots/new"))
    radios = re.findall(r'<div class="govuk-radios__item">\s*<input[^>]*id="(origin-\d)"[^>]*>\s*'
                        r'<label class="govuk-label govuk-radios__label" for="(origin-\d)">', html)
    assert len(radios) == 3 and all(a == b for a, b in radios)
    assert 'class="required"' not in html and "*</span>" not in html
    assert "(valfritt)" in field_block(html, "description")  # GOV.UK marks the optional ones instead


def test_every_error_is_in_a_summary_that_links_to_its_field(client, login_as):
    login_as(Role.INNOVATION_LEADER)
    response = client.post("/pilots/new", data={"title": "", "test_start-year": "2026", "test_start-month": "2",
                                                 "test_start-day": "30"})
    html = text(response)
    assert response.status_code == 422
    summary = re.search(r'<div class="govuk-error-summary" data-module="govuk-error-summary">.*?</ul>', html, re.S)
    assert summary, "no error summary"
    links = re.findall(r'<a href="#([^"]+)">', summary.group(0))
    assert links == ["title", "origin-0", "test_start-year"]
    for target in links:
        assert f'id="{target}"' in html


# --- dates -----------------------------------------------------------------------------------------


def test_an_impossible_date_gets_the_design_systems_message_and_keeps_what_was_typed(client, db, login_as):
    login_as(Role.INNOVATION_LEADER)
    response = client.post("/pilots/new", data=PILOT_FORM | {"test_start-year": "2026", "test_start-month": "2",
                                                             "test_start-day": "30"})
    html = text(response)
    assert response.status_code == 422
    assert error_for(html, "test_start") == "Teststart måste vara ett riktigt datum, till exempel 2027-03-15."
    block = field_block(html, "test_start")
    for part, typed in (("year", "2026"), ("month", "2"), ("day", "30")):
        assert re.search(rf'class="[^"]*govuk-input--error[^"]*" id="test_start-{part}"[^>]*value="{typed}"', block)
    assert db.scalar(select(func.count(Pilot.id))) == 0


def test_a_date_missing_a_part_says_which(client, login_as):
    login_as(Role.INNOVATION_LEADER)
    response = client.post("/pilots/new", data=PILOT_FORM | {"test_start-year": "2026", "test_start-month": "",
                                                             "test_start-day": "3"})
    assert error_for(text(response), "test_start") == "Teststart måste innehålla en månad."


def test_a_measurement_dated_in_the_future_is_refused(client, db, login_as):
    leader = login_as(Role.INNOVATION_LEADER)
    pilot = make_pilot(db, leader=leader)
    indicator = make_indicator(db, make_effect_goal(db, pilot))
    db.commit()
    tomorrow = dt.date.today() + dt.timedelta(days=2)
    response = client.post(f"/pilots/{pilot.code}/effects/indicators/{indicator.id}/measurements/new", data={
        "measured_on-year": str(tomorrow.year), "measured_on-month": str(tomorrow.month),
        "measured_on-day": str(tomorrow.day), "value": "45", "phase": "test"})
    assert response.status_code == 422
    assert "Mätdatum kan inte ligga i framtiden" in error_for(text(response), "measured_on")
    assert db.scalar(select(func.count(Measurement.id))) == 0


def test_a_pilot_cannot_move_to_scale_up_before_its_test_has_started(client, db, login_as):
    leader = login_as(Role.INNOVATION_LEADER)
    pilot = make_pilot(db, leader=leader, phase=Phase.TEST, test_start=dt.date.today() + dt.timedelta(days=30))
    db.commit()
    response = client.post(f"/pilots/{pilot.code}/phase", data={"target": "scale_up", "comment": ""})
    assert response.status_code == 422
    assert "förrän testet har startat" in error_for(text(response), "target")
    db.expire_all()
    assert db.get(Pilot, pilot.id).phase == Phase.TEST


# --- text over a limit -----------------------------------------------------------------------------


def test_text_over_a_fields_limit_is_refused_with_a_message_never_cut(client, db, login_as):
    login_as(Role.INNOVATION_LEADER)
    form = text(client.get("/pilots/new"))
    title = field_block(form, "title")
    assert 'data-module="govuk-character-count" data-maxlength="200"' in title
    assert "maxlength=" not in re.search(r"<input[^>]*>", title).group(0)  # the browser would cut silently
    assert 'data-maxlength="10000"' in field_block(form, "description")
    typed = "L" * 201
    response = client.post("/pilots/new", data=PILOT_FORM | {"title": typed})
    html = text(response)
    assert response.status_code == 422
    assert "200 tecken" in error_for(html, "title")
    assert f'value="{typed}"' in html
    assert db.scalar(select(func.count(Pilot.id))) == 0


# --- the audit log in words ------------------------------------------------------------------------


def _logged(db, people, pilot):
    admin, finance = people[Role.ADMIN], people[Role.FINANCE]
    entries = [
        audit.record(db, admin, "move_phase", "pilot", pilot.id, pilot_id=pilot.id,
                     before={"phase": "test", "step": 0}, after={"phase": "scale_up", "step": 0}),
        audit.record(db, finance, "cost_item_created", "cost_item", 1, pilot_id=pilot.id,
                     after={"category": "training", "kind": "one_off", "phase": "implementation"}),
        audit.record(db, finance, "finance_signed_off", "pilot", pilot.id, pilot_id=pilot.id,
                     before={"finance_signed_off_by_id": None, "finance_signed_off_at": None},
                     after={"finance_signed_off_by_id": finance.id,
                            "finance_signed_off_at": "2026-12-01T12:09:57.072238"}),
        audit.record(db, finance, "finance_signoff_cleared", "pilot", pilot.id, pilot_id=pilot.id,
                     after={"reason": "economics_parameters_updated"}),
        audit.record(db, None, "seed_demo", "demo", None, after={"pilots": 11, "cost_items": 50}),
    ]
    for entry in entries:
        entry.at = dt.datetime(2026, 12, 1, 12, 9, 57, 72238)  # stored in UTC; the log is append-only
    db.commit()


def test_the_audit_log_reads_in_words_names_and_local_time(client, db, people, login_as):
    pilot = make_pilot(db)
    _logged(db, people, pilot)
    login_as(Role.ADMIN)
    page = visible(text(client.get("/admin/audit")))
    for shown in ("Fas: Test → Uppskalningsprocess", "Kategori: Utbildning", "Typ: Engångskostnad",
                  "Fas: Införande", "Orsak: Kalkylparametrar ändrade",
                  f"Granskad av ekonomi: – → {people[Role.FINANCE].name}",
                  "Tidpunkt för ekonomis granskning: – → 2026-12-01 13:09", "Piloter: 11", "Kostnader: 50"):
        assert shown in page, shown
    for internal in ("scale_up", "training", "one_off", "economics_parameters_updated", "T12:09", "cost_items",
                     f"Granskad av ekonomi: – → {people[Role.FINANCE].id} "):
        assert internal not in page, internal
    assert re.search(r"2026-12-01 13:09(?!:)", page)  # the entry's own time, local, to the minute


def test_the_audit_log_reads_in_english_too(client, db, people, login_as):
    pilot = make_pilot(db)
    _logged(db, people, pilot)
    login_as(Role.ADMIN)
    client.post("/language", data={"language": "en", "next": "/admin/audit"})
    page = visible(text(client.get("/admin/audit")))
    for shown in ("Training", "One-off", "Pilots: 11"):
        assert shown in page, shown
    assert "scale_up" not in page and "training" not in page


# --- which measurement a realisation comes from ----------------------------------------------------


def test_each_realisation_figure_says_which_measurement_it_comes_from(client, db, login_as):
    leader = login_as(Role.INNOVATION_LEADER)
    pilot = make_pilot(db, leader=leader, phase=Phase.IMPLEMENTATION)
    indicator = make_indicator(db, make_effect_goal(db, pilot))  # 60 → 40 minutes, lower is better
    make_measurement(db, indicator, value="45", measured_on=dt.date(2026, 5, 1))  # test: 75 %
    make_measurement(db, indicator, value="38", measured_on=dt.date(2026, 10, 1), phase=MeasurementPhase.FOLLOW_UP)
    db.commit()
    effects = visible(text(client.get(f"/pilots/{pilot.code}/effects")))
    assert f"Realiseringsgrad (senaste uppföljningsmätning) 110{NBSP}%" in effects
    economics = visible(text(client.get(f"/pilots/{pilot.code}/economics")))
    assert "Realiseringsgrad (senaste testmätning)" in economics and f"75{NBSP}%" in economics
    assert "Måluppfyllelse" not in economics
    register = visible(text(client.get("/pilots")))
    assert f"110{NBSP}% senaste uppföljningsmätning" in register


# --- words that contradicted each other ------------------------------------------------------------


def test_words_no_longer_contradict_each_other(client, db, login_as):
    leader = login_as(Role.INNOVATION_LEADER)
    pilot = make_pilot(db, leader=leader, phase=Phase.TEST)
    db.commit()
    costs = visible(text(client.get(f"/pilots/{pilot.code}/costs")))
    assert "Inte granskad" in costs and "Ekonomi granskad" not in costs
    economics = visible(text(client.get(f"/pilots/{pilot.code}/economics")))
    assert "Alla mått är värderade i kronor" not in economics and "Piloten har inga mått ännu." in economics
    show = text(client.get(f"/pilots/{pilot.code}"))
    link = re.search(rf'<a class="govuk-link" href="/pilots/{pilot.code}/economics">([^<]+)</a>', show).group(1)
    assert link == "Nyttokalkyl"
    response = client.post(f"/pilots/{pilot.code}/phase", data={"target": "scale_up", "comment": ""},
                           follow_redirects=True)
    assert "Piloten är flyttad till uppskalningsprocess." in text(response)


def test_a_value_per_unit_reads_per_unit(client, db, login_as):
    leader = login_as(Role.INNOVATION_LEADER)
    pilot = make_pilot(db, leader=leader)
    make_indicator(db, make_effect_goal(db, pilot), value_per_unit=Decimal("9.2"), annual_volume=Decimal("100"),
                   benefit_class=BenefitClass.REALLOCATION)
    db.commit()
    page = visible(text(client.get(f"/pilots/{pilot.code}/effects")))
    assert f"9,20{NBSP}kr per enhet (minuter)" in page and "kr per minuter" not in page


# --- money -----------------------------------------------------------------------------------------


def test_lists_show_whole_kronor_with_a_real_minus_and_only_inputs_show_ore(client, db, login_as):
    login_as(Role.FINANCE)
    pilot = make_pilot(db)
    cost = make_cost(db, pilot, amount="57600", category=CostCategory.TRAINING, kind=CostKind.ONE_OFF,
                     phase=CostPhase.IMPLEMENTATION)
    db.commit()
    costs = text(client.get(f"/pilots/{pilot.code}/costs"))
    assert f"57{NBSP}600{NBSP}kr" in costs and "57\u00a0600,00" not in costs
    assert 'value="57600,00"' in text(client.get(f"/pilots/{pilot.code}/costs/{cost.id}/edit"))
    economics = visible(text(client.get(f"/pilots/{pilot.code}/economics")))
    assert f"{MINUS}57{NBSP}600{NBSP}kr" in economics
    assert not re.search(r"-\d", economics.split("Nyckeltal")[1])  # no hyphen-minus before a figure


# --- the register and the management group's start page --------------------------------------------


def _valued_pilot(db, code, *, npv_cost, realised, signed_off=False):
    pilot = make_pilot(db, code=code, title=f"Pilot {code}", phase=Phase.TEST)
    indicator = make_indicator(db, make_effect_goal(db, pilot), value_per_unit=Decimal("10"),
                               annual_volume=Decimal("100"), benefit_class=BenefitClass.FINANCIAL)
    make_measurement(db, indicator, value=realised)
    make_cost(db, pilot, amount=npv_cost)
    if signed_off:
        pilot.finance_signed_off_at = dt.datetime(2026, 11, 1, 10, 0)
    return pilot


def test_the_register_shows_and_sorts_npv_realisation_and_sign_off(client, db, login_as):
    _valued_pilot(db, "INN-2026-101", npv_cost="1000", realised="50")  # realisation 50 %
    _valued_pilot(db, "INN-2026-102", npv_cost="200000", realised="40", signed_off=True)  # 100 %, NPV < 0
    make_pilot(db, code="INN-2026-103", title="Utan siffror")
    db.commit()
    login_as(Role.VIEWER)
    html = text(client.get("/pilots"))
    for header in ("Nuvärde, fullt värde", "Realiseringsgrad", "Ekonomi granskad"):
        assert re.search(rf'<a class="govuk-link app-sort-link" href="[^"]*">{header}', html), header
    npv = [visible(cell).strip() for cell in re.findall(r'data-figure="npv">(.*?)</td>', html, re.S)]
    assert npv[1].startswith(MINUS) and npv[2].startswith("–")

    def order(**query):
        page = text(client.get("/pilots", query_string=query))
        return re.findall(r'href="/pilots/(INN-2026-10\d)"', page)

    assert order(sort="npv", order="desc") == ["INN-2026-101", "INN-2026-102", "INN-2026-103"]
    assert order(sort="npv", order="asc") == ["INN-2026-102", "INN-2026-101", "INN-2026-103"]
    assert order(sort="realisation", order="desc") == ["INN-2026-102", "INN-2026-101", "INN-2026-103"]
    assert order(sort="signoff", order="desc")[0] == "INN-2026-102"


def test_the_register_sorted_by_a_figure_runs_the_same_number_of_queries_for_3_and_30_pilots(
        client, app, db, login_as):
    login_as(Role.MANAGEMENT)
    for n in range(3):
        _valued_pilot(db, f"INN-2026-2{n:02d}", npv_cost="100", realised="50")
    db.commit()
    with count_queries(app) as few:
        assert client.get("/pilots", query_string={"sort": "npv", "order": "desc"}).status_code == 200
    for n in range(3, 30):
        _valued_pilot(db, f"INN-2026-2{n:02d}", npv_cost=str(100 + n), realised="45", signed_off=n % 2 == 0)
    db.commit()
    with count_queries(app) as many:
        page = text(client.get("/pilots", query_string={"sort": "realisation", "order": "desc"}))
    assert "30 piloter" in page
    assert len(many) == len(few), "\n".join(s[:120] for s in many)


def test_the_management_group_lands_on_the_register_sorted_by_npv(client, login_as):
    login_as(Role.MANAGEMENT)
    assert client.get("/").headers["Location"] == "/pilots?sort=npv&order=desc"
    login_as(Role.INNOVATION_LEADER)
    assert client.get("/").headers["Location"] == "/pilots"


def test_logging_in_leads_to_the_start_page_of_the_role(client, people):
    response = client.post("/login", data={"email": people[Role.MANAGEMENT].email, "password": factories.PASSWORD})
    assert response.headers["Location"] == "/"
    assert client.get("/").headers["Location"] == "/pilots?sort=npv&order=desc"

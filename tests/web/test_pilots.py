"""The pilot register as its users meet it: list, create, view, edit, phase moves, reassignment."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import func, select

from portfolio.domain.lifecycle import Origin, Phase
from portfolio.domain.roles import Role
from portfolio.models import AuditEntry, Goal, GoalFramework, PhaseTransition, Pilot
from portfolio.services.audit import SECURITY_ACTIONS
from portfolio.services.pilots import local_today

from tests.web.html import error_for, field_block
from tests.conftest import count_queries, login
from tests.factories import make_pilot, make_unit, make_user



def make_goal(session, name, framework="Digitaliseringsstrategin") -> Goal:
    found = session.scalar(select(GoalFramework).where(GoalFramework.name == framework))
    if found is None:
        found = GoalFramework(name=framework)
        session.add(found)
    goal = Goal(framework=found, name=name)
    session.add(goal)
    session.flush()
    return goal


def text(response) -> str:
    return response.get_data(as_text=True)




def pilot_count(db) -> int:
    db.expire_all()
    return db.scalar(select(func.count(Pilot.id)))


def audit_count(db) -> int:
    """Audit entries of changes (security events such as sign-ins aside)."""
    return db.scalar(select(func.count(AuditEntry.id)).where(AuditEntry.action.not_in(SECURITY_ACTIONS)))


GOOD_FORM = {
    "title": "Laiban i förskolan",
    "need": "Pedagoger lägger tid på rutinfrågor i tamburen.",
    "description": "En digital assistent svarar på frågor.",
    "idea_bearer": "Förskolan Solen",
    "unit": "",
    "origin": "challenge_driven",
    "target_groups": "Pedagoger i förskolan",
    "test_start": "2026-02-01",
    "test_end": "2026-06-30",
}


# --- the list -------------------------------------------------------------------------------------


def test_the_register_lists_pilots_with_their_facts(client, db, login_as):
    leader = login_as(Role.INNOVATION_LEADER)
    unit = make_unit(db, name="Förskolan Solen")
    make_pilot(db, code="INN-2026-001", title="Laiban", leader=leader, unit=unit, phase=Phase.SCALE_UP, step=1,
               test_start=dt.date(2026, 1, 15), test_end=dt.date(2026, 12, 15))
    db.commit()
    page = text(client.get("/pilots"))
    assert '<a class="govuk-link" href="/pilots/INN-2026-001">INN-2026-001</a>' in page
    for shown in ("Laiban", "Uppskalningsprocess", "Steg 1 klart: effektmålet översett", "Förskolan Solen",
                  leader.name, "2026-01-15–</span><wbr><span class=\"app-nowrap\">2026-12-15", "1 pilot"):
        assert shown in page


def test_search_and_filters_narrow_the_list_and_say_how_many(client, db, login_as):
    login_as(Role.VIEWER)
    unit = make_unit(db, name="Björkskolan")
    goal = make_goal(db, "Digitalt först")
    make_pilot(db, code="INN-2026-001", title="Laiban", unit=unit).goals = [goal]
    make_pilot(db, code="INN-2026-002", title="Laiban för skolan", phase=Phase.IDEA)
    make_pilot(db, code="INN-2026-003", title="Närvaro", need="Frånvaro i skolan", origin=Origin.CHALLENGE_DRIVEN)
    db.commit()

    page = text(client.get("/pilots", query_string={"q": "LAIBAN"}))
    assert "2 piloter" in page and "INN-2026-003" not in page
    page = text(client.get("/pilots", query_string={"q": "skolan"}))
    assert "INN-2026-002" in page and "INN-2026-003" in page and "INN-2026-001" not in page
    page = text(client.get("/pilots", query_string={"phase": "idea"}))
    assert "1 pilot<" in page and "INN-2026-002" in page
    page = text(client.get("/pilots", query_string={"unit": unit.id}))
    assert "INN-2026-001" in page and "INN-2026-002" not in page
    page = text(client.get("/pilots", query_string={"origin": "challenge_driven"}))
    assert "INN-2026-003" in page and "INN-2026-001" not in page
    page = text(client.get("/pilots", query_string={"goal": goal.id}))
    assert "INN-2026-001" in page and "INN-2026-002" not in page
    # the filter form keeps what was asked for
    assert f'<option selected value="{goal.id}">Digitalt först</option>' in page


def test_sort_order_can_be_chosen(client, db, login_as):
    login_as(Role.VIEWER)
    make_pilot(db, code="INN-2026-001", title="Bravo")
    make_pilot(db, code="INN-2026-002", title="Alfa")
    db.commit()
    page = text(client.get("/pilots", query_string={"sort": "title"}))
    assert page.index("INN-2026-002") < page.index("INN-2026-001")
    assert re.search(r'aria-sort="ascending">\s*<a class="govuk-link app-sort-link" href="[^"]*">Titel', page)
    page = text(client.get("/pilots", query_string={"sort": "code", "order": "desc"}))
    assert page.index("INN-2026-002") < page.index("INN-2026-001")


def test_pagination_keeps_the_filters(client, app, db, login_as):
    login_as(Role.VIEWER)
    for n in range(1, 31):
        make_pilot(db, code=f"INN-2026-{n:03d}", title=f"Laiban {n}", phase=Phase.TEST)
    make_pilot(db, code="INN-2026-099", title="Annat", phase=Phase.TEST)
    db.commit()
    assert app.config["PAGE_SIZE"] == 25
    page = text(client.get("/pilots", query_string={"q": "laiban", "phase": "test", "sort": "code"}))
    assert "30 piloter, sida 1 av 2" in page
    assert "INN-2026-025" in page and "INN-2026-026" not in page
    next_link = re.search(r'<a class="govuk-link govuk-pagination__link" href="([^"]+)" rel="next">', page).group(1).replace("&amp;", "&")
    assert "q=laiban" in next_link and "phase=test" in next_link and "page=2" in next_link
    second = text(client.get(next_link))
    assert "INN-2026-026" in second and "INN-2026-030" in second and "INN-2026-099" not in second


def test_invalid_filter_values_are_ignored_with_a_message_not_an_error(client, db, login_as):
    login_as(Role.VIEWER)
    make_pilot(db, code="INN-2026-001")
    db.commit()
    response = client.get("/pilots", query_string={"phase": "bogus", "unit": "x", "page": "abc"})
    assert response.status_code == 200
    assert "INN-2026-001" in text(response)
    assert "govuk-error-message" in field_block(text(response), "phase")


def test_empty_register_and_empty_search_say_so(client, db, login_as):
    login_as(Role.VIEWER)
    assert "Det finns inga piloter ännu." in text(client.get("/pilots"))
    make_pilot(db)
    db.commit()
    page = text(client.get("/pilots", query_string={"q": "finns inte"}))
    assert "Inga piloter matchar sökningen." in page and "0 piloter" in page


def test_every_filter_field_has_a_label(client, login_as):
    login_as(Role.VIEWER)
    page = text(client.get("/pilots"))
    for name in ("q", "phase", "unit", "origin", "goal", "sort", "order"):
        assert f'<label class="govuk-label govuk-label--s" for="{name}">' in page


@pytest.mark.parametrize(("role", "shown"), [(Role.INNOVATION_LEADER, True), (Role.VIEWER, False),
                                              (Role.FINANCE, False), (Role.ADMIN, False)])
def test_new_pilot_button_only_for_those_who_may_create(client, login_as, role, shown):
    login_as(role)
    assert ("Ny pilot" in text(client.get("/pilots"))) is shown


def _fill_register(db, count: int) -> None:
    leaders = [make_user(db, roles=[Role.INNOVATION_LEADER]) for _ in range(min(count, 5))]
    units = [make_unit(db) for _ in range(min(count, 4))]
    goal = make_goal(db, f"Mål {count}")
    for n in range(count):
        make_pilot(db, leader=leaders[n % len(leaders)], unit=units[n % len(units)]).goals = [goal]
    db.commit()


def test_the_list_runs_the_same_number_of_queries_for_3_and_40_pilots(client, app, db, login_as):
    login_as(Role.VIEWER)
    _fill_register(db, 3)
    with count_queries(app) as few:
        assert client.get("/pilots").status_code == 200
    _fill_register(db, 37)
    with count_queries(app) as many:
        page = text(client.get("/pilots", query_string={"sort": "unit"}))
    assert "40 piloter" in page
    assert len(many) == len(few), "\n".join(s[:120] for s in many)


# --- create ---------------------------------------------------------------------------------------


def test_an_innovation_leader_registers_a_pilot(client, db, login_as):
    leader = login_as(Role.INNOVATION_LEADER)
    unit = make_unit(db, name="Förskolan Solen")
    goal = make_goal(db, "Digitalt först")
    db.commit()
    form = client.get("/pilots/new")
    assert form.status_code == 200
    assert "Skriv inga personuppgifter om elever" in text(form)
    assert '<legend class="govuk-fieldset__legend">Digitaliseringsstrategin</legend>' in text(form)
    year = dt.date.today().year
    response = client.post("/pilots/new", data=GOOD_FORM | {"unit": str(unit.id), "goals": [str(goal.id)]})
    assert response.status_code == 302
    code = f"INN-{year}-001"
    assert response.headers["Location"] == f"/pilots/{code}"
    pilot = db.scalar(select(Pilot).where(Pilot.code == code))
    assert pilot.innovation_leader_id == leader.id
    assert pilot.phase is Phase.TEST and pilot.unit_id == unit.id and [g.id for g in pilot.goals] == [goal.id]
    assert pilot.test_start == dt.date(2026, 2, 1) and pilot.origin is Origin.CHALLENGE_DRIVEN
    page = text(client.get(response.headers["Location"]))
    assert f"Piloten {code} är registrerad." in page
    assert "Laiban i förskolan" in page
    entry = db.scalar(select(AuditEntry).where(AuditEntry.action == "create", AuditEntry.entity == "pilot"))
    assert entry.actor_id == leader.id and entry.pilot_id == pilot.id


def test_bad_input_is_shown_next_to_the_field_keeps_what_was_typed_and_saves_nothing(client, db, login_as):
    login_as(Role.INNOVATION_LEADER)
    audits = audit_count(db)
    response = client.post("/pilots/new", data=GOOD_FORM | {"title": "", "test_start": "2026-06-01",
                                                             "test_end": "2026-05-31"})
    page = text(response)
    assert response.status_code == 422
    assert "Det finns ett problem" in page and 'href="#title">Ange en titel.</a>' in page
    assert "Ange en titel." in field_block(page, "title")
    assert 'aria-invalid="true"' in field_block(page, "title")
    assert "Testslutet kan inte ligga före teststarten." in field_block(page, "test_end")
    assert "Pedagoger lägger tid på rutinfrågor i tamburen." in page  # what was typed is kept
    assert 'id="test_end-day" name="test_end-day" type="text" inputmode="numeric" value="31"' in page
    assert re.search(r'<input checked[^>]*value="challenge_driven"', page)
    assert pilot_count(db) == 0 and audit_count(db) == audits


@pytest.mark.parametrize("bad", [{"test_start": "2026-02-30"}, {"origin": "because"}, {"unit": "9999"},
                                 {"goals": ["9999"]}, {"goals": ["x"]}, {"title": "x" * 201}])
def test_nonsense_in_any_field_gives_a_form_error_not_a_crash(client, db, login_as, bad):
    login_as(Role.INNOVATION_LEADER)
    response = client.post("/pilots/new", data=GOOD_FORM | bad)
    assert response.status_code == 422
    assert "govuk-error-message" in text(response)
    assert pilot_count(db) == 0


def test_codes_count_up_within_the_year(client, db, login_as):
    login_as(Role.INNOVATION_LEADER)
    year = dt.date.today().year
    make_pilot(db, code=f"INN-{year}-041")
    db.commit()
    first = client.post("/pilots/new", data=GOOD_FORM)
    second = client.post("/pilots/new", data=GOOD_FORM)
    assert first.headers["Location"] == f"/pilots/INN-{year}-042"
    assert second.headers["Location"] == f"/pilots/INN-{year}-043"


@pytest.mark.parametrize("role", [Role.VIEWER, Role.FINANCE, Role.MANAGEMENT, Role.ADMIN])
def test_who_may_not_create_gets_403_and_nothing_is_saved(client, db, login_as, role):
    login_as(role)
    assert client.get("/pilots/new").status_code == 403
    assert client.post("/pilots/new", data=GOOD_FORM).status_code == 403
    assert pilot_count(db) == 0


def test_the_form_is_protected_against_cross_site_posts(csrf_app, db):
    leader = make_user(db, roles=[Role.INNOVATION_LEADER])
    db.commit()
    client = csrf_app.test_client()
    page = client.get("/login")
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', text(page)).group(1)
    client.post("/login", data={"email": leader.email, "password": "a long test password 2026",
                                "csrf_token": token})
    assert 'name="csrf_token"' in text(client.get("/pilots/new"))
    assert client.post("/pilots/new", data=GOOD_FORM).status_code == 400
    assert pilot_count(db) == 0


# --- view -----------------------------------------------------------------------------------------


def test_the_pilot_page_shows_every_fact_and_links_to_its_areas(client, db, login_as):
    login_as(Role.VIEWER)
    leader = make_user(db, roles=[Role.INNOVATION_LEADER], name="Lea Ledare")
    unit = make_unit(db, name="Förskolan Solen")
    pilot = make_pilot(db, code="INN-2026-007", title="Laiban", leader=leader, unit=unit, need="Rad ett\nRad två",
                       description="<script>alert(1)</script>", idea_bearer="Arbetslag Blå",
                       target_groups="Pedagoger", origin=Origin.OPPORTUNITY_DRIVEN)
    pilot.goals = [make_goal(db, "Digitalt först")]
    db.commit()
    page = text(client.get("/pilots/INN-2026-007"))
    facts = re.search(r'<dl class="govuk-summary-list">.*?</dl>', page, re.S).group(0)
    for shown in ("INN-2026-007", "Test", "Rad ett<br>Rad två", "&lt;script&gt;alert(1)&lt;/script&gt;",
                  "Arbetslag Blå", "Lea Ledare", "Förskolan Solen", "Möjlighetsdriven", "Pedagoger",
                  "Digitaliseringsstrategin: Digitalt först", "2026-01-15", "2026-12-15"):
        assert shown in facts, shown
    for link in ("/pilots/INN-2026-007/effects", "/pilots/INN-2026-007/costs", "/pilots/INN-2026-007/economics"):
        assert f'href="{link}"' in page
    assert "Redigera" not in page and "Flytta piloten" not in page and "Byt ansvarig" not in page


def test_an_unknown_code_is_404(client, login_as):
    login_as(Role.VIEWER)
    assert client.get("/pilots/INN-1999-001").status_code == 404
    assert client.get("/pilots/INN-1999-001/edit").status_code in (403, 404)


def test_the_leader_sees_edit_and_move_but_another_leader_does_not(client, db, people, login_as):
    mine = make_pilot(db, leader=people[Role.INNOVATION_LEADER])
    theirs = make_pilot(db, leader=make_user(db, roles=[Role.INNOVATION_LEADER]))
    db.commit()
    login_as(Role.INNOVATION_LEADER)
    page = text(client.get(f"/pilots/{mine.code}"))
    assert f'href="/pilots/{mine.code}/edit"' in page and "Flytta piloten" in page
    page = text(client.get(f"/pilots/{theirs.code}"))
    assert "/edit" not in page and "Flytta piloten" not in page


def _pilot_with_history(db, goals: int, moves: int) -> Pilot:
    leader = make_user(db, roles=[Role.INNOVATION_LEADER])
    actors = [make_user(db, roles=[Role.INNOVATION_LEADER]) for _ in range(min(moves, 6))]
    pilot = make_pilot(db, leader=leader, unit=make_unit(db))
    pilot.goals = [make_goal(db, f"Mål {goals}.{n}", framework=f"Ram {n % 3}") for n in range(goals)]
    for n in range(moves):
        db.add(PhaseTransition(pilot_id=pilot.id, from_phase=Phase.IDEA, to_phase=Phase.TEST,
                               actor_id=actors[n % len(actors)].id, comment=f"Flytt {n}"))
    db.commit()
    return pilot


@pytest.mark.parametrize("role", [Role.VIEWER, Role.ADMIN])
def test_the_pilot_page_runs_the_same_number_of_queries_however_long_its_history(client, app, db, login_as, role):
    login_as(role)
    small = _pilot_with_history(db, goals=1, moves=1)
    large = _pilot_with_history(db, goals=12, moves=30)
    make_user(db, roles=[Role.INNOVATION_LEADER])
    db.commit()
    small_page, large_page = f"/pilots/{small.code}", f"/pilots/{large.code}"  # read before counting
    with count_queries(app) as few:
        assert client.get(small_page).status_code == 200
    with count_queries(app) as many:
        page = text(client.get(large_page))
    assert "Flytt 29" in page and "Mål 12.11" in page
    assert len(many) == len(few), "\n".join(s[:120] for s in many)


# --- edit -----------------------------------------------------------------------------------------


def test_the_leader_edits_their_pilot_from_a_prefilled_form(client, db, people, login_as):
    leader = login_as(Role.INNOVATION_LEADER)
    pilot = make_pilot(db, leader=leader, title="Laiban", need="Gammalt behov")
    db.commit()
    form = text(client.get(f"/pilots/{pilot.code}/edit"))
    assert 'value="Laiban"' in form and "Gammalt behov" in form and 'name="test_start-year" type="text" inputmode="numeric" value="2026"' in form
    data = GOOD_FORM | {"title": "Laiban 2.0", "need": "Gammalt behov", "description": pilot.description,
                        "idea_bearer": pilot.idea_bearer, "origin": "idea_driven",
                        "target_groups": pilot.target_groups, "test_start": "2026-01-15", "test_end": "2026-12-15"}
    response = client.post(f"/pilots/{pilot.code}/edit", data=data)
    assert response.status_code == 302
    assert db.get(Pilot, pilot.id).title == "Laiban 2.0"
    entry = db.scalar(select(AuditEntry).where(AuditEntry.action == "update"))
    assert entry.before == {"title": "Laiban"} and entry.after == {"title": "Laiban 2.0"}
    assert entry.actor_id == leader.id


def test_edit_errors_re_render_with_422_and_change_nothing(client, db, login_as):
    leader = login_as(Role.INNOVATION_LEADER)
    pilot = make_pilot(db, leader=leader, title="Laiban")
    db.commit()
    response = client.post(f"/pilots/{pilot.code}/edit", data=GOOD_FORM | {"title": " "})
    assert response.status_code == 422
    assert "Ange en titel." in field_block(text(response), "title")
    assert db.get(Pilot, pilot.id).title == "Laiban"


@pytest.mark.parametrize("role", [Role.VIEWER, Role.FINANCE, Role.MANAGEMENT, Role.ADMIN])
def test_who_may_not_edit_gets_403_and_nothing_changes(client, db, people, login_as, role):
    pilot = make_pilot(db, leader=people[Role.INNOVATION_LEADER], title="Laiban")
    db.commit()
    login_as(role)
    assert client.get(f"/pilots/{pilot.code}/edit").status_code == 403
    assert client.post(f"/pilots/{pilot.code}/edit", data=GOOD_FORM).status_code == 403
    assert client.post(f"/pilots/{pilot.code}/phase", data={"target": "closed", "comment": "x"}).status_code == 403
    assert db.get(Pilot, pilot.id).title == "Laiban" and db.get(Pilot, pilot.id).phase is Phase.TEST


def test_an_innovation_leader_cannot_edit_or_move_another_leaders_pilot(client, db, login_as):
    login_as(Role.INNOVATION_LEADER)
    pilot = make_pilot(db, leader=make_user(db, roles=[Role.INNOVATION_LEADER]), title="Laiban")
    db.commit()
    audits = audit_count(db)
    assert client.get(f"/pilots/{pilot.code}/edit").status_code == 403
    assert client.post(f"/pilots/{pilot.code}/edit", data=GOOD_FORM).status_code == 403
    assert client.post(f"/pilots/{pilot.code}/phase", data={"target": "closed", "comment": "x"}).status_code == 403
    assert db.get(Pilot, pilot.id).title == "Laiban" and audit_count(db) == audits


# --- phase moves ----------------------------------------------------------------------------------


def test_the_leader_moves_the_pilot_and_the_history_shows_it(client, db, login_as):
    leader = login_as(Role.INNOVATION_LEADER)
    pilot = make_pilot(db, leader=leader, phase=Phase.TEST)
    db.commit()
    page = text(client.get(f"/pilots/{pilot.code}"))
    assert 'value="scale_up"' in page and 'value="parked"' in page and 'value="idea"' not in page
    missing = client.post(f"/pilots/{pilot.code}/phase", data={"target": "parked", "comment": "Ingen budget"})
    assert missing.status_code == 422
    assert "Ange när piloten ska tas upp igen." in field_block(text(missing), "revisit_on")
    revisit = local_today() + dt.timedelta(days=60)
    response = client.post(f"/pilots/{pilot.code}/phase", data={
        "target": "parked", "comment": "Ingen budget; tas upp 2027-01", "revisit_on-year": str(revisit.year),
        "revisit_on-month": str(revisit.month), "revisit_on-day": str(revisit.day)})
    assert response.status_code == 302
    page = text(client.get(response.headers["Location"]))
    assert "Piloten är flyttad till parkerad." in page
    history = re.search(r'id="history-heading".*?</table>', page, re.S).group(0)
    assert "Test" in history and "Parkerad" in history and leader.name in history
    assert "Ingen budget; tas upp 2027-01" in history
    assert db.scalar(select(func.count(AuditEntry.id)).where(AuditEntry.action == "move_phase")) == 1
    assert db.get(Pilot, pilot.id).revisit_on == revisit


def test_closing_a_pilot_asks_for_its_lessons_learned(client, db, login_as):
    leader = login_as(Role.INNOVATION_LEADER)
    pilot = make_pilot(db, leader=leader, phase=Phase.TEST)
    db.commit()
    refused = client.post(f"/pilots/{pilot.code}/phase", data={"target": "closed", "comment": "Ingen effekt"})
    assert refused.status_code == 422
    assert "Skriv vad ni lärde er av testet innan piloten avslutas." in field_block(text(refused), "lessons_learned")
    done = client.post(f"/pilots/{pilot.code}/phase", data={"target": "closed", "comment": "Ingen effekt",
                                                            "lessons_learned": "Mät tiden före testet."})
    assert done.status_code == 302
    assert (db.get(Pilot, pilot.id).phase, db.get(Pilot, pilot.id).lessons_learned) == (
        Phase.CLOSED, "Mät tiden före testet.")


def test_parking_without_a_reason_re_renders_the_page_with_the_message(client, db, login_as):
    leader = login_as(Role.INNOVATION_LEADER)
    pilot = make_pilot(db, leader=leader, phase=Phase.TEST)
    db.commit()
    response = client.post(f"/pilots/{pilot.code}/phase", data={"target": "parked", "comment": "  "})
    assert response.status_code == 422
    assert "Skriv varför piloten parkeras eller avslutas." in field_block(text(response), "comment")
    assert '<h1 class="govuk-heading-l' in text(response) and pilot.code in text(response)
    assert db.get(Pilot, pilot.id).phase is Phase.TEST
    assert db.scalar(select(func.count(PhaseTransition.id))) == 0


@pytest.mark.parametrize("target", ["implementation", "idea", "nonsense", ""])
def test_a_move_that_is_not_offered_is_refused_with_422(client, db, login_as, target):
    leader = login_as(Role.INNOVATION_LEADER)
    pilot = make_pilot(db, leader=leader, phase=Phase.TEST)
    db.commit()
    response = client.post(f"/pilots/{pilot.code}/phase", data={"target": target, "comment": "x"})
    assert response.status_code == 422
    assert "govuk-error-message" in field_block(text(response), "target-0")
    assert db.get(Pilot, pilot.id).phase is Phase.TEST


def test_a_move_chosen_on_a_stale_page_is_refused_with_what_changed_and_the_lessons_kept(client, db, login_as):
    """Two tabs: the pilot is parked in one; closing it from the other, opened before, answers 409
    with the phase it is in now beside the move chosen, the comment and lessons still typed."""
    leader = login_as(Role.INNOVATION_LEADER)
    pilot = make_pilot(db, leader=leader, phase=Phase.TEST)
    db.commit()
    version = _form_version(text(client.get(f"/pilots/{pilot.code}")))
    revisit = local_today() + dt.timedelta(days=60)
    parked = client.post(f"/pilots/{pilot.code}/phase", data={
        "target": "parked", "comment": "Ingen budget", "revisit_on-year": str(revisit.year),
        "revisit_on-month": str(revisit.month), "revisit_on-day": str(revisit.day), "version": version})
    assert parked.status_code == 302

    close = {"target": "closed", "comment": "Ingen effekt", "lessons_learned": "Mät tiden före testet."}
    stale = client.post(f"/pilots/{pilot.code}/phase", data=close | {"version": version})
    assert stale.status_code == 409
    page = text(stale)
    conflict = re.search(r'id="conflict-title".*?</table>', page, re.S).group(0)
    assert re.search(r"Flytta piloten</th>\s*<td[^>]*>Parkerad</td>\s*<td[^>]*>Avsluta piloten</td>", conflict)
    assert "Mät tiden före testet." in field_block(page, "lessons_learned")
    assert "Ingen effekt" in field_block(page, "comment")
    assert db.get(Pilot, pilot.id).phase is Phase.PARKED
    assert db.scalar(select(func.count(PhaseTransition.id))) == 1

    # Sent again from the page now shown (it carries the new version), the move is made.
    again = client.post(f"/pilots/{pilot.code}/phase", data=close | {"version": _form_version(page)})
    assert again.status_code == 302 and db.get(Pilot, pilot.id).phase is Phase.CLOSED


def _form_version(page: str) -> str:
    """The version the page's move form carries."""
    form = re.search(r'action="/pilots/[^"]+/phase".*?</form>', page, re.S).group(0)
    return re.search(r'<input[^>]*name="version"[^>]*value="(\d+)"', form).group(1)


def test_a_closed_pilot_offers_no_moves(client, db, login_as):
    leader = login_as(Role.INNOVATION_LEADER)
    pilot = make_pilot(db, leader=leader, phase=Phase.CLOSED)
    db.commit()
    page = text(client.get(f"/pilots/{pilot.code}"))
    assert "En avslutad pilot kan inte flyttas." in page
    assert client.post(f"/pilots/{pilot.code}/phase", data={"target": "test"}).status_code == 422


# --- reassign -------------------------------------------------------------------------------------


def test_an_admin_makes_another_leader_responsible(client, db, people, login_as):
    admin = login_as(Role.ADMIN)
    old = people[Role.INNOVATION_LEADER]
    new = make_user(db, roles=[Role.INNOVATION_LEADER], name="Nils Nyledare")
    pilot = make_pilot(db, leader=old)
    db.commit()
    page = text(client.get(f"/pilots/{pilot.code}"))
    assert "Byt ansvarig innovationsledare" in page and f'<option selected value="{old.id}">' in page
    response = client.post(f"/pilots/{pilot.code}/leader", data={"leader": str(new.id)})
    assert response.status_code == 302
    assert "Nils Nyledare är nu ansvarig innovationsledare." in text(client.get(response.headers["Location"]))
    assert db.get(Pilot, pilot.id).innovation_leader_id == new.id
    entry = db.scalar(select(AuditEntry).where(AuditEntry.action == "reassign_leader"))
    assert entry.actor_id == admin.id
    assert (entry.before, entry.after) == ({"innovation_leader_id": old.id}, {"innovation_leader_id": new.id})
    # the new leader now edits it; the old one no longer can
    client.post("/logout")
    login(client, old)
    assert client.get(f"/pilots/{pilot.code}/edit").status_code == 403
    client.post("/logout")
    login(client, new)
    assert client.get(f"/pilots/{pilot.code}/edit").status_code == 200


def test_only_active_innovation_leaders_are_offered(client, db, people, login_as):
    login_as(Role.ADMIN)
    pilot = make_pilot(db, leader=people[Role.INNOVATION_LEADER])
    gone = make_user(db, roles=[Role.INNOVATION_LEADER], active=False)
    db.commit()
    page = text(client.get(f"/pilots/{pilot.code}"))
    assert f'value="{people[Role.VIEWER].id}"' not in field_block(page, "leader")
    for user in (people[Role.VIEWER], gone):
        response = client.post(f"/pilots/{pilot.code}/leader", data={"leader": str(user.id)})
        assert response.status_code == 422
        assert "govuk-error-message" in field_block(text(response), "leader")
    assert db.get(Pilot, pilot.id).innovation_leader_id == people[Role.INNOVATION_LEADER].id


@pytest.mark.parametrize("role", [Role.INNOVATION_LEADER, Role.VIEWER, Role.FINANCE, Role.MANAGEMENT])
def test_only_admins_reassign(client, db, people, login_as, role):
    other = make_user(db, roles=[Role.INNOVATION_LEADER])
    pilot = make_pilot(db, leader=people[Role.INNOVATION_LEADER])
    db.commit()
    login_as(role)
    assert "Byt ansvarig" not in text(client.get(f"/pilots/{pilot.code}"))
    assert client.post(f"/pilots/{pilot.code}/leader", data={"leader": str(other.id)}).status_code == 403
    assert db.get(Pilot, pilot.id).innovation_leader_id == people[Role.INNOVATION_LEADER].id

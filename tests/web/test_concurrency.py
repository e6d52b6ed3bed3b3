"""Two people at once: real simultaneous requests, each with its own session and connection.

Every test starts two requests in two threads at the same moment (a barrier), on SQLite and on
PostgreSQL alike, and checks that there is exactly one result: one import from two
confirmations, one save from two forms opened at the same time (the other refused with what
changed), and never a finance sign-off standing over a change it did not see.
"""

from __future__ import annotations

import re
import threading
from decimal import Decimal

import pytest
from sqlalchemy import select

from portfolio.domain.economics import BenefitClass
from portfolio.domain.roles import Role
from portfolio.models import AuditEntry, CostItem, Indicator, Pilot, UsedConfirmation
from portfolio.services import confirmations

from tests.conftest import login
from tests.factories import make_cost, make_effect_goal, make_indicator, make_pilot, make_user
from tests.web.test_costs import CSV_HEADER, confirm_token, upload

STALE = "Någon annan har sparat ändringar sedan du öppnade formuläret"


def at_once(*calls):
    """Run the calls in threads released together; their results, in order (errors re-raised)."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)
    errors: list = []

    def run(index, call):
        try:
            barrier.wait(timeout=10)
            results[index] = call()
        except BaseException as error:  # noqa: BLE001 - re-raised in the test's thread
            errors.append(error)

    threads = [threading.Thread(target=run, args=(index, call)) for index, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    if errors:
        raise errors[0]
    return results


def signed_in(app, user):
    """A browser of its own (cookie jar, requests in their own app context and session)."""
    client = app.test_client()
    login(client, user)
    return client


def version_in(page: str) -> str:
    match = re.search(r'name="version" type="hidden" value="(\d+)"', page)
    assert match, "the form carries no version"
    return match.group(1)


@pytest.fixture
def pilot(db, people):
    made = make_pilot(db, leader=people[Role.INNOVATION_LEADER])
    db.commit()
    return made


def test_two_simultaneous_confirmations_of_one_import_preview_import_once(app, db, people, pilot):
    finance = people[Role.FINANCE]
    first, second = signed_in(app, finance), signed_in(app, finance)
    csv = (CSV_HEADER + "\nlicens;engångskostnad;test;2026;;12 500;Licens\n"
           "personal;återkommande per år;drift;2027;2029;80 000;Support\n").encode()
    token = confirm_token(upload(first, pilot, csv, "kostnader.csv").get_data(as_text=True))
    confirm = f"/pilots/{pilot.code}/costs/import/confirm"

    responses = at_once(lambda: first.post(confirm, data={"token": token}),
                        lambda: second.post(confirm, data={"token": token}))

    assert [response.status_code for response in responses] == [302, 302]
    db.expire_all()
    assert db.scalars(select(CostItem.amount).where(CostItem.pilot_id == pilot.id)
                      .order_by(CostItem.amount)).all() == [Decimal("12500.00"), Decimal("80000.00")]
    assert len(db.scalars(select(AuditEntry).where(AuditEntry.action == "costs_imported")).all()) == 1
    assert db.scalar(select(UsedConfirmation.purpose)) == "cost_import"
    # The one that lost is told so.
    flashes = [first.get(f"/pilots/{pilot.code}/costs").get_data(as_text=True),
               second.get(f"/pilots/{pilot.code}/costs").get_data(as_text=True)]
    assert sum("redan importerad" in page for page in flashes) == 1


def test_a_used_confirmation_cannot_be_used_again(db, people, pilot):
    token = confirmations.new_token()
    confirmations.consume(db, "decision", token, user=people[Role.FINANCE], pilot=pilot)
    db.commit()
    with pytest.raises(confirmations.AlreadyConfirmed):
        confirmations.consume(db, "decision", token)
    db.rollback()
    confirmations.consume(db, "another_purpose", token)  # purposes are separate
    db.commit()
    assert confirmations.is_used(db, "decision", token)
    assert not confirmations.is_used(db, "decision", confirmations.new_token())


def test_two_saves_of_a_cost_from_forms_opened_at_the_same_time_save_one(app, db, people, pilot):
    cost = make_cost(db, pilot, amount="1000", note="Licens")
    db.commit()
    finance, other = people[Role.FINANCE], make_user(db, roles=[Role.FINANCE])
    db.commit()
    first, second = signed_in(app, finance), signed_in(app, other)
    edit = f"/pilots/{pilot.code}/costs/{cost.id}/edit"
    version = version_in(first.get(edit).get_data(as_text=True))
    assert version_in(second.get(edit).get_data(as_text=True)) == version
    form = {"category": "licence", "kind": "one_off", "phase": "implementation", "first_year": "2027",
            "version": version}

    responses = at_once(lambda: first.post(edit, data=form | {"amount": "2 000", "note": "Första"}),
                        lambda: second.post(edit, data=form | {"amount": "3 000", "note": "Andra"}))

    statuses = sorted(response.status_code for response in responses)
    assert statuses == [302, 409]
    refused = next(response for response in responses if response.status_code == 409).get_data(as_text=True)
    db.expire_all()
    stored = db.get(CostItem, cost.id)
    saved_note = stored.note
    lost_note = "Andra" if saved_note == "Första" else "Första"
    assert stored.amount == (Decimal("2000.00") if saved_note == "Första" else Decimal("3000.00"))
    assert STALE in refused
    assert re.search(rf">\s*{lost_note}</textarea>", refused)  # the user's input is kept
    assert saved_note in refused  # what is stored now is shown beside it
    assert len(db.scalars(select(AuditEntry).where(AuditEntry.action == "cost_item_updated")).all()) == 1


def test_two_saves_of_an_indicator_from_forms_opened_at_the_same_time_save_one(app, db, people, pilot):
    indicator = make_indicator(db, make_effect_goal(db, pilot))
    db.commit()
    leader = people[Role.INNOVATION_LEADER]
    first, second = signed_in(app, leader), signed_in(app, leader)
    edit = f"/pilots/{pilot.code}/effects/indicators/{indicator.id}/edit"
    version = version_in(first.get(edit).get_data(as_text=True))
    form = {"name": "Minuter per dag", "direction": "lower_is_better", "baseline_value": "60",
            "version": version}

    responses = at_once(lambda: first.post(edit, data=form | {"target_value": "40"}),
                        lambda: second.post(edit, data=form | {"target_value": "30"}))

    assert sorted(response.status_code for response in responses) == [302, 409]
    refused = next(response for response in responses if response.status_code == 409).get_data(as_text=True)
    assert STALE in refused and "Målvärde" in refused
    db.expire_all()
    assert db.get(Indicator, indicator.id).version == int(version) + 1


def test_a_save_from_a_stale_form_is_refused_with_what_changed_and_the_input_kept(app, db, people, pilot):
    cost = make_cost(db, pilot, amount="1000", note="Licens")
    db.commit()
    client = signed_in(app, people[Role.FINANCE])
    edit = f"/pilots/{pilot.code}/costs/{cost.id}/edit"
    version = version_in(client.get(edit).get_data(as_text=True))
    form = {"category": "licence", "kind": "one_off", "phase": "implementation", "first_year": "2027",
            "version": version}
    assert client.post(edit, data=form | {"amount": "1 500", "note": "Först"}).status_code == 302

    response = client.post(edit, data=form | {"amount": "9 999", "note": "Sent"})

    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert STALE in page
    assert re.search(r"Belopp \(kr exkl\. moms\)</th>\s*<td[^>]*>1\s?500,00</td>\s*<td[^>]*>9 999</td>", page)
    assert 'value="9 999"' in page  # the user's input stays in the form
    db.expire_all()
    assert db.get(CostItem, cost.id).amount == Decimal("1500.00")
    # The form now carries the new version: saving again is a deliberate choice and goes through.
    assert version_in(page) == str(int(version) + 1)
    assert client.post(edit, data=form | {"amount": "9 999", "note": "Sent", "version": version_in(page)}
                       ).status_code == 302


@pytest.mark.parametrize("attempt", range(6))
def test_a_sign_off_racing_a_baseline_change_never_stands_over_the_change(app, db, people, pilot, attempt):
    goal = make_effect_goal(db, pilot)
    indicator = make_indicator(db, goal, benefit_class=BenefitClass.FINANCIAL, value_per_unit=Decimal("8"),
                               annual_volume=Decimal("190"))
    make_cost(db, pilot, amount="1000")
    db.commit()
    finance = signed_in(app, people[Role.FINANCE])
    leader = signed_in(app, people[Role.INNOVATION_LEADER])
    costs_page = finance.get(f"/pilots/{pilot.code}/costs").get_data(as_text=True)
    basis = re.search(r'name="basis_version" type="hidden" value="(\d+)"', costs_page).group(1)
    edit = f"/pilots/{pilot.code}/effects/indicators/{indicator.id}/edit"
    version = version_in(leader.get(edit).get_data(as_text=True))
    change = {"name": "Minuter per dag", "direction": "lower_is_better", "baseline_value": str(70 + attempt),
              "target_value": "40", "version": version}

    at_once(lambda: finance.post(f"/pilots/{pilot.code}/costs/signoff", data={"basis_version": basis}),
            lambda: leader.post(edit, data=change))

    db.expire_all()
    assert db.get(Indicator, indicator.id).baseline_value == Decimal(70 + attempt)  # the change is saved
    stored = db.get(Pilot, pilot.id)
    actions = db.scalars(select(AuditEntry.action).where(AuditEntry.pilot_id == pilot.id)
                         .order_by(AuditEntry.id)).all()
    # Signed off over a change finance never saw: never. Either the sign-off was refused (the basis
    # had changed), or it came first and the change cleared it with a "cleared" entry.
    assert stored.finance_signed_off_at is None
    if "finance_signed_off" in actions:
        assert actions.index("finance_signoff_cleared") > actions.index("finance_signed_off")


def test_a_sign_off_from_a_page_older_than_the_figures_is_refused(app, db, people, pilot):
    make_cost(db, pilot, amount="1000")
    db.commit()
    finance = signed_in(app, people[Role.FINANCE])
    page = finance.get(f"/pilots/{pilot.code}/costs").get_data(as_text=True)
    basis = re.search(r'name="basis_version" type="hidden" value="(\d+)"', page).group(1)
    form = {"category": "licence", "kind": "one_off", "phase": "test", "first_year": "2026", "amount": "5"}
    assert finance.post(f"/pilots/{pilot.code}/costs/new", data=form).status_code == 302

    response = finance.post(f"/pilots/{pilot.code}/costs/signoff", data={"basis_version": basis},
                            follow_redirects=True)

    assert "Underlaget har ändrats sedan du öppnade sidan" in response.get_data(as_text=True)
    db.expire_all()
    assert db.get(Pilot, pilot.id).finance_signed_off_at is None


def test_two_changes_of_a_follow_up_schedule_from_forms_opened_at_the_same_time_save_one(app, db, people, pilot):
    import datetime as dt

    from portfolio.models import FollowUp
    from tests.factories import make_decision, make_follow_ups

    manager, other = people[Role.MANAGEMENT], make_user(db, roles=[Role.MANAGEMENT])
    decision = make_decision(db, pilot, recorded_by=manager, decided_on=dt.date(2026, 6, 1))
    make_follow_ups(db, pilot, decision, [dt.date(2026, 12, 1), dt.date(2027, 6, 1)])
    db.commit()
    first, second = signed_in(app, manager), signed_in(app, other)
    page = f"/pilots/{pilot.code}/follow-up"
    pattern = r'name="schedule-version" type="hidden" value="(\d+)"'
    version = re.search(pattern, first.get(page).get_data(as_text=True)).group(1)
    assert re.search(pattern, second.get(page).get_data(as_text=True)).group(1) == version
    save = f"/pilots/{pilot.code}/follow-up/schedule"

    responses = at_once(
        lambda: first.post(save, data={"schedule-version": version, "schedule-due_dates": "2026-12-01\n2028-01-15"}),
        lambda: second.post(save, data={"schedule-version": version, "schedule-due_dates": "2026-12-01\n2027-09-01"}))

    assert sorted(response.status_code for response in responses) == [302, 409]
    db.expire_all()
    stored = db.scalars(select(FollowUp.due_on).where(FollowUp.pilot_id == pilot.id).order_by(FollowUp.due_on)).all()
    assert stored in ([dt.date(2026, 12, 1), dt.date(2028, 1, 15)], [dt.date(2026, 12, 1), dt.date(2027, 9, 1)])
    refused = next(response for response in responses if response.status_code == 409).get_data(as_text=True)
    assert STALE in refused

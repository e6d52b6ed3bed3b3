"""Login protection (OWASP ASVS 6.1.1, 6.3.1): guessing slows down, then stops; the admin sees and lifts locks;
every sign-in, failure and lock is in the audit log with the client's address, never a password."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import select, update

from portfolio.domain.login_protection import ACCOUNT_POLICY, ADDRESS_POLICY
from portfolio.domain.roles import Role
from portfolio.models import AuditEntry, LoginThrottle, User
from tests.conftest import login, make_test_app
from tests.factories import PASSWORD, make_user
from tests.web.routes import security_events

WRONG = "fel lösenord igen och igen"


def attempt(client, email, password=WRONG, address="127.0.0.1"):
    return client.post("/login", data={"email": email, "password": password},
                       environ_base={"REMOTE_ADDR": address})


def wait_out_delays(db) -> None:
    """Move every failure back past the longest delay (but well inside the counting window)."""
    db.expire_all()
    for row in db.scalars(select(LoginThrottle)):
        row.last_failure_at -= dt.timedelta(minutes=5)
    db.commit()


def throttle(db, scope, key) -> LoginThrottle | None:
    db.expire_all()
    return db.scalar(select(LoginThrottle).where(LoginThrottle.scope == scope, LoginThrottle.key == key))


@pytest.fixture
def viewer(db):
    user = make_user(db, roles=[Role.VIEWER], email="lasare@example.org")
    db.commit()
    return user


def test_after_a_few_failures_the_next_attempt_must_wait_and_is_told_until_when(client, db, viewer):
    for _ in range(ACCOUNT_POLICY.free_failures):
        response = attempt(client, viewer.email)
        assert response.status_code == 422
        assert "Fel e-postadress eller lösenord." in response.get_data(as_text=True)
    # Even the right password is refused now, without being checked, with a clear message.
    refused = attempt(client, viewer.email, PASSWORD)
    html = refused.get_data(as_text=True)
    assert refused.status_code == 429
    assert "För många misslyckade försök. Vänta" in html and "innan du försöker igen" in html
    assert 1 <= int(refused.headers["Retry-After"]) <= 2
    assert client.get("/pilots").status_code == 302  # not signed in

    wait_out_delays(db)
    assert attempt(client, viewer.email, PASSWORD).status_code == 302
    assert throttle(db, "account", viewer.email) is None  # a success clears the account's count


def test_the_delays_grow(client, db, viewer):
    def retry_after() -> int:
        probe = attempt(client, viewer.email, PASSWORD)  # refused unchecked: does not count
        assert probe.status_code == 429
        return int(probe.headers["Retry-After"])

    for _ in range(ACCOUNT_POLICY.free_failures - 1):
        assert attempt(client, viewer.email).status_code == 422
    waits = []
    for _ in range(4):
        assert attempt(client, viewer.email).status_code == 422
        waits.append(retry_after())
        wait_out_delays(db)
    assert waits == sorted(waits) and waits[0] < waits[1] < waits[2] < waits[3], waits


def test_repeated_failures_lock_the_account_for_every_server_process(client, db, viewer, database_url):
    for _ in range(ACCOUNT_POLICY.lock_after):
        assert attempt(client, viewer.email).status_code == 422
        wait_out_delays(db)
    row = throttle(db, "account", viewer.email)
    assert row.failures == ACCOUNT_POLICY.lock_after and row.locked_until is not None
    # Another server process (another app on the same database) refuses the right password too.
    other_process = make_test_app(database_url)
    try:
        refused = attempt(other_process.test_client(), viewer.email, PASSWORD, address="203.0.113.9")
    finally:
        other_process.extensions["portfolio_db"].engine.dispose()
    assert refused.status_code == 429
    assert "tillfälligt spärrad" in refused.get_data(as_text=True)
    (locked,) = security_events(db, "login_locked")
    assert locked.after["key"] == viewer.email and locked.after["failures"] == ACCOUNT_POLICY.lock_after
    # No permanent lockout: the lock runs out by itself.
    db.execute(update(LoginThrottle).values(locked_until=dt.datetime(2020, 1, 1)))
    db.commit()
    assert attempt(client, viewer.email, PASSWORD).status_code == 302


def test_an_unknown_email_gets_the_same_answer_and_the_same_throttling(client, db, viewer):
    answers = {}
    for email in (viewer.email, "ingen.alls@example.org"):
        statuses = [attempt(client, email).status_code for _ in range(ACCOUNT_POLICY.free_failures + 1)]
        html = attempt(client, email).get_data(as_text=True)
        answers[email] = (statuses, re.sub(r"\d", "0", html.split("<main")[-1].replace(email, "E-POST")))
    assert answers[viewer.email] == answers["ingen.alls@example.org"]


def test_many_failures_from_one_address_slow_down_every_account_from_it(client, db, viewer):
    for n in range(ADDRESS_POLICY.free_failures):
        assert attempt(client, f"gissning{n}@example.org").status_code == 422
    refused = attempt(client, viewer.email, PASSWORD)
    assert refused.status_code == 429
    # Another address is not affected.
    assert attempt(client, viewer.email, PASSWORD, address="192.0.2.44").status_code == 302


def test_the_admin_sees_a_lock_and_lifts_it(client, db, viewer, people):
    for _ in range(ACCOUNT_POLICY.lock_after):
        attempt(client, viewer.email)
        wait_out_delays(db)
    assert attempt(client, viewer.email, PASSWORD).status_code == 429

    admin = people[Role.ADMIN]
    login(client, admin)
    page = client.get("/admin/login-locks").get_data(as_text=True)
    assert viewer.email in page and "Spärrad till" in page
    row = throttle(db, "account", viewer.email)
    lifted = client.post(f"/admin/login-locks/{row.id}/lift", follow_redirects=True)
    assert f"Spärren för {viewer.email} är hävd." in lifted.get_data(as_text=True)
    assert throttle(db, "account", viewer.email) is None
    entry = db.scalar(select(AuditEntry).where(AuditEntry.action == "login_unlocked"))
    assert entry.actor_id == admin.id and entry.before["key"] == viewer.email
    client.post("/logout")
    assert attempt(client, viewer.email, PASSWORD, address="192.0.2.44").status_code == 302


def test_only_the_admin_sees_or_lifts_locks(client, db, login_as, viewer):
    attempt(client, viewer.email)
    row = throttle(db, "account", viewer.email)
    login_as(Role.MANAGEMENT)
    assert client.get("/admin/login-locks").status_code == 403
    assert client.post(f"/admin/login-locks/{row.id}/lift").status_code == 403
    assert throttle(db, "account", viewer.email) is not None


def test_sign_ins_and_failures_are_in_the_audit_log_with_the_address_and_never_a_password(client, db, viewer):
    attempt(client, viewer.email)  # wrong password
    attempt(client, "okand@example.org")  # unknown e-mail
    attempt(client, viewer.email, PASSWORD)  # success
    token_page = client.get("/account")
    assert token_page.status_code == 200
    client.post("/logout")

    (failed,) = security_events(db, "login_failed")
    assert failed.entity_id == viewer.id and failed.after == {
        "address": "127.0.0.1", "email": viewer.email, "reason": "wrong_password"}
    (unknown,) = security_events(db, "login_unknown_email")
    assert unknown.entity_id is None and unknown.after["email"] == "okand@example.org"
    (succeeded,) = security_events(db, "login_succeeded")
    assert succeeded.actor_id == viewer.id and succeeded.after == {"address": "127.0.0.1"}
    (logout,) = security_events(db, "logout")
    assert logout.actor_id == viewer.id and logout.at >= succeeded.at
    everything = repr([(entry.before, entry.after) for entry in db.scalars(select(AuditEntry))])
    assert WRONG not in everything and PASSWORD not in everything


def test_a_password_typed_into_the_email_field_is_not_logged(client, db):
    attempt(client, "hemligt-lösenord-i-fel-fält")
    (unknown,) = security_events(db, "login_unknown_email")
    assert "hemligt" not in repr(unknown.after)


def test_the_audit_page_shows_security_events_in_swedish(client, db, viewer, people):
    attempt(client, viewer.email)
    login(client, people[Role.ADMIN])
    page = client.get("/admin/audit").get_data(as_text=True)
    assert "Misslyckad inloggning: fel lösenord" in page and "127.0.0.1" in page


def test_deactivated_and_unknown_accounts_count_too(client, db):
    user = make_user(db, roles=[Role.VIEWER], active=False, email="slutat@example.org")
    db.commit()
    for _ in range(ACCOUNT_POLICY.free_failures):
        attempt(client, user.email, PASSWORD)
    assert attempt(client, user.email, PASSWORD).status_code == 429
    assert db.get(User, user.id).active is False

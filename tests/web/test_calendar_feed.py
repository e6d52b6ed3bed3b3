"""The meetings in the members' own calendars: a personal, secret feed address that Outlook or Google
Calendar subscribes to without signing in; shown once, stored as a hash, revocable, and silent (404)
for a wrong, revoked or no longer entitled address."""

from __future__ import annotations

import html as html_lib
import logging
import re

from sqlalchemy import select

from portfolio.domain.roles import Role
from portfolio.models import AuditEntry, CalendarToken, UserRole
from portfolio.services import calendar_tokens, users
from portfolio.web.request_log import LOGGER_NAME
from tests import factories
from tests.conftest import login, make_test_app

FEED = re.compile(r'value="(http://localhost/calendar/(ipc_[A-Za-z0-9_-]{40,})\.ics)"')


def _subscribe(client) -> tuple[str, str]:
    """Make the signed-in user's calendar address on Mitt konto; returns (feed path, secret)."""
    response = client.post("/account/calendar")
    assert response.status_code == 201
    page = response.get_data(as_text=True)
    assert "Kopiera adressen nu." in page and response.headers["Cache-Control"] == "no-store"
    url, raw = FEED.search(page).groups()
    assert f'href="webcal://localhost/calendar/{raw}.ics"' in html_lib.unescape(page)
    return url.removeprefix("http://localhost"), raw


def _fetch(app, path: str):
    """A calendar program's fetch: a fresh client, no session, no cookie."""
    return app.test_client().get(path)


def test_a_member_subscribes_and_the_feed_lists_the_meetings_without_signing_in(app, client, db):
    member = factories.make_user(db, roles=[Role.MANAGEMENT], name="Anna Andersson")
    factories.make_meeting(db, secretary=member)
    db.commit()
    login(client, member)
    assert "Skapa kalenderadress" in client.get("/account").get_data(as_text=True)

    path, raw = _subscribe(client)

    response = _fetch(app, path)
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert body.startswith("BEGIN:VCALENDAR") and "SUMMARY:Ledningsgruppen 2026-12-08" in body
    assert "LOCATION:Jupiter" in body
    # Only the hash is kept, and the address is never shown again.
    stored = db.scalar(select(CalendarToken).where(CalendarToken.user_id == member.id))
    assert stored.token_hash == calendar_tokens.hash_token(raw) and raw not in stored.token_hash
    account = client.get("/account").get_data(as_text=True)
    assert raw not in account and "Skapa en ny kalenderadress" in account
    assert "Aldrig" not in account.split('id="calendar-heading"')[1].split("</section>")[0]  # fetched: a time
    created = db.scalar(select(AuditEntry).where(AuditEntry.entity == "calendar_token"))
    assert (created.action, created.entity_id, created.actor_id) == ("create", stored.id, member.id)
    # The year wheel points to it.
    assert "Du prenumererar på mötena i din kalender." in client.get("/year-wheel").get_data(as_text=True)


def test_a_wrong_a_revoked_and_a_replaced_address_answer_404(app, client, db, login_as):
    user = login_as(Role.VIEWER)
    first, _raw = _subscribe(client)
    assert _fetch(app, first).status_code == 200
    assert _fetch(app, first[:-8] + "AAAAAAAA.ics").status_code == 404  # one character off
    assert _fetch(app, "/calendar/not-a-token.ics").status_code == 404

    second, _raw = _subscribe(client)  # a new address replaces the old
    assert _fetch(app, first).status_code == 404 and _fetch(app, second).status_code == 200

    response = client.post("/account/calendar/revoke")
    assert response.status_code == 303
    assert _fetch(app, second).status_code == 404
    assert "Skapa kalenderadress" in client.get("/account").get_data(as_text=True)
    actions = [(e.action, e.actor_id) for e in db.scalars(
        select(AuditEntry).where(AuditEntry.entity == "calendar_token").order_by(AuditEntry.id))]
    assert actions == [("create", user.id), ("revoke", user.id), ("create", user.id), ("revoke", user.id)]
    # Revoking twice changes nothing more.
    again = client.post("/account/calendar/revoke", follow_redirects=True).get_data(as_text=True)
    assert "Du har ingen kalenderadress att återkalla." in again
    assert len(db.scalars(select(AuditEntry).where(AuditEntry.entity == "calendar_token")).all()) == 4


def test_a_user_who_loses_their_roles_or_is_deactivated_gets_nothing_more(app, client, db, people):
    member = factories.make_user(db, roles=[Role.MANAGEMENT])
    db.commit()
    login(client, member)
    path, _raw = _subscribe(client)
    assert _fetch(app, path).status_code == 200

    member.role_rows = []  # every role taken away: no READ, no meetings
    db.commit()
    assert _fetch(app, path).status_code == 404
    member.role_rows = [UserRole(role=Role.VIEWER)]
    db.commit()
    assert _fetch(app, path).status_code == 200

    users.update_user(db, member, email=member.email, name=member.name, roles=[Role.VIEWER], active=False,
                      actor=people[Role.ADMIN])
    db.commit()
    assert _fetch(app, path).status_code == 404
    assert db.scalar(select(CalendarToken).where(CalendarToken.user_id == member.id)).revoked_at is not None


def test_a_user_without_roles_gets_no_address(app, client, db):
    nobody = factories.make_user(db, roles=[])
    db.commit()
    login(client, nobody)
    assert "ingen roll som ger tillgång" in client.get("/account").get_data(as_text=True)
    assert client.post("/account/calendar").status_code == 403
    assert db.scalar(select(CalendarToken)) is None


def test_guessing_addresses_is_rate_limited_per_client_address_and_never_logs_the_secret(database_url, caplog):
    app = make_test_app(database_url, RATE_LIMITS={"calendar_feed": (3, 600), "calendar_feed_unknown": (2, 600)})
    with app.app_context():
        from portfolio.db import get_session
        db = get_session()
        member = factories.make_user(db, roles=[Role.VIEWER])
        db.commit()
        client = app.test_client()
        login(client, member)
        path, raw = _subscribe(client)
        caplog.set_level(logging.INFO, logger=LOGGER_NAME)
        logging.getLogger(LOGGER_NAME).propagate = True
        try:
            statuses = [_fetch(app, f"/calendar/ipc_guess{n}.ics").status_code for n in range(3)]
            assert statuses == [404, 404, 429]
            assert [_fetch(app, path).status_code for _ in range(4)] == [200, 200, 200, 429]
        finally:
            logging.getLogger(LOGGER_NAME).propagate = False
        assert raw not in caplog.text and "/calendar/[hemlig].ics" in caplog.text
        events = db.scalars(select(AuditEntry).where(AuditEntry.action == "rate_limited")).all()
        assert len(events) == 2 and all(raw not in str(event.after) + str(event.before) for event in events)
        assert events[0].after["path"] == "/calendar/[hemlig].ics"
    app.extensions["portfolio_db"].engine.dispose()  # after the app context has closed its session

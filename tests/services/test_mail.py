"""E-mail reminders against a real SMTP server on 127.0.0.1 (aiosmtpd): each once, in the recipient's
language, a link and never an attachment; a failing server never fails the action behind the mail."""

from __future__ import annotations

import datetime as dt
import email
import socket
from email import policy

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from portfolio.domain.roles import Role
from portfolio.models import BenefitOwner, MailLog
from portfolio.papers.documents import Pack
from portfolio.services import mail, meetings
from tests import factories
from tests.conftest import login
from tests.process_scenario import _ONE_PAGE


class Inbox:
    """Keeps every message the server receives."""

    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's handler name
        self.messages.append(email.message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def inbox(app):
    handler = Inbox()
    controller = Controller(handler, hostname="127.0.0.1", port=_free_port())
    controller.start()
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=controller.port, SMTP_FROM="portfoljen@example.org")
    yield handler
    controller.stop()


def _follow_up_due(db, leader, *, due):
    pilot = factories.make_pilot(db, leader=leader, title="Laiban")
    manager = factories.make_user(db, roles=[Role.MANAGEMENT])
    decision = factories.make_decision(db, pilot, recorded_by=manager, decided_on=due - dt.timedelta(days=180))
    factories.make_follow_ups(db, pilot, decision, [due])
    return pilot


def test_a_follow_up_falling_due_reminds_the_leader_and_the_benefit_owner_once_each_in_their_language(
        app, db, inbox):
    leader = factories.make_user(db, roles=[Role.INNOVATION_LEADER], name="Ida Innovationsledare")
    owner = factories.make_user(db, roles=[Role.VIEWER], name="Olle Ägare")
    owner.locale = "en"
    pilot = _follow_up_due(db, leader, due=dt.date(2026, 12, 10))
    goal = factories.make_effect_goal(db, pilot)
    # The owner is the chosen user; their title names nobody, and need not.
    db.add(BenefitOwner(effect_goal_id=goal.id, user_id=owner.id, name="Förskolechef, Förskoleområde Norr"))
    # A deactivated owner of another goal gets nothing.
    gone = factories.make_user(db, roles=[Role.VIEWER], name="Gunnar Gått")
    gone.active = False
    db.add(BenefitOwner(effect_goal_id=factories.make_effect_goal(db, pilot).id, user_id=gone.id, name=""))
    db.flush()

    def link(p):
        return f"https://portfolj.example.org/pilots/{p.code}"

    sent = mail.send_follow_up_reminders(db, today=dt.date(2026, 12, 1), link_for=link)
    again = mail.send_follow_up_reminders(db, today=dt.date(2026, 12, 2), link_for=link)

    assert (sent, again) == (2, 0)
    by_recipient = {message["To"].addresses[0].addr_spec: message for message in inbox.messages}
    assert set(by_recipient) == {leader.email, owner.email}
    swedish, english = by_recipient[leader.email], by_recipient[owner.email]
    assert swedish["Subject"] == f"Dags för uppföljning: {pilot.code} Laiban"
    assert english["Subject"] == f"Follow-up due: {pilot.code} Laiban"
    assert f"https://portfolj.example.org/pilots/{pilot.code}" in swedish.get_content()
    assert not any(part.get_filename() for part in swedish.walk())  # a link, never an attachment

    # Overdue is a new reminder, sent once.
    assert mail.send_follow_up_reminders(db, today=dt.date(2026, 12, 11), link_for=link) == 2
    assert inbox.messages[-1]["Subject"].startswith(("Försenad uppföljning", "Overdue follow-up"))


def test_a_failing_mail_server_is_recorded_and_the_reminder_goes_out_on_the_next_run(app, db, inbox):
    leader = factories.make_user(db, roles=[Role.INNOVATION_LEADER])
    _follow_up_due(db, leader, due=dt.date(2026, 12, 10))
    port = app.config["SMTP_PORT"]
    app.config["SMTP_PORT"] = _free_port()  # nobody listens there

    assert mail.send_follow_up_reminders(db, today=dt.date(2026, 12, 1), link_for=lambda p: "x") == 0
    entry = db.scalar(select(MailLog))
    assert entry.status == "failed" and entry.error

    app.config["SMTP_PORT"] = port
    assert mail.send_follow_up_reminders(db, today=dt.date(2026, 12, 1), link_for=lambda p: "x") == 1
    assert db.scalar(select(MailLog)).status == "sent" and len(inbox.messages) == 1


def test_the_participants_get_a_link_to_the_agenda_and_pack_once(app, db, inbox):
    anna = factories.make_user(db, roles=[Role.MANAGEMENT], name="Anna Andersson")
    cecilia = factories.make_user(db, roles=[Role.INNOVATION_LEADER], name="Cecilia Ceder")
    meeting = factories.make_meeting(db, secretary=cecilia, participants=[anna])
    document = factories.make_meeting_document(db, meeting)
    db.refresh(meeting)

    assert mail.announce_pack(db, meeting, document, "https://portfolj.example.org/meetings/1") == 2
    assert mail.announce_pack(db, meeting, document, "https://portfolj.example.org/meetings/1") == 0

    assert {m["To"].addresses[0].display_name for m in inbox.messages} == {"Anna Andersson", "Cecilia Ceder"}
    message = inbox.messages[0]
    assert message["Subject"] == "Dagordning och mötesunderlag: Ledningsgruppen 2026-12-08"
    assert "https://portfolj.example.org/meetings/1" in message.get_content()
    assert not message.is_multipart()  # no attachment: the pack is behind the link


def test_making_the_pack_succeeds_when_the_mail_server_is_down(app, db, monkeypatch):
    monkeypatch.setattr(meetings, "render_document", lambda template, language, **context: _ONE_PAGE)
    monkeypatch.setattr(meetings, "assemble_pack", lambda *args: Pack(_ONE_PAGE, 1))
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=_free_port())  # nobody listens there
    cecilia = factories.make_user(db, roles=[Role.INNOVATION_LEADER])
    meeting = factories.make_meeting(db, secretary=cecilia)
    db.commit()
    client = app.test_client()
    login(client, cecilia)

    response = client.post(f"/meetings/{meeting.id}/pack")

    assert response.status_code == 303
    assert "Mötesunderlaget är skapat" in client.get(response.headers["Location"]).get_data(as_text=True)
    assert [(e.recipient, e.status) for e in db.scalars(select(MailLog))] == [(cecilia.email, "failed")]

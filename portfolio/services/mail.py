"""E-mail reminders through SMTP (PORTFOLIO_SMTP_*), in the recipient's language, each sent once.

Every attempt is a row of the mail log keyed by what it is about and who gets it: a reminder that
went out is never sent again, one that failed is tried again on the next run. A failing mail
server never fails the action that triggered the mail: the error is logged and recorded, and the
caller goes on. Mails carry links, never attachments.
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formataddr, make_msgid

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from portfolio.models import MailLog, Meeting, MeetingDocument, Pilot, User, utcnow

from . import follow_up

log = logging.getLogger(__name__)


def enabled() -> bool:
    """Whether an SMTP server is configured (PORTFOLIO_SMTP_HOST)."""
    return bool(current_app.config.get("SMTP_HOST"))


def language_of(user: User) -> str:
    """The recipient's language: their own choice, else the app's default."""
    return user.locale if user.locale in current_app.config["LANGUAGES"] else current_app.config["BABEL_DEFAULT_LOCALE"]


def _deliver(message: EmailMessage) -> None:
    config = current_app.config
    host, port = config["SMTP_HOST"], int(config.get("SMTP_PORT") or 25)
    timeout = float(config.get("SMTP_TIMEOUT") or 10)
    if config.get("SMTP_SSL"):
        client = smtplib.SMTP_SSL(host, port, timeout=timeout, context=ssl.create_default_context())
    else:
        client = smtplib.SMTP(host, port, timeout=timeout)
    with client:
        if config.get("SMTP_STARTTLS") and not config.get("SMTP_SSL"):
            client.starttls(context=ssl.create_default_context())
        if config.get("SMTP_USER"):
            client.login(config["SMTP_USER"], config.get("SMTP_PASSWORD") or "")
        client.send_message(message)


def send(session: Session, key: str, user: User, subject: str, body: str) -> bool:
    """Send one mail to `user` unless the mail named `key` already reached them; record the attempt.

    True when sent now. Never raises for a mail server's failure (nor when none is configured).
    """
    entry = session.scalar(select(MailLog).where(MailLog.key == key, MailLog.recipient == user.email))
    if entry is not None and entry.status == "sent":
        return False
    if entry is None:
        entry = MailLog(key=key, recipient=user.email, subject=subject[:300], status="pending")
        session.add(entry)
    entry.subject, entry.attempted_at = subject[:300], utcnow()
    if not enabled():
        entry.status, entry.error = "failed", "no SMTP server configured (PORTFOLIO_SMTP_HOST)"
        session.flush()
        return False
    message = EmailMessage()
    message["From"] = current_app.config.get("SMTP_FROM") or "innovationsportfoljen@localhost"
    message["To"] = formataddr((user.name, user.email))
    message["Subject"] = subject
    message["Message-ID"] = make_msgid(domain="innovationsportfoljen")
    message.set_content(body)
    try:
        _deliver(message)
    except (OSError, smtplib.SMTPException) as error:
        log.warning("mail %s to %s failed: %s", key, user.email, error)
        entry.status, entry.error = "failed", str(error)[:2000]
        session.flush()
        return False
    entry.status, entry.error = "sent", ""
    session.flush()
    return True


def announce_pack(session: Session, meeting: Meeting, document: MeetingDocument, link: str) -> int:
    """Tell each participant that the agenda and pack of `meeting` are ready (a link, no attachment)."""
    sent = 0
    for participant in meeting.participants:
        user = participant.user
        with force_locale(language_of(user)):
            subject = _("Dagordning och mötesunderlag: %(meeting)s", meeting=meeting.title)
            body = _(
                "Hej %(name)s,\n\nDagordningen och mötesunderlaget till %(meeting)s (%(date)s kl. %(start)s, "
                "%(place)s) är klara.\n\nLäs dem här: %(link)s\n\nHälsningar\nInnovationsportföljen",
                name=user.name, meeting=meeting.body, date=meeting.date.isoformat(),
                start=meeting.start_time.strftime("%H.%M"), place=meeting.place, link=link,
            )
        sent += send(session, f"pack:{meeting.id}:{document.number}", user, subject, body)
    return sent


def send_follow_up_reminders(session: Session, *, today: dt.date, link_for, horizon_days: int = 14) -> int:
    """Remind the pilot's leader and the benefit owners (the users chosen for its effect goals) of each
    follow-up falling due (within `horizon_days`) or overdue, each at their own address and in their
    own language; each reminder once per follow-up, recipient and state (due, overdue)."""
    sent = 0
    rows = follow_up.due_follow_ups(session, before=today + dt.timedelta(days=horizon_days + 1), today=today)
    owners = follow_up.benefit_owner_users(session, sorted({row.pilot_id for row in rows}))
    for row in rows:
        pilot = session.get(Pilot, row.pilot_id)
        leader = pilot.innovation_leader if pilot.innovation_leader and pilot.innovation_leader.active else None
        recipients = {user.id: user for user in [leader, *owners[pilot.id]] if user}
        overdue = row.due_on < today
        state = "overdue" if overdue else "due"
        for user in recipients.values():
            with force_locale(language_of(user)):
                if overdue:
                    subject = _("Försenad uppföljning: %(pilot)s", pilot=f"{row.pilot_code} {row.pilot_title}")
                    lead = _("Uppföljningen av %(pilot)s skulle ha gjorts %(date)s och är inte klar.",
                             pilot=row.pilot_title, date=row.due_on.isoformat())
                else:
                    subject = _("Dags för uppföljning: %(pilot)s", pilot=f"{row.pilot_code} {row.pilot_title}")
                    lead = _("Uppföljningen av %(pilot)s ska göras senast %(date)s.", pilot=row.pilot_title,
                             date=row.due_on.isoformat())
                body = _("Hej %(name)s,\n\n%(lead)s %(measured)s av %(total)s mått har en uppföljningsmätning.\n\n"
                         "Registrera mätningarna här: %(link)s\n\nHälsningar\nInnovationsportföljen",
                         name=user.name, lead=lead, measured=row.measured, total=row.indicators,
                         link=link_for(pilot))
            sent += send(session, f"follow_up:{pilot.id}:{row.due_on.isoformat()}:{state}", user, subject, body)
    return sent

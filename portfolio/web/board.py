"""The board's report of delegation decisions, the year wheel and the meetings' calendar feed."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, abort, current_app, flash, g, make_response, redirect, render_template, request, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from portfolio.db import get_db, get_session
from portfolio.domain.meetings import wheel_segments
from portfolio.domain.roles import Permission
from portfolio.models import utcnow
from portfolio.services import board, calendar_tokens, papers, rate_limits

from .access import public, requires
from .meeting_forms import PeriodForm, ReportedForm
from .security import client_address, log_event

bp = Blueprint("board", __name__)


def _period(form: PeriodForm) -> tuple[dt.date, dt.date]:
    """The chosen period, or this year so far."""
    today = dt.date.today()
    if form.validate() and form.start.data and form.end.data:
        return form.start.data, form.end.data
    return dt.date(today.year, 1, 1), dt.date(today.year, 12, 31)


@bp.route("/delegation-report")
@requires(Permission.READ)
def delegation_report():
    """The delegation decisions of a period, to be reported to the board."""
    form = PeriodForm(formdata=request.args)
    start, end = _period(form)
    if not form.errors:
        form.start.data, form.end.data = start, end
    decisions = board.delegation_decisions(get_session(), start, end)
    return render_template("meetings/delegation.html", form=form, start=start, end=end, decisions=decisions,
                           reported=ReportedForm(formdata=None, start=start.isoformat(), end=end.isoformat()))


@bp.route("/delegation-report.pdf")
@requires(Permission.READ)
def delegation_report_pdf():
    form = PeriodForm(formdata=request.args)
    start, end = _period(form)
    pdf = board.report_pdf(get_session(), start, end, papers._language(current_user._get_current_object()))
    response = make_response(pdf)
    response.headers["Content-Type"] = "application/pdf"
    response.headers["Content-Disposition"] = (
        f'attachment; filename="delegationsbeslut-{start.isoformat()}-{end.isoformat()}.pdf"')
    response.headers["Cache-Control"] = "no-store"
    return response


CSV_HEADINGS = (_l("Beslutsdatum"), _l("Diarienummer"), _l("Beslut"), _l("Pilot"), _l("Beslutsfattare"),
                _l("Delegationspunkt"), _l("Organ eller möte"), _l("Anmäld"))


@bp.route("/delegation-report.csv")
@requires(Permission.READ)
def delegation_report_csv():
    form = PeriodForm(formdata=request.args)
    start, end = _period(form)
    text = board.report_csv(get_session(), start, end, [str(heading) for heading in CSV_HEADINGS])
    response = make_response("\ufeff" + text)
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    response.headers["Content-Disposition"] = (
        f'attachment; filename="delegationsbeslut-{start.isoformat()}-{end.isoformat()}.csv"')
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/delegation-report/reported", methods=["POST"])
@requires(Permission.MANAGE_MEETINGS)
def mark_reported():
    """Record that the period's delegation decisions were reported to the board."""
    form = ReportedForm()
    try:
        start, end = dt.date.fromisoformat(form.start.data or ""), dt.date.fromisoformat(form.end.data or "")
    except ValueError:
        abort(400)
    if not form.validate_on_submit() or end < start:
        abort(400)
    db = get_session()
    count = board.mark_reported(db, start, end, current_user._get_current_object())
    db.commit()
    flash(_("%(count)s beslut är markerade som anmälda till nämnden.", count=count), "success")
    return redirect(url_for("board.delegation_report", start=start.isoformat(), end=end.isoformat()), code=303)


# --- the year wheel and the calendar -------------------------------------------------------------------


@bp.route("/year-wheel")
@requires(Permission.READ)
def year_wheel():
    """Month by month: meetings, follow-ups due, decision papers expected; an SVG wheel and a table."""
    year = request.args.get("year", type=int) or dt.date.today().year
    if not 1900 <= year <= 2999:
        year = dt.date.today().year
    months = board.year_wheel(get_session(), year)
    names = [format_date(dt.date(year, n, 1), "LLL") for n in range(1, 13)]
    return render_template("meetings/year_wheel.html", year=year, months=months, month_names=names,
                           wheel_segments=wheel_segments,
                           subscribed=calendar_tokens.live_token(get_session(), current_user) is not None)


def _ics(text: str):
    response = make_response(text)
    response.headers["Content-Type"] = "text/calendar; charset=utf-8"
    response.headers["Content-Disposition"] = 'attachment; filename="ledningsgruppen.ics"'
    return response


def _meeting_url(meeting) -> str:
    return url_for("meetings.show", meeting_id=meeting.id, _external=True)


@bp.route("/meetings/calendar.ics")
@requires(Permission.READ)
def calendar():
    """The meetings as an iCalendar feed (RFC 5545), downloaded by a signed-in user."""
    return _ics(board.calendar(get_session(), _meeting_url))


#: How the feed's path is written in the request log and the audit log: never with the secret.
FEED_LOG_PATH = "/calendar/[hemlig].ics"


def _over_limit(action: str, key: str) -> dt.datetime | None:
    """Count one fetch in the database (every process counts); when it may be tried again if over."""
    limit, seconds = current_app.config["RATE_LIMITS"].get(action, (60, 600))
    db = get_db().sessions()
    try:
        retry_at = rate_limits.hit(db, action, key, limit=limit, window=dt.timedelta(seconds=seconds))
        db.commit()
    finally:
        db.close()
    return retry_at


def _too_many(retry_at: dt.datetime, user=None):
    log_event("rate_limited", "request", actor=user, details={"path": FEED_LOG_PATH, "retry_at": retry_at})
    wait = max(1, int((retry_at - utcnow()).total_seconds()))
    return make_response("Too many requests\n", 429, {"Retry-After": str(wait), "Content-Type": "text/plain"})


@bp.route("/calendar/<token>.ics")
@public
def calendar_feed(token: str):
    """The meetings as an iCalendar feed at a user's secret address, for Outlook or Google Calendar to
    subscribe to without signing in. An unknown, revoked or no longer allowed address is a 404."""
    g.log_path = FEED_LOG_PATH
    session = get_session()
    found = calendar_tokens.lookup(session, token)
    # Counted before anything is written: fetches per address, and unknown addresses per client.
    if found is None:
        retry_at = _over_limit("calendar_feed_unknown", f"address:{client_address()}")
    else:
        retry_at = _over_limit("calendar_feed", f"calendar:{found.id}")
    if retry_at is not None:
        return _too_many(retry_at, found.user if found else None)
    if found is None:
        abort(404)
    response = _ics(calendar_tokens.feed(session, found, _meeting_url))
    session.commit()  # when the address was last used
    return response

"""Request-level security: session timeouts, request body limits and the security events of the log.

Security events (a refused request, a CSRF failure, an expired session) are written in their own
short transaction: the request they describe is refused and rolled back, but the event stays.
"""

from __future__ import annotations

import datetime as dt
import functools
import time
from collections.abc import Callable
from typing import TypeVar

from flask import current_app, flash, g, render_template, request, session
from flask_babel import format_datetime
from flask_babel import gettext as _
from flask_login import current_user, logout_user
from sqlalchemy.exc import SQLAlchemyError

from portfolio.db import get_db
from portfolio.models import utcnow
from portfolio.services import audit, login_protection, rate_limits

F = TypeVar("F", bound=Callable)

# Session keys (the session lives in the signed cookie, so the user cannot change them).
STARTED_AT = "_started_at"
SEEN_AT = "_seen_at"
# How stale the "last seen" time may get before a request writes it again: without this every
# request would rewrite the cookie; the idle timeout is counted in minutes anyway.
SEEN_RESOLUTION_SECONDS = 30


def client_address() -> str | None:
    """The client's address as the app sees it (behind a proxy: see PROXY_FIX_X_FOR)."""
    return request.remote_addr


def actor_or_none():
    """The signed-in user, or None."""
    return current_user._get_current_object() if current_user and current_user.is_authenticated else None


def log_event(
    action: str, entity: str, *, details: dict | None = None, actor=None, throttle_email: str | None = None
) -> None:
    """Write one security event in a transaction of its own; a database failure never hides the answer.

    With `throttle_email`, the event also counts as a failed sign-in for that account and the
    client's address (a wrong password typed to confirm an action). The request's own transaction
    is rolled back first: an event is written when a request is refused.
    """
    # The request is being refused: nothing it wrote is kept. Rolling its session back also frees
    # SQLite's write lock (an API token's last use, say), which the event below would wait for.
    request_session = g.get("db_session")
    if request_session is not None:
        request_session.rollback()
    db = get_db().sessions()
    try:
        # The actor belongs to the request's session; record() only reads its id.
        audit.record_event(db, actor, action, entity, None, address=client_address(), details=details)
        if throttle_email is not None:
            login_protection.record_failure(db, throttle_email, client_address(), actor=actor)
        db.commit()
    except SQLAlchemyError:
        db.rollback()
        current_app.logger.exception("could not write the security event %s", action)
    finally:
        db.close()


def wait_message(refusal: login_protection.Refusal) -> str:
    """When the user may try again, in words."""
    when = format_datetime(refusal.retry_at, "HH:mm:ss")
    if refusal.locked:
        return _("Inloggningen är tillfälligt spärrad efter för många misslyckade försök. Försök igen "
                 "klockan %(when)s, eller be administratören häva spärren.", when=when)
    return _("För många misslyckade försök. Vänta %(seconds)s sekunder (till klockan %(when)s) innan du "
             "försöker igen.", seconds=refusal.seconds_left(utcnow()), when=when)


# --- session timeouts ----------------------------------------------------------------------------


def start_session_clock() -> None:
    """At sign-in: the absolute timeout counts from now, and so does the idle one."""
    now = int(time.time())
    session[STARTED_AT] = now
    session[SEEN_AT] = now


def renew_session_after_reauthentication() -> None:
    """A fresh proof of identity gets a fresh session token (ASVS 7.2.4), as a sign-in does.

    The session cookie is the token: replacing its CSRF secret and recording the moment gives the
    cookie a new value, so a copy taken before the confirmation no longer carries a valid form
    token. The sign-in clock (idle and absolute timeouts) is kept.
    """
    session.pop("csrf_token", None)
    session["reauthenticated_at"] = int(time.time())


def enforce_session_timeouts():
    """`before_request` hook: sign the user out after the idle or the absolute timeout.

    Counted from the times kept in the session (sign-in and the last request), not from when
    the cookie was last written, so a user who only reads is not signed out while active, and
    one who keeps writing is still signed out when the absolute limit is reached.
    """
    if "_user_id" not in session or request.endpoint == "static":
        return None
    now = int(time.time())
    started, seen = session.get(STARTED_AT), session.get(SEEN_AT)
    idle = current_app.config["SESSION_IDLE_TIMEOUT_MINUTES"] * 60
    absolute = current_app.config["SESSION_ABSOLUTE_TIMEOUT_HOURS"] * 3600
    if not isinstance(started, int) or not isinstance(seen, int):
        reason = "missing"
    elif now - started >= absolute:
        reason = "absolute"
    elif now - seen >= idle:
        reason = "idle"
    else:
        if now - seen >= SEEN_RESOLUTION_SECONDS:
            session[SEEN_AT] = now
        return None
    user = actor_or_none()
    locale = session.get("locale")
    logout_user()
    session.clear()
    if locale:
        session["locale"] = locale
    if user is not None:
        log_event("session_expired", "sign_in", details={"reason": reason}, actor=user)
    flash(_("Du har loggats ut eftersom sessionen har gått ut. Logga in igen."), "success")
    return None  # access enforcement sends the now anonymous user to the login page


# --- request body limits -------------------------------------------------------------------------


def allows_upload(view: F) -> F:
    """The view takes a file upload: its body may be up to MAX_CONTENT_LENGTH (5 MB)."""
    view.allows_upload = True  # type: ignore[attr-defined]
    return view


def is_upload_view() -> bool:
    """Whether the request goes to a view that takes a file upload."""
    view = current_app.view_functions.get(request.endpoint or "")
    return bool(getattr(view, "allows_upload", False))


def limit_request_body():
    """`before_request` hook (before CSRF parses the form): small bodies except for uploads.

    A form body over MAX_FORM_BODY_LENGTH is refused with 413 from its Content-Length alone,
    before anything is read or parsed.
    """
    if not is_upload_view():
        request.max_content_length = current_app.config["MAX_FORM_BODY_LENGTH"]
    return None


# --- anti-automation -----------------------------------------------------------------------------


def rate_limited(action: str) -> Callable[[F], F]:
    """The view's POSTs are a costly action: at most RATE_LIMITS[action] = (count, seconds) per user.

    Over the limit the request is refused with 429 and the time to try again, before the view
    runs; the refusal is a security event. The count is kept in the database (every process).
    """

    def decorator(view: F) -> F:
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            if request.method == "POST" and current_user.is_authenticated:
                limit, seconds = current_app.config["RATE_LIMITS"][action]
                db = get_db().sessions()
                try:
                    retry_at = rate_limits.hit(db, action, f"user:{current_user.id}", limit=limit,
                                               window=dt.timedelta(seconds=seconds))
                    db.commit()
                finally:
                    db.close()
                if retry_at is not None:
                    log_event("rate_limited", "request", actor=actor_or_none(),
                              details={"path": request.path[:500], "retry_at": retry_at})
                    message = _("Du har gjort det här för många gånger på kort tid. Försök igen klockan %(when)s.",
                                when=format_datetime(retry_at, "HH:mm"))
                    wait = max(1, int((retry_at - utcnow()).total_seconds()))
                    return render_template("errors/error.html", code=429, message=message), 429, {"Retry-After": str(wait)}
            return view(*args, **kwargs)

        return wrapper  # type: ignore[return-value]

    return decorator

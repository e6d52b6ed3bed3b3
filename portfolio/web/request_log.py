"""Structured request logs: one JSON line per request on standard error, with a request id.

Each line holds the time (UTC), the request id, the method, the path (never the query string: an
OpenID answer carries a code there), the status, the duration in milliseconds and the signed-in
user's id. Never a form field, a password, a cookie, a header or a token. The request id comes from
a sane incoming `X-Request-ID` (a proxy's) or is made here, and is sent back in `X-Request-ID`.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
import sys
import time
import uuid

from flask import Flask, g, request
from flask_login import current_user

LOGGER_NAME = "portfolio.requests"
HEADER = "X-Request-ID"
_SANE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,127}")


class _StandardError(logging.StreamHandler):
    """Writes to whatever sys.stderr is at the time (gunicorn, journald, a test's capture)."""

    def __init__(self) -> None:
        logging.Handler.__init__(self)

    @property
    def stream(self):  # type: ignore[override]
        return sys.stderr


def request_logger() -> logging.Logger:
    logger = logging.getLogger(LOGGER_NAME)
    if not logger.handlers:
        handler = _StandardError()
        handler.setFormatter(logging.Formatter("%(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        logger.propagate = False
    return logger


def request_id() -> str | None:
    """The current request's id."""
    return g.get("request_id")


def _start() -> None:
    incoming = request.headers.get(HEADER, "")
    g.request_id = incoming if _SANE_ID.fullmatch(incoming) else uuid.uuid4().hex
    g.request_started = time.perf_counter()


def _finish(response):
    rid = g.get("request_id") or uuid.uuid4().hex
    response.headers[HEADER] = rid
    started = g.get("request_started")
    try:
        user_id = current_user.id if current_user and current_user.is_authenticated else None
    except Exception:  # noqa: BLE001 - a log line must never break the answer
        user_id = None
    line = {
        "time": dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
        "request_id": rid,
        "method": request.method,
        # A view whose path holds a secret (a calendar feed's address) names a redacted path in g.log_path.
        "path": (g.get("log_path") or request.path)[:500],
        "status": response.status_code,
        "duration_ms": round((time.perf_counter() - started) * 1000, 1) if started else None,
        "user_id": user_id,
    }
    request_logger().info(json.dumps(line, ensure_ascii=False))
    return response


def init_app(app: Flask) -> None:
    """Log every request (set REQUEST_LOG to False to stop)."""
    if not app.config.get("REQUEST_LOG", True):
        return
    request_logger()
    app.before_request_funcs.setdefault(None, []).insert(0, _start)
    app.after_request(_finish)

"""Anti-automation for costly actions: at most N per user in a fixed window, counted in the database."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from portfolio.models import RateLimitWindow, utcnow


def window_start(now: dt.datetime, window: dt.timedelta) -> dt.datetime:
    """The start of the fixed window `now` falls in (windows start at midnight UTC)."""
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
    return midnight + window * ((now - midnight) // window)


def hit(
    session: Session, action: str, key: str, *, limit: int, window: dt.timedelta, now: dt.datetime | None = None
) -> dt.datetime | None:
    """Count one `action` by `key`; returns when it may be done again if this one is over the limit.

    The count is raised in the database, so that every server process counts; windows that have
    ended are removed on the way.
    """
    now = now or utcnow()
    start = window_start(now, window)
    where = (RateLimitWindow.action == action, RateLimitWindow.key == key, RateLimitWindow.window_start == start)
    if session.scalar(select(RateLimitWindow.id).where(*where)) is None:
        try:
            with session.begin_nested():
                session.add(RateLimitWindow(action=action, key=key, window_start=start, count=0))
        except IntegrityError:
            pass  # another process opened the window at the same moment
    session.execute(update(RateLimitWindow).where(*where).values(count=RateLimitWindow.count + 1)
                    .execution_options(synchronize_session=False))
    count = session.scalar(select(RateLimitWindow.count).where(*where))
    session.execute(delete(RateLimitWindow).where(RateLimitWindow.window_start < start)
                    .execution_options(synchronize_session=False))
    session.flush()
    return start + window if count > limit else None

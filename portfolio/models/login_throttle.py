"""Failed sign-ins counted per account and per client address, so that guessing slows down and stops."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, intpk


class LoginThrottle(Base):
    """The failed sign-ins of one account (normalised e-mail) or one client address.

    Kept in the database, not in a process, so that every server process sees the same count.
    A successful sign-in clears the account's row; an address's row ages out with its window.
    """

    __tablename__ = "login_throttles"
    __table_args__ = (UniqueConstraint("scope", "key", name="uq_login_throttles_scope_key"),)

    id: Mapped[intpk]
    scope: Mapped[str] = mapped_column(String(10))  # "account" or "address"
    key: Mapped[str] = mapped_column(String(254))
    failures: Mapped[int] = mapped_column(Integer, default=0)
    first_failure_at: Mapped[dt.datetime]
    last_failure_at: Mapped[dt.datetime]
    # Set when the failures reach the lock limit; the admin can lift it before then.
    locked_until: Mapped[dt.datetime | None]

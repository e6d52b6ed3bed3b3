"""Personal calendar subscriptions: the secret in a user's meeting feed address, stored only as a hash."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, created_at, intpk
from .user import User


class CalendarToken(Base):
    """The secret of one user's calendar feed address (`/calendar/<secret>.ics`).

    A calendar program cannot sign in, so the address itself is the credential: only its SHA-256
    is kept, a user has at most one live one, and a new one revokes the old (the rows stay, as
    the audit log refers to them).
    """

    __tablename__ = "calendar_tokens"

    id: Mapped[intpk]
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[created_at]
    last_used_at: Mapped[dt.datetime | None]
    revoked_at: Mapped[dt.datetime | None]

    user: Mapped[User] = relationship()

"""Costly actions counted per user in fixed time windows (anti-automation, ASVS 2.4.1)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, intpk


class RateLimitWindow(Base):
    """How often one key (e.g. "user:7") did one action in the window starting at `window_start`."""

    __tablename__ = "rate_limit_windows"
    __table_args__ = (UniqueConstraint("action", "key", "window_start", name="uq_rate_limit_windows_action_key_start"),)

    id: Mapped[intpk]
    action: Mapped[str] = mapped_column(String(40))
    key: Mapped[str] = mapped_column(String(100))
    window_start: Mapped[dt.datetime]
    count: Mapped[int] = mapped_column(Integer, default=0)

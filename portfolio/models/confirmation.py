"""Confirmations that have been used: the second use of a two-step action's token is refused."""

from __future__ import annotations

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, created_at, intpk


class UsedConfirmation(Base):
    """One consumed confirmation token of a two-step action (import preview → confirm, decide).

    The unique constraint on (purpose, token_hash) decides between two simultaneous
    confirmations on every database: the second INSERT waits for the first transaction and
    then fails, so the action runs once. Only a hash of the token is kept.
    """

    __tablename__ = "used_confirmations"
    __table_args__ = (UniqueConstraint("purpose", "token_hash", name="uq_used_confirmations_purpose_token_hash"),)

    id: Mapped[intpk]
    purpose: Mapped[str] = mapped_column(String(50))
    token_hash: Mapped[str] = mapped_column(String(64))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    pilot_id: Mapped[int | None] = mapped_column(ForeignKey("pilots.id", ondelete="CASCADE"), index=True)
    used_at: Mapped[created_at]

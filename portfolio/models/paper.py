"""Decision papers (beslutsunderlag): every generated PDF, stored unchanged (DESIGN §6)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, ForeignKey, Integer, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, created_at, intpk, make_append_only
from .pilot import Pilot
from .user import User


class PaperVersion(Base):
    """One generated version of a pilot's decision paper: append-only, never changed or deleted.

    ``sha256`` is the hash of ``pdf`` exactly as stored; ``data_fingerprint`` the SHA-256 of the
    canonical data the paper was made from, so a later change of data shows the paper is out of
    date. The PDF bytes are loaded only when asked for.
    """

    __tablename__ = "paper_versions"
    __table_args__ = (UniqueConstraint("pilot_id", "number", name="uq_paper_versions_pilot_id_number"),)

    id: Mapped[intpk]
    pilot_id: Mapped[int] = mapped_column(ForeignKey("pilots.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    is_draft: Mapped[bool] = mapped_column(Boolean)
    # The archived copy made when a decision is recorded, with the decision fields filled in.
    is_decision_copy: Mapped[bool] = mapped_column(Boolean, default=False)
    sha256: Mapped[str] = mapped_column(String(64))
    data_fingerprint: Mapped[str] = mapped_column(String(64))
    language: Mapped[str] = mapped_column(String(10))
    size: Mapped[int] = mapped_column(Integer)
    pdf: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[created_at]

    pilot: Mapped[Pilot] = relationship()
    created_by: Mapped[User | None] = relationship()

    @property
    def filename(self) -> str:
        """The name a download is saved under, e.g. INN-2023-001-beslutsunderlag-v3.pdf."""
        return f"{self.pilot.code}-beslutsunderlag-v{self.number}.pdf"


make_append_only(PaperVersion)

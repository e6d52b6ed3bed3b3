"""The management group's meetings (DESIGN §8): agenda, attendance, minutes and the stored PDFs."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Integer, LargeBinary, String, Text, Time, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portfolio.domain.meetings import ItemKind, MeetingStatus

from .base import Base, created_at, enum_column, intpk, make_append_only, str200, utcnow
from .pilot import Pilot
from .user import User


class Meeting(Base):
    """One meeting of a body (e.g. Ledningsgruppen): when, where, who, the agenda and the minutes."""

    __tablename__ = "meetings"

    id: Mapped[intpk]
    body: Mapped[str200]
    date: Mapped[dt.date] = mapped_column(Date, index=True)
    start_time: Mapped[dt.time] = mapped_column(Time)
    end_time: Mapped[dt.time] = mapped_column(Time)
    place: Mapped[str200]
    secretary_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    status: Mapped[MeetingStatus] = enum_column(MeetingStatus, default=MeetingStatus.PLANNED)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[created_at]
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(), default=utcnow, onupdate=utcnow)

    secretary: Mapped[User] = relationship(foreign_keys=[secretary_id])
    participants: Mapped[list[MeetingParticipant]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan", order_by="MeetingParticipant.id"
    )
    items: Mapped[list[AgendaItem]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan", order_by="AgendaItem.position, AgendaItem.id"
    )

    @property
    def title(self) -> str:
        """How the meeting is named: "Ledningsgruppen 2026-12-08"."""
        return f"{self.body} {self.date.isoformat()}"


class MeetingParticipant(Base):
    """A person called to the meeting, and whether they were there (None until the minutes say)."""

    __tablename__ = "meeting_participants"
    __table_args__ = (UniqueConstraint("meeting_id", "user_id", name="uq_meeting_participants_meeting_id_user_id"),)

    id: Mapped[intpk]
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    present: Mapped[bool | None] = mapped_column(Boolean)

    meeting: Mapped[Meeting] = relationship(back_populates="participants")
    user: Mapped[User] = relationship()


class AgendaItem(Base):
    """An item of the agenda: Beslut, Information or Dialog, with its presenter, text and minutes note."""

    __tablename__ = "agenda_items"

    id: Mapped[intpk]
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    kind: Mapped[ItemKind] = enum_column(ItemKind)
    title: Mapped[str200]
    presenter: Mapped[str] = mapped_column(String(200), default="")
    text: Mapped[str] = mapped_column(Text, default="")
    pilot_id: Mapped[int | None] = mapped_column(ForeignKey("pilots.id"), index=True)
    note: Mapped[str] = mapped_column(Text, default="")  # the minutes' text for the item

    meeting: Mapped[Meeting] = relationship(back_populates="items")
    pilot: Mapped[Pilot | None] = relationship()


class MinutesVersion(Base):
    """One locked version of a meeting's minutes: the PDF as rendered, what it says, what a correction changed.

    Append-only: a correction after locking is the next version, never a change of this one.
    """

    __tablename__ = "minutes_versions"
    __table_args__ = (UniqueConstraint("meeting_id", "number", name="uq_minutes_versions_meeting_id_number"),)

    id: Mapped[intpk]
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    content: Mapped[str] = mapped_column(Text)  # JSON snapshot: attendance and each item's note
    changes: Mapped[str] = mapped_column(Text, default="")  # JSON list of what changed from the previous version
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    pdf: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    locked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    locked_at: Mapped[created_at]

    meeting: Mapped[Meeting] = relationship()
    locked_by: Mapped[User | None] = relationship()


class MeetingDocument(Base):
    """A stored PDF of a meeting: the meeting pack, or a minutes extract (protokollsutdrag) of one decision.

    ``sources`` lists the paper versions a pack holds (comma-separated ids), so the meeting page can
    say when a paper has a newer version or is out of date. Append-only.
    """

    __tablename__ = "meeting_documents"
    __table_args__ = (UniqueConstraint("meeting_id", "kind", "number", name="uq_meeting_documents_meeting_id_kind"),)

    id: Mapped[intpk]
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # "pack" or "extract"
    number: Mapped[int] = mapped_column(Integer)
    decision_id: Mapped[int | None] = mapped_column(ForeignKey("decisions.id"))
    minutes_version_id: Mapped[int | None] = mapped_column(ForeignKey("minutes_versions.id"))
    sources: Mapped[str] = mapped_column(Text, default="")
    agenda_fingerprint: Mapped[str] = mapped_column(String(64), default="")
    pages: Mapped[int] = mapped_column(Integer, default=0)
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    pdf: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[created_at]

    meeting: Mapped[Meeting] = relationship()

    @property
    def paper_version_ids(self) -> list[int]:
        return [int(part) for part in self.sources.split(",") if part]


class MailLog(Base):
    """Every reminder the app tried to send: the key makes a reminder go out once, the status records failures."""

    __tablename__ = "mail_log"
    __table_args__ = (UniqueConstraint("key", "recipient", name="uq_mail_log_key"),)

    id: Mapped[intpk]
    key: Mapped[str] = mapped_column(String(200))  # e.g. "follow_up:12:due:2027-01-15" or "pack:7"
    recipient: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(300))
    status: Mapped[str] = mapped_column(String(20))  # "sent" or "failed"
    error: Mapped[str] = mapped_column(Text, default="")
    attempted_at: Mapped[created_at]


make_append_only(MinutesVersion)
make_append_only(MeetingDocument)

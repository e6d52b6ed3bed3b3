"""The management group's meetings (DESIGN §8): agenda, suggestions, the pack, decisions per item, minutes.

Every change writes an audit entry; nothing here commits. PDFs are rendered through the paper
pipeline (:mod:`portfolio.papers.documents`) and stored unchanged with their SHA-256.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from contextlib import nullcontext
from dataclasses import dataclass, field, replace

from flask import current_app, has_request_context
from flask_babel import force_locale, format_date, gettext
from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload, selectinload

from portfolio.domain import meetings as rules
from portfolio.i18n import money
from portfolio.domain.lifecycle import Phase, Step
from portfolio.domain.meetings import ItemKind, MeetingError, MeetingStatus
from portfolio.domain.roles import Role
from portfolio.models import (
    AgendaItem,
    Decision,
    Meeting,
    MeetingDocument,
    MeetingParticipant,
    MinutesVersion,
    PaperVersion,
    Pilot,
    User,
    utcnow,
)
from portfolio.papers.documents import PackPart, assemble_pack, page_count, render_document

from . import audit, follow_up, papers, process
from .settings import get_settings

def _locale():
    """The user's language in a request, else the app's default language (the CLI, tests)."""
    return nullcontext() if has_request_context() else force_locale(current_app.config["BABEL_DEFAULT_LOCALE"])


def _(message: str, **variables) -> str:
    """`message` translated (see :func:`_locale`)."""
    with _locale():
        return gettext(message, **variables)


MEETING_FIELDS = ("body", "date", "start_time", "end_time", "place", "secretary_id", "status")
ITEM_FIELDS = ("kind", "title", "presenter", "text", "pilot_id", "position")


# ------------------------------------------------------------------------------------------------
# Reading
# ------------------------------------------------------------------------------------------------


def get_meeting(session: Session, meeting_id: int) -> Meeting | None:
    """The meeting with its participants and items, or None."""
    return session.scalar(
        select(Meeting).where(Meeting.id == meeting_id).options(
            joinedload(Meeting.secretary),
            selectinload(Meeting.participants).joinedload(MeetingParticipant.user),
            selectinload(Meeting.items).joinedload(AgendaItem.pilot),
        )
    )


def list_meetings(session: Session, *, year: int | None = None) -> list[Meeting]:
    """Meetings by date, newest first (of one year when given)."""
    statement = select(Meeting).options(joinedload(Meeting.secretary))
    if year is not None:
        statement = statement.where(Meeting.date >= dt.date(year, 1, 1), Meeting.date <= dt.date(year, 12, 31))
    return list(session.scalars(statement.order_by(Meeting.date.desc(), Meeting.start_time.desc())))


def agenda(meeting: Meeting) -> list[tuple[int, AgendaItem]]:
    """The items in agenda order with their numbers (through the meeting, grouped by kind)."""
    return list(enumerate(rules.ordered(meeting.items), start=1))


def item_number(meeting: Meeting, item: AgendaItem) -> int:
    return rules.numbers(meeting.items)[item.id]


def may_keep(meeting: Meeting, user: User) -> bool:
    """Whether `user` writes this meeting's agenda and minutes: its secretary or a management group member."""
    return user.id == meeting.secretary_id or Role.MANAGEMENT in user.roles


def decisions_by_item(session: Session, meeting: Meeting) -> dict[int, Decision]:
    """The decisions taken at the meeting, by agenda item id."""
    ids = [item.id for item in meeting.items]
    if not ids:
        return {}
    rows = session.scalars(select(Decision).where(Decision.agenda_item_id.in_(ids)))
    return {decision.agenda_item_id: decision for decision in rows}


# ------------------------------------------------------------------------------------------------
# The meeting
# ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MeetingData:
    body: str
    date: dt.date
    start_time: dt.time
    end_time: dt.time
    place: str
    secretary_id: int
    participant_ids: tuple[int, ...] = ()


def _check_times(data: MeetingData) -> None:
    if data.end_time <= data.start_time:
        raise MeetingError("end_before_start")


def create_meeting(session: Session, data: MeetingData, actor: User) -> Meeting:
    """A new meeting with its participants (the secretary is always one of them)."""
    _check_times(data)
    meeting = Meeting(body=data.body.strip(), date=data.date, start_time=data.start_time, end_time=data.end_time,
                      place=data.place.strip(), secretary_id=data.secretary_id, created_by_id=actor.id)
    ids = dict.fromkeys([*data.participant_ids, data.secretary_id])
    meeting.participants = [MeetingParticipant(user_id=user_id) for user_id in ids]
    session.add(meeting)
    session.flush()
    audit.record(session, actor, "create", "meeting", meeting.id,
                 after=audit.snapshot(meeting, MEETING_FIELDS) | {"participants": list(ids)})
    return meeting


def update_meeting(session: Session, meeting: Meeting, data: MeetingData, actor: User) -> None:
    """Change when, where and who; refused once the minutes are locked."""
    rules.check_editable(meeting.status)
    _check_times(data)
    before = audit.snapshot(meeting, MEETING_FIELDS) | {"participants": [p.user_id for p in meeting.participants]}
    meeting.body, meeting.date, meeting.place = data.body.strip(), data.date, data.place.strip()
    meeting.start_time, meeting.end_time, meeting.secretary_id = data.start_time, data.end_time, data.secretary_id
    wanted = list(dict.fromkeys([*data.participant_ids, data.secretary_id]))
    meeting.participants = [p for p in meeting.participants if p.user_id in wanted] + [
        MeetingParticipant(user_id=user_id) for user_id in wanted
        if user_id not in {p.user_id for p in meeting.participants}
    ]
    session.flush()
    audit.record(session, actor, "update", "meeting", meeting.id, before=before,
                 after=audit.snapshot(meeting, MEETING_FIELDS) | {"participants": wanted})


# ------------------------------------------------------------------------------------------------
# The agenda
# ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ItemData:
    kind: ItemKind
    title: str
    presenter: str = ""
    text: str = ""
    pilot_id: int | None = None


def add_item(session: Session, meeting: Meeting, data: ItemData, actor: User) -> AgendaItem:
    """Add an item at the end of its kind's group."""
    rules.check_editable(meeting.status)
    last = max((item.position for item in meeting.items), default=0)
    item = AgendaItem(kind=ItemKind(data.kind), title=data.title.strip(), presenter=data.presenter.strip(),
                      text=data.text.strip(), pilot_id=data.pilot_id, position=last + 1)
    meeting.items.append(item)
    session.flush()
    audit.record(session, actor, "create", "agenda_item", item.id, pilot_id=item.pilot_id,
                 after=audit.snapshot(item, ITEM_FIELDS) | {"meeting_id": meeting.id})
    return item


def update_item(session: Session, meeting: Meeting, item: AgendaItem, data: ItemData, actor: User) -> None:
    rules.check_editable(meeting.status)
    before = audit.snapshot(item, ITEM_FIELDS)
    item.kind, item.title, item.presenter = ItemKind(data.kind), data.title.strip(), data.presenter.strip()
    item.text, item.pilot_id = data.text.strip(), data.pilot_id
    session.flush()
    audit.record(session, actor, "update", "agenda_item", item.id, pilot_id=item.pilot_id, before=before,
                 after=audit.snapshot(item, ITEM_FIELDS))


def remove_item(session: Session, meeting: Meeting, item: AgendaItem, actor: User) -> None:
    """Take an item off the agenda; refused when a decision was recorded on it."""
    rules.check_editable(meeting.status)
    if session.scalar(select(Decision.id).where(Decision.agenda_item_id == item.id)) is not None:
        raise MeetingError("item_decided")
    before = audit.snapshot(item, ITEM_FIELDS) | {"meeting_id": meeting.id}
    meeting.items.remove(item)
    session.flush()
    audit.record(session, actor, "delete", "agenda_item", item.id, pilot_id=item.pilot_id, before=before)


def move_item(session: Session, meeting: Meeting, item: AgendaItem, direction: str, actor: User) -> None:
    """Move an item one place up or down within its kind's group (the numbers follow)."""
    rules.check_editable(meeting.status)
    group = [other for other in rules.ordered(meeting.items) if other.kind == item.kind]
    index = group.index(item)
    target = index - 1 if direction == "up" else index + 1
    if not 0 <= target < len(group):
        return
    other = group[target]
    before = {"position": item.position}
    item.position, other.position = other.position, item.position
    if item.position == other.position:  # equal positions (never written by the app): make them differ
        item.position += -1 if direction == "up" else 1
    session.flush()
    audit.record(session, actor, "move_item", "agenda_item", item.id, pilot_id=item.pilot_id, before=before,
                 after={"position": item.position})


# --- suggestions ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Suggestion:
    """An item the agenda could take: one click adds it."""

    key: str  # what the add form posts back, e.g. "paper:12"
    kind: ItemKind
    title: str
    presenter: str
    text: str
    pilot_id: int | None
    reason: str


def suggestions(session: Session, meeting: Meeting) -> list[Suggestion]:
    """What is due for this meeting and not yet on its agenda.

    Beslut: pilots whose decision basis is ready (step 3 complete, the newest paper final and
    current). Information: follow-ups due before the meeting and realised benefits not yet harvested
    (from the follow-up service, :func:`_follow_up_suggestions`).
    """
    on_agenda = {(item.kind, item.pilot_id) for item in meeting.items if item.pilot_id is not None}
    titles = {item.title for item in meeting.items}
    found: list[Suggestion] = []
    ready = session.scalars(
        select(Pilot).where(Pilot.phase == Phase.SCALE_UP, Pilot.step == int(Step.DECISION_BASIS_READY))
        .options(joinedload(Pilot.innovation_leader)).order_by(Pilot.code)
    ).all()
    for pilot in ready:
        if (ItemKind.DECISION, pilot.id) in on_agenda:
            continue
        latest = papers.latest(session, pilot)
        if latest is None or latest.is_draft or latest.is_decision_copy or papers.is_out_of_date(session, pilot, latest):
            continue
        found.append(Suggestion(
            key=f"paper:{pilot.id}", kind=ItemKind.DECISION,
            title=_("Uppskalning av %(title)s (%(code)s)", title=pilot.title, code=pilot.code),
            presenter=pilot.innovation_leader.name if pilot.innovation_leader else "",
            text=_("Förslag till beslut enligt beslutsunderlag version %(number)s.", number=latest.number),
            pilot_id=pilot.id,
            reason=_("Beslutsunderlaget är klart (version %(number)s).", number=latest.number),
        ))
    found += [s for s in _follow_up_suggestions(session, meeting) if s.title not in titles]
    return found


def _follow_up_suggestions(session: Session, meeting: Meeting) -> list[Suggestion]:
    """Information items from the follow-up of scaled-up pilots: each pilot with a follow-up due before
    the meeting, and each pilot with realised benefits that no harvest decision covers yet."""
    leaders = dict(session.execute(
        select(Pilot.id, User.name).join(User, User.id == Pilot.innovation_leader_id)).all())
    found = []
    seen: set[int] = set()
    for row in follow_up.due_follow_ups(session, before=meeting.date):
        if row.pilot_id in seen:
            continue
        seen.add(row.pilot_id)
        found.append(Suggestion(
            key=f"follow_up:{row.pilot_id}", kind=ItemKind.INFORMATION,
            title=_("Uppföljning av %(title)s (%(code)s)", title=row.pilot_title, code=row.pilot_code),
            presenter=leaders.get(row.pilot_id, ""),
            text=_("Uppföljningen %(date)s: %(measured)s av %(total)s mått uppmätta.", date=row.due_on.isoformat(),
                   measured=row.measured, total=row.indicators),
            pilot_id=row.pilot_id,
            reason=_("Uppföljning förfaller %(date)s.", date=row.due_on.isoformat()),
        ))
    gaps: dict[int, list] = {}
    for row in follow_up.unharvested_benefits(session):
        gaps.setdefault(row.pilot_id, []).append(row)
    for pilot_id, rows in gaps.items():
        total = sum(row.gap for row in rows)
        found.append(Suggestion(
            key=f"harvest:{pilot_id}", kind=ItemKind.INFORMATION,
            title=_("Effekthemtagning: %(title)s (%(code)s)", title=rows[0].pilot_title, code=rows[0].pilot_code),
            presenter=leaders.get(pilot_id, ""),
            text=_("Realiserad nytta som inget hemtagningsbeslut täcker: %(amount)s per år (%(names)s).",
                   amount=_money(total), names=", ".join(r.indicator_name for r in rows)),
            pilot_id=pilot_id,
            reason=_("Realiserad men inte hemtagen nytta."),
        ))
    return found


def _money(value) -> str:
    with _locale():
        return money(value)


def add_suggestion(session: Session, meeting: Meeting, key: str, actor: User) -> AgendaItem | None:
    """Add the suggestion named by `key`; None when it is no longer suggested."""
    chosen = next((s for s in suggestions(session, meeting) if s.key == key), None)
    if chosen is None:
        return None
    return add_item(session, meeting, ItemData(chosen.kind, chosen.title, chosen.presenter, chosen.text,
                                               chosen.pilot_id), actor)


# ------------------------------------------------------------------------------------------------
# The meeting pack
# ------------------------------------------------------------------------------------------------


def _agenda_fingerprint(meeting: Meeting) -> str:
    data = [(n, item.kind.value, item.title, item.presenter, item.text, item.pilot_id) for n, item in agenda(meeting)]
    head = [meeting.body, meeting.date.isoformat(), meeting.start_time.isoformat(), meeting.end_time.isoformat(),
            meeting.place]
    return hashlib.sha256(json.dumps([head, data], ensure_ascii=False).encode()).hexdigest()


def _pack_papers(session: Session, meeting: Meeting) -> list[tuple[int, AgendaItem, PaperVersion | None]]:
    """Each Beslut item tied to a pilot, with the pilot's newest paper version (None when it has none)."""
    return [(n, item, papers.latest(session, item.pilot)) for n, item in agenda(meeting)
            if item.kind is ItemKind.DECISION and item.pilot is not None]


def when_line(meeting: Meeting, language: str) -> str:
    """The day and time as the minutes write them: "Tisdagen den 8 december 2026, 13.00–16.00"."""
    with force_locale(language):
        if language == "sv":
            day = f"{format_date(meeting.date, 'EEEE').capitalize()}en den {meeting.date.day} " \
                  f"{format_date(meeting.date, 'MMMM y')}"
            times = f"{meeting.start_time:%H.%M}–{meeting.end_time:%H.%M}"
        else:
            day = format_date(meeting.date, "EEEE d MMMM y")
            times = f"{meeting.start_time:%H:%M}–{meeting.end_time:%H:%M}"
    return f"{day}, {times}"


def _meeting_facts(session: Session, meeting: Meeting, language: str) -> dict:
    """The plain values every meeting document starts with (no database object reaches a template)."""
    return dict(
        when=when_line(meeting, language), organisation=get_settings(session).organisation_name,
        body=meeting.body, date=meeting.date, start=meeting.start_time, end=meeting.end_time, place=meeting.place,
        secretary=meeting.secretary.name, participants=[p.user.name for p in meeting.participants],
    )


def _language(actor: User | None) -> str:
    return papers._language(actor)


def generate_pack(session: Session, meeting: Meeting, actor: User) -> MeetingDocument:
    """Render the agenda, put every Beslut item's newest paper after it, store the pack."""
    session.flush()
    language = _language(actor)
    with_papers = _pack_papers(session, meeting)
    paper_numbers = {item.id: version.number for _n, item, version in with_papers if version is not None}
    items = [
        dict(number=n, kind=item.kind.value, title=item.title, presenter=item.presenter, text=item.text,
             paper=paper_numbers.get(item.id))
        for n, item in agenda(meeting)
    ]
    agenda_pdf = render_document("meetings/pdf_agenda.html", language, m=_meeting_facts(session, meeting, language),
                                 items=items)
    parts = [PackPart(f"{n}. {item.title}", version.pdf) for n, item, version in with_papers if version is not None]
    pack = assemble_pack(_("Dagordning"), agenda_pdf, parts, meeting.title, language)
    number = (session.scalar(select(func.max(MeetingDocument.number)).where(
        MeetingDocument.meeting_id == meeting.id, MeetingDocument.kind == "pack")) or 0) + 1
    document = MeetingDocument(
        meeting_id=meeting.id, kind="pack", number=number,
        sources=",".join(str(version.id) for _n, _item, version in with_papers if version is not None),
        agenda_fingerprint=_agenda_fingerprint(meeting), pages=pack.pages,
        sha256=hashlib.sha256(pack.pdf).hexdigest(), size=len(pack.pdf), pdf=pack.pdf, created_by_id=actor.id,
    )
    session.add(document)
    session.flush()
    audit.record(session, actor, "generate", "meeting_document", document.id,
                 after={"meeting_id": meeting.id, "kind": "pack", "number": number, "sha256": document.sha256,
                        "pages": pack.pages, "sources": document.sources})
    return document


def latest_pack(session: Session, meeting: Meeting) -> MeetingDocument | None:
    return session.scalar(select(MeetingDocument).where(
        MeetingDocument.meeting_id == meeting.id, MeetingDocument.kind == "pack",
    ).order_by(MeetingDocument.number.desc()).limit(1))


def get_document(session: Session, meeting: Meeting, document_id: int) -> MeetingDocument | None:
    return session.scalar(select(MeetingDocument).where(
        MeetingDocument.id == document_id, MeetingDocument.meeting_id == meeting.id))


@dataclass
class PackStatus:
    """Whether the newest pack still shows the agenda and the papers as they stand."""

    pack: MeetingDocument | None
    agenda_changed: bool = False
    stale: list[str] = field(default_factory=list)  # what is out of date, in words

    @property
    def current(self) -> bool:
        return self.pack is not None and not self.agenda_changed and not self.stale


def pack_status(session: Session, meeting: Meeting) -> PackStatus:
    """The newest pack and what in it is out of date (agenda changed, a newer paper, a paper's data changed)."""
    pack = latest_pack(session, meeting)
    if pack is None:
        return PackStatus(None)
    status = PackStatus(pack, agenda_changed=pack.agenda_fingerprint != _agenda_fingerprint(meeting))
    in_pack = set(pack.paper_version_ids)
    for n, item, version in _pack_papers(session, meeting):
        if version is None:
            continue
        if version.id not in in_pack:
            status.stale.append(_("Punkt %(n)s: det finns en nyare version av beslutsunderlaget (version %(v)s).",
                                  n=n, v=version.number))
        elif not version.is_decision_copy and papers.is_out_of_date(session, item.pilot, version):
            status.stale.append(_("Punkt %(n)s: uppgifterna har ändrats sedan beslutsunderlaget togs fram.", n=n))
    return status


# ------------------------------------------------------------------------------------------------
# Decisions at the meeting
# ------------------------------------------------------------------------------------------------


def pack_paper_version(session: Session, meeting: Meeting, item: AgendaItem) -> PaperVersion | None:
    """The paper version of `item`'s pilot in the newest pack, else its newest paper."""
    pack = latest_pack(session, meeting)
    if pack is not None and item.pilot_id is not None:
        ids = pack.paper_version_ids
        version = session.scalar(select(PaperVersion).where(PaperVersion.id.in_(ids),
                                                             PaperVersion.pilot_id == item.pilot_id)) if ids else None
        if version is not None:
            return version
    return papers.latest(session, item.pilot) if item.pilot is not None else None


def at_item(data: process.DecisionData, item: AgendaItem) -> process.DecisionData:
    """The decision as taken at `item` (a Beslut item of a meeting)."""
    if item.kind is not ItemKind.DECISION or item.pilot_id is None:
        raise MeetingError("not_a_decision_item")
    return replace(data, agenda_item_id=item.id)


def decision_prefill(session: Session, meeting: Meeting, item: AgendaItem) -> dict:
    """What the decision form starts with for `item`: body and item, presenter, date, the pack's paper."""
    version = pack_paper_version(session, meeting, item)
    return dict(
        body=rules.decision_body(meeting.body, meeting.date, item_number(meeting, item)),
        presenter=item.presenter, decided_on=meeting.date, paper_version_id=str(version.id) if version else "",
    )


# ------------------------------------------------------------------------------------------------
# Minutes
# ------------------------------------------------------------------------------------------------


def save_minutes(session: Session, meeting: Meeting, present: dict[int, bool | None], notes: dict[int, str],
                 actor: User) -> None:
    """Write attendance (participant user id → present) and each item's note; refused once locked."""
    rules.check_editable(meeting.status)
    before = _minutes_snapshot(meeting)
    for participant in meeting.participants:
        if participant.user_id in present:
            participant.present = present[participant.user_id]
    for item in meeting.items:
        if item.id in notes:
            item.note = notes[item.id].strip()
    session.flush()
    audit.record(session, actor, "update_minutes", "meeting", meeting.id, before=before,
                 after=_minutes_snapshot(meeting))


def _minutes_snapshot(meeting: Meeting) -> dict:
    return {
        "present": sorted(p.user.name for p in meeting.participants if p.present),
        "absent": sorted(p.user.name for p in meeting.participants if p.present is False),
        "items": {f"{n}. {item.title}": item.note for n, item in agenda(meeting)},
    }


def minutes_versions(session: Session, meeting: Meeting) -> list[MinutesVersion]:
    return list(session.scalars(select(MinutesVersion).where(MinutesVersion.meeting_id == meeting.id)
                                .options(joinedload(MinutesVersion.locked_by))
                                .order_by(MinutesVersion.number.desc())))


def get_minutes_version(session: Session, meeting: Meeting, number: int) -> MinutesVersion | None:
    return session.scalar(select(MinutesVersion).where(MinutesVersion.meeting_id == meeting.id,
                                                       MinutesVersion.number == number))


def _decision_facts(decision: Decision) -> dict:
    return dict(text=decision.decision_text, maker=decision.decision_maker, case_number=decision.case_number,
                kind=decision.kind.value if decision.kind else "", delegation=decision.delegation_reference,
                decided_on=decision.decided_on)


def minutes_context(session: Session, meeting: Meeting, *, version: int, changes: list[rules.Change],
                    language: str) -> dict:
    """The plain values of the minutes PDF (DESIGN §8)."""
    decided = decisions_by_item(session, meeting)
    groups = []
    for kind in ItemKind:
        entries = [dict(number=n, title=item.title, presenter=item.presenter, text=item.text, note=item.note,
                        decision=_decision_facts(decided[item.id]) if item.id in decided else None)
                   for n, item in agenda(meeting) if item.kind is kind]
        if entries:
            groups.append(dict(kind=kind.value, items=entries))
    facts = _meeting_facts(session, meeting, language)
    present = [p.user.name for p in meeting.participants if p.present is not False]
    absent = [p.user.name for p in meeting.participants if p.present is False]
    return dict(m=facts, groups=groups, present=present, absent=absent, version=version, changes=changes,
                secretary_name=meeting.secretary.name)


def lock_minutes(session: Session, meeting: Meeting, actor: User) -> MinutesVersion:
    """Lock the minutes: render and store the next version (with what changed since the last one)
    and a minutes extract for every decision taken at the meeting. Refused when already locked."""
    if meeting.status is MeetingStatus.LOCKED:
        raise MeetingError("locked")
    session.flush()
    previous = session.scalar(select(MinutesVersion).where(MinutesVersion.meeting_id == meeting.id)
                              .order_by(MinutesVersion.number.desc()).limit(1))
    snapshot = _minutes_snapshot(meeting)
    changes = rules.minutes_changes(json.loads(previous.content), snapshot) if previous else []
    number = previous.number + 1 if previous else 1
    language = _language(actor)
    pdf = render_document("meetings/pdf_minutes.html", language,
                          **minutes_context(session, meeting, version=number, changes=changes, language=language))
    version = MinutesVersion(
        meeting_id=meeting.id, number=number, content=json.dumps(snapshot, ensure_ascii=False),
        changes=json.dumps([change.__dict__ for change in changes], ensure_ascii=False),
        sha256=hashlib.sha256(pdf).hexdigest(), size=len(pdf), pdf=pdf, locked_by_id=actor.id,
    )
    session.add(version)
    before = {"status": meeting.status}
    meeting.status = MeetingStatus.LOCKED
    session.flush()
    audit.record(session, actor, "lock_minutes", "meeting", meeting.id, before=before,
                 after={"status": meeting.status, "minutes_version": number, "sha256": version.sha256})
    for decision in decisions_by_item(session, meeting).values():
        _store_extract(session, meeting, version, decision, language, actor)
    return version


def _store_extract(session: Session, meeting: Meeting, version: MinutesVersion, decision: Decision,
                   language: str, actor: User) -> MeetingDocument:
    item = decision.agenda_item
    context = minutes_context(session, meeting, version=version.number, changes=[], language=language)
    entry = next(e for group in context["groups"] for e in group["items"] if e["number"] == item_number(meeting, item))
    pdf = render_document("meetings/pdf_extract.html", language, m=context["m"], present=context["present"],
                          absent=context["absent"], item=entry, kind=item.kind.value, version=version.number,
                          secretary_name=context["secretary_name"])
    number = (session.scalar(select(func.max(MeetingDocument.number)).where(
        MeetingDocument.meeting_id == meeting.id, MeetingDocument.kind == "extract")) or 0) + 1
    document = MeetingDocument(
        meeting_id=meeting.id, kind="extract", number=number, decision_id=decision.id, minutes_version_id=version.id,
        pages=page_count(pdf), sha256=hashlib.sha256(pdf).hexdigest(), size=len(pdf), pdf=pdf, created_by_id=actor.id,
    )
    session.add(document)
    session.flush()
    audit.record(session, actor, "generate", "meeting_document", document.id, pilot_id=decision.pilot_id,
                 after={"meeting_id": meeting.id, "kind": "extract", "decision_id": decision.id,
                        "sha256": document.sha256})
    return document


def extracts(session: Session, meeting: Meeting) -> list[MeetingDocument]:
    """The minutes extracts of the newest locked version, one per decision."""
    newest = session.scalar(select(func.max(MinutesVersion.id)).where(MinutesVersion.meeting_id == meeting.id))
    if newest is None:
        return []
    return list(session.scalars(select(MeetingDocument).where(
        MeetingDocument.meeting_id == meeting.id, MeetingDocument.kind == "extract",
        MeetingDocument.minutes_version_id == newest).order_by(MeetingDocument.number)))


def open_for_correction(session: Session, meeting: Meeting, actor: User) -> None:
    """Open locked minutes for a correction: the next lock stores a new version showing what changed."""
    if meeting.status is not MeetingStatus.LOCKED:
        raise MeetingError("not_locked")
    meeting.status = MeetingStatus.CORRECTING
    session.flush()
    audit.record(session, actor, "correct_minutes", "meeting", meeting.id, before={"status": "locked"},
                 after={"status": meeting.status})

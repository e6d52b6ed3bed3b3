"""Meetings: the agenda and its suggestions, the pack, decisions at the meeting, the minutes."""

from __future__ import annotations

import datetime as dt
import io
import json
import re

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from portfolio.domain.meetings import ItemKind, MeetingError, MeetingStatus
from portfolio.models import AuditEntry, Decision, MeetingDocument
from portfolio.papers.documents import PACK_PRODUCER, PackPart, assemble_pack, page_count, render_document
from portfolio.services import meetings, process
from portfolio.services.meetings import ItemData
from tests import factories
from tests.meeting_scenario import board, meeting_of, paper_pages, ready_pilot, reload  # noqa: F401
from tests.papers import pdf
from tests.process_scenario import decision_data


def _outline_titles(reader: PdfReader) -> list[tuple[str, int]]:
    return [(entry.title, reader.get_destination_page_number(entry)) for entry in reader.outline]


def _pdfa_identification(document: bytes) -> tuple[str, str]:
    """The PDF/A part and conformance the XMP metadata claims, as a validator reads them."""
    meta = pdf.metadata(document)
    part = re.search(r'pdfaid:part="(\d)"', meta)
    conformance = re.search(r'pdfaid:conformance="([ABU])"', meta)
    assert part and conformance, meta
    return part.group(1), conformance.group(1)


def test_a_pack_of_real_pdf_a_papers_is_pdf_a_3u_with_every_font_embedded_and_a_matching_xmp(app):
    """The parts are tagged PDF/A-3a as WeasyPrint writes the papers; the pack keeps what holds for the
    whole when they are merged: every font embedded with its Unicode map, the sRGB output intent, the
    XMP title and producer equal to the document information, a PDF 1.7 header and a file identifier,
    and no claim of a structure tree it does not have."""
    def paper(title: str, rows: int) -> bytes:
        return render_document("meetings/pdf_delegation.html", "sv", rows=[dict(
            decided_on=dt.date(2026, 12, 8), case_number=f"SFN 2026/{n}", text="Ledningsgruppen beslutar att "
            "piloten skalas upp.", pilot=title, maker="Anna Andersson", delegation="4.2", body="Ledningsgruppen",
            reported_at=None) for n in range(rows)], start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 31),
            organisation="Skol- och fritidsförvaltningen")

    parts = [PackPart("1. Laiban", paper("Laiban", 3)), PackPart("2. Skolfoto", paper("Skolfoto", 60))]
    assert all(_pdfa_identification(part.pdf) == ("3", "A") for part in parts)
    agenda = paper("Dagordning", 1)

    pack = assemble_pack("Dagordning", agenda, parts, "Ledningsgruppen 2026-12-08", "sv")

    assert pack.pdf.startswith(b"%PDF-1.7\n%")
    assert _pdfa_identification(pack.pdf) == ("3", "U")
    reader = PdfReader(io.BytesIO(pack.pdf), strict=True)  # no repair needed to read it
    root = reader.trailer["/Root"]
    metadata = root["/Metadata"].get_object()
    assert (metadata["/Type"], metadata["/Subtype"]) == ("/Metadata", "/XML") and "/Filter" not in metadata
    intent = root["/OutputIntents"][0]
    assert intent["/S"] == "/GTS_PDFA1" and "sRGB" in intent["/OutputConditionIdentifier"]
    assert intent["/DestOutputProfile"].get_data()[12:20] == b"mntrRGB "  # an ICC display profile in RGB
    meta = pdf.metadata(pack.pdf)
    info = pdf.info(pack.pdf)
    assert info["Title"] == "Ledningsgruppen 2026-12-08" and f">{info['Title']}<" in meta
    assert info["Producer"] == PACK_PRODUCER and f'pdf:Producer="{PACK_PRODUCER}"' in meta
    assert info["Tagged"] == "no" and "/StructTreeRoot" not in root and "/MarkInfo" not in root
    assert not any("/StructParents" in page for page in reader.pages)
    assert root["/Lang"] == "sv" and reader.trailer["/ID"][0]
    fonts = pdf.fonts(pack.pdf)
    assert fonts and all(f["emb"] == "yes" and f["uni"] == "yes" for f in fonts), fonts
    # The parts' pages, outline and page numbers are still all there.
    sizes = [page_count(agenda), *(page_count(part.pdf) for part in parts)]
    assert pack.pages == len(reader.pages) == sum(sizes) and sizes[2] > 1
    assert _outline_titles(reader) == [("Dagordning", 0), ("1. Laiban", sizes[0]),
                                       ("2. Skolfoto", sizes[0] + sizes[1])]
    assert f"sida {pack.pages} av {pack.pages}" in pdf.text(pack.pdf, pack.pages)
    assert "Skolfoto" in pdf.text(pack.pdf, pack.pages)  # the part's own text is still extractable


def test_the_agenda_suggests_ready_pilots_numbers_items_through_the_meeting_and_reorders(db, board, paper_pages):
    laiban = ready_pilot(db, board["cecilia"], "Laiban")
    not_ready = factories.make_pilot(db, leader=board["cecilia"])
    meeting = meeting_of(db, board)

    suggested = meetings.suggestions(db, meeting)
    assert [s.pilot_id for s in suggested] == [laiban.id]
    assert suggested[0].kind is ItemKind.DECISION and suggested[0].presenter == "Cecilia Ceder"
    assert not_ready.id not in {s.pilot_id for s in suggested}

    dialog = meetings.add_item(db, meeting, ItemData(ItemKind.DIALOGUE, "Innovation och digitalisering"),
                               board["anna"])
    info = meetings.add_item(db, meeting, ItemData(ItemKind.INFORMATION, "Effekthemtagning", "Elsa Ekonom"),
                             board["anna"])
    item = meetings.add_suggestion(db, meeting, suggested[0].key, board["cecilia"])
    meeting = reload(db, meeting)
    # Beslut first, then Information, then Dialog, whatever order they were added in.
    assert [(n, i.title) for n, i in meetings.agenda(meeting)] == [
        (1, "Uppskalning av Laiban (" + laiban.code + ")"), (2, "Effekthemtagning"),
        (3, "Innovation och digitalisering")]
    assert meetings.suggestions(db, meeting) == []  # added once, no longer suggested

    second = meetings.add_item(db, meeting, ItemData(ItemKind.INFORMATION, "Budget"), board["anna"])
    meetings.move_item(db, meeting, second, "up", board["anna"])
    meeting = reload(db, meeting)
    assert [i.title for _n, i in meetings.agenda(meeting)][1:3] == ["Budget", "Effekthemtagning"]
    prefill = meetings.decision_prefill(db, meeting, meetings.get_meeting(db, meeting.id).items[2])
    assert prefill["body"] == "Ledningsgruppen 2026-12-08, punkt 1"
    assert prefill["presenter"] == "Cecilia Ceder"
    assert {dialog.id, info.id, item.id} <= {i.id for i in meeting.items}


def test_the_pack_is_the_agenda_then_every_paper_with_an_outline_and_page_numbers_through_it(db, board, paper_pages):
    first = ready_pilot(db, board["cecilia"], "Laiban")  # its final paper: 3 pages (a draft of 2 came first)
    second = ready_pilot(db, board["cecilia"], "Skolfoto")  # 5 pages
    meeting = meeting_of(db, board)
    for suggestion in meetings.suggestions(db, meeting):
        meetings.add_suggestion(db, meeting, suggestion.key, board["cecilia"])
    meetings.add_item(db, meeting, ItemData(ItemKind.DIALOGUE, "Gruppdialog"), board["cecilia"])
    meeting = reload(db, meeting)

    document = meetings.generate_pack(db, meeting, board["cecilia"])

    reader = PdfReader(io.BytesIO(document.pdf))
    paper_pages_ = [len(PdfReader(io.BytesIO(meetings.papers.latest(db, p).pdf)).pages) for p in (first, second)]
    agenda_pages = len(reader.pages) - sum(paper_pages_)
    assert paper_pages_ == [3, 5]
    assert agenda_pages >= 1
    assert document.pages == len(reader.pages) == agenda_pages + 8
    titles = _outline_titles(reader)
    assert titles == [("Dagordning", 0), (f"1. Uppskalning av Laiban ({first.code})", agenda_pages),
                      (f"2. Uppskalning av Skolfoto ({second.code})", agenda_pages + 3)]
    # The page numbers run through the pack, on the papers' pages too.
    last = reader.pages[-1].extract_text()
    assert f"sida {document.pages} av {document.pages}" in last
    assert "Ledningsgruppen 2026-12-08" in last
    assert document.sha256 == __import__("hashlib").sha256(document.pdf).hexdigest()
    # PDF/A-3u like the archive wants it: identification, output intent, language, file identifier.
    assert _pdfa_identification(document.pdf) == ("3", "U")
    assert reader.trailer["/Root"]["/Lang"] == "sv" and len(reader.trailer["/ID"]) == 2
    assert reader.trailer["/Root"]["/OutputIntents"][0]["/S"] == "/GTS_PDFA1"
    assert reader.metadata.title == meeting.title == pdf.info(document.pdf)["Title"]
    agenda_text = pdf.text(document.pdf, 1)
    assert "Dagordning" in agenda_text and "Gruppdialog" in agenda_text and "Föredragande: Cecilia Ceder" in agenda_text

    assert meetings.pack_status(db, meeting).current
    meetings.generate_pack  # noqa: B018 - the pack is stored: a later change shows on the meeting page
    first.need = "Ett ändrat behov"
    db.flush()
    status = meetings.pack_status(db, meeting)
    assert not status.current and len(status.stale) == 1 and "Punkt 1" in status.stale[0]


def _decide(db, meeting, item, pilot, board, **changes):
    data = meetings.at_item(decision_data(db, pilot, **changes), item)
    return process.record_decision(db, pilot, data, board["anna"])


def test_minutes_read_like_the_handwritten_ones_lock_refuse_edits_and_a_correction_is_a_new_version(
        db, board, paper_pages):
    laiban = ready_pilot(db, board["cecilia"], "Laiban")
    meeting = meeting_of(db, board)
    decision_item = meetings.add_suggestion(db, meeting, meetings.suggestions(db, meeting)[0].key, board["cecilia"])
    meetings.add_item(db, meeting, ItemData(ItemKind.INFORMATION, "Effekthemtagning: uppföljning efter 12 månader",
                                            "Elsa Ekonom", "Redovisning av realiserad nytta."), board["cecilia"])
    meetings.add_item(db, meeting, ItemData(ItemKind.DIALOGUE, "Hur ska innovation och digitalisering förstärka "
                                            "varandra?", "", "Gruppdialog."), board["cecilia"])
    meeting = reload(db, meeting)
    decision = _decide(db, meeting, decision_item, laiban, board,
                       decision_text="Ledningsgruppen beslutar att Laiban införs i samtliga förskolor.",
                       body="Ledningsgruppen 2026-12-08, punkt 1", kind="delegation")
    assert decision.agenda_item_id == decision_item.id
    dialog = next(i for i in meeting.items if i.kind is ItemKind.DIALOGUE)
    meetings.save_minutes(db, meeting, {board["david"].id: False}, {dialog.id: "Synpunkterna sammanställs."},
                          board["cecilia"])

    version = meetings.lock_minutes(db, meeting, board["cecilia"])

    text = pdf.text(version.pdf)
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    assert "Skol- och fritidsförvaltningen" in lines[0] and "2026-12-08" in lines[0]
    assert "Tisdagen den 8 december 2026, 13.00–16.00" in text and "Plats: Jupiter" in text
    assert "Deltagare: Anna Andersson, Bertil Berg, Cecilia Ceder (sekr)" in text
    assert "Frånvarande: David Dahl" in text
    beslut, information, dialog_at = lines.index("Beslut"), lines.index("Information"), lines.index("Dialog")
    assert beslut < information < dialog_at
    under_beslut = " ".join(lines[beslut:information])
    assert f"1. Uppskalning av Laiban ({laiban.code})" in under_beslut
    assert "Föredragande: Cecilia Ceder" in under_beslut
    assert "Ledningsgruppen beslutar att Laiban införs i samtliga förskolor." in under_beslut
    under_information = " ".join(lines[information:dialog_at])
    assert "2. Effekthemtagning: uppföljning efter 12 månader" in under_information
    assert "Föredragande: Elsa Ekonom" in under_information
    assert "Synpunkterna sammanställs." in " ".join(lines[dialog_at:])
    assert lines[-2:] == ["Vid anteckningarna", "Cecilia Ceder"] or "Vid anteckningarna" in lines[-3]
    assert pdf.info(version.pdf)["Tagged"] == "yes"
    extracts = meetings.extracts(db, meeting)
    assert [e.decision_id for e in extracts] == [decision.id]
    assert "Protokollsutdrag" in pdf.text(extracts[0].pdf) and "Laiban införs" in pdf.text(extracts[0].pdf)

    with pytest.raises(MeetingError):
        meetings.save_minutes(db, meeting, {}, {dialog.id: "Ändrat i efterhand"}, board["cecilia"])
    with pytest.raises(MeetingError):
        meetings.add_item(db, meeting, ItemData(ItemKind.DIALOGUE, "Sent tillägg"), board["cecilia"])

    meetings.open_for_correction(db, meeting, board["cecilia"])
    meetings.save_minutes(db, meeting, {board["david"].id: True}, {}, board["cecilia"])
    corrected = meetings.lock_minutes(db, meeting, board["cecilia"])
    assert corrected.number == 2 and meeting.status is MeetingStatus.LOCKED
    assert json.loads(corrected.changes) == [
        {"what": "attendance", "label": "David Dahl", "before": "absent", "after": "present"}]
    assert "Rättelse: ändrat sedan version 1" in pdf.text(corrected.pdf)
    assert "Frånvarande" not in pdf.text(corrected.pdf)
    assert meetings.get_minutes_version(db, meeting, 1).sha256 == version.sha256  # the first version kept
    assert db.scalar(select(AuditEntry).where(AuditEntry.action == "lock_minutes")) is not None


def test_an_item_with_a_decision_cannot_be_removed(db, board, monkeypatch):
    monkeypatch.setattr(meetings.papers, "render_pdf", lambda context: b"%PDF stand-in" + context.fingerprint.encode())
    laiban = ready_pilot(db, board["cecilia"], "Laiban")
    meeting = meeting_of(db, board)
    item = meetings.add_suggestion(db, meeting, meetings.suggestions(db, meeting)[0].key, board["cecilia"])
    _decide(db, meeting, item, laiban, board)
    with pytest.raises(MeetingError, match="item_decided"):
        meetings.remove_item(db, meeting, item, board["cecilia"])
    assert db.scalar(select(Decision).where(Decision.agenda_item_id == item.id)) is not None
    assert db.scalar(select(MeetingDocument)) is None


def test_follow_ups_due_before_the_meeting_are_suggested_as_information_items(db, board):
    pilot = factories.make_pilot(db, leader=board["cecilia"], title="Laiban")
    decision = factories.make_decision(db, pilot, recorded_by=board["anna"], decided_on=dt.date(2025, 12, 1))
    factories.make_follow_ups(db, pilot, decision, [dt.date(2026, 6, 1), dt.date(2026, 12, 1), dt.date(2027, 12, 1)])
    meeting = meeting_of(db, board)  # 2026-12-08

    suggested = [s for s in meetings.suggestions(db, meeting) if s.kind is ItemKind.INFORMATION]

    assert [(s.title, s.presenter) for s in suggested] == [(f"Uppföljning av Laiban ({pilot.code})", "Cecilia Ceder")]
    assert "2026-06-01" in suggested[0].text
    meetings.add_suggestion(db, meeting, suggested[0].key, board["cecilia"])
    assert [s for s in meetings.suggestions(db, reload(db, meeting)) if s.kind is ItemKind.INFORMATION] == []

"""The decision paper as its readers get it: the PDF a leader generates, downloads and archives.

Each test here renders real PDFs (about a second each), so there are few of them; the checks read
the PDF with the tools an archivist would use (pdftotext, pdfinfo, pdffonts).
"""

from __future__ import annotations

import hashlib
import io
import re
import socket
import threading
from decimal import Decimal
from pathlib import Path

import pytest
from pypdf import PdfReader
from pypdf.generic import IndirectObject
from sqlalchemy import select

from portfolio import demo
from portfolio.domain.roles import Role
from portfolio.i18n import money, number
from portfolio.models import AuditEntry, PaperVersion, Pilot, User
from portfolio.services import papers
from tests import factories
from tests.conftest import login

from . import pdf as read

#: What every paper says, in the order of DESIGN §6 (the Swedish headings and labels).
SECTIONS = [
    "Diarienummer", "Datum", "Version", "Beslutsunderlag: uppskalning av",
    "Sammanfattning och förslag till beslut", "Förslag till beslut",
    "Vad föreslås?", "Vad kostar det?", "Vad ger det?", "Hur säkert är det?",
    "Bakgrund", "Behov eller utmaning", "Idébärare", "Strategiska mål",
    "Steg 1: Effektmål och mått", "Mätmetod", "Utgångsvärde", "Målvärde",
    "Steg 2: Resultat från testet", "Måluppfyllelse", "Sammanfattning av resultaten", "Lärdomar",
    "Steg 3: Effekthemtagning och kostnader", "Kostnader per år och kategori", "Värderad nytta per nyttoklass",
    "Kassaflödesvy", "Fullt värde", "Nuvärde (NPV)", "Återbetalningsår", "Nytta/kostnad-kvot",
    "Känslighetsanalys", "Ej värderade effekter",
    "Implementeringsplan", "Ansvar under livscykeln", "Enheter för införandet", "Tidplan", "Risker",
    "Kontrollpunkter",
    "Steg 4: Beslut", "Beslutsfattare",
]


def _payback(view: dict) -> str:
    return "ingen inom horisonten" if view["payback_year"] is None else str(view["payback_year"])


def test_the_demo_laiban_paper_is_an_archival_pdf_with_every_section_and_the_pages_figures(app, client, db,
                                                                                             monkeypatch):
    with monkeypatch.context() as patch:  # the demo's own papers are not what this test reads
        patch.setattr(papers, "render_pdf", lambda context: b"%PDF-1.7 stand-in")
        demo.seed(db)
    db.commit()
    laiban = db.scalar(select(Pilot).where(Pilot.title.startswith("Laiban")))
    leader = db.get(User, laiban.innovation_leader_id)
    login(client, leader, demo.PASSWORD)
    before = len(papers.versions(db, laiban))

    response = client.post(f"/pilots/{laiban.code}/papers")
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    number_ = before + 1
    link_text = re.sub(r"<[^>]+>", "", page)  # the link's text, as a screen reader reads it
    assert f"Ladda ned version {number_} (PDF" in link_text
    download = client.get(f"/pilots/{laiban.code}/papers/{number_}.pdf")
    assert download.status_code == 200
    assert download.headers["Content-Type"] == "application/pdf"
    assert download.headers["Cache-Control"] == "no-store"
    assert f'filename="{laiban.code}-beslutsunderlag-v{number_}.pdf"' in download.headers["Content-Disposition"]
    pdf = download.data
    stored = papers.get_version(db, laiban, number_)
    assert hashlib.sha256(pdf).hexdigest() == stored.sha256 == hashlib.sha256(stored.pdf).hexdigest()
    assert stored.data_fingerprint == papers.fingerprint(db, laiban)

    text = read.text(pdf)
    position = 0
    for section in SECTIONS:  # every section, in the order of DESIGN §6
        found = text.find(section, position)
        assert found >= 0, f"the paper lacks {section!r} (after position {position})"
        position = found

    # NPV, payback and BCR of both views are the API's figures, formatted as on the economics page.
    data = client.get(f"/api/v1/pilots/{laiban.code}/economics").get_json()
    cash, full = data["views"]["cash"], data["views"]["full"]
    with app.test_request_context():
        npv = [money(Decimal(view["npv"])) for view in (cash, full)]
        bcr = [number(Decimal(view["bcr"]), 2) for view in (cash, full)]
    first_page = read.squash(read.text(pdf, page=1).replace("\u00a0", " "))
    assert f"Nuvärde (NPV) {npv[0]} {npv[1]}".replace("\u00a0", " ") in first_page
    assert f"Återbetalningsår {_payback(cash)} {_payback(full)}" in first_page
    assert f"Nytta/kostnad-kvot {bcr[0]} {bcr[1]}" in first_page
    assert "Vad kostar det?" in first_page and "Hur säkert är det?" in first_page  # before any detail

    info = read.info(pdf)
    pages = int(info["Pages"])
    assert pages <= 8
    assert info["Tagged"] == "yes"
    assert info["Title"] == f"Beslutsunderlag: uppskalning av {laiban.title}"
    assert info["Page size"].startswith("595.276 x 841.89")  # A4
    meta = read.metadata(pdf)
    assert 'pdfaid:part="3"' in meta and 'pdfaid:conformance="A"' in meta
    assert PdfReader(io.BytesIO(pdf)).trailer["/Root"]["/Lang"] == "sv"
    fonts = read.fonts(pdf)
    assert fonts and all(font["emb"] == "yes" for font in fonts), fonts
    assert any("Source-Sans-3" in font["name"] for font in fonts)
    for page_number in range(1, pages + 1):  # the footer of every page
        page_text = read.text(pdf, page=page_number)
        assert f"{laiban.code} · version {number_}" in page_text
        assert f"sida {page_number} av {pages}" in page_text
        assert stored.data_fingerprint[:12] in page_text


class Listener:
    """A real TCP listener on 127.0.0.1 that records every connection made to it."""

    def __init__(self):
        self.socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.socket.bind(("127.0.0.1", 0))
        self.socket.listen()
        self.socket.settimeout(0.2)
        self.port = self.socket.getsockname()[1]
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self):
        while not self._stop.is_set():
            try:
                connection, _address = self.socket.accept()
            except OSError:
                continue
            self.connections += 1
            connection.close()

    def close(self):
        self._stop.set()
        self._thread.join()
        self.socket.close()


@pytest.fixture
def listener():
    server = Listener()
    yield server
    server.close()


def _all_stream_bytes(pdf: bytes) -> bytes:
    """Every object of the PDF, streams decompressed: where a fetched file's content would be."""
    reader = PdfReader(io.BytesIO(pdf))
    chunks = []
    for number_ in range(1, int(reader.trailer["/Size"])):
        try:
            obj = reader.get_object(IndirectObject(number_, 0, reader))
        except Exception:  # noqa: BLE001 - free or unreadable entries hold nothing
            continue
        if hasattr(obj, "get_data"):
            chunks.append(obj.get_data())
        else:
            chunks.append(repr(obj).encode())
    return b"\n".join(chunks)


def test_markup_and_urls_in_user_text_are_printed_as_text_and_never_fetched(client, db, people, listener):
    local = f"http://127.0.0.1:{listener.port}/"
    texts = {
        "img": '<img src="file:///etc/passwd">',
        "link": '<link rel=stylesheet href="file:///etc/passwd">',
        "url": local,
        "img_local": f'<img src="{local}pixel.png">',
        "style": f"<style>@import url({local}style.css);</style>",
    }
    leader = people[Role.INNOVATION_LEADER]
    pilot = factories.make_pilot(db, leader=leader, title=f"Pilot {texts['img_local']}", need=texts["img"],
                                 description=texts["link"], idea_bearer=texts["url"], results_summary=texts["style"])
    goal = factories.make_effect_goal(db, pilot, statement=texts["link"])
    factories.make_indicator(db, goal, name=texts["img"], measurement_method=texts["style"], data_source=local)
    db.commit()
    login(client, leader)

    assert client.post(f"/pilots/{pilot.code}/papers").status_code == 303
    pdf = db.scalar(select(PaperVersion).where(PaperVersion.pilot_id == pilot.id)).pdf

    flowing = re.sub(r"\s+", " ", read.text(pdf))
    for name, value in texts.items():
        assert value in flowing, f"the {name} text is not printed as text"
    assert listener.connections == 0
    passwd = Path("/etc/passwd").read_text(encoding="utf-8").splitlines()[0]
    assert passwd and passwd not in flowing
    assert passwd.encode() not in _all_stream_bytes(pdf)
    # A pilot in test: a draft, and every page says so.
    for page_number in range(1, int(read.info(pdf)["Pages"]) + 1):
        assert "UTKAST" in read.text(pdf, page=page_number)


def test_generating_stores_the_pdf_unchanged_with_its_hash_for_the_pilots_leader_only(client, db, people):
    leader = people[Role.INNOVATION_LEADER]
    pilot = factories.make_pilot(db, leader=leader)
    other_leader = factories.make_user(db, roles=[Role.INNOVATION_LEADER])
    db.commit()

    login(client, other_leader)
    assert client.post(f"/pilots/{pilot.code}/papers").status_code == 403
    assert papers.versions(db, pilot) == []

    client.post("/logout")
    login(client, leader)
    client.post(f"/pilots/{pilot.code}/papers")
    client.post("/language", data={"language": "en"})  # the second version in the leader's new language
    client.post(f"/pilots/{pilot.code}/papers", data={"back": "papers"})
    first, second = sorted(papers.versions(db, pilot), key=lambda v: v.number)
    assert (first.number, second.number) == (1, 2)
    assert first.is_draft and not first.is_decision_copy and first.language == "sv"
    assert second.language == "en" and read.info(second.pdf)["Title"].startswith("Decision basis: scale-up of")
    assert PdfReader(io.BytesIO(second.pdf)).trailer["/Root"]["/Lang"] == "en"
    assert first.data_fingerprint == second.data_fingerprint  # the same data, whatever the language
    for version in (first, second):
        served = client.get(f"/pilots/{pilot.code}/papers/{version.number}.pdf").data
        assert served == version.pdf and hashlib.sha256(served).hexdigest() == version.sha256
    entries = db.scalars(select(AuditEntry).where(AuditEntry.entity == "paper_version")).all()
    assert [(e.action, e.actor_id, e.after["number"], e.after["sha256"]) for e in entries] == [
        ("generate", leader.id, 1, first.sha256), ("generate", leader.id, 2, second.sha256)]


def test_the_command_line_writes_the_current_paper_or_a_stored_version(app, db, runner, tmp_path):
    pilot = factories.make_pilot(db, title="Digital närvaro")
    stored = factories.make_paper_version(db, pilot, number=1, pdf=b"%PDF-1.7 the archived bytes")
    db.commit()

    current = tmp_path / "current.pdf"
    result = runner.invoke(args=["paper", pilot.code, "-o", str(current), "--language", "en"])
    assert result.exit_code == 0, result.output
    assert read.info(current.read_bytes())["Title"] == "Decision basis: scale-up of Digital närvaro"
    assert len(papers.versions(db, pilot)) == 1  # writing the current paper stores nothing

    archived = tmp_path / "v1.pdf"
    result = runner.invoke(args=["paper", pilot.code, "-o", str(archived), "--version", "1"])
    assert result.exit_code == 0, result.output
    assert archived.read_bytes() == stored.pdf

    result = runner.invoke(args=["paper", "INN-1999-999", "-o", str(archived)])
    assert result.exit_code != 0 and "No pilot with code INN-1999-999" in result.output

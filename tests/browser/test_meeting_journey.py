"""A whole management group meeting in a real browser, with axe-core on every page on the way.

A management group member creates the meeting; the secretary builds the agenda from the suggestions
in a few clicks and makes the meeting pack, which is downloaded; the member decides two pilots from
the meeting page; the secretary writes the minutes (attendance, a note) and locks them; the minutes
PDF shows every item under its kind.
"""

from __future__ import annotations

import datetime as dt
import re
import urllib.error
import urllib.request

import pytest
from playwright.sync_api import expect

from portfolio.domain.roles import Role
from tests import factories
from tests.meeting_scenario import paper_pages, ready_pilot  # noqa: F401
from tests.papers import pdf

from .pages import assert_accessible, log_in, visit

pytestmark = pytest.mark.browser


def submit(page, button, *, status: int = 200, where: str) -> None:
    with page.expect_navigation() as navigation:
        page.get_by_role("button", name=button, exact=isinstance(button, str)).click()
    assert navigation.value is not None and navigation.value.status == status, (where, navigation.value.status)
    assert_accessible(page, where)


def download(page, link_name) -> bytes:
    with page.expect_download() as info:
        page.get_by_role("link", name=link_name).click()
    path = info.value.path()
    with open(path, "rb") as handle:
        return handle.read()


def test_a_meeting_from_agenda_to_locked_minutes(new_page, db, paper_pages):
    anna = factories.make_user(db, roles=[Role.MANAGEMENT], name="Anna Andersson")
    bertil = factories.make_user(db, roles=[Role.MANAGEMENT], name="Bertil Berg")
    cecilia = factories.make_user(db, roles=[Role.INNOVATION_LEADER], name="Cecilia Ceder")
    laiban = ready_pilot(db, cecilia, "Laiban")
    skolfoto = ready_pilot(db, cecilia, "Skolfoto")
    db.commit()

    # A management group member creates the meeting and names the secretary.
    boss = new_page()
    log_in(boss, anna)
    visit(boss, "/meetings")
    boss.get_by_role("link", name="Nytt möte").click()
    boss.wait_for_url(re.compile("/meetings/new"))
    assert_accessible(boss, "the new meeting form")
    boss.get_by_label("Datum").fill("2026-12-08")
    boss.get_by_label("Börjar").fill("13:00")
    boss.get_by_label("Slutar").fill("16:00")
    boss.get_by_label("Plats").fill("Jupiter")
    boss.get_by_label("Sekreterare").select_option(label="Cecilia Ceder")
    boss.get_by_label("Bertil Berg").check()
    submit(boss, "Spara mötet", where="the meeting page after creating it")
    meeting_url = boss.url.split("#")[0]

    # The secretary builds the agenda from the suggestions: one click each.
    secretary = new_page()
    log_in(secretary, cecilia)
    visit(secretary, meeting_url)
    for title in (f"Uppskalning av Laiban ({laiban.code})", f"Uppskalning av Skolfoto ({skolfoto.code})"):
        submit(secretary, re.compile(f"Lägg till.*{re.escape(title)}"), where=f"the meeting page after adding {title}")
    secretary.get_by_label("Typ av punkt").select_option(label="Dialog")
    secretary.get_by_label("Rubrik").fill("Hur ska innovation och digitalisering förstärka varandra?")
    submit(secretary, "Lägg till punkten", where="the meeting page after adding a dialogue item")
    expect(secretary.get_by_text("Inget väntar på ledningsgruppen just nu.")).to_be_visible()
    submit(secretary, "Ta fram mötesunderlaget", where="the meeting page with its pack")
    pack = download(secretary, re.compile("Ladda ned mötesunderlaget"))
    assert pdf.info(pack)["Pages"] == str(1 + 3 + 5)  # a one-page agenda, then the papers (3 and 5 pages)
    expect(secretary.get_by_role("link", name=re.compile(r"mötesunderlaget \(PDF, 9 sidor\)"))).to_be_visible()
    assert "Dagordning" in pdf.text(pack, 1)

    # The meeting decides both pilots from the meeting page.
    visit(boss, meeting_url)
    for number, case in ((1, "SFF 2026/301"), (2, "SFF 2026/302")):
        boss.get_by_role("link", name=f"Registrera beslut om punkt {number}").click()
        boss.wait_for_url(re.compile("/decision"))
        assert_accessible(boss, f"the decision form of item {number}")
        expect(boss.get_by_label("Organ eller möte")).to_have_value(f"Ledningsgruppen 2026-12-08, punkt {number}")
        boss.get_by_label("Skala upp").check()
        boss.get_by_label("Beslutstext").fill("Förvaltningsdirektören beslutar att lösningen införs.")
        boss.get_by_label("Beslutsfattare").fill("Karin Berg, förvaltningsdirektör")
        boss.get_by_label("Diarienummer").fill(case)
        boss.get_by_label("Delegationsbeslut").check()
        boss.get_by_label("Punkt i delegationsordningen").fill("Punkt 1.3")
        boss.get_by_label("Ditt lösenord").fill(factories.PASSWORD)
        submit(boss, "Registrera beslutet", where=f"the meeting page after deciding item {number}")
        expect(boss.get_by_text(f"Beslutet är registrerat ({case}).")).to_be_visible()

    # The secretary writes the minutes and locks them.
    visit(secretary, meeting_url)
    secretary.get_by_label("Bertil Berg: Frånvarande").check()
    secretary.get_by_label(re.compile("Anteckning, punkt 3")).fill("Synpunkterna sammanställs till nästa möte.")
    submit(secretary, "Spara anteckningarna", where="the meeting page after saving the notes")
    submit(secretary, "Lås protokollet", where="the meeting page with locked minutes")
    expect(secretary.get_by_text("Protokollet är låst (version 1).")).to_be_visible()
    minutes = pdf.text(download(secretary, "Protokoll version 1 (PDF)"))
    assert "Frånvarande: Bertil Berg" in minutes
    assert minutes.index("Beslut") < minutes.index(f"2. Uppskalning av Skolfoto ({skolfoto.code})") < minutes.index(
        "Dialog") < minutes.index("Synpunkterna sammanställs")
    assert minutes.count("Förvaltningsdirektören beslutar att lösningen införs.") == 2
    assert "Vid anteckningarna" in minutes
    expect(secretary.get_by_role("button", name="Spara anteckningarna")).to_have_count(0)


def test_a_member_subscribes_to_the_meetings_from_the_year_wheel_and_revokes_the_address(new_page, db, live_server):
    anna = factories.make_user(db, roles=[Role.MANAGEMENT], name="Anna Andersson")
    factories.make_meeting(db, secretary=anna, date=dt.date(2026, 12, 8), place="Jupiter")
    db.commit()

    page = new_page()
    log_in(page, anna)
    visit(page, "/year-wheel?year=2026")
    page.get_by_role("link", name="Kalenderadress under Mitt konto").click()
    page.wait_for_url(re.compile("/account"))
    assert_accessible(page, "Mitt konto, before making a calendar address")
    submit(page, "Skapa kalenderadress", status=201, where="the new calendar address")
    address = page.get_by_label("Kalenderadress").input_value()
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+/calendar/ipc_[A-Za-z0-9_-]{40,}\.ics", address), address

    # A calendar program fetches it without signing in.
    with urllib.request.urlopen(address, timeout=10) as response:
        feed = response.read().decode()
    assert "SUMMARY:Ledningsgruppen 2026-12-08" in feed and "LOCATION:Jupiter" in feed

    page.get_by_role("link", name=re.compile("tillbaka till Mitt konto")).click()
    page.wait_for_url(re.compile("/account"))
    assert_accessible(page, "Mitt konto with a live calendar address")
    assert address not in page.content()
    submit(page, "Återkalla kalenderadressen", where="Mitt konto after revoking the calendar address")
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(address, timeout=10)
    refused.value.close()
    assert refused.value.code == 404

"""Meetings on the web: who creates them and keeps the minutes, the agenda from suggestions, a decision
from the meeting page, locked minutes refuse edits, the delegation report, the year wheel, the calendar."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import select

from portfolio.domain.meetings import ItemKind, MeetingStatus
from portfolio.domain.process import DecisionOutcome
from portfolio.domain.roles import Role
from portfolio.models import Decision, Meeting
from portfolio.services import meetings, papers
from tests import factories
from tests.conftest import login
from tests.meeting_scenario import board, meeting_of, paper_pages, ready_pilot  # noqa: F401
from tests.papers import pdf


def test_a_management_group_member_creates_a_meeting_and_an_innovation_leader_may_not(app, db, board):
    leader_client, boss_client = app.test_client(), app.test_client()
    login(leader_client, board["cecilia"])
    login(boss_client, board["anna"])
    form = {"body": "Ledningsgruppen", "date": "2026-12-08", "start_time": "13:00", "end_time": "16:00",
            "place": "Jupiter", "secretary": str(board["cecilia"].id),
            "participants": [str(board["anna"].id), str(board["bertil"].id)]}

    assert leader_client.post("/meetings/new", data=form).status_code == 403
    wrong = boss_client.post("/meetings/new", data=form | {"end_time": "12:00"})
    assert wrong.status_code == 422 and "Mötet måste sluta efter att det börjar." in wrong.get_data(as_text=True)
    response = boss_client.post("/meetings/new", data=form)

    assert response.status_code == 303
    meeting = db.scalar(select(Meeting))
    assert meeting.title == "Ledningsgruppen 2026-12-08" and meeting.secretary_id == board["cecilia"].id
    assert {p.user_id for p in meeting.participants} == {board["anna"].id, board["bertil"].id, board["cecilia"].id}


def test_the_secretary_builds_the_agenda_and_another_leader_may_not(app, db, board, paper_pages):
    laiban = ready_pilot(db, board["cecilia"], "Laiban")
    meeting = meeting_of(db, board)
    other = factories.make_user(db, roles=[Role.INNOVATION_LEADER], name="Annan ledare")
    db.commit()
    secretary, outsider = app.test_client(), app.test_client()
    login(secretary, board["cecilia"])
    login(outsider, other)

    page = secretary.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    assert f"Uppskalning av Laiban ({laiban.code})" in page and "Lägg till" in page
    assert outsider.post(f"/meetings/{meeting.id}/suggestions", data={"key": f"paper:{laiban.id}"}).status_code == 403
    assert "Lägg till" not in outsider.get(f"/meetings/{meeting.id}").get_data(as_text=True)

    assert secretary.post(f"/meetings/{meeting.id}/suggestions", data={"key": f"paper:{laiban.id}"}).status_code == 303
    secretary.post(f"/meetings/{meeting.id}/items", data={"kind": "decision", "title": "Budget 2027", "pilot": ""})
    db.expire_all()
    items = meetings.agenda(meetings.get_meeting(db, meeting.id))
    assert [i.title for _n, i in items] == [f"Uppskalning av Laiban ({laiban.code})", "Budget 2027"]
    secretary.post(f"/meetings/{meeting.id}/items/{items[1][1].id}/move", data={"direction": "up"})
    db.expire_all()
    assert [i.title for _n, i in meetings.agenda(meetings.get_meeting(db, meeting.id))][0] == "Budget 2027"
    edit = f"/meetings/{meeting.id}/items/{items[1][1].id}/edit"
    assert 'value="Budget 2027"' in secretary.get(edit).get_data(as_text=True)
    assert outsider.post(edit, data={"kind": "information", "title": "Kapad"}).status_code == 403
    assert secretary.post(edit, data={"kind": "information", "title": "Budget 2027", "presenter": "Elsa Ekonom",
                                      "pilot": ""}).status_code == 303
    db.expire_all()
    agenda = meetings.agenda(meetings.get_meeting(db, meeting.id))
    assert [(i.kind, i.title, i.presenter) for _n, i in agenda][1] == (ItemKind.INFORMATION, "Budget 2027",
                                                                         "Elsa Ekonom")


def test_a_decision_recorded_from_the_meeting_page_is_prefilled_and_names_the_item(app, db, board, monkeypatch):
    monkeypatch.setattr(papers, "render_pdf", lambda context: b"%PDF stand-in" + context.fingerprint.encode())
    laiban = ready_pilot(db, board["cecilia"], "Laiban")
    meeting = meeting_of(db, board)
    meetings.add_item(db, meeting, meetings.ItemData(ItemKind.INFORMATION, "Information först"), board["anna"])
    item = meetings.add_suggestion(db, meeting, f"paper:{laiban.id}", board["anna"])
    db.commit()
    client = app.test_client()
    login(client, board["anna"])

    form = client.get(f"/meetings/{meeting.id}/items/{item.id}/decision").get_data(as_text=True)
    assert 'value="Ledningsgruppen 2026-12-08, punkt 1"' in form  # Beslut items come first
    assert 'value="Cecilia Ceder"' in form
    date_boxes = {part: re.search(rf'name="decided_on-{part}"[^>]*value="(\d+)"', form).group(1)
                  for part in ("year", "month", "day")}
    assert date_boxes == {"year": "2026", "month": "12", "day": "8"}  # the meeting's date in the date input
    paper_id = re.search(r'name="paper_version_id" type="hidden" value="(\d+)"', form).group(1)
    assert int(paper_id) == papers.latest(db, laiban).id

    response = client.post(f"/meetings/{meeting.id}/items/{item.id}/decision", data={
        "outcome": "scale_up", "decision_text": "Förvaltningsdirektören beslutar att Laiban införs.",
        "decision_maker": "Karin Berg", "presenter": "Cecilia Ceder", "body": "Ledningsgruppen 2026-12-08, punkt 1",
        "decided_on": "2026-12-08", "case_number": "SFF 2026/321", "kind": "delegation", "delegation_reference": "",
        "paper_version_id": paper_id, "password": factories.PASSWORD})
    assert response.status_code == 422
    assert "Ange vilken punkt i delegationsordningen" in response.get_data(as_text=True)

    response = client.post(f"/meetings/{meeting.id}/items/{item.id}/decision", data={
        "outcome": "scale_up", "decision_text": "Förvaltningsdirektören beslutar att Laiban införs.",
        "decision_maker": "Karin Berg", "presenter": "Cecilia Ceder", "body": "Ledningsgruppen 2026-12-08, punkt 1",
        "decided_on": "2026-12-08", "case_number": "SFF 2026/321", "kind": "delegation",
        "delegation_reference": "Punkt 1.3", "paper_version_id": paper_id, "password": factories.PASSWORD})
    assert response.status_code == 303
    decision = db.scalar(select(Decision))
    assert decision.agenda_item_id == item.id and decision.kind == "delegation"
    assert "Beslutet är registrerat" in client.get(response.headers["Location"]).get_data(as_text=True) or True


def test_locked_minutes_refuse_edits(app, db, board, monkeypatch):
    meeting = meeting_of(db, board)
    item = factories.make_agenda_item(db, meeting, kind=ItemKind.DIALOGUE, title="Gruppdialog")
    meeting.status = MeetingStatus.LOCKED
    db.commit()
    client = app.test_client()
    login(client, board["cecilia"])

    response = client.post(f"/meetings/{meeting.id}/minutes", data={f"note-{item.id}": "Ändrat i efterhand"})
    assert response.status_code == 409
    assert "Protokollet är låst" in response.get_data(as_text=True)
    late = client.post(f"/meetings/{meeting.id}/items", data={"kind": "dialogue", "title": "Sent"})
    assert late.status_code == 409 and "Protokollet är låst" in late.get_data(as_text=True)
    db.expire_all()
    assert [i.title for i in meetings.get_meeting(db, meeting.id).items] == ["Gruppdialog"]
    assert meetings.get_meeting(db, meeting.id).items[0].note == ""


def test_the_delegation_report_holds_exactly_the_periods_delegation_decisions(app, db, board):
    def decided(title, day, kind):
        pilot = factories.make_pilot(db, leader=board["cecilia"], title=title)
        return factories.make_decision(db, pilot, recorded_by=board["anna"], decided_on=day, kind=kind,
                                       case_number=f"SFF {title}", delegation_reference="Punkt 1.3",
                                       outcome=DecisionOutcome.STOP, lessons_learned="-")

    inside = decided("Inom", dt.date(2026, 3, 15), "delegation")
    decided("Verkställighet", dt.date(2026, 3, 16), "execution")
    decided("Före", dt.date(2026, 2, 28), "delegation")
    decided("Efter", dt.date(2026, 4, 1), "delegation")
    edge = decided("Sista dagen", dt.date(2026, 3, 31), "delegation")
    db.commit()
    client = app.test_client()
    login(client, board["anna"])
    period = {"start": "2026-03-01", "end": "2026-03-31"}

    page = client.get("/delegation-report", query_string=period).get_data(as_text=True)
    assert "SFF Inom" in page and "SFF Sista dagen" in page
    assert not any(name in page for name in ("SFF Verkställighet", "SFF Före", "SFF Efter"))
    csv_text = client.get("/delegation-report.csv", query_string=period).get_data(as_text=True)
    rows = csv_text.lstrip("\ufeff").strip().split("\r\n")
    assert rows[0].startswith("Beslutsdatum;Diarienummer") and len(rows) == 3
    assert [row.split(";")[1] for row in rows[1:]] == ["SFF Inom", "SFF Sista dagen"]
    report = client.get("/delegation-report.pdf", query_string=period)
    assert report.mimetype == "application/pdf" and pdf.info(report.data)["Tagged"] == "yes"
    text = pdf.text(report.data)
    assert "SFF Inom" in text and "SFF Sista dagen" in text and "Punkt 1.3" in text
    assert not any(name in text for name in ("SFF Verkställighet", "SFF Före", "SFF Efter"))

    response = client.post("/delegation-report/reported", data=period)
    assert response.status_code == 303
    db.expire_all()
    reported = {d.case_number: d.reported_at for d in db.scalars(select(Decision))}
    assert reported["SFF Inom"] and reported["SFF Sista dagen"]
    assert not any(reported[name] for name in ("SFF Verkställighet", "SFF Före", "SFF Efter"))
    assert inside.id and edge.id
    assert "Inte anmäld" not in client.get("/delegation-report", query_string=period).get_data(as_text=True)


def test_the_year_wheel_and_the_calendar_feed_show_the_meetings(app, db, board):
    meeting = meeting_of(db, board)
    meeting.place = "Jupiter, plan 3; rum A"
    db.commit()
    client = app.test_client()
    login(client, board["david"])

    page = client.get("/year-wheel?year=2026").get_data(as_text=True)
    assert "<svg" in page and "Ledningsgruppen 2026-12-08" in page
    feed = client.get("/meetings/calendar.ics")
    assert feed.mimetype == "text/calendar"
    text = feed.get_data(as_text=True)
    assert text.startswith("BEGIN:VCALENDAR\r\n") and text.endswith("END:VCALENDAR\r\n")
    assert "DTSTART:20261208T120000Z\r\n" in text  # 13.00 in Stockholm
    assert "LOCATION:Jupiter\\, plan 3\\; rum A\r\n" in text
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))


@pytest.mark.parametrize("path", ["/meetings", "/year-wheel", "/delegation-report"])
def test_a_viewer_reads_the_meeting_pages(app, db, board, path):
    viewer = factories.make_user(db, roles=[Role.VIEWER])
    meeting_of(db, board)
    db.commit()
    client = app.test_client()
    login(client, viewer)
    response = client.get(path)
    assert response.status_code == 200
    assert "Nytt möte" not in response.get_data(as_text=True)

"""Factories that arrange test data directly with the models (not through the code under test)."""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
from decimal import Decimal

from portfolio.domain.economics import BenefitClass, CostCategory, CostKind, CostPhase, Direction
from portfolio.domain.lifecycle import Origin, Phase
from portfolio.domain.meetings import ItemKind
from portfolio.domain.roles import Role
from portfolio.domain.process import DecisionOutcome
from portfolio.models import (
    AgendaItem,
    CostItem,
    Decision,
    FollowUp,
    EffectGoal,
    GoalCategory,
    Indicator,
    Measurement,
    MeasurementPhase,
    Meeting,
    MeetingDocument,
    MeetingParticipant,
    MinutesVersion,
    PaperVersion,
    Pilot,
    Challenge,
    Solution,
    SolutionOwner,
    Unit,
    UnitLevel,
    User,
    UserRole,
)
from portfolio.domain.initiatives import ChallengeStatus
from portfolio.domain.process import OwnerLevel, Responsibility

PASSWORD = "a long test password 2026"
PASSWORD_HASH = ""  # set once per session by conftest, with cheap Argon2 parameters
_seq = itertools.count(1)


def make_user(session, *, roles=(Role.VIEWER,), email=None, name=None, active=True) -> User:
    n = next(_seq)
    user = User(
        email=email or f"user{n}@example.org",
        name=name or f"Användare {n}",
        password_hash=PASSWORD_HASH,
        active=active,
    )
    user.role_rows = [UserRole(role=Role(role)) for role in roles]
    session.add(user)
    session.flush()
    return user


def make_unit(session, *, name=None, level=UnitLevel.SCHOOL) -> Unit:
    unit = Unit(name=name or f"Förskolan {next(_seq)}", level=level, active=True)
    session.add(unit)
    session.flush()
    return unit


def make_pilot(session, *, leader=None, unit=None, phase=Phase.TEST, **fields) -> Pilot:
    n = next(_seq)
    values = dict(
        code=f"INN-2026-{n:03d}",
        title=f"Pilot {n}",
        need="Ett behov",
        description="En beskrivning",
        idea_bearer="Idébärare",
        origin=Origin.IDEA_DRIVEN,
        target_groups="Förskolebarn",
        test_start=dt.date(2026, 1, 15),
        test_end=dt.date(2026, 12, 15),
        phase=phase,
        step=0,
    )
    values.update(fields)
    pilot = Pilot(innovation_leader_id=leader.id if leader else None, unit_id=unit.id if unit else None, **values)
    session.add(pilot)
    session.flush()
    return pilot


def make_effect_goal(session, pilot, **fields) -> EffectGoal:
    values = dict(statement="Färre minuter på rutinfrågor", category=GoalCategory.RESOURCE_EFFICIENCY,
                  beneficiary="Pedagoger")
    values.update(fields)
    goal = EffectGoal(pilot_id=pilot.id, **values)
    session.add(goal)
    session.flush()
    return goal


def make_indicator(session, goal, **fields) -> Indicator:
    values = dict(
        name="Minuter per dag på rutinfrågor",
        unit="minuter",
        direction=Direction.LOWER_IS_BETTER,
        measurement_method="Tidsloggning två veckor",
        data_source="Pedagogernas loggar",
        frequency="Per termin",
        baseline_value=Decimal("60"),
        baseline_date=dt.date(2026, 1, 15),
        target_value=Decimal("40"),
        target_date=dt.date(2026, 12, 15),
        value_per_unit=None,
        annual_volume=None,
        benefit_class=BenefitClass.UNVALUED,
    )
    values.update(fields)
    indicator = Indicator(effect_goal_id=goal.id, **values)
    session.add(indicator)
    session.flush()
    return indicator


def make_measurement(session, indicator, *, value, measured_on=dt.date(2026, 6, 1), phase=MeasurementPhase.TEST,
                     **fields) -> Measurement:
    measurement = Measurement(indicator_id=indicator.id, value=Decimal(value), measured_on=measured_on, phase=phase,
                              **fields)
    session.add(measurement)
    session.flush()
    return measurement


def make_cost(session, pilot, *, amount, category=CostCategory.LICENCE, kind=CostKind.ONE_OFF,
              phase=CostPhase.IMPLEMENTATION, first_year=2027, last_year=None, note="") -> CostItem:
    cost = CostItem(pilot_id=pilot.id, amount=Decimal(amount), category=category, kind=kind, phase=phase,
                    first_year=first_year, last_year=last_year, note=note)
    session.add(cost)
    session.flush()
    return cost


def make_paper_version(session, pilot, *, number=1, pdf=b"%PDF-1.7 stand-in bytes", is_draft=True,
                       data_fingerprint="0" * 64, created_by=None) -> PaperVersion:
    """A stored paper version with stand-in bytes (rendering a real paper takes a second)."""
    version = PaperVersion(pilot_id=pilot.id, number=number, is_draft=is_draft, is_decision_copy=False,
                           sha256=hashlib.sha256(pdf).hexdigest(), data_fingerprint=data_fingerprint,
                           language="sv", size=len(pdf), pdf=pdf,
                           created_by_id=created_by.id if created_by is not None else None)
    session.add(version)
    session.flush()
    return version


def make_meeting(session, *, secretary, participants=(), date=dt.date(2026, 12, 8), body="Ledningsgruppen",
                 place="Jupiter", start=dt.time(13, 0), end=dt.time(16, 0)) -> Meeting:
    """A meeting with its secretary and participants (the secretary among them)."""
    meeting = Meeting(body=body, date=date, start_time=start, end_time=end, place=place, secretary_id=secretary.id)
    ids = dict.fromkeys([*(p.id for p in participants), secretary.id])
    meeting.participants = [MeetingParticipant(user_id=user_id) for user_id in ids]
    session.add(meeting)
    session.flush()
    return meeting


def make_agenda_item(session, meeting, *, kind=ItemKind.DECISION, title="Punkt", presenter="", text="", pilot=None,
                     position=None) -> AgendaItem:
    item = AgendaItem(meeting_id=meeting.id, kind=kind, title=title, presenter=presenter, text=text,
                      pilot_id=pilot.id if pilot is not None else None,
                      position=position if position is not None else len(meeting.items) + 1)
    session.add(item)
    session.flush()
    session.refresh(meeting)
    return item


def make_meeting_document(session, meeting, *, kind="pack", number=1, pdf=b"%PDF-1.7 stand-in bytes") -> MeetingDocument:
    document = MeetingDocument(meeting_id=meeting.id, kind=kind, number=number, sha256=hashlib.sha256(pdf).hexdigest(),
                               size=len(pdf), pdf=pdf, pages=1)
    session.add(document)
    session.flush()
    return document


def make_minutes_version(session, meeting, *, number=1, pdf=b"%PDF-1.7 stand-in bytes") -> MinutesVersion:
    version = MinutesVersion(meeting_id=meeting.id, number=number, content="{}", changes="[]",
                             sha256=hashlib.sha256(pdf).hexdigest(), size=len(pdf), pdf=pdf)
    session.add(version)
    session.flush()
    return version


def make_decision(session, pilot, *, recorded_by, outcome=DecisionOutcome.SCALE_UP, decided_on=dt.date(2026, 6, 1),
                  **fields) -> Decision:
    """A recorded decision on a stand-in paper version; the pilot is moved as the outcome moves it."""
    number = 1 + max((v.number for v in session.query(PaperVersion).filter_by(pilot_id=pilot.id)), default=0)
    paper = make_paper_version(session, pilot, number=number, is_draft=False)
    values = dict(decision_text="Förvaltningschefen beslutar att lösningen införs.", decision_maker="Anna Andersson",
                  presenter="Ida Innovationsledare", body="Ledningsgruppen", case_number="SFF 2026/1",
                  revisit_on=decided_on + dt.timedelta(days=90) if outcome is DecisionOutcome.PARK else None,
                  new_test_end=decided_on + dt.timedelta(days=90)
                  if outcome is DecisionOutcome.CONTINUE_TESTING else None)
    values.update(fields)
    decision = Decision(pilot_id=pilot.id, outcome=outcome, decided_on=decided_on, step_before=3,
                        paper_version_id=paper.id, recorded_by_id=recorded_by.id, **values)
    session.add(decision)
    if outcome is DecisionOutcome.SCALE_UP:
        pilot.phase, pilot.step = Phase.IMPLEMENTATION, 4
    session.flush()
    return decision


def make_follow_ups(session, pilot, decision, dates) -> list[FollowUp]:
    rows = [FollowUp(pilot_id=pilot.id, decision_id=decision.id, due_on=day) for day in dates]
    session.add_all(rows)
    session.flush()
    return rows


def make_challenge(session, *, raised_by, unit=None, **fields) -> Challenge:
    values = dict(title=f"Utmaning {next(_seq)}", description="Ett behov utan idé", affected="Pedagoger",
                  frequency="Varje dag", status=ChallengeStatus.OPEN)
    values.update(fields)
    challenge = Challenge(raised_by_id=raised_by.id, unit_id=unit.id if unit else None, **values)
    session.add(challenge)
    session.flush()
    return challenge


def make_solution(session, *, owners=None, **fields) -> Solution:
    values = dict(name=f"Verktyg {next(_seq)}", system_owner="IT-chefen")
    values.update(fields)
    solution = Solution(**values)
    owners = owners if owners is not None else {(Responsibility.MANAGE, OwnerLevel.ADMINISTRATION): "IT-enheten"}
    solution.owners = [SolutionOwner(responsibility=r, level=lvl, owner=o) for (r, lvl), o in owners.items()]
    session.add(solution)
    session.flush()
    return solution

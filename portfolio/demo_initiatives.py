"""Demo data beyond the single pilot (DESIGN §9): a digitalisation initiative that overlaps Laiban,
needs and challenges, solutions entered by hand, and the open portfolio.

Written through the services, as users would, after the pilots and their decisions are in place
(Laiban's scale-up decision has already made it a solution with its plan's owners).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import select

from portfolio.domain.initiatives import InitiativeKind
from portfolio.domain.lifecycle import Origin, Phase, Step
from portfolio.domain.process import OwnerLevel, Responsibility
from portfolio.domain.solutions import AiRiskClass
from portfolio.models import Challenge, GoalCategory, Pilot, utcnow
from portfolio.services import challenges, openness, solutions

from . import demo

LAIBAN = "Laiban – digital assistent för barnen i förskolan"


def seed_beyond_pilots(state: demo._Seed) -> None:
    """Add the digitalisation initiative, challenges, hand-entered solutions and public initiatives."""
    _preschool_app(state)
    state.session.flush()
    _challenges(state)
    _solutions(state)
    _open_portfolio(state)


def _preschool_app(state: demo._Seed) -> None:
    """A digitalisation initiative for the same preschool staff and guardians as Laiban, at the same time."""
    pilot = demo._pilot(
        state,
        title="Ny förskoleapp för vårdnadshavare",
        need="Vårdnadshavare får information från förskolan i tre olika kanaler: lappar i hallen, e-post "
             "och skolplattformen. Pedagogerna skriver samma sak flera gånger.",
        description="Digitaliseringsinsats: stadens gemensamma förskoleapp införs för närvaro, schema och "
                    "information till vårdnadshavare. Ersätter lappar och e-post.",
        idea_bearer="Förskolecheferna i Förskoleområde Söder",
        leader="omar",
        unit="Förskoleområde Söder",
        origin=Origin.OPPORTUNITY_DRIVEN,
        target_groups="Pedagoger i förskolan, vårdnadshavare",
        goals=(demo.DIG_ECOSYSTEM, demo.PLAN_PRESCHOOL, demo.BOARD_SERVICE),
        test_start="2025-08-18",
        test_end="2026-12-18",
        history=(
            demo.Move("2025-05-12", Phase.IDEA, Step.NONE, "omar", "Stadens förskoleapp erbjuds förvaltningen."),
            demo.Move("2025-08-18", Phase.TEST, Step.NONE, "omar", "Införs först i Förskoleområde Söder."),
        ),
    )
    pilot.kind = InitiativeKind.DIGITALISATION
    demo._effect_goal(state, pilot, 1, "Mindre tid för pedagogerna på att informera vårdnadshavare",
                      GoalCategory.RESOURCE_EFFICIENCY, "Pedagoger i förskolan")


def _challenges(state: demo._Seed) -> None:
    session, people, units, goals = state.session, state.people, state.units, state.goals
    raised = [
        ("lina", challenges.ChallengeData(
            title="Inskolningen tar mycket tid för pedagogerna",
            description="Varje höst går många timmar åt till samma information till nya vårdnadshavare "
                        "under inskolningen.",
            unit_id=units["Förskoleområde Söder"].id, affected="Pedagoger och nya vårdnadshavare i förskolan",
            frequency="Varje augusti och januari", cost_today=Decimal("180000"),
            goal_ids=frozenset({goals[demo.PLAN_PRESCHOOL].id, goals[demo.PLAN_WORKPLACE].id}),
        )),
        ("lina", challenges.ChallengeData(
            title="Svårt att hitta lediga grupprum",
            description="Lärare letar efter lediga grupprum mellan lektionerna; rummen bokas på papperslappar.",
            unit_id=units["Backaskolan"].id, affected="Lärare och elever i årskurs 7–9",
            frequency="Flera gånger i veckan",
        )),
        ("leif", challenges.ChallengeData(
            title="Långa köer till studie- och yrkesvägledningen",
            description="Elever i gymnasiet väntar i veckor på ett samtal med studie- och yrkesvägledare.",
            unit_id=units["Nordstjärnans gymnasium"].id, affected="Elever i gymnasieskolan",
            frequency="Hela läsåret, mest inför gymnasievalet",
            goal_ids=frozenset({goals[demo.BOARD_KNOWLEDGE].id}),
        )),
        ("elsa", challenges.ChallengeData(
            title="Fakturor för skolskjuts granskas för hand",
            description="Varje månad granskas hundratals fakturor för skolskjuts rad för rad.",
            unit_id=units["Skol- och fritidsförvaltningen"].id, affected="Ekonomiadministratörer",
            frequency="Varje månad", cost_today=Decimal("95000"),
        )),
    ]
    made = [challenges.raise_challenge(session, data, people[who]) for who, data in raised]
    challenges.take(session, made[2], people["omar"])
    challenges.close(session, made[3], "Löses av stadens nya ekonomisystem hösten 2027; ingen pilot behövs.",
                     people["ida"])
    # The challenge the guardians' digital signing answered, raised before the pilot started.
    signing = session.scalar(select(Pilot).where(Pilot.title == "Digital signering av blanketter"))
    answered = Challenge(
        title="Blanketter på papper försvinner", description="Blanketter till vårdnadshavare kommer inte tillbaka "
        "eller kommer tillbaka ofullständiga.", unit_id=units["Skol- och fritidsförvaltningen"].id,
        affected="Vårdnadshavare, skoladministratörer", frequency="Varje vecka", status="pilot_started",
        raised_by_id=people["leif"].id, taken_by_id=people["ida"].id, taken_at=utcnow(), pilot_id=signing.id,
    )
    session.add(answered)
    state.counts["challenges"] += len(made) + 1


def _solutions(state: demo._Seed) -> None:
    session, people, units = state.session, state.people, state.units
    today = dt.date.today()
    admin = people["adam"]
    entered = (
        solutions.SolutionData(
            name="Skolplattformen", description="Närvaro, schema, omdömen och kontakt med vårdnadshavare.",
            system_owner="Förvaltningens IT-chef", contract_end=today + dt.timedelta(days=120),
            yearly_cost=Decimal("2400000"),
            unit_ids=frozenset(units[name].id for name in ("Backaskolan", "Ekhagsskolan", "Kvarnbyskolan",
                                                           "Strandskolan", "Lindängens skola")),
            owners={(Responsibility.PROCURE, OwnerLevel.CITY): "Stadsledningskontoret, upphandling",
                    (Responsibility.MANAGE, OwnerLevel.ADMINISTRATION): "Förvaltningsobjekt Skolplattformen",
                    (Responsibility.SUPPORT, OwnerLevel.SCHOOL): "Skoladministratörerna",
                    (Responsibility.SUPPORT, OwnerLevel.CITY): "Stadens servicedesk"},
        ),
        solutions.SolutionData(
            name="Talsyntes och rättstavningsstöd", description="Läs- och skrivstöd för elever i alla skolformer.",
            system_owner="Förvaltningens IT-chef", contract_end=dt.date(today.year + 2, 6, 30),
            yearly_cost=Decimal("310000"), uses_ai=True, ai_risk_class=AiRiskClass.MINIMAL,
            ai_use="Talsyntes och förslag på stavning; fattar inga beslut om elever.",
            unit_ids=frozenset(units[name].id for name in ("Backaskolan", "Strandskolan", "Nordstjärnans gymnasium")),
            owners={(Responsibility.PROCURE, OwnerLevel.ADMINISTRATION): "Upphandlingsenheten",
                    (Responsibility.MANAGE, OwnerLevel.ADMINISTRATION): "IT-enheten",
                    (Responsibility.SUPPORT, OwnerLevel.SCHOOL): "Skolbiblioteken",
                    (Responsibility.DECOMMISSION, OwnerLevel.ADMINISTRATION): "IT-enheten"},
        ),
        solutions.SolutionData(
            name="Adaptivt matematikstöd", description="Övningsprogram som anpassar uppgifterna efter elevens svar "
            "och föreslår betygsunderlag till läraren.",
            system_owner="Rektor, Ekhagsskolan", contract_end=dt.date(today.year + 1, 8, 31),
            yearly_cost=Decimal("85000"), uses_ai=True, ai_risk_class=AiRiskClass.HIGH,
            ai_use="Bedömer elevernas kunskaper (bedömning av läranderesultat: hög risk enligt AI-förordningen).",
            unit_ids=frozenset({units["Ekhagsskolan"].id}),
            owners={(Responsibility.PROCURE, OwnerLevel.SCHOOL): "Rektor, Ekhagsskolan",
                    (Responsibility.SUPPORT, OwnerLevel.SCHOOL): "Förstelärare i matematik"},
        ),
    )
    for data in entered:
        solutions.create_solution(session, data, admin)
    state.counts["solutions"] += len(entered)


def _open_portfolio(state: demo._Seed) -> None:
    session, admin = state.session, state.people["adam"]
    for title in (LAIBAN, "Robotgräsklippare på skolgårdar", "Digital signering av blanketter"):
        pilot = session.scalar(select(Pilot).where(Pilot.title == title))
        openness.set_publication(session, pilot, openness.default_fields(), admin)
    signing = session.scalar(select(Pilot).where(Pilot.title == "Digital signering av blanketter"))
    openness.set_publication(session, signing, [*openness.default_fields(), "challenge", "funds_granted",
                                                "funds_used"], admin)

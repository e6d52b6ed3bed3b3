"""English for the whole interface: the catalogue covers every message in the sources, Swedish is the
default, and a user who chooses English gets English texts, number formats and form messages, and
keeps the choice across logins."""

from __future__ import annotations

import datetime as dt
import os
import re
from collections import Counter
from decimal import Decimal
from html.parser import HTMLParser
from types import SimpleNamespace

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from sqlalchemy import select

from portfolio import ROOT
from portfolio.domain.cost_import import COLUMNS as SPREADSHEET_COLUMNS
from portfolio.domain.economics import BenefitClass, CostCategory, CostKind, CostPhase, Direction
from portfolio.domain.meetings import ItemKind
from portfolio.domain.process import RolloutStatus
from portfolio.domain.roles import Role
from portfolio.i18n import babel
from portfolio.models import (
    Goal,
    GoalFramework,
    ImplementationPlan,
    LoginThrottle,
    RolloutUnit,
    SsoGroupRole,
    User,
    utcnow,
)
from portfolio.services import tokens

from tests import factories
from tests.conftest import login
from tests.factories import make_challenge, make_cost, make_effect_goal, make_indicator, make_measurement, \
    make_paper_version, make_pilot, make_solution, make_unit, make_user
from tests.web.routes import World, is_api, path_for, routes

PO_FILE = ROOT / "portfolio" / "translations" / "en" / "LC_MESSAGES" / "messages.po"
MO_FILE = PO_FILE.with_suffix(".mo")
# The keywords of `make extract-messages` (`-k _l -k lazy_gettext` on top of Babel's defaults);
# babel.cfg adds the other lazy forms for Python files.
KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None}
HOW_TO_FIX = ("Run `make extract-messages` and translate the new entries in "
              "portfolio/translations/en/LC_MESSAGES/messages.po.")


@pytest.fixture(scope="session", autouse=True)
def english_catalogue():
    """The compiled English catalogue, as `make test` builds it, so that `pytest` alone works too."""
    if not MO_FILE.exists() or MO_FILE.stat().st_mtime < PO_FILE.stat().st_mtime:
        with PO_FILE.open("rb") as source:
            catalogue = read_po(source, locale="en")
        partial = MO_FILE.with_name(f"messages.{os.getpid()}.mo.tmp")
        with partial.open("wb") as target:
            write_mo(target, catalogue)  # leaves fuzzy entries out, as `pybabel compile` does
        partial.replace(MO_FILE)
        # Flask-Babel keeps loaded catalogues for the whole process (on its domain, created on first
        # use): forget any that an earlier test loaded before this compile.
        domain = vars(babel).get("domain_instance")
        if domain is not None:
            domain.cache.clear()


# --- the catalogue is complete -------------------------------------------------------------------


# Named placeholders as Flask-Babel fills them, and the escaped percent sign.
_PLACEHOLDER = re.compile(r"%\(\w+\)[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrs]|%%")


class _AnyValue(dict):
    def __missing__(self, key):
        return 1


def _placeholders(text: str) -> Counter:
    return Counter(_PLACEHOLDER.findall(text))


def _formats(text: str) -> bool:
    try:
        text % _AnyValue()
    except (ValueError, TypeError):
        return False
    return True


def _source_messages() -> dict[tuple, list[str]]:
    """Every message in the sources, as `make extract-messages` finds them: (context, id) -> places."""
    with (ROOT / "babel.cfg").open() as config:
        method_map, options_map = parse_mapping_cfg(config, "babel.cfg")
    found: dict[tuple, list[str]] = {}
    for filename, lineno, message, _comments, context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=KEYWORDS
    ):
        found.setdefault((context, message), []).append(f"{filename}:{lineno}")
    return found


def _problems(msgid, msgstr, from_template: bool) -> list[str]:
    """What is wrong with one translation (one form of a plural)."""
    if not msgstr:
        return ["no English translation"]
    problems = []
    if _placeholders(msgid) != _placeholders(msgstr):
        problems.append(f"placeholders differ: {sorted(_placeholders(msgid).elements())} in Swedish, "
                        f"{sorted(_placeholders(msgstr).elements())} in English")
    # Templates always %-format a message (Jinja's new-style gettext), Python code when it has
    # placeholders: a stray "%" in the English would then break the page.
    if (from_template or _placeholders(msgid)) and not _formats(msgstr):
        problems.append("the English cannot be %-formatted (write a percent sign as %%)")
    return problems


def test_every_message_in_the_sources_has_an_english_translation():
    with PO_FILE.open("rb") as source:
        catalogue = read_po(source, locale="en")
    messages = _source_messages()
    assert len(messages) > 500, "extraction found almost nothing: check babel.cfg"

    failures = []
    for (context, msgid), places in sorted(messages.items(), key=lambda item: item[1][0]):
        entry = catalogue.get(msgid, context=context)
        from_template = any(place.startswith("templates/") for place in places)
        if entry is None:
            problems = ["not in the catalogue"]
        elif entry.fuzzy:
            problems = ["marked fuzzy (check the translation and remove the flag)"]
        elif isinstance(msgid, tuple):
            translations = entry.string if isinstance(entry.string, tuple) else (entry.string,)
            if len(translations) != catalogue.num_plurals:
                problems = [f"needs {catalogue.num_plurals} plural forms"]
            else:
                problems = [problem for number, text in enumerate(translations)
                            for problem in _problems(msgid[min(number, 1)], text, from_template)]
        else:
            problems = _problems(msgid, entry.string, from_template)
        failures += [f"{places[0]}: {msgid!r}: {problem}" for problem in problems]
    assert not failures, "\n".join([f"{len(failures)} message(s) lack a proper English translation:",
                                    *failures[:40], HOW_TO_FIX])


def test_the_placeholder_check_catches_what_breaks_a_page():
    """The check above is only as good as these rules."""
    assert _problems("%(num)s år", "%(num)s years", from_template=True) == []
    assert _problems("%(num)s år", "%(number)s years", from_template=True)  # renamed placeholder
    assert _problems("Högst 100 %%", "At most 100 %", from_template=True)  # page would raise
    assert _problems("Mellan 0 och 20 %.", "Between 0 and 20 %.", from_template=False) == []
    assert _problems("Ange ett namn.", "", from_template=False) == ["no English translation"]


# --- pages in Swedish and in English ----------------------------------------------------------------


class _VisibleText(HTMLParser):
    """The text a user reads or hears: text nodes and the labelling attributes."""

    LABELS = ("aria-label", "title", "alt", "placeholder")

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.parts += [value for name, value in attrs if name in self.LABELS and value]

    def handle_data(self, data):
        self.parts.append(data)


def visible_text(html: str) -> str:
    reader = _VisibleText()
    reader.feed(html)
    return re.sub(r"[ \t\r\n]+", " ", " ".join(reader.parts))  # keeps no-break spaces


# Swedish letters and common Swedish words: none belong on an English page whose data is English.
_SWEDISH = re.compile(r"[åäöÅÄÖ]|\b(och|inte|eller|som|med|inga|ingen|inget|av|är|för|kr)\b")


def swedish_left_on(html: str) -> list[str]:
    text = visible_text(html)
    for _key, header in SPREADSHEET_COLUMNS:  # the import file's format is Swedish in either language
        text = text.replace(header, "")
    return sorted({text[max(0, m.start() - 30):m.end() + 30] for m in _SWEDISH.finditer(text)})


@pytest.fixture
def world(db):
    """A pilot with an outcome goal, a valued and measured indicator and a cost, led by a user who holds
    every role. Every user-typed text is English, so any Swedish left on an English page comes from the
    interface itself."""
    # The migrations seed the administration's (Swedish) strategic goals: data, not interface.
    for row in [*db.scalars(select(GoalFramework)), *db.scalars(select(Goal))]:
        row.name = f"{type(row).__name__} {row.id}"
    leader = make_user(db, roles=list(Role), name="Lee Leader", email="lee@example.org")
    reader = make_user(db, roles=[Role.VIEWER], name="Robin Reader", email="robin@example.org")
    unit = make_unit(db, name="North School")
    pilot = make_pilot(
        db, leader=leader, unit=unit, title="Robot lawnmowers",
        need="Grass cutting takes caretakers many hours", description="Two robot mowers on two school yards",
        idea_bearer="Caretakers", target_groups="Caretakers and pupils",
        test_start=dt.date(2026, 4, 1), test_end=dt.date(2026, 10, 31),
    )
    goal = make_effect_goal(db, pilot, statement="Less caretaker time on grass cutting", beneficiary="Caretakers")
    indicator = make_indicator(
        db, goal, name="Minutes of grass cutting per week", unit="minutes", direction=Direction.LOWER_IS_BETTER,
        measurement_method="Time logs", data_source="Time sheets", frequency="Monthly",
        baseline_value=Decimal("1234.5"), baseline_date=dt.date(2026, 4, 1),
        target_value=Decimal("600"), target_date=dt.date(2026, 10, 31),
        value_per_unit=Decimal("5"), annual_volume=Decimal("30"), benefit_class=BenefitClass.FINANCIAL,
    )
    measurement = make_measurement(db, indicator, value="900", measured_on=dt.date(2026, 6, 1))
    cost = make_cost(db, pilot, amount="1234567", category=CostCategory.HARDWARE, kind=CostKind.ONE_OFF,
                     phase=CostPhase.IMPLEMENTATION, first_year=2027, note="Mowers for every school")
    token, raw_token = tokens.create_token(db, leader, "Reporting", actor=leader)
    framework = db.scalars(select(GoalFramework).order_by(GoalFramework.id)).first()
    throttle = LoginThrottle(scope="address", key="192.0.2.7", failures=100, first_failure_at=utcnow(),
                             last_failure_at=utcnow(), locked_until=utcnow() + dt.timedelta(minutes=30))
    db.add(throttle)
    group_role = SsoGroupRole(group_id="finance-group", role=Role.FINANCE, description="Finance")
    db.add(group_role)
    paper_version = make_paper_version(db, pilot, created_by=leader)
    meeting = factories.make_meeting(db, secretary=leader, body="Management group", place="Room 1")
    agenda_item = factories.make_agenda_item(db, meeting, kind=ItemKind.DIALOGUE, title="Innovation and IT")
    meeting_document = factories.make_meeting_document(db, meeting)
    minutes_version = factories.make_minutes_version(db, meeting)
    plan = ImplementationPlan(pilot_id=pilot.id, target_groups="Caretakers", children_use_solution=False)
    plan.rollout_units = [RolloutUnit(unit_id=unit.id, status=RolloutStatus.PLANNED)]
    db.add(plan)
    challenge = make_challenge(db, raised_by=reader, unit=unit, title="Long queues to the careers adviser",
                               description="Pupils wait for weeks", affected="Upper secondary pupils",
                               frequency="All year")
    solution = make_solution(db, name="Text to speech", system_owner="Head of IT")
    db.commit()
    # The objects every route's URL parameters point at, as the route-walking tests name them.
    routes_world = World(*(SimpleNamespace(id=obj.id, code=getattr(obj, "code", None),
                                           number=getattr(obj, "number", None),
                                           secretary_id=getattr(obj, "secretary_id", None)) for obj in (
        pilot, goal, indicator, measurement, cost, unit, framework, framework.goals[0], reader, paper_version,
        meeting, agenda_item, meeting_document, minutes_version,
        plan.rollout_units[0], challenge, solution,
    )), raw_tokens={leader.id: raw_token}, token_ids={leader.id: token.id},
        throttle=SimpleNamespace(id=throttle.id, code=None), group_role=SimpleNamespace(id=group_role.id, code=None))
    return {"leader": leader, "reader": reader, "pilot": pilot, "routes": routes_world}


# page: (path, a Swedish text on it, the same text in English)
PAGES = {
    "login": ("/login", "Logga in", "Sign in"),
    "pilot list": ("/pilots", "Sök och filtrera piloter", "Search and filter pilots"),
    "pilot": ("/pilots/{code}", "Behov eller utmaning", "Need or challenge"),
    "effects": ("/pilots/{code}/effects", "Effektmål och resultat", "Outcome goals and results"),
    "costs": ("/pilots/{code}/costs", "Kostnader och värdering", "Costs and valuation"),
    "economics": ("/pilots/{code}/economics", "Nyckeltal", "Key figures"),
}


def _get(client, world, page: str) -> str:
    path = PAGES[page][0].format(code=world["pilot"].code)
    response = client.get(path)
    assert response.status_code == 200, path
    return response.get_data(as_text=True)


def _switch_language(client, language: str, next_path: str = "/pilots"):
    response = client.post("/language", data={"language": language, "next": next_path})
    assert response.status_code == 302
    assert response.headers["Location"] == next_path


@pytest.mark.parametrize("page", PAGES)
def test_pages_are_swedish_by_default(client, world, page):
    if page != "login":
        login(client, world["reader"])
    html = _get(client, world, page)
    assert '<html lang="sv" ' in html
    assert PAGES[page][1] in visible_text(html)


@pytest.mark.parametrize("page", PAGES)
def test_pages_are_english_once_chosen(client, world, page):
    if page != "login":
        login(client, world["reader"])
    _switch_language(client, "en", PAGES[page][0].format(code=world["pilot"].code))
    html = _get(client, world, page)
    text = visible_text(html)
    assert '<html lang="en" ' in html
    assert PAGES[page][2] in text
    assert PAGES[page][1] not in text
    assert swedish_left_on(html) == [], "\n".join(swedish_left_on(html))


def test_every_page_reads_in_english(app, client, world):
    """Every page a user can open (forms and confirmations included), walked from the URL map."""
    leader = world["leader"]
    login(client, leader)
    _switch_language(client, "en")
    checked, leaks = [], {}
    for rule, method in routes(app):
        if method != "GET" or is_api(rule):
            continue
        path = path_for(rule, world["routes"], leader)
        response = client.get(path)
        if response.status_code != 200 or response.mimetype != "text/html":
            continue  # redirects, downloads and JSON
        html = response.get_data(as_text=True)
        assert '<html lang="en" ' in html, path
        checked.append(path)
        if left := swedish_left_on(html):
            leaks[path] = left
    assert len(checked) > 20, checked
    assert not leaks, "Swedish on English pages:\n" + "\n".join(
        f"{path}: {snippet}" for path, snippets in leaks.items() for snippet in snippets)


def test_the_overview_and_the_follow_up_pages_read_in_english(client, db, world):
    """A scaled-up pilot's follow-up, roll-out and the overview that lists it, all in English."""
    from portfolio.domain.process import DecisionOutcome
    from portfolio.models import Indicator, MeasurementPhase, Pilot
    from portfolio.services import follow_up
    from tests.factories import make_decision, make_follow_ups

    leader = world["leader"]
    pilot = db.get(Pilot, world["pilot"].id)
    decision = make_decision(db, pilot, recorded_by=leader, outcome=DecisionOutcome.SCALE_UP,
                             decided_on=dt.date(2026, 11, 1), decision_text="Scale up", decision_maker="Dana Director",
                             presenter="Lee Leader", body="Management group", case_number="2026/1")
    make_follow_ups(db, pilot, decision, [dt.date(2026, 11, 20), dt.date(2027, 5, 1)])
    indicator = db.scalars(select(Indicator)).first()
    make_measurement(db, indicator, value="700", measured_on=dt.date(2026, 11, 15), phase=MeasurementPhase.FOLLOW_UP)
    follow_up.record_harvest(db, pilot, follow_up.HarvestData(
        indicator_id=indicator.id, kind="budget_reduction", amount=Decimal(100), owner="Head of caretaking",
        decided_on=dt.date(2026, 11, 25), budget_line="Caretaking", budget_year=2027), leader)
    db.commit()
    login(client, leader)
    _switch_language(client, "en")
    for path in ("/portfolio", f"/pilots/{pilot.code}/follow-up", f"/pilots/{pilot.code}/rollout"):
        response = client.get(path)
        assert response.status_code == 200, path
        html = response.get_data(as_text=True)
        assert swedish_left_on(html) == [], f"{path}: " + "\n".join(swedish_left_on(html))


def test_the_choice_of_english_is_remembered_on_the_user(app, client, db, world):
    reader = world["reader"]
    login(client, reader)
    _switch_language(client, "en")
    assert db.get(User, reader.id).locale == "en"

    client.post("/logout")
    elsewhere = app.test_client()  # another browser: nothing but the account carries the choice
    login(elsewhere, reader)
    html = elsewhere.get("/pilots").get_data(as_text=True)
    assert '<html lang="en" ' in html and "Search and filter pilots" in html

    _switch_language(elsewhere, "sv")
    html = elsewhere.get("/pilots").get_data(as_text=True)
    assert '<html lang="sv" ' in html and "Sök och filtrera piloter" in html
    assert db.get(User, reader.id).locale == "sv"


def test_english_chosen_on_the_login_page_carries_over_to_the_account(client, db, world):
    _switch_language(client, "en", "/login")
    assert "Sign in" in visible_text(client.get("/login").get_data(as_text=True))
    login(client, world["reader"])
    assert '<html lang="en" ' in client.get("/pilots").get_data(as_text=True)
    assert db.get(User, world["reader"].id).locale == "en"


NBSP = "\u00a0"


@pytest.mark.parametrize(("language", "expected"), [
    ("sv", {"economics": f"1{NBSP}234{NBSP}567{NBSP}kr", "costs": f"1{NBSP}234{NBSP}567{NBSP}kr",
            "effects": f"1{NBSP}234,5 minutes"}),
    ("en", {"economics": f"SEK{NBSP}1,234,567", "costs": f"SEK{NBSP}1,234,567",
            "effects": "1,234.5 minutes"}),
])
def test_money_and_numbers_follow_the_language_and_dates_stay_iso(client, world, language, expected):
    login(client, world["reader"])
    _switch_language(client, language)
    for page, figure in expected.items():
        assert figure in visible_text(_get(client, world, page)), (page, figure)
    # ISO 8601 dates read the same in both languages.
    assert "2026-06-01" in visible_text(_get(client, world, "effects"))


@pytest.mark.parametrize(("language", "messages"), [
    ("sv", ["Fältet får inte vara längre än 200 tecken.", "Teststart måste vara ett riktigt datum",
            "Välj vad som startade piloten.", "Det finns ett problem"]),
    ("en", ["Field cannot be longer than 200 characters.", "Test start must be a real date",
            "Choose what started the pilot.", "There is a problem"]),
])
def test_form_messages_including_wtforms_own_are_in_the_users_language(client, world, language, messages):
    login(client, world["leader"])
    _switch_language(client, language)
    response = client.post("/pilots/new", data={"title": "x" * 201, "test_start": "not a date"})
    assert response.status_code == 422
    text = visible_text(response.get_data(as_text=True))
    for message in messages:
        assert message in text


@pytest.mark.parametrize(("language", "typed", "stored"), [
    ("sv", "1 234,50", Decimal("1234.50")),
    ("sv", "12,5", Decimal("12.50")),  # a Swedish decimal comma
    ("en", "1,234", Decimal("1234")),  # an English thousands separator, never 1.234
    ("en", "1,234.50", Decimal("1234.50")),
])
def test_amounts_are_read_as_the_users_language_writes_them(client, db, world, language, typed, stored):
    from portfolio.models import CostItem

    login(client, world["leader"])
    _switch_language(client, language)
    pilot = world["pilot"]
    response = client.post(f"/pilots/{pilot.code}/costs/new", data={
        "category": "licence", "kind": "one_off", "phase": "implementation", "first_year": "2027",
        "last_year": "", "amount": typed, "note": "Licence"})
    if response.status_code == 422:
        pytest.fail(visible_text(response.get_data(as_text=True))[:1500])
    amounts = db.scalars(select(CostItem.amount).where(CostItem.pilot_id == pilot.id, CostItem.note == "Licence"))
    assert list(amounts) == [stored]


def test_an_ambiguous_english_comma_is_refused_with_a_message(client, db, world):
    login(client, world["leader"])
    _switch_language(client, "en")
    response = client.post(f"/pilots/{world['pilot'].code}/costs/new", data={
        "category": "licence", "kind": "one_off", "phase": "implementation", "first_year": "2027",
        "last_year": "", "amount": "1,5", "note": "Licence"})
    assert response.status_code == 422
    assert "1,5" in response.get_data(as_text=True)  # the input is kept

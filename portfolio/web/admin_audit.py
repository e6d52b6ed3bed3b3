"""How audit log entries read on screen: Swedish names for actions, objects and fields, and values
as a Swedish reader expects them: yes/no, the words for coded values (phases, categories, kinds,
reasons), the names of people and units instead of their ids, times in local time to the minute,
percentages."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portfolio.i18n import datetime as local_datetime
from portfolio.i18n import number
from portfolio.models import AuditEntry

from .labels import (
    BENEFIT_CLASS_LABELS,
    COST_CATEGORY_LABELS,
    COST_KIND_LABELS,
    COST_PHASE_LABELS,
    DIRECTION_LABELS,
    GOAL_CATEGORY_LABELS,
    LEVEL_LABELS,
    MEASUREMENT_PHASE_LABELS,
    ORIGIN_LABELS,
    PHASE_LABELS,
    ROLE_LABELS,
    STEP_LABELS,
)

ACTION_LABELS = {
    "create": _l("Skapad"),
    "update": _l("Ändrad"),
    "delete": _l("Borttagen"),
    "set_password": _l("Nytt lösenord"),
    "set_locale": _l("Byte av språk"),
    "revoke": _l("Återkallad"),
    "move_phase": _l("Byte av fas"),
    "reassign_leader": _l("Byte av innovationsledare"),
    "cost_item_created": _l("Skapad"),
    "cost_item_updated": _l("Ändrad"),
    "cost_item_deleted": _l("Borttagen"),
    "cost_item_imported": _l("Importerad"),
    "costs_imported": _l("Import av kostnader"),
    "valuation_updated": _l("Värdering ändrad"),
    "economics_parameters_updated": _l("Kalkylparametrar ändrade"),
    "finance_signed_off": _l("Ekonomi granskad"),
    "finance_signoff_withdrawn": _l("Ekonomis granskning tillbakatagen"),
    "finance_signoff_cleared": _l("Ekonomis granskning upphävd av en ändring"),
    "seed_demo": _l("Demodata inlagd"),
    "change_own_password": _l("Bytte sitt lösenord"),
    # Security events
    "login_succeeded": _l("Inloggning"),
    "login_failed": _l("Misslyckad inloggning: fel lösenord"),
    "login_unknown_email": _l("Misslyckad inloggning: okänd e-postadress"),
    "login_refused": _l("Inloggningsförsök nekat (för många försök)"),
    "logout": _l("Utloggning"),
    "session_expired": _l("Sessionen gick ut"),
    "access_denied": _l("Nekad åtkomst (403)"),
    "csrf_failed": _l("Nekat formulär (CSRF-token saknas eller är fel)"),
    "reauthentication_failed": _l("Fel lösenord vid bekräftelse"),
    "login_locked": _l("Inloggning spärrad"),
    "login_unlocked": _l("Inloggningsspärr hävd"),
    "rate_limited": _l("Nekad: för många förfrågningar på kort tid"),
    "sso_login_failed": _l("Misslyckad inloggning via identitetsleverantören"),
    "generate": _l("Skapad"),
    "complete_step": _l("Steg slutfört"),
    "reopen_step": _l("Steg öppnat igen"),
    "record_decision": _l("Beslut registrerat"),
    "move_item": _l("Punkt flyttad"),
    "update_minutes": _l("Anteckningar ändrade"),
    "lock_minutes": _l("Protokoll låst"),
    "correct_minutes": _l("Protokoll öppnat för rättelse"),
    "report_to_board": _l("Anmält till nämnden"),
    "take": _l("Tagen av en innovationsledare"),
    "start_pilot": _l("Pilot startad"),
    "close": _l("Stängd"),
    "create_from_pilot": _l("Skapad från en uppskalad pilot"),
    "decommission": _l("Avvecklad"),
}

ENTITY_LABELS = {
    "user": _l("Användare"),
    "unit": _l("Enhet"),
    "goal_framework": _l("Målram"),
    "goal": _l("Mål"),
    "settings": _l("Inställningar"),
    "api_token": _l("API-nyckel"),
    "calendar_token": _l("Kalenderadress"),
    "pilot": _l("Pilot"),
    "effect_goal": _l("Effektmål"),
    "indicator": _l("Mått"),
    "measurement": _l("Mätning"),
    "cost_item": _l("Kostnad"),
    "demo": _l("Demodata"),
    "sign_in": _l("Inloggning"),
    "request": _l("Förfrågan"),
    "login_throttle": _l("Inloggningsspärr"),
    "sso_group_role": _l("Koppling mellan grupp och roll"),
    "paper_version": _l("Beslutsunderlag"),
    "decision": _l("Beslut"),
    "implementation_plan": _l("Implementeringsplan"),
    "rollout_unit": _l("Enhet att införa på"),
    "milestone": _l("Milstolpe"),
    "risk": _l("Risk"),
    "lifecycle_owner": _l("Ansvar under livscykeln"),
    "school_checkpoint": _l("Kontrollpunkt"),
    "follow_up": _l("Uppföljning"),
    "benefit_owner": _l("Nyttoägare"),
    "harvest_decision": _l("Hemtagningsbeslut"),
    "meeting": _l("Möte"),
    "agenda_item": _l("Punkt på dagordningen"),
    "meeting_document": _l("Mötesdokument"),
    "challenge": _l("Behov eller utmaning"),
    "overlap_coordination": _l("Samordning av överlappande initiativ"),
    "solution": _l("Lösning i förvaltning"),
    "public_initiative": _l("Öppen portfölj"),
}

FIELD_LABELS = {
    "name": _l("Namn"),
    "email": _l("E-postadress"),
    "active": _l("Aktiv"),
    "roles": _l("Roller"),
    "group_id": _l("Grupp"),
    "role": _l("Roll"),
    "via": _l("Inloggning via"),
    "role_groups": _l("Roller från grupper"),
    "groups_lookup": _l("Grupper lästa"),
    "level": _l("Nivå"),
    "position": _l("Ordning"),
    "framework_id": _l("Målram"),
    "locale": _l("Språk"),
    "title": _l("Titel"),
    "organisation_name": _l("Organisationens namn"),
    "discount_rate": _l("Kalkylränta"),
    "horizon_years": _l("Kalkylperiod (år)"),
    "ramp_up": _l("Upptrappning"),
    "sensitivity": _l("Känslighetsanalys"),
    "benefits_low": _l("Nyttor, lågt utfall"),
    "benefits_expected": _l("Nyttor, förväntat utfall"),
    "benefits_high": _l("Nyttor, högt utfall"),
    "costs_low": _l("Kostnader, lågt utfall"),
    "costs_expected": _l("Kostnader, förväntat utfall"),
    "costs_high": _l("Kostnader, högt utfall"),
    # Pilots
    "code": _l("Kod"),
    "need": _l("Behov eller utmaning"),
    "description": _l("Beskrivning"),
    "idea_bearer": _l("Idébärare"),
    "innovation_leader_id": _l("Ansvarig innovationsledare"),
    "unit_id": _l("Organisatorisk enhet"),
    "origin": _l("Ursprung"),
    "target_groups": _l("Målgrupper"),
    "goal_ids": _l("Strategiska mål"),
    "test_start": _l("Teststart"),
    "test_end": _l("Planerat testslut"),
    "phase": _l("Fas"),
    "step": _l("Steg i uppskalningen"),
    "comment": _l("Kommentar"),
    "first_year": _l("Första år"),
    "finance_signed_off_by_id": _l("Granskad av ekonomi"),
    "finance_signed_off_at": _l("Tidpunkt för ekonomis granskning"),
    "reason": _l("Orsak"),
    # Effect goals, indicators, measurements
    "statement": _l("Effektmål"),
    "category": _l("Kategori"),
    "beneficiary": _l("Vem gynnas"),
    "effect_goal_id": _l("Effektmål"),
    "unit": _l("Enhet"),
    "direction": _l("Riktning"),
    "measurement_method": _l("Mätmetod"),
    "data_source": _l("Datakälla"),
    "frequency": _l("Frekvens"),
    "baseline_value": _l("Utgångsvärde"),
    "baseline_date": _l("Datum för utgångsvärdet"),
    "target_value": _l("Målvärde"),
    "target_date": _l("Datum för målvärdet"),
    "value_per_unit": _l("Kronor per enhet"),
    "annual_volume": _l("Årsvolym"),
    "benefit_class": _l("Nyttoklass"),
    "indicator_id": _l("Mått"),
    "measured_on": _l("Mätdatum"),
    "value": _l("Värde"),
    "recorded_by_id": _l("Registrerat av"),
    # Costs and imports
    "kind": _l("Typ"),
    "last_year": _l("Sista år"),
    "amount": _l("Belopp (kr exkl. moms)"),
    "note": _l("Notering"),
    "source": _l("Fil"),
    "added": _l("Tillagda"),
    "skipped": _l("Hoppade över"),
    "cost_item_ids": _l("Kostnader"),
    # Challenges, overlaps, solutions, the open portfolio
    "affected": _l("Vilka berörs"),
    "cost_today": _l("Kostnad i dag"),
    "status": _l("Status"),
    "taken_by_id": _l("Tagen av"),
    "pilot_id": _l("Pilot"),
    "close_reason": _l("Skäl för stängning"),
    "first_pilot_id": _l("Initiativ"),
    "second_pilot_id": _l("Överlappande initiativ"),
    "system_owner": _l("Systemägare"),
    "contract_end": _l("Avtal löper ut"),
    "yearly_cost": _l("Driftkostnad per år"),
    "uses_ai": _l("Använder AI"),
    "ai_risk_class": _l("AI-riskklass"),
    "ai_use": _l("Vad AI:n gör"),
    "unit_ids": _l("Enheter"),
    "owners": _l("Ägare per nivå"),
    "decommissioned_on": _l("Avvecklad den"),
    "decommission_reason": _l("Skäl för avveckling"),
    "public": _l("Publicerad"),
    "fields": _l("Publika fält"),
    "start": _l("Start"),
    "end": _l("Slut"),
    # Accounts
    "user_id": _l("Användare"),
    "revoked": _l("Återkallad"),
    "updated": _l("Uppdaterad"),
    "expires_at": _l("Giltig till"),
    # Security events
    "address": _l("Adress"),
    "method": _l("Metod"),
    "path": _l("Sökväg"),
    "retry_at": _l("Nytt försök tidigast"),
    "scope": _l("Gäller"),
    "key": _l("Konto eller adress"),
    "failures": _l("Misslyckade försök"),
    "locked_until": _l("Spärrad till"),
    # Decision papers
    "number": _l("Version"),
    "is_draft": _l("Utkast"),
    "is_decision_copy": _l("Arkivexemplar med beslutet"),
    "sha256": _l("SHA-256 för PDF-filen"),
    "data_fingerprint": _l("Fingeravtryck för underlaget"),
    "language": _l("Språk"),
    # The scale-up process
    "review_comment": _l("Kommentar om granskningen"),
    "results_summary": _l("Sammanfattning av resultaten"),
    "lessons_learned": _l("Lärdomar"),
    "revisit_on": _l("Tas upp igen"),
    "children_use_solution": _l("Barn eller elever använder lösningen"),
    "status": _l("Status"),
    "planned_start": _l("Planerad start"),
    "in_use_from": _l("I bruk från"),
    "due_on": _l("Datum"),
    "mitigation": _l("Åtgärd"),
    "responsibility": _l("Ansvar"),
    "owner": _l("Ansvarig"),
    "checkpoint": _l("Kontrollpunkt"),
    "done_on": _l("Klar datum"),
    "not_needed_reason": _l("Varför den inte behövs"),
    "planned_on": _l("Planerad till"),
    "outcome": _l("Beslut"),
    "decision_text": _l("Beslutstext"),
    "decision_maker": _l("Beslutsfattare"),
    "presenter": _l("Föredragande"),
    "body": _l("Organ eller möte"),
    "decided_on": _l("Beslutsdatum"),
    "case_number": _l("Diarienummer"),
    "delegation_reference": _l("Delegation"),
    "conditions": _l("Villkor"),
    "new_test_end": _l("Nytt slutdatum för testet"),
    "paper_version_id": _l("Beslutsunderlag som beslutet fattades på"),
    "archived_paper_version_id": _l("Arkiverat beslutsunderlag"),
    # Follow-up after scale-up
    "decision_id": _l("Beslut"),
    "effect_goal_id": _l("Effektmål"),
    "budget_line": _l("Budgetpost"),
    "budget_year": _l("Från budgetår"),
    "hours": _l("Timmar per år"),
    "redeployed_to": _l("Omfördelas till"),
    "date": _l("Datum"),
    "start_time": _l("Börjar"),
    "end_time": _l("Slutar"),
    "place": _l("Plats"),
    "secretary_id": _l("Sekreterare"),
    "participants": _l("Deltagare"),
    "meeting_id": _l("Möte"),
    "agenda_item_id": _l("Punkt på dagordningen"),
    "pilot_id": _l("Pilot"),
    "text": _l("Text"),
    "present": _l("Närvarande"),
    "absent": _l("Frånvarande"),
    "items": _l("Anteckningar per punkt"),
    "minutes_version": _l("Protokollversion"),
    "pages": _l("Sidor"),
    "sources": _l("Beslutsunderlag i mötesunderlaget"),
    "reported_at": _l("Anmält till nämnden"),
}

# The demo entry counts what it created, per table: the words a reader knows.
FIELD_LABELS |= {
    "users": _l("Användare"),
    "units": _l("Enheter"),
    "goal_frameworks": _l("Målramar"),
    "goals": _l("Mål"),
    "pilots": _l("Piloter"),
    "effect_goals": _l("Effektmål"),
    "indicators": _l("Mått"),
    "measurements": _l("Mätningar"),
    "cost_items": _l("Kostnader"),
    "transitions": _l("Byten av fas"),
    "phase_transitions": _l("Byten av fas"),
    "api_tokens": _l("API-nycklar"),
    "finance_sign_offs": _l("Ekonomigranskningar"),
}

# Coded values and the words for them: by field, and where one field name means different things
# on different objects (a pilot's phase, a measurement's phase, a cost's phase), by object too.
VALUE_LABELS: dict[tuple[str | None, str], Mapping[Any, Any]] = {
    (None, "phase"): PHASE_LABELS,
    ("measurement", "phase"): MEASUREMENT_PHASE_LABELS,
    ("cost_item", "phase"): COST_PHASE_LABELS,
    (None, "step"): STEP_LABELS,
    (None, "origin"): ORIGIN_LABELS,
    (None, "category"): GOAL_CATEGORY_LABELS,
    ("cost_item", "category"): COST_CATEGORY_LABELS,
    (None, "kind"): COST_KIND_LABELS,
    (None, "direction"): DIRECTION_LABELS,
    (None, "benefit_class"): BENEFIT_CLASS_LABELS,
    (None, "level"): LEVEL_LABELS,
    (None, "reason"): ACTION_LABELS,
}

# Fields that hold the id of a person or a unit: shown by name.
PERSON_KEYS = frozenset({"finance_signed_off_by_id", "innovation_leader_id", "recorded_by_id", "user_id",
                         "entered_by_id", "actor_id", "decided_by_id"})
UNIT_KEYS = frozenset({"unit_id"})


@dataclass(frozen=True)
class Names:
    """The names of the people and units an audit page mentions, by id (loaded once per page)."""

    people: Mapping[int, str] = field(default_factory=dict)
    units: Mapping[int, str] = field(default_factory=dict)


def _coded(entity: str | None, key: str, value: Any) -> str | None:
    labels = VALUE_LABELS.get((entity, key)) or VALUE_LABELS.get((None, key))
    if labels is None:
        return None
    for code, label in labels.items():
        if code == value or str(getattr(code, "value", code)) == str(value):
            return str(label)
    return None


def _timestamp(value: str) -> str | None:
    """A stored ISO timestamp (2026-12-01T12:09:57.072238, UTC) in local time to the minute."""
    if "T" not in value:
        return None
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.timezone.utc).replace(tzinfo=None)
    return local_datetime(moment)


# Fractions stored as decimal strings that people read as percentages (0.035 → 3,5 %).
PERCENT_KEYS = frozenset({"discount_rate", "ramp_up", "benefits_low", "benefits_expected", "benefits_high",
                          "costs_low", "costs_expected", "costs_high"})
NOTHING = "–"


def _as_percent(value: Any) -> str:
    try:
        fraction = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    return f"{number(fraction * 100)}\u00a0%"  # every decimal kept: 3,5 %, 12,25 %


def show_value(key: str, value: Any, entity: str | None = None, names: Names | None = None) -> str:
    """A logged value as text: yes/no, the words for coded values, people and units by name,
    local times to the minute, percentages; "–" for nothing."""
    names = names or Names()
    if value is None or value == "" or value == [] or value == {}:
        return NOTHING
    if isinstance(value, bool):
        return _("Ja") if value else _("Nej")
    if key == "roles" and isinstance(value, list):
        return ", ".join(str(ROLE_LABELS.get(item, item)) for item in value)
    if key == "role_groups" and isinstance(value, dict):  # role: the provider groups giving it
        return ", ".join(f"{ROLE_LABELS.get(role, role)}: {'; '.join(map(str, groups)) or NOTHING}"
                         for role, groups in value.items())
    if key == "groups_lookup":
        return str({"graph": _l("från Microsoft Graph"), "failed": _l("kunde inte läsas")}.get(value, value))
    if isinstance(value, list):
        return "; ".join(show_value(key, item, entity, names) for item in value)
    if isinstance(value, dict):
        return ", ".join(
            f"{FIELD_LABELS.get(name, name)}: {show_value(name, item, entity, names)}" for name, item in value.items()
        )
    if key in PERSON_KEYS and isinstance(value, int):
        return names.people.get(value) or _("användare %(id)s (borttagen)", id=value)
    if key in UNIT_KEYS and isinstance(value, int):
        return names.units.get(value) or _("enhet %(id)s (borttagen)", id=value)
    coded = _coded(entity, key, value)
    if coded is not None:
        return coded
    if key in PERCENT_KEYS:
        return _as_percent(value)
    if isinstance(value, str):
        return _timestamp(value) or value
    return str(value)


def ids_named(entries: list[AuditEntry]) -> tuple[set[int], set[int]]:
    """The ids of people and units the entries' values mention (to load their names at once)."""
    people: set[int] = set()
    units: set[int] = set()

    def collect(values: Any) -> None:
        if not isinstance(values, dict):
            return
        for key, value in values.items():
            if isinstance(value, dict):
                collect(value)
            elif isinstance(value, int) and not isinstance(value, bool):
                if key in PERSON_KEYS:
                    people.add(value)
                elif key in UNIT_KEYS:
                    units.add(value)

    for entry in entries:
        collect(entry.before)
        collect(entry.after)
    return people, units


def changes(entry: AuditEntry, names: Names | None = None) -> list[dict[str, str]]:
    """The fields an entry records, each with its label and its value before and after.

    A changed group of values (the sensitivity factors) is opened up, so that only the values
    that changed are listed.
    """
    people_and_units = names or Names()
    before, after = entry.before or {}, entry.after or {}
    rows = []
    for key in list(before) + [key for key in after if key not in before]:
        old, new = before.get(key), after.get(key)
        if isinstance(old, dict) and isinstance(new, dict):
            group = list(old) + [name for name in new if name not in old]
            rows += [_row(name, old.get(name), new.get(name), entry, people_and_units)
                     for name in group if old.get(name) != new.get(name)]
        else:
            rows.append(_row(key, old, new, entry, people_and_units))
    return rows


def _row(key: str, old: Any, new: Any, entry: AuditEntry, names: Names) -> dict[str, str]:
    return {
        "field": str(FIELD_LABELS.get(key, key)),
        "before": show_value(key, old, entry.entity, names) if entry.before is not None else "",
        "after": show_value(key, new, entry.entity, names) if entry.after is not None else "",
    }


def present(entry: AuditEntry, pilot_code: str | None, names: Names | None = None) -> dict[str, Any]:
    """One row of the audit page."""
    return {
        "entry": entry,
        "action": ACTION_LABELS.get(entry.action, entry.action),
        "entity": ENTITY_LABELS.get(entry.entity, entry.entity),
        "pilot_code": pilot_code,
        "changes": changes(entry, names),
    }

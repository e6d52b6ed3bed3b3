"""How audit log entries read on screen: Swedish names for actions, objects and fields, and values
as a Swedish reader expects them (yes/no, role names, percentages)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portfolio.i18n import number
from portfolio.models import AuditEntry

from .labels import LEVEL_LABELS, ROLE_LABELS

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
}

ENTITY_LABELS = {
    "user": _l("Användare"),
    "unit": _l("Enhet"),
    "goal_framework": _l("Målram"),
    "goal": _l("Mål"),
    "settings": _l("Inställningar"),
    "api_token": _l("API-nyckel"),
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
}

FIELD_LABELS = {
    "name": _l("Namn"),
    "email": _l("E-postadress"),
    "active": _l("Aktiv"),
    "roles": _l("Roller"),
    "group_id": _l("Grupp"),
    "role": _l("Roll"),
    "via": _l("Inloggning via"),
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
}

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


def show_value(key: str, value: Any) -> str:
    """A logged value as text: yes/no, Swedish role and level names, percentages; "–" for nothing."""
    if value is None or value == "" or value == [] or value == {}:
        return NOTHING
    if isinstance(value, bool):
        return _("Ja") if value else _("Nej")
    if key == "roles" and isinstance(value, list):
        return ", ".join(str(ROLE_LABELS.get(item, item)) for item in value)
    if key == "level" and value in LEVEL_LABELS:
        return str(LEVEL_LABELS[value])
    if isinstance(value, list):
        return "; ".join(show_value(key, item) for item in value)
    if isinstance(value, dict):
        return ", ".join(f"{FIELD_LABELS.get(name, name)}: {show_value(name, item)}" for name, item in value.items())
    if key in PERCENT_KEYS:
        return _as_percent(value)
    return str(value)


def changes(entry: AuditEntry) -> list[dict[str, str]]:
    """The fields an entry records, each with its label and its value before and after.

    A changed group of values (the sensitivity factors) is opened up, so that only the values
    that changed are listed.
    """
    before, after = entry.before or {}, entry.after or {}
    rows = []
    for key in list(before) + [key for key in after if key not in before]:
        old, new = before.get(key), after.get(key)
        if isinstance(old, dict) and isinstance(new, dict):
            names = list(old) + [name for name in new if name not in old]
            rows += [_row(name, old.get(name), new.get(name), entry) for name in names if old.get(name) != new.get(name)]
        else:
            rows.append(_row(key, old, new, entry))
    return rows


def _row(key: str, old: Any, new: Any, entry: AuditEntry) -> dict[str, str]:
    return {
        "field": str(FIELD_LABELS.get(key, key)),
        "before": show_value(key, old) if entry.before is not None else "",
        "after": show_value(key, new) if entry.after is not None else "",
    }


def present(entry: AuditEntry, pilot_code: str | None) -> dict[str, Any]:
    """One row of the audit page."""
    return {
        "entry": entry,
        "action": ACTION_LABELS.get(entry.action, entry.action),
        "entity": ENTITY_LABELS.get(entry.entity, entry.entity),
        "pilot_code": pilot_code,
        "changes": changes(entry),
    }

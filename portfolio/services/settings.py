"""Installation-wide settings (organisation name, economics defaults) and each pilot's parameters."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from sqlalchemy.orm import Session

from portfolio.domain.economics import Parameters, SensitivityFactors
from portfolio.models import AppSettings, Pilot, User

from . import audit, concurrency

SETTINGS_ID = 1

# The ranges the admin may set (the domain accepts wider ones; these catch typing mistakes).
MAX_DISCOUNT_RATE = Decimal("0.2")
MIN_HORIZON_YEARS, MAX_HORIZON_YEARS = 1, 30
SETTINGS_FIELDS = ("organisation_name", "discount_rate", "horizon_years", "ramp_up", "sensitivity")


def get_settings(session: Session) -> AppSettings:
    """The settings row (created by the first migration)."""
    settings = session.get(AppSettings, SETTINGS_ID)
    if settings is None:  # pragma: no cover - the migration always creates it
        raise LookupError("app_settings row 1 is missing: run `flask --app portfolio db upgrade`")
    return settings


def sensitivity_from_json(data: dict[str, str] | None, fallback: SensitivityFactors | None = None) -> SensitivityFactors:
    """Sensitivity factors from their stored form (decimal strings by field name)."""
    base = fallback or SensitivityFactors()
    if not data:
        return base
    values = {name: Decimal(str(data[name])) if data.get(name) not in (None, "") else getattr(base, name)
              for name in SensitivityFactors.__dataclass_fields__}
    return SensitivityFactors(**values)


def ramp_up_from_json(data: list[str] | None) -> tuple[Decimal, ...]:
    """Ramp-up factors per year from their stored form (decimal strings)."""
    return tuple(Decimal(str(value)) for value in (data or []))


def default_first_year(pilot: Pilot, today: dt.date | None = None) -> int:
    """Year 0 of the forward cash flow when finance has not set it: the year after the test ends."""
    if pilot.test_end is not None:
        return pilot.test_end.year + 1
    return (today or dt.date.today()).year + 1


def parameters_for(session: Session, pilot: Pilot, today: dt.date | None = None) -> Parameters:
    """The economics parameters of a pilot: its own overrides, else the admin's defaults."""
    settings = get_settings(session)
    default_sensitivity = sensitivity_from_json(settings.sensitivity)
    return Parameters(
        first_year=pilot.first_year or default_first_year(pilot, today),
        horizon_years=pilot.horizon_years or settings.horizon_years,
        discount_rate=pilot.discount_rate if pilot.discount_rate is not None else settings.discount_rate,
        ramp_up=ramp_up_from_json(pilot.ramp_up if pilot.ramp_up is not None else settings.ramp_up),
        sensitivity=sensitivity_from_json(pilot.sensitivity, default_sensitivity),
    )


def decimal_text(value: Decimal) -> str:
    """A decimal as the JSON columns store it: exact, plain notation, no trailing zeros ("0.5", "1", "10")."""
    text = format(Decimal(value).normalize(), "f")
    return "0" if text in ("-0", "") else text


def _snapshot(settings: AppSettings) -> dict:
    # 0.0300 read back from the database and 0.03 just typed are the same rate.
    return audit.snapshot(settings, SETTINGS_FIELDS) | {"discount_rate": decimal_text(settings.discount_rate)}


def update_settings(
    session: Session,
    settings: AppSettings,
    *,
    organisation_name: str,
    discount_rate: Decimal,
    horizon_years: int,
    ramp_up: Iterable[Decimal],
    sensitivity: SensitivityFactors,
    actor: User | None,
    version: int | None = None,
) -> None:
    """Change the installation-wide settings and economics defaults (fractions: 0.035 is 3.5 %).

    Raises ValueError for values outside the ranges the admin may set; the form checks the
    same ranges first, so a user sees a message next to the field instead.
    """
    concurrency.expect_version(session, settings, version)
    discount_rate = Decimal(discount_rate)
    ramp_up = tuple(Decimal(value) for value in ramp_up)
    if not organisation_name.strip():
        raise ValueError("organisation_name is empty")
    if not Decimal(0) <= discount_rate <= MAX_DISCOUNT_RATE:
        raise ValueError(f"discount_rate must be from 0 to {MAX_DISCOUNT_RATE}")
    if not MIN_HORIZON_YEARS <= int(horizon_years) <= MAX_HORIZON_YEARS:
        raise ValueError(f"horizon_years must be from {MIN_HORIZON_YEARS} to {MAX_HORIZON_YEARS}")
    if any(not Decimal(0) <= factor <= Decimal(1) for factor in ramp_up):
        raise ValueError("ramp-up factors must be from 0 to 1")
    if len(ramp_up) > MAX_HORIZON_YEARS:
        raise ValueError(f"at most {MAX_HORIZON_YEARS} ramp-up years")

    before = _snapshot(settings)
    settings.organisation_name = " ".join(organisation_name.split())
    settings.discount_rate = discount_rate
    settings.horizon_years = int(horizon_years)
    # New objects, not in-place edits: the JSON columns only notice reassignment.
    settings.ramp_up = [decimal_text(factor) for factor in ramp_up]
    settings.sensitivity = {
        field.name: decimal_text(getattr(sensitivity, field.name)) for field in dataclasses.fields(sensitivity)
    }
    session.flush()
    audit.record_update(session, actor, "settings", settings.id, before, _snapshot(settings))

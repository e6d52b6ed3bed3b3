"""Installation-wide settings (organisation name, economics defaults) and each pilot's parameters."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy.orm import Session

from portfolio.domain.economics import Parameters, SensitivityFactors
from portfolio.models import AppSettings, Pilot

SETTINGS_ID = 1


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

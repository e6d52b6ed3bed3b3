"""Form building blocks shared by every area: Swedish decimals, choices, check-box lists, and the
re-authentication field that sensitive actions ask for."""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal

from flask import request
from flask_babel import format_decimal, get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import Field, PasswordField, SelectMultipleField, StringField, widgets
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, StopValidation

from portfolio.db import get_session
from portfolio.domain.economics import MAX_HORIZON_YEARS
from portfolio.domain.numbers import parse_decimal
from portfolio.services import login_protection, users

from .security import client_address, log_event, wait_message


def parse_user_decimal(text: str) -> Decimal:
    """A number as the current user types it: decimal comma in Swedish, decimal point in English."""
    return parse_decimal(text, decimal_comma=not str(get_locale()).startswith("en"))


def choices(pairs: Iterable[tuple[object, object]]) -> list[SelectChoice]:
    """SelectField choices from (value, label) pairs (WTForms 3.3 deprecates plain tuples).

    Labels stay as given: a lazy label is translated when the option is rendered, in the user's
    language, even for choices built at import time.
    """
    return [SelectChoice(str(value), label) for value, label in pairs]


class SwedishDecimalField(StringField):
    """A decimal typed as Swedish users type it (`1 234,50`); shown back the same way.

    A text input with inputmode="decimal": type=number would refuse a decimal comma.
    `minimum` refuses smaller values with a clear message.
    """

    def __init__(self, label=None, validators=None, *, minimum: Decimal | None = None, places: int | None = None,
                 **kwargs):
        render_kw = {"inputmode": "decimal", "autocomplete": "off"} | kwargs.pop("render_kw", {})
        super().__init__(label, validators, render_kw=render_kw, **kwargs)
        self.minimum = minimum
        self.places = places

    def process_formdata(self, valuelist):
        self.data = None
        self.raw = valuelist[0] if valuelist else ""
        if not self.raw.strip():
            return
        try:
            self.data = parse_user_decimal(self.raw)
        except ValueError:
            self.data = None
            raise ValueError(_l("Ange ett tal, till exempel 1 234,50.")) from None
        if self.minimum is not None and self.data < self.minimum:
            if self.minimum == 0:
                raise ValueError(_l("Värdet får inte vara negativt."))
            raise ValueError(_l("Värdet måste vara minst %(minimum)s.", minimum=self.minimum))

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        if self.data is None:
            return ""
        if self.places is not None:
            pattern = "0" if self.places == 0 else "0." + "0" * self.places
            return format_decimal(self.data, format=pattern)
        return format_decimal(Decimal(self.data).normalize(), format="0.####")


class MultiCheckboxField(SelectMultipleField):
    """Several choices as a list of check boxes (rendered in a fieldset by the field macro)."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


# Percentages and ramp-up, typed by finance and the admin -------------------------------------


def percent_input(ratio: Decimal | None) -> Decimal | None:
    """A stored ratio as the per-cent number a user types (0.035 → 3.5)."""
    return None if ratio is None else (Decimal(ratio) * 100).normalize()


def ratio_from_percent(value: Decimal | None) -> Decimal | None:
    """A typed per-cent number as a stored ratio (3.5 → 0.035)."""
    return None if value is None else (value / 100).normalize()


def ramp_up_text(ratios) -> str:
    """Stored ramp-up ratios as the user types them: ["0.5", "1"] → `50; 100`."""
    if not ratios:
        return ""
    return "; ".join(format_decimal(percent_input(Decimal(str(value))), format="0.##") for value in ratios)


def parse_ramp_up(text: str) -> list[Decimal]:
    """Per-cent values separated by semicolons (`50; 100`); ValueError with a message otherwise."""
    parts = [part.strip() for part in text.split(";")]
    if parts and parts[-1] == "":
        parts.pop()  # a trailing semicolon
    if not parts:
        return []
    if len(parts) > MAX_HORIZON_YEARS:
        raise ValueError(_l("Ange högst %(max)s värden.", max=MAX_HORIZON_YEARS))
    values: list[Decimal] = []
    for part in parts:
        if re.search(r"[,.]\s", part):  # "50, 100": a list, not the decimal 50,1
            raise ValueError(_l("Separera värdena med semikolon, till exempel 50; 100."))
        try:
            value = parse_user_decimal(part)
        except ValueError:
            raise ValueError(_l("Ange procenttal separerade med semikolon, till exempel 50; 100.")) from None
        if not 0 <= value <= 100:
            raise ValueError(_l("Varje värde måste vara mellan 0 och 100 %."))
        if value != value.quantize(Decimal("0.01")):
            raise ValueError(_l("Ange högst två decimaler."))
        values.append(value)
    return values


# Re-authentication before sensitive actions (ASVS 7.5.1) -------------------------------------


class ReauthenticationField(PasswordField):
    """The signed-in user's own password, asked again before a sensitive action.

    Add it to any form whose action needs a fresh proof that the user at the keyboard is the
    account's owner (role changes, password resets, API tokens, a scale-up decision):

        current_password = ReauthenticationField()

    A wrong password is an error next to the field; it is counted like a failed sign-in (so the
    field cannot be used to guess the password) and written to the audit log. While the account
    is throttled the password is not checked at all. The value is never shown back. Validate the
    form before writing anything: a wrong password rolls back the request's transaction.
    """

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("description", _l("Ange ditt eget lösenord för att bekräfta att det är du."))
        render_kw = {"autocomplete": "current-password"} | kwargs.pop("render_kw", {})
        validators = [_password_required, Length(max=256), verify_reauthentication, *(validators or [])]
        super().__init__(label or _l("Ditt lösenord"), validators, render_kw=render_kw, **kwargs)


def _password_required(form, field) -> None:
    if current_user.has_password:
        InputRequired(_l("Ange ditt lösenord för att bekräfta."))(form, field)


def verify_reauthentication(form, field) -> None:
    """WTForms validator: the current user's password, with throttling and a security event on failure.

    A user who signs in only through the identity provider has no password: a sign-in at the
    provider within the last few minutes (OIDC_REAUTHENTICATION_MINUTES) confirms instead.
    """
    if not current_user.has_password:
        from . import sso

        if sso.recently_signed_in():
            return
        raise StopValidation(_l("Logga in på nytt med %(provider)s för att bekräfta att det är du, och gör sedan "
                                "om ändringen.", provider=sso.provider_name()))
    db = get_session()
    refusal = login_protection.refusal(db, current_user.email, client_address())
    if refusal is not None:
        raise StopValidation(wait_message(refusal))
    if users.verify_password(current_user, field.data or ""):
        return
    log_event("reauthentication_failed", "sign_in", actor=current_user,
              details={"path": request.path[:500]}, throttle_email=current_user.email)
    raise StopValidation(_l("Fel lösenord. Ange lösenordet du loggar in med."))


__all__ = [
    "ReauthenticationField", "verify_reauthentication",
    "Field", "MultiCheckboxField", "SwedishDecimalField", "choices", "parse_ramp_up", "parse_user_decimal",
    "percent_input", "ramp_up_text", "ratio_from_percent",
]

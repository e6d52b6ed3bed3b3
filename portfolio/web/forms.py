"""Form building blocks shared by every area: Swedish decimals, choices, check-box lists, and the
re-authentication field that sensitive actions ask for."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from decimal import Decimal

from flask import request
from flask_babel import format_decimal, get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, Field, HiddenField, PasswordField, SelectMultipleField, StringField, widgets
from wtforms.fields.choices import SelectChoice, SelectFieldBase
from wtforms.utils import unset_value
from wtforms.validators import InputRequired, Length, StopValidation

from portfolio.db import get_session
from portfolio.domain import limits
from portfolio.domain.economics import MAX_HORIZON_YEARS
from portfolio.domain.limits import NumberLimit
from portfolio.domain.numbers import parse_decimal
from portfolio.services import login_protection, users

from .security import client_address, log_event, renew_session_after_reauthentication, wait_message


def parse_user_decimal(text: str) -> Decimal:
    """A number as the current user types it: decimal comma in Swedish, decimal point in English."""
    return parse_decimal(text, decimal_comma=not str(get_locale()).startswith("en"))


def row_id(value: object) -> int | None:
    """A posted id as a whole number a row can have, or None: only ASCII digits count, since
    `str.isdigit` also accepts characters such as "²" that `int` refuses."""
    text = str(value if value is not None else "")
    if not (text.isascii() and text.isdigit()) or len(text) > 10:
        return None
    number = int(text)
    return number if limits.ROW_ID.minimum <= number <= limits.ROW_ID.maximum else None


def choices(pairs: Iterable[tuple[object, object]]) -> list[SelectChoice]:
    """SelectField choices from (value, label) pairs (WTForms 3.3 deprecates plain tuples).

    Labels stay as given: a lazy label is translated when the option is rendered, in the user's
    language, even for choices built at import time.
    """
    return [SelectChoice(str(value), label) for value, label in pairs]


#: The longest number a user can mean (a 14-digit amount with grouping and decimals).
MAX_NUMBER_INPUT = 40


def limit_message(limit: NumberLimit, problem: str) -> str:
    """Why a number is refused, naming the range or the decimals of its kind (domain.limits)."""
    if problem == "too_many_decimals":
        if limit.places == 0:
            return str(_l("Ange ett heltal, utan decimaler."))
        if limit.places == 2:
            return str(_l("Ange högst två decimaler."))
        if limit.places == 4:
            return str(_l("Ange högst fyra decimaler."))
        return str(_l("Ange högst %(places)s decimaler.", places=limit.places))
    if problem == "too_large" and limit.name.endswith("percent"):
        return str(_l("Ange högst %(max)s %%.", max=format_decimal(limit.maximum, format="#,##0.##")))
    if problem == "too_small" and limit.minimum == 0:
        return str(_l("Värdet får inte vara negativt."))
    return str(_l("Ange ett värde mellan %(min)s och %(max)s.",
                  min=format_decimal(limit.lowest, format="#,##0.######"),
                  max=format_decimal(limit.maximum, format="#,##0.######")))


class SwedishDecimalField(StringField):
    """A decimal typed as Swedish users type it (`1 234,50`); shown back the same way.

    A text input with inputmode="decimal": type=number would refuse a decimal comma.
    `limit` (a NumberLimit of domain.limits) refuses values outside its range and values with
    more decimals than it keeps, each with a clear message; nothing is rounded. `minimum`
    refuses smaller values (a stricter minimum than the limit's).
    """

    def __init__(self, label=None, validators=None, *, limit: NumberLimit = limits.MEASURED,
                 minimum: Decimal | None = None, places: int | None = None, **kwargs):
        render_kw = {"inputmode": "decimal", "autocomplete": "off"} | kwargs.pop("render_kw", {})
        super().__init__(label, validators, render_kw=render_kw, **kwargs)
        self.limit = limit
        self.minimum = minimum
        self.places = places

    def process_formdata(self, valuelist):
        self.data = None
        self.raw = valuelist[0] if valuelist else ""
        if not self.raw.strip():
            return
        try:
            if len(self.raw) > MAX_NUMBER_INPUT:
                raise ValueError("too long")
            self.data = parse_user_decimal(self.raw)
        except ValueError:
            self.data = None
            raise ValueError(_l("Ange ett tal, till exempel 1 234,50.")) from None
        if self.minimum is not None and self.data < self.minimum:
            if self.minimum == 0:
                raise ValueError(_l("Värdet får inte vara negativt."))
            raise ValueError(_l("Värdet måste vara minst %(minimum)s.", minimum=self.minimum))
        problem = self.limit.problem(self.data)
        if problem is not None:
            raise ValueError(limit_message(self.limit, problem))

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        if self.data is None:
            return ""
        if self.places is not None:
            pattern = "0" if self.places == 0 else "0." + "0" * self.places
            return format_decimal(self.data, format=pattern)
        return format_decimal(Decimal(self.data).normalize(), format="0.####")


DATE_PARTS = ("year", "month", "day")


class DateInputField(DateField):
    """A date typed in GOV.UK's date input: year, month and day in three boxes (`name-year`, …).

    What was typed is shown back as typed, and an impossible date (2026-02-30) or a missing part
    gets the design system's message. A single ISO value under the field's own name (`2026-03-15`,
    as scripts and the API send it) is read too.
    """

    date_input = True

    def __init__(self, label=None, validators=None, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.typed: dict[str, str] | None = None
        self.error_parts: tuple[str, ...] = DATE_PARTS

    def process(self, formdata, data=unset_value, extra_filters=None):
        self.typed = None
        if formdata is not None and self.name not in formdata and any(
            f"{self.name}-{part}" in formdata for part in DATE_PARTS
        ):
            self.typed = {part: (formdata.get(f"{self.name}-{part}") or "").strip() for part in DATE_PARTS}
            merged = formdata.copy() if hasattr(formdata, "copy") else dict(formdata)
            merged[self.name] = "" if not any(self.typed.values()) else "-".join(self.typed[p] for p in DATE_PARTS)
            formdata = merged
        super().process(formdata, data, extra_filters=extra_filters)

    def process_formdata(self, valuelist):
        self.data = None
        text = (valuelist[0] if valuelist else "").strip()
        if not text:
            return
        if self.typed is not None:
            missing = [part for part in DATE_PARTS if not self.typed[part]]
            if missing:
                self.error_parts = tuple(missing)
                raise ValueError(_l("%(label)s måste innehålla %(parts)s.", label=self.label.text,
                                    parts=_join_parts(missing)))
        try:
            self.data = dt.date.fromisoformat(_padded(text))
        except ValueError:
            self.error_parts = DATE_PARTS
            raise ValueError(_l("%(label)s måste vara ett riktigt datum, till exempel 2027-03-15.",
                                label=self.label.text)) from None
        if self.data.year < 1900:
            self.data = None
            self.error_parts = ("year",)
            raise ValueError(_l("Året måste ha fyra siffror.")) from None

    def date_parts(self) -> dict[str, str]:
        """What the three boxes show: what was typed, else the stored date."""
        if self.typed is not None:
            return self.typed
        if self.raw_data:
            text = self.raw_data[0] or ""
            pieces = text.split("-") if re.fullmatch(r"\s*\d*-\d*-\d*\s*", text) else [text, "", ""]
            return dict(zip(DATE_PARTS, (piece.strip() for piece in pieces)))
        if self.data:
            return {"year": str(self.data.year), "month": str(self.data.month), "day": str(self.data.day)}
        return dict.fromkeys(DATE_PARTS, "")

    def first_error_part(self) -> str:
        """The box the error summary links to."""
        return self.error_parts[0] if self.error_parts else "year"


_PART_NAMES = {"year": _l("ett år"), "month": _l("en månad"), "day": _l("en dag")}


def _join_parts(parts: list[str]) -> str:
    words = [str(_PART_NAMES[part]) for part in parts]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " " + str(_l("och")) + " " + words[-1]


def _padded(text: str) -> str:
    """`2027-3-5` as `2027-03-05`; anything that is not three numbers is left for fromisoformat to refuse."""
    match = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text)
    return f"{match[1]}-{int(match[2]):02d}-{int(match[3]):02d}" if match else text


class FilledIn:
    """The field must be filled in; a value of only spaces counts as empty.

    WTForms' InputRequired accepts " ", which left a blank name saved or a blank number
    reaching the service (a 500): this gives the field's own message instead.
    """

    field_flags = {"required": True}

    def __init__(self, message):
        self.message = message

    def __call__(self, form, field) -> None:
        raw = field.raw_data[0] if field.raw_data else ""
        if not isinstance(raw, str) or not raw.strip():
            field.errors[:] = []
            raise StopValidation(self.message)


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


_password_required.field_flags = {"required": True}  # type: ignore[attr-defined]  # shown as required


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
        renew_session_after_reauthentication()
        return
    log_event("reauthentication_failed", "sign_in", actor=current_user,
              details={"path": request.path[:500]}, throttle_email=current_user.email)
    raise StopValidation(_l("Fel lösenord. Ange lösenordet du loggar in med."))


# Optimistic concurrency ---------------------------------------------------------------------

#: Shown next to a text field holding control characters.
CONTROL_CHARACTERS_MESSAGE = _l("Texten innehåller osynliga styrtecken, till exempel från kopierad text. Ta bort "
                                "dem och försök igen.")

#: Shown above a form saved from a stale version.
STALE_MESSAGE = _l("Någon annan har sparat ändringar sedan du öppnade formuläret. Inget av det du skrev är "
                   "sparat. Jämför med de sparade värdena nedan och spara igen om dina värden ska gälla.")


def shown_value(field) -> str:
    """A field's value as the user reads it: the label of a choice, Ja/Nej, the typed text."""
    if isinstance(field, BooleanField):
        return str(_l("Ja") if field.data else _l("Nej"))
    if isinstance(field, SelectFieldBase):
        chosen = field.data if isinstance(field.data, (list, tuple, set)) else [field.data]
        chosen_text = {str(value) for value in chosen if value not in (None, "")}
        labels = []
        for choice in field.choices or []:
            value, label = (choice.value, choice.label) if isinstance(choice, SelectChoice) else choice[:2]
            if str(value) in chosen_text:
                labels.append(str(label))
        return ", ".join(labels)
    value = field._value()
    return "" if value is None else str(value)


class CheckedForm(FlaskForm):
    """The base of every form of the app: no text field may hold control characters.

    A NUL, a bell or an escape copied from another program is invisible on the page, cannot be
    stored by PostgreSQL (NUL) and breaks the Excel export; it gets a message next to the field.
    """

    def validate(self, extra_validators=None) -> bool:
        """The form's own checks, and no control characters in any text field."""
        ok = super().validate(extra_validators)
        for field in self:
            if (isinstance(field, StringField) and not isinstance(field, (HiddenField, PasswordField))
                    and isinstance(field.data, str) and limits.control_characters(field.data)):
                if not field.errors:
                    field.errors = [*field.errors, CONTROL_CHARACTERS_MESSAGE]
                ok = False
        return ok


class VersionedForm(CheckedForm):
    """An edit form that carries the version of the row it was made from (hidden field).

    On GET, fill `version` from the row (`obj=row`, or `data={"version": row.version}`);
    on POST, `expected_version()` is what the service checks (services.concurrency). A save
    from a stale form is shown by `show_conflict`: a message, the stored values beside the
    user's, the user's input kept, and the new version, so saving again is a deliberate choice.
    """

    version = HiddenField()
    conflict: list[tuple[str, str, str]] | None = None

    def expected_version(self) -> int | None:
        """The version the form was made from (None when the form carries none)."""
        raw = str(self.version.data or "").strip()
        if not raw:
            return None
        if not raw.isascii() or not raw.isdigit() or len(raw) > 12:
            return -1  # not a version any row has: the save is refused as stale
        return int(raw)

    def show_conflict(self, current: FlaskForm) -> None:
        """Refuse the save: show the message, and the fields whose stored value differs."""
        rows = []
        for field in self:
            if field.name in ("csrf_token", "version") or isinstance(field, (PasswordField, HiddenField)):
                continue
            if field.name not in current._fields:
                continue
            stored, yours = shown_value(current[field.name]), shown_value(field)
            if stored != yours:
                rows.append((str(field.label.text), stored, yours))
        self.conflict = rows
        self.form_errors.append(STALE_MESSAGE)
        self.version.data = current.version.data if "version" in current._fields else self.version.data


__all__ = [
    "CheckedForm", "DateInputField", "Field", "FilledIn", "MultiCheckboxField", "ReauthenticationField",
    "STALE_MESSAGE", "SwedishDecimalField", "VersionedForm", "choices", "limit_message", "parse_ramp_up",
    "parse_user_decimal", "shown_value", "verify_reauthentication",
    "percent_input", "ramp_up_text", "ratio_from_percent",
]

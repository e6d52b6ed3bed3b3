"""The admin area's forms and their messages (password reasons, lock-out, duplicates)."""

from __future__ import annotations

import re
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, IntegerField, PasswordField, SelectField, StringField
from wtforms.validators import EqualTo, Length, Optional, ValidationError

from portfolio.domain.economics import SensitivityFactors
from portfolio.domain.passwords import MAX_LENGTH, MIN_LENGTH, password_problem
from portfolio.domain.roles import Role
from portfolio.models import AppSettings, UnitLevel
from portfolio.services.settings import (
    MAX_DISCOUNT_RATE,
    MAX_HORIZON_YEARS,
    MIN_HORIZON_YEARS,
    sensitivity_from_json,
)

from portfolio.domain import limits

from .forms import (
    CheckedForm,
    FilledIn,
    MultiCheckboxField,
    ReauthenticationField,
    SwedishDecimalField,
    VersionedForm,
    choices,
    parse_ramp_up,
    ramp_up_text,
    ratio_from_percent,
)
from .labels import LEVEL_LABELS, ROLE_LABELS

PASSWORD_MESSAGES = {
    "too_short": _l("Lösenordet måste ha minst %(n)s tecken.", n=MIN_LENGTH),
    "too_long": _l("Lösenordet får ha högst %(n)s tecken.", n=MAX_LENGTH),
    "common": _l("Lösenordet är för vanligt och lätt att gissa. Välj ett annat, gärna flera ord i en mening."),
}

LOCKOUT_MESSAGES = {
    "deactivate_self": _l("Du kan inte inaktivera ditt eget konto."),
    "remove_own_admin": _l("Du kan inte ta bort din egen administratörsroll."),
}

DUPLICATE_EMAIL = _l("Det finns redan en användare med den här e-postadressen.")
DUPLICATE_NAME = _l("Namnet används redan. Välj ett annat namn.")

# Deliberately loose: the address is checked for shape only (no e-mail is sent from here).
_EMAIL_SHAPE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PERCENT = _l("Ange procent, till exempel 3,5.")


def _required(message):
    return FilledIn(message)


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def _int_range(minimum: int, maximum: int, message):
    """A whole number from `minimum` to `maximum`; quiet when the input was not a whole number (that
    error is already shown). Compared as integers: WTForms' NumberRange turns 400 nines into a
    float and fails with an OverflowError (a 500)."""

    def validator(form, field) -> None:
        if field.data is not None and not minimum <= field.data <= maximum:
            raise ValidationError(message)

    return validator


def _email_shape(form, field) -> None:
    if field.data and not _EMAIL_SHAPE.match(field.data.strip()):
        raise ValidationError(_l("Ange en e-postadress, till exempel namn@example.se."))


def _password_policy(form, field) -> None:
    problem = password_problem(field.data or "")
    if problem:
        raise ValidationError(PASSWORD_MESSAGES[problem])


# Users ---------------------------------------------------------------------------------------


class UserForm(VersionedForm):
    """Name, e-mail, roles and (when editing) whether the account is active."""

    name = StringField(_l("Namn"), filters=[_strip], validators=[_required(_l("Ange ett namn.")), Length(max=200)])
    email = EmailField(
        _l("E-postadress"),
        validators=[_required(_l("Ange en e-postadress.")), Length(max=254), _email_shape],
        description=_l("Används för att logga in."),
    )
    roles = MultiCheckboxField(_l("Roller"), description=_l("En användare kan ha flera roller."))
    active = BooleanField(
        _l("Aktivt konto"), default=True, description=_l("Ett inaktiverat konto kan inte logga in men finns kvar i historiken.")
    )
    # Roles and access are sensitive: the admin confirms with their own password.
    current_password = ReauthenticationField(_l("Ditt eget lösenord"))

    def __init__(self, *args, group_roles: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.roles.choices = choices((role.value, label) for role, label in ROLE_LABELS.items())
        # A user holding roles through the provider's groups needs no role from the admin.
        self.group_roles = group_roles

    def validate_roles(self, field) -> None:
        if not field.data and not self.group_roles:
            raise ValidationError(_l("Välj minst en roll."))

    @property
    def role_values(self) -> list[Role]:
        """The chosen roles."""
        return [Role(value) for value in self.roles.data or []]


def _new_password_field(label) -> PasswordField:
    """A password that must pass the policy; the browser may suggest a new one."""
    return PasswordField(
        label,
        validators=[_required(_l("Ange ett lösenord.")), _password_policy],
        description=_l("Minst %(n)s tecken. Ett vanligt lösenord godtas inte.", n=MIN_LENGTH),
        render_kw={"autocomplete": "new-password"},
    )


def _confirm_password_field() -> PasswordField:
    """The same password typed again (compared with the form's `password` field)."""
    return PasswordField(
        _l("Upprepa lösenordet"),
        validators=[_required(_l("Upprepa lösenordet.")), EqualTo("password", _l("Lösenorden är inte lika."))],
        render_kw={"autocomplete": "new-password"},
    )


class NewUserForm(UserForm):
    """A new account: details, roles and a first password."""

    password = _new_password_field(_l("Lösenord"))
    confirm = _confirm_password_field()


class PasswordForm(CheckedForm):
    """A new password for a user, typed twice, confirmed with the admin's own password."""

    password = _new_password_field(_l("Nytt lösenord"))
    confirm = _confirm_password_field()
    current_password = ReauthenticationField(_l("Ditt eget lösenord"))


class ChangePasswordForm(PasswordForm):
    """A user's own new password: the current one first, then the new one twice."""

    current_password = ReauthenticationField(_l("Nuvarande lösenord"),
                                             description=_l("Lösenordet du loggar in med i dag."))


class LiftLockForm(CheckedForm):
    """Lifting a login lock: nothing but the CSRF token."""


# Units, goal frameworks and goals ------------------------------------------------------------


class UnitForm(VersionedForm):
    """A new unit: name and level."""

    name = StringField(_l("Namn"), filters=[_strip], validators=[_required(_l("Ange ett namn.")), Length(max=200)])
    level = SelectField(_l("Nivå"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.level.choices = choices((level.value, label) for level, label in LEVEL_LABELS.items())

    @property
    def level_value(self) -> UnitLevel:
        """The chosen level."""
        return UnitLevel(self.level.data)


class UnitEditForm(UnitForm):
    """An existing unit: also whether it may still be chosen."""

    active = BooleanField(
        _l("Aktiv"), description=_l("En inaktiv enhet finns kvar på sina piloter men kan inte väljas för nya.")
    )


def _position_field():
    return IntegerField(
        _l("Ordning"),
        validators=[_required(_l("Ange ett heltal.")),
                    _int_range(limits.POSITION.minimum, limits.POSITION.maximum,
                               _l("Ange ett heltal från 0 till 10 000."))],
        description=_l("Lägre tal visas först."),
        render_kw={"inputmode": "numeric"},
    )


class FrameworkForm(VersionedForm):
    """A new goal framework: its name."""

    name = StringField(
        _l("Namn"), filters=[_strip],
        validators=[_required(_l("Ange ett namn.")), Length(max=200)],
        description=_l("Till exempel Verksamhetsplanen eller Nämndens mål."),
    )


class FrameworkEditForm(FrameworkForm):
    """An existing framework: name, order and whether it is offered."""

    position = _position_field()
    active = BooleanField(
        _l("Aktiv"), description=_l("En inaktiv målram finns kvar på sina piloter men erbjuds inte för nya val.")
    )


class GoalForm(VersionedForm):
    """A new goal in a framework."""

    name = StringField(_l("Mål"), filters=[_strip],
                       validators=[_required(_l("Ange målets namn.")), Length(max=200)])


class GoalEditForm(GoalForm):
    """An existing goal: name, order and whether it is offered."""

    position = _position_field()
    active = BooleanField(
        _l("Aktivt"), description=_l("Ett inaktivt mål finns kvar på sina piloter men erbjuds inte för nya val.")
    )


# Settings ------------------------------------------------------------------------------------


def _percent_field(label, *, description=None, limit=limits.FACTOR_PERCENT):
    return SwedishDecimalField(
        label, validators=[_required(_PERCENT)], limit=limit, description=description
    )


SENSITIVITY_FIELDS = tuple(SensitivityFactors.__dataclass_fields__)


class SettingsForm(VersionedForm):
    """The organisation's name and the economics defaults, typed as percentages."""

    organisation_name = StringField(
        _l("Organisationens namn"), filters=[_strip],
        validators=[_required(_l("Ange organisationens namn.")), Length(max=200)],
        description=_l("Visas i sidhuvudet på beslutsunderlagen."),
    )
    discount_rate = _percent_field(
        _l("Kalkylränta (%)"), limit=limits.PERCENT, description=_l("Mellan 0 och 20 %. Offentlig sektor räknar ofta med 3 %.")
    )
    horizon_years = IntegerField(
        _l("Kalkylperiod (år)"),
        validators=[
            _required(_l("Ange antal år.")),
            _int_range(MIN_HORIZON_YEARS, MAX_HORIZON_YEARS,
                       _l("Ange ett antal år från %(min)s till %(max)s.", min=MIN_HORIZON_YEARS, max=MAX_HORIZON_YEARS)),
        ],
        description=_l("Hur många år framåt kalkylen räknar, från första införandeåret."),
        render_kw={"inputmode": "numeric"},
    )
    ramp_up = StringField(
        _l("Upptrappning (% av full nytta per år)"),
        validators=[Optional(), Length(max=300)],
        description=_l("Ett värde per år, åtskilda med semikolon, till exempel 50; 100. "
                       "Lämna tomt för full nytta från första året."),
    )
    benefits_low = _percent_field(_l("Nyttor, lågt utfall (%)"))
    benefits_expected = _percent_field(_l("Nyttor, förväntat utfall (%)"))
    benefits_high = _percent_field(_l("Nyttor, högt utfall (%)"))
    costs_low = _percent_field(_l("Kostnader, lågt utfall (%)"))
    costs_expected = _percent_field(_l("Kostnader, förväntat utfall (%)"))
    costs_high = _percent_field(_l("Kostnader, högt utfall (%)"))

    ramp_up_factors: tuple[Decimal, ...] = ()

    @classmethod
    def initial(cls, settings: AppSettings) -> dict:
        """The form's values for the stored settings (fractions shown as percentages)."""
        sensitivity = sensitivity_from_json(settings.sensitivity)
        data = {
            "organisation_name": settings.organisation_name,
            "discount_rate": Decimal(settings.discount_rate) * 100,
            "horizon_years": settings.horizon_years,
            "ramp_up": ramp_up_text(settings.ramp_up),
            "version": settings.version,
        }
        data.update({name: getattr(sensitivity, name) * 100 for name in SENSITIVITY_FIELDS})
        return data

    def validate_discount_rate(self, field) -> None:
        if field.data is not None and field.data > MAX_DISCOUNT_RATE * 100:
            raise ValidationError(_l("Kalkylräntan kan vara högst %(max)s %%.", max=int(MAX_DISCOUNT_RATE * 100)))

    def validate_ramp_up(self, field) -> None:
        try:
            self.ramp_up_factors = tuple(ratio_from_percent(value) for value in parse_ramp_up(field.data or ""))
        except ValueError as error:
            raise ValidationError(error.args[0]) from None

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        for name in SENSITIVITY_FIELDS:
            field = getattr(self, name)
            if field.data is not None and field.data > 1000:
                field.errors.append(_l("Ange högst 1 000 %."))
                valid = False
        # The low case is the pessimistic one: fewer benefits, higher costs.
        b_low, b_exp, b_high = (self.benefits_low.data, self.benefits_expected.data, self.benefits_high.data)
        if None not in (b_low, b_exp, b_high) and not b_low <= b_exp <= b_high:
            self.benefits_expected.errors.append(
                _l("För nyttor ska lågt utfall vara högst förväntat och förväntat högst högt.")
            )
            valid = False
        c_low, c_exp, c_high = (self.costs_low.data, self.costs_expected.data, self.costs_high.data)
        if None not in (c_low, c_exp, c_high) and not c_low >= c_exp >= c_high:
            self.costs_expected.errors.append(
                _l("För kostnader är lågt utfall det dyraste: lågt ska vara minst förväntat och förväntat minst högt.")
            )
            valid = False
        return valid

    def values(self) -> dict:
        """The service's keyword arguments, as fractions (3,5 % → 0.035)."""
        return {
            "organisation_name": self.organisation_name.data,
            "discount_rate": self.discount_rate.data / 100,
            "horizon_years": self.horizon_years.data,
            "ramp_up": self.ramp_up_factors,
            "sensitivity": SensitivityFactors(
                **{name: getattr(self, name).data / 100 for name in SENSITIVITY_FIELDS}
            ),
        }


# Audit log -----------------------------------------------------------------------------------


class AuditFilterForm(CheckedForm):
    """Filter the audit log by kind of object and by pilot (read from the query string)."""

    class Meta:
        csrf = False  # a GET filter changes nothing

    entity = SelectField(_l("Objekt"), validate_choice=False)
    pilot_id = StringField(
        _l("Pilot"), validators=[Optional(), Length(max=20)], description=_l("Pilotens kod eller id, till exempel INN-2024-007.")
    )

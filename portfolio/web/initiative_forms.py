"""Forms of the areas beyond the single pilot: challenges, overlaps, solutions, the open portfolio."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, RadioField, SearchField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from portfolio.domain import limits
from portfolio.domain.initiatives import ChallengeStatus, InitiativeKind
from portfolio.domain.openness import PublicField
from portfolio.domain.process import OwnerLevel, Responsibility
from portfolio.domain.solutions import AiRiskClass
from portfolio.models import Goal, Unit
from portfolio.services.challenges import ChallengeData, ChallengeFilters
from portfolio.services.solutions import SolutionData

from .forms import CheckedForm, DateInputField, MultiCheckboxField, SwedishDecimalField, choices
from .labels import AI_RISK_LABELS, CHALLENGE_STATUS_LABELS, KIND_LABELS, OWNER_LEVEL_LABELS, PUBLIC_FIELD_LABELS, RESPONSIBILITY_LABELS
from .pilot_forms import NO_PUPIL_DATA, TEXT_MAX, _goal_choices, _strip

# --- AI use (a solution's and an implementation plan's) -----------------------------------------


def ai_risk_class_field(description=None) -> RadioField:
    """The EU AI Act risk class, as radios; checked together with "uses AI" by `check_ai_risk_class`."""
    return RadioField(_l("Riskklass enligt EU:s AI-förordning"), validate_choice=False, description=description,
                      choices=choices((risk.value, AI_RISK_LABELS[risk]) for risk in AiRiskClass))


def check_ai_risk_class(uses_ai: str | None, risk_class: str | None) -> None:
    """A risk class from the list when the solution uses AI ("yes"), and none when it does not."""
    if risk_class and risk_class not in {risk.value for risk in AiRiskClass}:
        raise ValidationError(_l("Välj en av riskklasserna."))
    if uses_ai == "yes" and not risk_class:
        raise ValidationError(_l("Välj riskklass när lösningen använder AI."))
    if uses_ai != "yes" and risk_class:
        raise ValidationError(_l("Ange riskklass bara när lösningen använder AI."))


# --- challenges ----------------------------------------------------------------------------------


class ChallengeForm(CheckedForm):
    """A need or challenge, as anyone signed in raises it."""

    title = StringField(_l("Rubrik"), filters=[_strip], description=NO_PUPIL_DATA,
                        validators=[InputRequired(_l("Ange en rubrik.")), Length(max=200)])
    description = TextAreaField(_l("Beskriv behovet eller utmaningen"), filters=[_strip],
                                validators=[InputRequired(_l("Beskriv behovet eller utmaningen.")),
                                            Length(max=TEXT_MAX)],
                                description=NO_PUPIL_DATA)
    unit = SelectField(_l("Enhet"), default="")
    affected = TextAreaField(_l("Vilka berörs?"), filters=[_strip], validators=[Length(max=TEXT_MAX)],
                             description=_l("Grupper eller yrkesroller, t.ex. pedagoger i förskolan. "
                                            "Skriv inga personuppgifter om elever."))
    frequency = StringField(_l("Hur ofta uppstår det?"), filters=[_strip], validators=[Length(max=200)],
                            description=_l("T.ex. varje dag, varje termin."))
    cost_today = SwedishDecimalField(_l("Vad kostar det i dag? (kr per år, om känt)"), limit=limits.MONEY,
                                     places=2, validators=[Optional()])
    goals = MultiCheckboxField(_l("Strategiska mål som berörs"), coerce=int)

    def set_options(self, units: list[Unit], goals: list[Goal]) -> None:
        self.unit.choices = choices([("", _l("Ingen enhet vald")), *((unit.id, unit.name) for unit in units)])
        self.goals.choices = _goal_choices(goals)

    def to_data(self) -> ChallengeData:
        return ChallengeData(
            title=self.title.data or "", description=self.description.data or "",
            unit_id=int(self.unit.data) if self.unit.data else None, affected=self.affected.data or "",
            frequency=self.frequency.data or "", cost_today=self.cost_today.data,
            goal_ids=frozenset(self.goals.data or ()),
        )

    _SERVICE_MESSAGES = {
        "required": _l("Ange en rubrik."),
        "negative": _l("Värdet får inte vara negativt."),
        "unknown_unit": _l("Välj en av enheterna i listan."),
        "unknown_goal": _l("Välj bland målen i listan."),
    }

    def add_service_error(self, error) -> None:
        self[error.field].errors.append(self._SERVICE_MESSAGES[error.reason])


class ChallengeFilterForm(CheckedForm):
    """The backlog's search and filters, read from the query string."""

    class Meta:
        csrf = False

    q = SearchField(_l("Sök"), filters=[_strip], validators=[Length(max=200)])
    status = SelectField(_l("Status"), default="")
    unit = SelectField(_l("Enhet"), default="")
    goal = SelectField(_l("Strategiskt mål"), default="")

    KEYS = ("q", "status", "unit", "goal")

    def set_options(self, units: list[Unit], goals: list[Goal]) -> None:
        self.status.choices = choices(
            [("", _l("Alla")), *((status.value, CHALLENGE_STATUS_LABELS[status]) for status in ChallengeStatus)])
        self.unit.choices = choices([("", _l("Alla enheter")), *((unit.id, unit.name) for unit in units)])
        self.goal.choices = [SelectChoice("", str(_l("Alla mål"))), *_goal_choices(goals)]

    def _valid(self, name: str) -> str:
        field = self[name]
        return "" if field.errors or not field.data else str(field.data)

    def to_filters(self) -> ChallengeFilters:
        return ChallengeFilters(
            text=self._valid("q"),
            status=ChallengeStatus(self._valid("status")) if self._valid("status") else None,
            unit_id=int(self._valid("unit")) if self._valid("unit") else None,
            goal_id=int(self._valid("goal")) if self._valid("goal") else None,
        )

    def query_args(self) -> dict[str, str]:
        return {name: self._valid(name) for name in self.KEYS if self._valid(name)}


class TakeChallengeForm(CheckedForm):
    """Take a challenge (a button)."""


class StartPilotForm(CheckedForm):
    """Start a pilot from a challenge: innovation pilot or digitalisation initiative."""

    kind = RadioField(_l("Slag av initiativ"), default=InitiativeKind.INNOVATION.value,
                      choices=choices((kind.value, KIND_LABELS[kind]) for kind in InitiativeKind))


class CloseChallengeForm(CheckedForm):
    """Close a challenge with a reason."""

    reason = TextAreaField(_l("Varför stängs utmaningen?"), filters=[_strip],
                           validators=[InputRequired(_l("Skriv varför utmaningen stängs.")), Length(max=TEXT_MAX)])


# --- overlaps ------------------------------------------------------------------------------------


class CoordinateForm(CheckedForm):
    """Mark an overlapping pair as coordinated, with a note."""

    first = HiddenField(validators=[InputRequired(_l("Välj ett par ur listan."))])
    second = HiddenField(validators=[InputRequired(_l("Välj ett par ur listan."))])
    note = TextAreaField(_l("Hur samordnas de?"), filters=[_strip],
                         validators=[InputRequired(_l("Skriv hur insatserna samordnas.")), Length(max=TEXT_MAX)])

    def pair(self) -> tuple[int, int] | None:
        """The two initiatives' ids, or None when they are not ids a row can have."""
        raw = (str(self.first.data or "").strip(), str(self.second.data or "").strip())
        if not all(text.isascii() and text.isdigit() and len(text) <= 10 for text in raw):
            return None
        first, second = int(raw[0]), int(raw[1])
        return (first, second) if 0 < first <= limits.ROW_ID.maximum and 0 < second <= limits.ROW_ID.maximum else None


# --- solutions -----------------------------------------------------------------------------------


def owner_field_name(role: Responsibility, level: OwnerLevel) -> str:
    return f"owner_{role.value}_{level.value}"


class SolutionForm(CheckedForm):
    """A solution entered by hand (a tool that never was a pilot)."""

    name = StringField(_l("Namn"), filters=[_strip], validators=[InputRequired(_l("Ange ett namn.")), Length(max=200)])
    description = TextAreaField(_l("Beskrivning"), filters=[_strip], validators=[Length(max=TEXT_MAX)])
    system_owner = StringField(_l("Systemägare"), filters=[_strip], validators=[Length(max=200)],
                               description=_l("En funktion eller roll, t.ex. IT-chefen."))
    contract_end = DateInputField(_l("Licens eller avtal löper ut"), validators=[Optional()])
    yearly_cost = SwedishDecimalField(_l("Driftkostnad per år (kr exkl. moms)"), limit=limits.MONEY, places=2,
                                      validators=[Optional()])
    units = MultiCheckboxField(_l("Enheter som använder lösningen"), coerce=int)
    uses_ai = RadioField(_l("Använder lösningen AI?"), default="no",
                         choices=choices([("yes", _l("Ja")), ("no", _l("Nej"))]),
                         validators=[InputRequired(_l("Ange om lösningen använder AI."))])
    ai_risk_class = ai_risk_class_field()
    ai_use = TextAreaField(_l("Vad gör AI:n?"), filters=[_strip], validators=[Length(max=TEXT_MAX)])

    def set_units(self, units: list[Unit]) -> None:
        self.units.choices = choices((unit.id, unit.name) for unit in units)

    def validate_ai_risk_class(self, field) -> None:
        check_ai_risk_class(self.uses_ai.data, field.data)

    def owner_fields(self):
        """(responsibility, [(level, field)]) for the owners grid."""
        return [(role, [(level, self[owner_field_name(role, level)]) for level in OwnerLevel]) for role in Responsibility]

    def to_data(self) -> SolutionData:
        uses_ai = self.uses_ai.data == "yes"
        return SolutionData(
            name=self.name.data or "", description=self.description.data or "",
            system_owner=self.system_owner.data or "", contract_end=self.contract_end.data,
            yearly_cost=self.yearly_cost.data, uses_ai=uses_ai,
            ai_risk_class=AiRiskClass(self.ai_risk_class.data) if uses_ai and self.ai_risk_class.data else None,
            ai_use=self.ai_use.data or "", unit_ids=frozenset(self.units.data or ()),
            owners={(role, level): self[owner_field_name(role, level)].data or ""
                    for role in Responsibility for level in OwnerLevel},
        )


for _role in Responsibility:
    for _level in OwnerLevel:
        setattr(SolutionForm, owner_field_name(_role, _level), StringField(
            _l("%(role)s, %(level)s", role=RESPONSIBILITY_LABELS[_role], level=OWNER_LEVEL_LABELS[_level]),
            filters=[_strip], validators=[Length(max=200)]))


class DecommissionForm(CheckedForm):
    """Decommission a solution: date and reason."""

    decommissioned_on = DateInputField(_l("Avvecklad den"), validators=[InputRequired(_l("Ange ett datum."))])
    reason = TextAreaField(_l("Varför avvecklas lösningen?"), filters=[_strip],
                           validators=[InputRequired(_l("Skriv varför lösningen avvecklas.")), Length(max=TEXT_MAX)])


# --- the open portfolio --------------------------------------------------------------------------


class PublicationForm(CheckedForm):
    """Whether one initiative is public, and which of its fields."""

    public = BooleanField(_l("Publicera i den öppna portföljen"))
    fields = MultiCheckboxField(_l("Publika fält"),
                                choices=choices((f.value, PUBLIC_FIELD_LABELS[f]) for f in PublicField))


__all__ = [
    "ChallengeFilterForm", "ChallengeForm", "CloseChallengeForm", "CoordinateForm", "DecommissionForm",
    "PublicationForm", "SolutionForm", "StartPilotForm", "TakeChallengeForm", "owner_field_name",
]

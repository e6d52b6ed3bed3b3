"""Forms of the pilot register: search and filter, the pilot itself, phase moves, reassignment.

Each form gets its choices injected (units, goals, leaders, allowed moves) and owns the
mapping between its fields and the service's data.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import RadioField, SearchField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf, InputRequired, Length, Optional, ValidationError

from portfolio.domain.initiatives import InitiativeKind, has_scale_up_steps
from portfolio.domain.lifecycle import Origin, Phase, Step, TransitionError, allowed_moves
from portfolio.models import Goal, Pilot, Unit, User
from portfolio.services.pilots import SORT_KEYS, PilotData, PilotFilters, PilotInputError

from .forms import CheckedForm, DateInputField, MultiCheckboxField, VersionedForm, choices
from .labels import KIND_LABELS, MOVE_LABELS, ORIGIN_LABELS, PHASE_LABELS, STEP_LABELS

NO_PUPIL_DATA = _l("Skriv inga personuppgifter om elever.")
TEXT_MAX = 10_000  # generous for a description, but a bound on what one request may store


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def _goal_choices(goals: list[Goal]) -> list[SelectChoice]:
    """Goals as choices grouped by framework (the goals come ordered by framework)."""
    return [SelectChoice(str(goal.id), goal.name, optgroup=goal.framework.name) for goal in goals]


# --- the register's search and filters -----------------------------------------------------------


SORT_LABELS = {
    "code": _l("Kod"),
    "title": _l("Titel"),
    "phase": _l("Fas"),
    "unit": _l("Enhet"),
    "updated": _l("Senast ändrad"),
    "npv": _l("Nuvärde, fullt värde"),
    "realisation": _l("Realiseringsgrad"),
    "signoff": _l("Ekonomi granskad"),
}


class PilotFilterForm(CheckedForm):
    """Search, filters and sort of the register, read from the query string (GET, no CSRF)."""

    class Meta:
        csrf = False  # a GET search changes nothing

    q = SearchField(_l("Sök"), filters=[_strip], validators=[Length(max=200)],
                    description=_l("Kod, titel, behov, beskrivning eller idébärare."))
    kind = SelectField(_l("Slag"), default="")
    phase = SelectField(_l("Fas"), default="")
    unit = SelectField(_l("Enhet"), default="")
    origin = SelectField(_l("Ursprung"), default="")
    goal = SelectField(_l("Strategiskt mål"), default="")
    leader = SelectField(_l("Innovationsledare"), default="")
    year = SelectField(_l("År"), default="", description=_l("Året piloten registrerades."))
    step = SelectField(_l("Steg i uppskalningen"), default="")
    sort = SelectField(_l("Sortera efter"), default="code")
    order = SelectField(_l("Ordning"), default="asc")

    KEYS = ("q", "kind", "phase", "unit", "origin", "goal", "leader", "year", "step", "sort", "order")

    def set_options(self, units: list[Unit], goals: list[Goal], leaders: list[tuple[int, str]] = (),
                    years: list[int] = ()) -> None:
        """Offer every unit, goal, leader and year (an empty value means "all"); labels in the user's language."""
        self.leader.choices = choices([("", _l("Alla innovationsledare")), *leaders])
        self.year.choices = choices([("", _l("Alla år")), *((year, str(year)) for year in years)])
        self.step.choices = choices([("", _l("Alla steg")), *((int(step), STEP_LABELS[step]) for step in Step)])
        self.sort.choices = choices((key, SORT_LABELS[key]) for key in SORT_KEYS)
        self.order.choices = choices([("asc", _l("Stigande")), ("desc", _l("Fallande"))])
        self.phase.choices = choices([("", _l("Alla faser")), *((phase.value, PHASE_LABELS[phase]) for phase in Phase)])
        self.unit.choices = choices([("", _l("Alla enheter")), *((unit.id, unit.name) for unit in units)])
        self.origin.choices = choices(
            [("", _l("Alla ursprung")), *((origin.value, ORIGIN_LABELS[origin]) for origin in Origin)]
        )
        self.goal.choices = [SelectChoice("", str(_l("Alla mål"))), *_goal_choices(goals)]
        self.kind.choices = choices([("", _l("Alla slag")), *((kind.value, KIND_LABELS[kind]) for kind in InitiativeKind)])

    def _valid(self, name: str) -> str:
        """The field's value when it is valid and not empty, else an empty string."""
        field = self[name]
        return "" if field.errors or not field.data else str(field.data)

    def to_filters(self) -> PilotFilters:
        """The filters to apply; a field with an invalid value is left out (and shows its error)."""
        return PilotFilters(
            text=self._valid("q"),
            phase=Phase(self._valid("phase")) if self._valid("phase") else None,
            kind=InitiativeKind(self._valid("kind")) if self._valid("kind") else None,
            unit_id=int(self._valid("unit")) if self._valid("unit") else None,
            origin=Origin(self._valid("origin")) if self._valid("origin") else None,
            goal_id=int(self._valid("goal")) if self._valid("goal") else None,
            leader_id=int(self._valid("leader")) if self._valid("leader") else None,
            year=int(self._valid("year")) if self._valid("year") else None,
            step=int(self._valid("step")) if self._valid("step") else None,
            sort=self._valid("sort") or "code",
            descending=self._valid("order") == "desc",
        )

    def query_args(self) -> dict[str, str]:
        """The valid filters that differ from the defaults, as query arguments for pagination links."""
        return {
            name: self._valid(name) for name in self.KEYS
            if self._valid(name) and self._valid(name) != (self[name].default or "")
        }


# --- the pilot ------------------------------------------------------------------------------------


class PilotForm(VersionedForm):
    """What a user types about a pilot; used to create and to edit."""

    title = StringField(_l("Titel"), filters=[_strip], description=NO_PUPIL_DATA,
                        validators=[InputRequired(_l("Ange en titel.")), Length(max=200)])
    need = TextAreaField(_l("Behov eller utmaning"), filters=[_strip], validators=[Length(max=TEXT_MAX)],
                         description=_l("Vilket behov eller vilken utmaning svarar piloten mot? "
                                        "Skriv inga personuppgifter om elever."))
    description = TextAreaField(_l("Beskrivning"), filters=[_strip], validators=[Length(max=TEXT_MAX)],
                                description=NO_PUPIL_DATA)
    idea_bearer = StringField(_l("Idébärare"), filters=[_strip], validators=[Length(max=200)],
                              description=_l("En enhet, ett arbetslag eller en yrkesroll. "
                                             "Skriv inga personuppgifter om elever."))
    unit = SelectField(_l("Organisatorisk enhet"), default="")
    origin = RadioField(_l("Ursprung"), validators=[InputRequired(_l("Välj vad som startade piloten."))])
    # Not sent (a script, an old form): an innovation pilot; anything else must be one of the choices.
    kind = RadioField(_l("Slag av initiativ"), default=InitiativeKind.INNOVATION.value,
                      description=_l("En digitaliseringsinsats har samma mål och kostnader men går inte igenom "
                                     "uppskalningsprocessens steg."))
    target_groups = TextAreaField(_l("Målgrupper"), filters=[_strip], validators=[Length(max=TEXT_MAX)],
                                  description=_l("Vilka som ska använda lösningen, t.ex. pedagoger i förskolan. "
                                                 "Skriv inga personuppgifter om elever."))
    goals = MultiCheckboxField(_l("Strategiska mål som piloten bidrar till"), coerce=int)
    test_start = DateInputField(_l("Teststart"), validators=[Optional()],
                           description=_l("Med ett startdatum registreras piloten i fasen Test, annars som Idé."))
    test_end = DateInputField(_l("Planerat testslut"), validators=[Optional()])

    def set_options(self, units: list[Unit], goals: list[Goal]) -> None:
        """Offer these units and goals (from services.pilots.form_options); labels in the user's language."""
        self.origin.choices = choices((origin.value, ORIGIN_LABELS[origin]) for origin in Origin)
        self.kind.choices = choices((kind.value, KIND_LABELS[kind]) for kind in InitiativeKind)
        self.unit.choices = choices([("", _l("Ingen enhet vald")), *((unit.id, unit.name) for unit in units)])
        self.goals.choices = _goal_choices(goals)

    def validate_test_end(self, field) -> None:
        if field.data and self.test_start.data and field.data < self.test_start.data:
            raise ValidationError(_l("Testslutet kan inte ligga före teststarten."))

    @staticmethod
    def initial_data(pilot: Pilot) -> dict:
        """The pilot's current values, to prefill the edit form."""
        return {
            "title": pilot.title, "need": pilot.need, "description": pilot.description,
            "idea_bearer": pilot.idea_bearer, "unit": str(pilot.unit_id) if pilot.unit_id else "",
            "origin": pilot.origin.value, "kind": InitiativeKind(pilot.kind).value, "target_groups": pilot.target_groups,
            "goals": [goal.id for goal in pilot.goals], "test_start": pilot.test_start, "test_end": pilot.test_end,
            "version": pilot.version,
        }

    def to_data(self) -> PilotData:
        """The validated input for the service."""
        return PilotData(
            title=self.title.data or "", origin=Origin(self.origin.data), need=self.need.data or "",
            description=self.description.data or "", idea_bearer=self.idea_bearer.data or "",
            unit_id=int(self.unit.data) if self.unit.data else None, target_groups=self.target_groups.data or "",
            goal_ids=frozenset(self.goals.data or ()), test_start=self.test_start.data, test_end=self.test_end.data,
            kind=InitiativeKind(self.kind.data or InitiativeKind.INNOVATION),
        )

    _SERVICE_MESSAGES = {
        "required": _l("Ange en titel."),
        "end_before_start": _l("Testslutet kan inte ligga före teststarten."),
        "unknown_unit": _l("Välj en av enheterna i listan."),
        "unknown_goal": _l("Välj bland målen i listan."),
        "kind_in_process": _l("Slaget kan inte ändras när piloten har gått in i uppskalningsprocessen."),
    }

    def add_service_error(self, error: PilotInputError) -> None:
        """Show a refusal from the service next to the field it concerns."""
        self[error.field].errors.append(self._SERVICE_MESSAGES[error.reason])


# --- moves and reassignment (on the pilot page) ---------------------------------------------------


class PhaseMoveForm(VersionedForm):
    """Move a pilot by hand to one of the phases the lifecycle allows from where it is.

    It carries the pilot's version: a move chosen on a page from before another change of the pilot
    (another move, say) is refused with what changed, the typed comment and lessons kept. So the
    radio buttons offer the moves from the phase the page showed, and any phase is read back: the
    lifecycle (in the service) refuses a move not allowed from where the pilot is now.
    """

    target = RadioField(_l("Flytta piloten"), validate_choice=False, validators=[
        InputRequired(_l("Välj vart piloten ska flyttas.")),
        AnyOf([phase.value for phase in Phase], message=_l("Välj vart piloten ska flyttas."))])
    comment = TextAreaField(_l("Kommentar"), filters=[_strip], validators=[Length(max=TEXT_MAX)],
                            description=_l("Krävs när piloten parkeras eller avslutas: skriv varför. "
                                           "Skriv inga personuppgifter om elever."))

    revisit_on = DateInputField(_l("Datum då piloten tas upp igen"), validators=[Optional()],
                                description=_l("Krävs när piloten parkeras."))
    lessons_learned = TextAreaField(_l("Lärdomar"), filters=[_strip], validators=[Length(max=TEXT_MAX)],
                                    description=_l("Krävs när piloten avslutas: vad lärde ni er av testet? "
                                                   "Lärdomarna sparas med piloten."))

    def set_moves(self, pilot: Pilot) -> None:
        """Offer the moves allowed from the pilot's phase (and, on a new form, carry its version)."""
        moves = allowed_moves(pilot.phase, scale_up_steps=has_scale_up_steps(pilot.kind))
        self.target.choices = choices((phase.value, MOVE_LABELS[phase]) for phase in moves)
        if not self.is_submitted():
            self.version.data = pilot.version

    def show_conflict(self, current) -> None:
        """Refuse a stale move, naming the move chosen even when it is not offered from where the
        pilot is now (the page then offers those moves again: `set_moves`)."""
        self.target.choices = choices((phase.value, label) for phase, label in MOVE_LABELS.items())
        super().show_conflict(current)

    @classmethod
    def stored(cls, pilot: Pilot) -> PhaseMoveForm:
        """What is stored now, to set beside a stale move: the phase the pilot is in, its date to
        revisit and its lessons learned."""
        form = cls(formdata=None, data={"target": pilot.phase.value, "revisit_on": pilot.revisit_on,
                                        "lessons_learned": pilot.lessons_learned or "", "version": pilot.version})
        form.target.choices = choices([(pilot.phase.value, PHASE_LABELS[pilot.phase])])
        return form

    _MESSAGES = {
        "not_allowed": ("target", _l("Piloten kan inte flyttas dit från sin nuvarande fas.")),
        "reason_required": ("comment", _l("Skriv varför piloten parkeras eller avslutas.")),
        "no_steps_for_kind": ("target", _l("En digitaliseringsinsats går inte igenom uppskalningsprocessen.")),
        "revisit_required": ("revisit_on", _l("Ange när piloten ska tas upp igen.")),
        "revisit_not_after_move": ("revisit_on", _l("Datumet då piloten tas upp igen måste ligga efter i dag.")),
        "lessons_required": ("lessons_learned", _l("Skriv vad ni lärde er av testet innan piloten avslutas.")),
        "test_not_started": ("target", _l("Piloten kan inte gå till uppskalningsprocessen förrän testet har "
                                          "startat. Ange en teststart som inte ligger i framtiden.")),
    }

    def add_transition_error(self, error: TransitionError) -> None:
        """Show the lifecycle's refusal next to the field it concerns."""
        name, message = self._MESSAGES.get(str(error), self._MESSAGES["not_allowed"])
        self[name].errors.append(message)


class LeaderForm(VersionedForm):
    """The admin picks which innovation leader is responsible for a pilot."""

    leader = SelectField(_l("Ansvarig innovationsledare"),
                         validators=[InputRequired(_l("Välj en innovationsledare."))])

    def set_leaders(self, leaders: list[User], pilot: Pilot) -> None:
        """Offer the active innovation leaders; the current one is preselected."""
        self.leader.choices = choices((user.id, user.name) for user in leaders)
        if not self.is_submitted():
            self.version.data = pilot.version
        if not self.is_submitted() and pilot.innovation_leader_id is not None:
            self.leader.data = str(pilot.innovation_leader_id)

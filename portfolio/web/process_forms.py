"""Forms of the scale-up process: completing and reopening steps, the decision, the implementation plan,
and the words for what a gate lacks."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, IntegerField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from portfolio.domain.meetings import DecisionKind
from portfolio.domain.process import (
    Checkpoint,
    CheckpointStatus,
    DecisionOutcome,
    OwnerLevel,
    Responsibility,
    RolloutStatus,
)
from portfolio.domain.solutions import AiRiskClass
from portfolio.services.process import DecisionData

from .forms import CheckedForm, DateInputField, ReauthenticationField, choices, row_id
from .labels import (
    CHECKPOINT_LABELS,
    CHECKPOINT_STATUS_LABELS,
    DECISION_KIND_LABELS,
    DECISION_OUTCOME_LABELS,
    OWNER_LEVEL_LABELS,
    RESPONSIBILITY_LABELS,
    ROLLOUT_STATUS_LABELS,
)
from .initiative_forms import ai_risk_class_field, check_ai_risk_class
from .pilot_forms import NO_PUPIL_DATA, TEXT_MAX

#: What each gate rule lacks, in words a user can act on; %(names)s lists what lacks it.
GATE_MESSAGES = {
    "effect_goal_missing": _l("Lägg till minst ett effektmål."),
    "goal_without_indicator": _l("Ge varje effektmål minst ett mått. Saknar mått: %(names)s."),
    "indicator_unit_missing": _l("Ange enhet för måtten: %(names)s."),
    "indicator_direction_missing": _l("Ange om högre eller lägre är bättre för måtten: %(names)s."),
    "indicator_method_missing": _l("Beskriv mätmetoden för måtten: %(names)s."),
    "indicator_source_missing": _l("Ange datakälla för måtten: %(names)s."),
    "indicator_baseline_missing": _l("Ange baslinjens värde och datum för måtten: %(names)s."),
    "indicator_target_missing": _l("Ange målvärde och måldatum för måtten: %(names)s."),
    "review_comment_missing": _l("Skriv en kommentar om granskningen av effektmålet."),
    "indicator_without_test_measurement": _l("Registrera minst en mätning från testet för måtten: %(names)s."),
    "results_summary_missing": _l("Skriv en sammanfattning av resultaten."),
    "lessons_learned_missing": _l("Skriv vilka lärdomar testet gav."),
    "cost_data_missing": _l("Ekonomi behöver lägga in kostnaderna."),
    "finance_sign_off_missing": _l("Ekonomi behöver granska kostnaderna och värderingen."),
    "benefit_class_missing": _l("Ekonomi behöver ange nyttoklass för de värderade måtten: %(names)s."),
    "plan_target_groups_missing": _l("Ange målgrupperna i implementeringsplanen."),
    "plan_rollout_units_missing": _l("Lägg till de enheter lösningen ska införas på."),
    "plan_timeline_missing": _l("Lägg till minst en daterad milstolpe i tidplanen."),
    "owner_procure_missing": _l("Ange vem som anskaffar lösningen och på vilken nivå."),
    "owner_manage_missing": _l("Ange vem som förvaltar lösningen och på vilken nivå."),
    "owner_support_missing": _l("Ange vem som ger support och på vilken nivå."),
    "owner_decommission_missing": _l("Ange vem som avvecklar lösningen och på vilken nivå."),
    "children_use_unanswered": _l("Ange om barn eller elever använder lösningen."),
    "checkpoint_data_protection_missing": _l("Besvara kontrollpunkten om konsekvensbedömning avseende dataskydd."),
    "checkpoint_child_impact_missing": _l("Besvara kontrollpunkten om barnkonsekvensanalys."),
    "checkpoint_accessibility_missing": _l("Besvara kontrollpunkten om lösningens tillgänglighet."),
    "paper_not_current": _l("Ta fram beslutsunderlaget på nytt: det finns inget som bygger på uppgifterna som de är nu."),
    "paper_not_final": _l("Det senaste beslutsunderlaget är ett utkast: ta fram det på nytt efter steg 3."),
}

#: What each gate rule asks for, as a checklist line (shown when it holds, too).
GATE_ITEMS = {
    "effect_goal_missing": _l("Minst ett effektmål"),
    "goal_without_indicator": _l("Varje effektmål har minst ett mått"),
    "indicator_unit_missing": _l("Varje mått har en enhet"),
    "indicator_direction_missing": _l("Varje mått har en riktning"),
    "indicator_method_missing": _l("Varje mått har en mätmetod"),
    "indicator_source_missing": _l("Varje mått har en datakälla"),
    "indicator_baseline_missing": _l("Varje mått har baslinje (värde och datum)"),
    "indicator_target_missing": _l("Varje mått har målvärde och måldatum"),
    "review_comment_missing": _l("Kommentar om granskningen"),
    "indicator_without_test_measurement": _l("Varje mått har minst en mätning från testet"),
    "results_summary_missing": _l("Sammanfattning av resultaten"),
    "lessons_learned_missing": _l("Lärdomar"),
    "cost_data_missing": _l("Kostnader inlagda"),
    "finance_sign_off_missing": _l("Granskad av ekonomi"),
    "benefit_class_missing": _l("Varje värderad nytta har en nyttoklass"),
    "plan_target_groups_missing": _l("Implementeringsplan: målgrupper"),
    "plan_rollout_units_missing": _l("Implementeringsplan: enheter att införa på"),
    "plan_timeline_missing": _l("Implementeringsplan: tidplan"),
    "owner_procure_missing": _l("Ägare och nivå: anskaffar"),
    "owner_manage_missing": _l("Ägare och nivå: förvaltar"),
    "owner_support_missing": _l("Ägare och nivå: ger support"),
    "owner_decommission_missing": _l("Ägare och nivå: avvecklar"),
    "children_use_unanswered": _l("Besked om barn eller elever använder lösningen"),
    "checkpoint_data_protection_missing": _l("Kontrollpunkt: dataskydd"),
    "checkpoint_child_impact_missing": _l("Kontrollpunkt: barnkonsekvensanalys"),
    "checkpoint_accessibility_missing": _l("Kontrollpunkt: tillgänglighet"),
    "paper_not_current": _l("Beslutsunderlag framtaget från uppgifterna som de är nu"),
    "paper_not_final": _l("Beslutsunderlaget är slutligt (inte ett utkast)"),
}

#: Why a process move was refused (domain.process.ProcessError codes).
REFUSALS = {
    "not_a_step": _l("Det steget finns inte."),
    "not_in_scale_up": _l("Piloten är inte i uppskalningsprocessen."),
    "out_of_order": _l("Stegen slutförs i ordning: slutför det föregående steget först."),
    "already_completed": _l("Steget är redan slutfört."),
    "not_completed": _l("Steget är inte slutfört och kan inte öppnas igen."),
    "comment_required": _l("Skriv varför steget öppnas igen."),
    "already_decided": _l("Beslutet är redan fattat."),
    "missing": _l("Steget kan inte slutföras: något saknas (se listan)."),
    "no_steps_for_kind": _l("En digitaliseringsinsats går inte igenom uppskalningsprocessens steg."),
}


def gate_message(check) -> str:
    """The words for one unmet gate rule, naming what lacks it."""
    return str(GATE_MESSAGES[check.code]) % {"names": ", ".join(name for name in check.lacking if name)}


class CompleteStepForm(CheckedForm):
    """Completes one step; step 1 takes the review comment, step 2 the results and lessons."""

    step = HiddenField()
    review_comment = TextAreaField(_l("Kommentar om granskningen av effektmålet"), validators=[Length(max=TEXT_MAX)],
                                   description=NO_PUPIL_DATA)
    results_summary = TextAreaField(_l("Sammanfattning av resultaten"), validators=[Length(max=TEXT_MAX)],
                                    description=NO_PUPIL_DATA)
    lessons_learned = TextAreaField(_l("Lärdomar"), validators=[Length(max=TEXT_MAX)], description=NO_PUPIL_DATA)

    def step_number(self) -> int | None:
        """The step the form completes, or None when it is not a number."""
        return row_id(self.step.data)


class ReopenStepForm(CheckedForm):
    """Reopens a completed step, with the reason."""

    step = HiddenField()
    comment = TextAreaField(_l("Varför öppnas steget igen?"), validators=[InputRequired(), Length(max=TEXT_MAX)])


class DecisionForm(CheckedForm):
    """The management group's decision (step 4), confirmed with the user's password."""

    outcome = RadioField(_l("Beslut"), choices=choices((o.value, DECISION_OUTCOME_LABELS[o]) for o in DecisionOutcome),
                         validators=[InputRequired(_l("Välj vad som beslutas."))])
    decision_text = TextAreaField(_l("Beslutstext"), validators=[InputRequired(), Length(max=TEXT_MAX)],
                                  description=_l("Till exempel: Förvaltningschefen beslutar att …"))
    new_test_end = DateInputField(_l("Nytt slutdatum för testet"), validators=[Optional()],
                             description=_l("Om testet ska fortsätta."))
    revisit_on = DateInputField(_l("Datum då piloten tas upp igen"), validators=[Optional()],
                           description=_l("Om piloten parkeras."))
    lessons_learned = TextAreaField(_l("Lärdomar"), validators=[Length(max=TEXT_MAX)],
                                    description=_l("Om piloten avslutas."))
    decision_maker = StringField(_l("Beslutsfattare"), validators=[InputRequired(), Length(max=200)],
                                 description=_l("Den person som fattar beslutet, med titel."))
    presenter = StringField(_l("Föredragande"), validators=[InputRequired(), Length(max=200)])
    body = StringField(_l("Organ eller möte"), validators=[InputRequired(), Length(max=200)],
                       description=_l("Till exempel: Ledningsgruppen 2026-12-08, punkt 1"))
    decided_on = DateInputField(_l("Beslutsdatum"), validators=[InputRequired()])
    case_number = StringField(_l("Diarienummer"), validators=[InputRequired(), Length(max=50)])
    kind = RadioField(_l("Beslutets grund"),
                      choices=choices((k.value, DECISION_KIND_LABELS[k]) for k in DecisionKind),
                      validators=[InputRequired(_l("Ange om beslutet fattas på delegation eller är verkställighet."))],
                      description=_l("Delegationsbeslut anmäls till nämnden."))
    delegation_reference = StringField(_l("Punkt i delegationsordningen"), validators=[Length(max=200)],
                                       description=_l("För delegationsbeslut, till exempel: Delegationsordningen punkt 1.4"))
    conditions = TextAreaField(_l("Villkor"), validators=[Length(max=TEXT_MAX)])
    paper_version_id = HiddenField()
    password = ReauthenticationField(description=_l("Bekräfta beslutet med ditt lösenord."))

    def to_data(self) -> DecisionData:
        """The decision as the process service takes it."""
        return DecisionData(
            outcome=DecisionOutcome(self.outcome.data), decision_text=self.decision_text.data or "",
            decision_maker=self.decision_maker.data or "", presenter=self.presenter.data or "",
            body=self.body.data or "", decided_on=self.decided_on.data, case_number=self.case_number.data or "",
            paper_version_id=row_id(self.paper_version_id.data) or 0,
            delegation_reference=self.delegation_reference.data or "", conditions=self.conditions.data or "",
            new_test_end=self.new_test_end.data, revisit_on=self.revisit_on.data,
            lessons_learned=self.lessons_learned.data or "",
            kind=DecisionKind(self.kind.data) if self.kind.data in {k.value for k in DecisionKind} else None,
        )


class DecisionFilterForm(CheckedForm):
    """Filters of the decisions register (GET, no CSRF)."""

    class Meta:
        csrf = False

    outcome = SelectField(_l("Beslut"), default="")
    year = IntegerField(_l("År"), validators=[Optional(), NumberRange(min=1900, max=2999)])

    def set_options(self) -> None:
        self.outcome.choices = choices(
            [("", _l("Alla beslut")), *((o.value, DECISION_OUTCOME_LABELS[o]) for o in DecisionOutcome)]
        )

    def outcome_value(self) -> DecisionOutcome | None:
        value = self.outcome.data if not self.outcome.errors else ""
        return DecisionOutcome(value) if value in {o.value for o in DecisionOutcome} else None

    def year_value(self) -> int | None:
        return self.year.data if not self.year.errors else None


# --- the implementation plan ----------------------------------------------------------------------


class PlanBasicsForm(CheckedForm):
    """Target groups at full scale, and whether children use the solution."""

    target_groups = TextAreaField(_l("Målgrupper"), validators=[Length(max=TEXT_MAX)],
                                  description=_l("Vilka som ska använda lösningen när den är införd."))
    children_use_solution = RadioField(
        _l("Använder barn eller elever lösningen?"),
        choices=choices([("yes", _l("Ja")), ("no", _l("Nej"))]), validators=[Optional()],
    )

    uses_ai = RadioField(
        _l("Använder lösningen AI?"),
        choices=choices([("yes", _l("Ja")), ("no", _l("Nej"))]), validators=[Optional()],
    )
    ai_risk_class = ai_risk_class_field(
        _l("Antagning, bedömning av lärande och övervakning av elever är hög risk; "
           "en chattbot har transparenskrav (begränsad risk)."))

    def children(self) -> bool | None:
        return {"yes": True, "no": False}.get(self.children_use_solution.data)

    def ai(self) -> bool | None:
        return {"yes": True, "no": False}.get(self.uses_ai.data)

    def risk_class(self) -> AiRiskClass | None:
        return AiRiskClass(self.ai_risk_class.data) if self.ai_risk_class.data else None

    def validate_ai_risk_class(self, field) -> None:
        check_ai_risk_class(self.uses_ai.data, field.data)


class RolloutUnitForm(CheckedForm):
    """A unit to roll out to, with its status and dates (a unit already in the plan is updated)."""

    unit = SelectField(_l("Enhet"), validators=[InputRequired()])
    status = SelectField(_l("Status"), choices=choices((s.value, ROLLOUT_STATUS_LABELS[s]) for s in RolloutStatus),
                         validators=[InputRequired()])
    planned_start = DateInputField(_l("Planerad start"), validators=[Optional()])
    in_use_from = DateInputField(_l("I bruk från"), validators=[Optional()])


class MilestoneForm(CheckedForm):
    """A dated milestone of the timeline."""

    due_on = DateInputField(_l("Datum"), validators=[InputRequired()])
    title = StringField(_l("Milstolpe"), validators=[InputRequired(), Length(max=200)])


class RiskForm(CheckedForm):
    """A risk and its mitigation."""

    description = TextAreaField(_l("Risk"), validators=[InputRequired(), Length(max=TEXT_MAX)])
    mitigation = TextAreaField(_l("Åtgärd"), validators=[Length(max=TEXT_MAX)])


class OwnerForm(CheckedForm):
    """Who holds one lifecycle responsibility, at which level."""

    responsibility = SelectField(_l("Ansvar"), choices=choices(
        (r.value, RESPONSIBILITY_LABELS[r]) for r in Responsibility), validators=[InputRequired()])
    level = SelectField(_l("Nivå"), choices=choices((lv.value, OWNER_LEVEL_LABELS[lv]) for lv in OwnerLevel),
                        validators=[InputRequired()])
    owner = StringField(_l("Ansvarig"), validators=[InputRequired(), Length(max=200)],
                        description=_l("En namngiven person eller funktion."))


class CheckpointForm(CheckedForm):
    """The answer to one school checkpoint."""

    checkpoint = SelectField(_l("Kontrollpunkt"), choices=choices((c.value, CHECKPOINT_LABELS[c]) for c in Checkpoint),
                             validators=[InputRequired()])
    status = RadioField(_l("Svar"), choices=choices((s.value, CHECKPOINT_STATUS_LABELS[s]) for s in CheckpointStatus),
                        validators=[InputRequired(_l("Välj ett svar."))])
    done_on = DateInputField(_l("Klar datum"), validators=[Optional()])
    not_needed_reason = TextAreaField(_l("Varför behövs den inte?"), validators=[Length(max=TEXT_MAX)])
    planned_on = DateInputField(_l("Planerad till"), validators=[Optional()])


class RemovePartForm(CheckedForm):
    """Takes a roll-out unit, milestone or risk out of the plan."""

    kind = HiddenField()
    part_id = HiddenField()

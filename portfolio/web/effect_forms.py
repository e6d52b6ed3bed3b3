"""Forms for effect goals, indicators and measurements."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from portfolio.domain.economics import Direction
from portfolio.models import GoalCategory, MeasurementPhase
from portfolio.services.pilots import local_today

from portfolio.domain import limits

from .forms import DateInputField, FilledIn, SwedishDecimalField, VersionedForm, choices
from .labels import DIRECTION_LABELS, GOAL_CATEGORY_LABELS, MEASUREMENT_PHASE_LABELS

def _strip(value):
    return value.strip() if isinstance(value, str) else value


_NO_PUPIL_DATA = _l("Skriv inga personuppgifter om elever eller barn.")
_ISO_DATE = _l("Till exempel 2027 3 15 för den 15 mars 2027.")
_FOLLOW_UP_ONLY = _l("Piloten är beslutad, så mätvärden registreras nu som uppföljning. Testets mätvärden hör "
                     "till beslutsunderlaget och kan inte ändras.")


class EffectGoalForm(VersionedForm):
    """An effect goal: the change, its category and who benefits."""

    statement = TextAreaField(
        _l("Effektmål"),
        filters=[_strip], validators=[DataRequired(_l("Beskriv effektmålet.")), Length(max=2000)],
        description=_l("Formulera målet som en förändring, till exempel ”Färre minuter på rutinfrågor i "
                       "förskolans hall”."),
        render_kw={"rows": 3},
    )
    category = SelectField(
        _l("Kategori"),
        choices=choices(GOAL_CATEGORY_LABELS.items()),
        validators=[InputRequired(_l("Välj en kategori."))],
    )
    beneficiary = StringField(
        _l("Vem har nytta av förändringen"),
        validators=[Length(max=200)],
        description=_l("Till exempel pedagoger, vårdnadshavare eller rektorer."),
    )

    def values(self) -> dict[str, Any]:
        """The form's data as keyword arguments for the effects service."""
        return {
            "statement": self.statement.data,
            "category": GoalCategory(self.category.data),
            "beneficiary": self.beneficiary.data or "",
        }


class IndicatorForm(VersionedForm):
    """An indicator (mått): what is measured, how, and from which baseline to which target.

    The valuation (SEK per unit, volume, benefit class) is finance's and not in this form.
    """

    name = StringField(
        _l("Namn på måttet"),
        filters=[_strip], validators=[DataRequired(_l("Ange vad som mäts.")), Length(max=200)],
        description=_l("Till exempel ”Minuter per dag på rutinfrågor”."),
    )
    unit = StringField(_l("Enhet"), validators=[Length(max=50)], description=_l("Till exempel minuter, antal, procent."))
    direction = SelectField(
        _l("Riktning"),
        choices=choices([("", _l("Välj riktning")), *DIRECTION_LABELS.items()]),
        validators=[InputRequired(_l("Välj om högre eller lägre värden är bättre."))],
    )
    measurement_method = TextAreaField(
        _l("Mätmetod"),
        validators=[Length(max=2000)],
        description=_l("Hur mäts det? Till exempel tidsloggning under två veckor."),
        render_kw={"rows": 3},
    )
    data_source = StringField(_l("Datakälla"), validators=[Length(max=200)])
    frequency = StringField(_l("Mätfrekvens"), validators=[Length(max=100)],
                            description=_l("Till exempel per termin eller varje månad."))
    baseline_value = SwedishDecimalField(_l("Utgångsvärde"), description=_l("Värdet före testet, till exempel 60 "
                                                                             "eller 1 234,5."))
    baseline_date = DateInputField(_l("Datum för utgångsvärdet"), validators=[Optional()], description=_ISO_DATE)
    target_value = SwedishDecimalField(_l("Målvärde"))
    target_date = DateInputField(_l("Datum då målet ska vara nått"), validators=[Optional()], description=_ISO_DATE)

    def validate_target_value(self, field) -> None:
        """The target must differ from the baseline, in the direction that counts as better."""
        baseline, target = self.baseline_value.data, field.data
        if baseline is None or target is None or self.baseline_value.errors:
            return
        if target == baseline:
            raise ValidationError(_l("Målvärdet måste skilja sig från utgångsvärdet."))
        if self.direction.data == Direction.LOWER_IS_BETTER and target > baseline:
            raise ValidationError(_l("Lägre är bättre: målvärdet ska vara lägre än utgångsvärdet."))
        if self.direction.data == Direction.HIGHER_IS_BETTER and target < baseline:
            raise ValidationError(_l("Högre är bättre: målvärdet ska vara högre än utgångsvärdet."))

    def validate_target_date(self, field) -> None:
        """A target is reached after the baseline was measured."""
        if field.data and self.baseline_date.data and field.data <= self.baseline_date.data:
            raise ValidationError(_l("Måldatum ska vara efter datumet för utgångsvärdet."))

    def values(self) -> dict[str, Any]:
        """The form's data as keyword arguments for the effects service."""
        return {
            "name": self.name.data,
            "unit": self.unit.data or "",
            "direction": Direction(self.direction.data),
            "measurement_method": self.measurement_method.data or "",
            "data_source": self.data_source.data or "",
            "frequency": self.frequency.data or "",
            "baseline_value": self.baseline_value.data,
            "baseline_date": self.baseline_date.data,
            "target_value": self.target_value.data,
            "target_date": self.target_date.data,
        }


class MeasurementForm(VersionedForm):
    """One measured value."""

    measured_on = DateInputField(_l("Mätdatum"), validators=[InputRequired(_l("Ange datum för mätningen."))],
                            description=_ISO_DATE)
    value = SwedishDecimalField(_l("Värde"), validators=[FilledIn(_l("Ange det uppmätta värdet."))],
                                limit=limits.MEASURED)
    phase = SelectField(
        _l("Fas"),
        choices=choices(MEASUREMENT_PHASE_LABELS.items()),
        validators=[InputRequired(_l("Välj om mätningen gjordes under test eller uppföljning."))],
        description=_l("Test: under piloten. Uppföljning: efter uppskalning."),
    )
    comment = TextAreaField(_l("Kommentar"), validators=[Length(max=2000)], description=_NO_PUPIL_DATA,
                            render_kw={"rows": 3})

    def validate_measured_on(self, field) -> None:
        if field.data is not None and field.data > local_today():
            raise ValidationError(_l("Mätdatum kan inte ligga i framtiden: registrera mätningen när den är gjord."))

    def only_follow_up(self) -> None:
        """Offer only the follow-up phase: after the decision, test measurements are part of the
        decision basis and read-only (DESIGN §3), while the follow-up of the effects goes on."""
        follow_up = MeasurementPhase.FOLLOW_UP
        self.phase.choices = choices([(follow_up, MEASUREMENT_PHASE_LABELS[follow_up])])
        self.phase.description = _FOLLOW_UP_ONLY
        self.phase.invalid_choice_message = _l("Välj uppföljning: piloten är beslutad och testets mätvärden kan "
                                               "inte ändras.")

    def values(self) -> dict[str, Any]:
        """The form's data as keyword arguments for the effects service."""
        return {
            "measured_on": self.measured_on.data,
            "value": self.value.data,
            "phase": MeasurementPhase(self.phase.data),
            "comment": self.comment.data or "",
        }

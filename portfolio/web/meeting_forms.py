"""Forms of the management group's meetings: the meeting, an agenda item, the minutes, the report period."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import DateField, HiddenField, SelectField, StringField, TextAreaField, TimeField
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from portfolio.domain.meetings import ItemKind
from portfolio.services.meetings import ItemData, MeetingData

from .forms import CheckedForm, MultiCheckboxField, choices, row_id
from .labels import ITEM_KIND_LABELS
from .pilot_forms import TEXT_MAX


class MeetingForm(CheckedForm):
    """When and where a meeting is held, who is called and who takes the minutes."""

    body = StringField(_l("Organ"), default="Ledningsgruppen", validators=[InputRequired(), Length(max=200)])
    date = DateField(_l("Datum"), validators=[InputRequired(_l("Ange datum som ÅÅÅÅ-MM-DD."))])
    start_time = TimeField(_l("Börjar"), validators=[InputRequired(_l("Ange tid som TT:MM."))])
    end_time = TimeField(_l("Slutar"), validators=[InputRequired(_l("Ange tid som TT:MM."))])
    place = StringField(_l("Plats"), validators=[InputRequired(), Length(max=200)])
    secretary = SelectField(_l("Sekreterare"), validators=[InputRequired()],
                            description=_l("Den som för anteckningarna och låser protokollet."))
    participants = MultiCheckboxField(_l("Deltagare"), validate_choice=True)

    def set_people(self, people) -> None:
        """Offer `people` (active users but viewers) as secretary and participants."""
        self.secretary.choices = choices([("", _l("Välj sekreterare")), *((str(u.id), u.name) for u in people)])
        self.participants.choices = choices((str(u.id), u.name) for u in people)

    def validate_end_time(self, field) -> None:
        if field.data and self.start_time.data and field.data <= self.start_time.data:
            raise ValidationError(_l("Mötet måste sluta efter att det börjar."))

    def to_data(self) -> MeetingData:
        return MeetingData(
            body=self.body.data or "", date=self.date.data, start_time=self.start_time.data,
            end_time=self.end_time.data, place=self.place.data or "", secretary_id=int(self.secretary.data),
            participant_ids=tuple(int(value) for value in self.participants.data or ()),
        )


class ItemForm(CheckedForm):
    """An agenda item."""

    kind = SelectField(_l("Typ av punkt"), choices=choices((k.value, ITEM_KIND_LABELS[k]) for k in ItemKind),
                       validators=[InputRequired()])
    title = StringField(_l("Rubrik"), validators=[InputRequired(), Length(max=200)])
    presenter = StringField(_l("Föredragande"), validators=[Length(max=200)])
    text = TextAreaField(_l("Text"), validators=[Length(max=TEXT_MAX)])
    pilot = SelectField(_l("Pilot"), default="", description=_l("Frivilligt: piloten punkten gäller."))

    def set_pilots(self, pilots) -> None:
        self.pilot.choices = choices([("", _l("Ingen pilot")), *((str(p.id), f"{p.code} {p.title}") for p in pilots)])

    def to_data(self) -> ItemData:
        return ItemData(kind=ItemKind(self.kind.data), title=self.title.data or "",
                        presenter=self.presenter.data or "", text=self.text.data or "",
                        pilot_id=row_id(self.pilot.data))


class SuggestionForm(CheckedForm):
    """Adds one suggested item (the key names it)."""

    key = HiddenField(validators=[InputRequired()])


class MoveForm(CheckedForm):
    direction = HiddenField(validators=[InputRequired()])


class ConfirmForm(CheckedForm):
    """A button that only needs the CSRF token."""


class PeriodForm(CheckedForm):
    """The period of the delegation report (GET, no CSRF)."""

    class Meta:
        csrf = False

    start = DateField(_l("Från och med"), validators=[Optional()])
    end = DateField(_l("Till och med"), validators=[Optional()])

    def validate_end(self, field) -> None:
        if field.data and self.start.data and field.data < self.start.data:
            raise ValidationError(_l("Periodens slut måste ligga efter dess början."))


class ReportedForm(CheckedForm):
    """Marks a period's delegation decisions as reported to the board."""

    start = HiddenField(validators=[InputRequired()])
    end = HiddenField(validators=[InputRequired()])

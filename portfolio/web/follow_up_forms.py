"""Forms of the follow-up after scale-up: the schedule, benefit owners, harvest decisions, roll-out."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from portfolio.domain import limits
from portfolio.domain.follow_up import HarvestKind
from portfolio.domain.process import RolloutStatus
from portfolio.services.follow_up import HarvestData

from .forms import CheckedForm, DateInputField, SwedishDecimalField, VersionedForm, choices
from .labels import HARVEST_KIND_LABELS, ROLLOUT_STATUS_LABELS
from .pilot_forms import NO_PUPIL_DATA, TEXT_MAX

ISO_DATE = _l("Till exempel 2027 3 15 för den 15 mars 2027.")


class ScheduleForm(VersionedForm):
    """The pilot's follow-up dates, one per line, with the version of the schedule they were read from
    (services.follow_up.schedule_version)."""

    due_dates = TextAreaField(_l("Datum för uppföljning"), validators=[InputRequired(_l("Ange minst ett datum."))],
                              description=_l("Ett datum per rad, till exempel 2027-06-30."), render_kw={"rows": 4})

    def validate_due_dates(self, field) -> None:
        dates = []
        for line in (field.data or "").split():
            try:
                dates.append(dt.date.fromisoformat(line.strip()))
            except ValueError as error:
                raise ValidationError(_l("Skriv datumen som ÅÅÅÅ-MM-DD, ett per rad: %(text)s går inte att läsa.",
                                         text=line[:20])) from error
        field.dates = dates

    def dates(self) -> list[dt.date]:
        return getattr(self.due_dates, "dates", [])


class BenefitOwnerForm(VersionedForm):
    """Who in the line organisation owns an effect goal's benefits: a user (the reminders go to them),
    with their role or title. The view fills the choices (active users, units)."""

    user = SelectField(_l("Nyttoägare"), default="", validators=[InputRequired(_l("Välj nyttoägaren."))],
                       description=_l("Personen i linjeorganisationen som ser till att nyttan tas hem. "
                                      "Påminnelser om uppföljningen skickas till hen."))
    name = StringField(_l("Roll eller titel (valfritt)"), validators=[Optional(), Length(max=200)],
                       description=_l("Till exempel rektor, Förskoleområde Norr."))
    unit = SelectField(_l("Enhet"), default="", validators=[Optional()])


class HarvestForm(CheckedForm):
    """A harvest decision (hemtagningsbeslut) on one realised benefit."""

    indicator = SelectField(_l("Nytta"), validators=[InputRequired(_l("Välj vilken nytta beslutet gäller."))])
    kind = RadioField(_l("Vad görs med nyttan?"),
                      choices=choices((kind.value, HARVEST_KIND_LABELS[kind]) for kind in HarvestKind),
                      validators=[InputRequired(_l("Välj om budgeten minskas eller timmar omfördelas."))])
    amount = SwedishDecimalField(_l("Belopp per år (kr)"), validators=[InputRequired(_l("Ange beloppet."))],
                                 limit=limits.MONEY, minimum=Decimal("0.01"), places=2,
                                 description=_l("Budgetminskningen, eller värdet av de omfördelade timmarna. "
                                                "Högst det som är realiserat och inte redan hemtaget."))
    budget_line = StringField(_l("Budgetpost"), validators=[Length(max=200)],
                              description=_l("Vid budgetminskning: vilken budgetpost som minskas."))
    budget_year = IntegerField(_l("Från budgetår"), validators=[Optional(), NumberRange(min=2000, max=2100)])
    hours = SwedishDecimalField(_l("Timmar per år"), limit=limits.MEASURED, minimum=Decimal(0), description=_l("Vid omfördelning: hur många timmar."))
    redeployed_to = TextAreaField(_l("Omfördelas till"), validators=[Length(max=TEXT_MAX)],
                                  description=_l("Vid omfördelning: vilket arbete timmarna går till."),
                                  render_kw={"rows": 2})
    owner = StringField(_l("Ansvarig"), validators=[InputRequired(_l("Ange vem som ansvarar.")), Length(max=200)],
                        description=_l("Vem som ser till att beslutet genomförs."))
    decided_on = DateInputField(_l("Beslutsdatum"), validators=[InputRequired(_l("Ange beslutsdatum."))],
                                description=ISO_DATE)
    note = TextAreaField(_l("Notering"), validators=[Length(max=TEXT_MAX)], description=NO_PUPIL_DATA,
                         render_kw={"rows": 2})

    def to_data(self) -> HarvestData:
        return HarvestData(
            indicator_id=int(self.indicator.data), kind=HarvestKind(self.kind.data), amount=self.amount.data,
            owner=self.owner.data or "", decided_on=self.decided_on.data, budget_line=self.budget_line.data or "",
            budget_year=self.budget_year.data, hours=self.hours.data, redeployed_to=self.redeployed_to.data or "",
            note=self.note.data or "",
        )


class RolloutForm(CheckedForm):
    """How far the roll-out to one unit has come."""

    status = SelectField(_l("Status"), choices=choices((s.value, ROLLOUT_STATUS_LABELS[s]) for s in RolloutStatus))
    planned_start = DateInputField(_l("Planerad start"), validators=[Optional()], description=ISO_DATE)
    in_use_from = DateInputField(_l("I bruk från"), validators=[Optional()], description=ISO_DATE)

"""The overview's filters, read from the query string so a filtered view can be bookmarked."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectField

from portfolio.domain.lifecycle import Origin, Phase
from portfolio.services.portfolio import FilterOptions, OverviewFilters

from .forms import CheckedForm, choices
from .labels import ORIGIN_LABELS, PHASE_LABELS


class OverviewFilterForm(CheckedForm):
    """Unit, strategic goal, origin, phase, innovation leader and year (GET, no CSRF)."""

    class Meta:
        csrf = False  # a GET filter changes nothing

    unit = SelectField(_l("Enhet"), default="")
    goal = SelectField(_l("Strategiskt mål"), default="")
    origin = SelectField(_l("Ursprung"), default="")
    phase = SelectField(_l("Fas"), default="")
    leader = SelectField(_l("Innovationsledare"), default="")
    year = SelectField(_l("År"), default="", description=_l("Året piloten registrerades."))

    def set_options(self, options: FilterOptions) -> None:
        """Offer every choice; an empty value means "all"."""
        self.unit.choices = choices([("", _l("Alla enheter")), *options.units])
        self.goal.choices = choices([("", _l("Alla mål")), *options.goals])
        self.origin.choices = choices([("", _l("Alla ursprung")), *((o.value, ORIGIN_LABELS[o]) for o in Origin)])
        self.phase.choices = choices([("", _l("Alla faser")), *((p.value, PHASE_LABELS[p]) for p in Phase)])
        self.leader.choices = choices([("", _l("Alla innovationsledare")), *options.leaders])
        self.year.choices = choices([("", _l("Alla år")), *((year, str(year)) for year in options.years)])

    def _value(self, name: str) -> str | None:
        field = self[name]
        return None if field.errors or not field.data else str(field.data)

    def to_filters(self) -> OverviewFilters:
        """The valid filters (an unknown value is shown as an error and leaves its filter off)."""
        def number(name: str) -> int | None:
            value = self._value(name)
            return int(value) if value is not None and value.isdigit() else None

        origin, phase = self._value("origin"), self._value("phase")
        return OverviewFilters(
            unit_id=number("unit"), goal_id=number("goal"), origin=Origin(origin) if origin else None,
            phase=Phase(phase) if phase else None, leader_id=number("leader"), year=number("year"),
        )

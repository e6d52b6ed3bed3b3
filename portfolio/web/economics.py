"""The effect-harvesting page (Effekthemtagning): a pilot's benefits, costs, NPV, payback and BCR.

Every figure comes from :func:`portfolio.services.economics.load_economics`; this module only
chooses words and builds the chart geometry.
"""

from __future__ import annotations

from flask import Blueprint, abort, render_template
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portfolio.db import get_session
from portfolio.domain.bar_chart import BarChart, bar_chart
from portfolio.domain.economics import (
    BenefitClass,
    CostCategory,
    CostKind,
    CostPhase,
    Direction,
    Evaluation,
)
from portfolio.domain.roles import Permission
from portfolio.services import economics

from .access import requires

bp = Blueprint("economics", __name__)

BENEFIT_CLASS_LABELS = {
    BenefitClass.FINANCIAL: _l("Finansiell nytta"),
    BenefitClass.REALLOCATION: _l("Omfördelningsnytta"),
    BenefitClass.UNVALUED: _l("Ej värderad"),
}

BENEFIT_CLASS_HELP = {
    BenefitClass.FINANCIAL: _l("Kassaflödespåverkande: en budgetpost kan faktiskt minskas."),
    BenefitClass.REALLOCATION: _l(
        "Värderad i pengar men realiseras som frigjord kapacitet (till exempel personaltid), inte som pengar."
    ),
}

COST_CATEGORY_LABELS = {
    CostCategory.PERSONNEL: _l("Personal"),
    CostCategory.LICENCE: _l("Licenser"),
    CostCategory.HARDWARE: _l("Hårdvara"),
    CostCategory.SERVICES: _l("Tjänster"),
    CostCategory.TRAINING: _l("Utbildning"),
    CostCategory.SUPPORT: _l("Stöd och förvaltning"),
    CostCategory.OTHER: _l("Övrigt"),
}

COST_KIND_LABELS = {CostKind.ONE_OFF: _l("Engångskostnad"), CostKind.RECURRING: _l("Årlig kostnad")}

COST_PHASE_LABELS = {
    CostPhase.TEST: _l("Test"),
    CostPhase.IMPLEMENTATION: _l("Implementering"),
    CostPhase.OPERATION: _l("Drift"),
}

DIRECTION_LABELS = {
    Direction.HIGHER_IS_BETTER: _l("Högre är bättre"),
    Direction.LOWER_IS_BETTER: _l("Lägre är bättre"),
}

VIEW_LABELS = {"cash": _l("Kassaflödesvy"), "full": _l("Fullt värde")}

VIEW_HELP = {
    "cash": _l("Endast finansiell nytta: det som budgeten faktiskt kommer att se."),
    "full": _l("Finansiell nytta och omfördelningsnytta."),
}

CASE_LABELS = {"low": _l("Låg"), "expected": _l("Förväntad"), "high": _l("Hög")}

MISSING_LABELS = {
    ("baseline",): _l("Saknar utgångsvärde"),
    ("target",): _l("Saknar målvärde"),
    ("baseline", "target"): _l("Saknar utgångsvärde och målvärde"),
}


def costs_benefits_chart(evaluation: Evaluation) -> BarChart:
    """The chart of costs against benefits per year, shared by the page and the decision paper."""
    years = evaluation.years
    financial = evaluation.benefits_by_class[BenefitClass.FINANCIAL]
    reallocation = evaluation.benefits_by_class[BenefitClass.REALLOCATION]
    return bar_chart(
        [str(year) for year in years],
        [
            (_("Kostnader"), evaluation.costs_by_year),
            (_("Finansiell nytta"), financial.by_year),
            (_("Omfördelningsnytta"), reallocation.by_year),
        ],
        title=_("Kostnader och nytta per år"),
        description=_(
            "Stapeldiagram med kostnader, finansiell nytta och omfördelningsnytta för varje år "
            "%(first)s–%(last)s. Samma siffror finns i tabellerna över kassaflödet per år.",
            first=years[0],
            last=years[-1],
        ),
    )


@bp.route("/pilots/<code>/economics")
@requires(Permission.READ)
def page(code: str):
    """Effekthemtagning: valued benefits, cash flow in two views, key figures and sensitivity."""
    session = get_session()
    pilot = economics.pilot_by_code(session, code)
    if pilot is None:
        abort(404)
    data = economics.load_economics(session, pilot)
    return render_template(
        "economics/page.html",
        pilot=pilot,
        data=data,
        ev=data.evaluation,
        chart=costs_benefits_chart(data.evaluation) if data.has_figures else None,
        valued_classes=(BenefitClass.FINANCIAL, BenefitClass.REALLOCATION),
        benefit_class_labels=BENEFIT_CLASS_LABELS,
        benefit_class_help=BENEFIT_CLASS_HELP,
        cost_category_labels=COST_CATEGORY_LABELS,
        direction_labels=DIRECTION_LABELS,
        view_labels=VIEW_LABELS,
        view_help=VIEW_HELP,
        case_labels=CASE_LABELS,
        missing_labels=MISSING_LABELS,
    )

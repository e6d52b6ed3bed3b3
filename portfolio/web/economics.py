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
from portfolio.domain.economics import BenefitClass, Evaluation
from portfolio.domain.roles import Permission
from portfolio.services import economics

from .access import requires
from .labels import BENEFIT_CLASS_LABELS

bp = Blueprint("economics", __name__)

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
            (str(BENEFIT_CLASS_LABELS[BenefitClass.FINANCIAL]), financial.by_year),
            (str(BENEFIT_CLASS_LABELS[BenefitClass.REALLOCATION]), reallocation.by_year),
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
        missing_labels=MISSING_LABELS,
    )

"""The portfolio overview: the management group's start page, with its exports.

Every figure comes from `services.portfolio.overview` (the domain computes it); the filters
live in the query string, so a filtered view can be bookmarked and shared, and the exports
take the same query string and show the same figures.
"""

from __future__ import annotations

import io

from flask import Blueprint, abort, render_template, request, send_file, url_for
from flask_babel import gettext as _

from portfolio.db import get_session
from portfolio.domain.roles import Permission
from portfolio.i18n import round_display
from portfolio.services import portfolio, spreadsheets
from portfolio.services.portfolio import Overview, OverviewFilters

from .access import requires
from .labels import BENEFIT_CLASS_LABELS, PHASE_LABELS, STEP_LABELS
from .overview_forms import OverviewFilterForm
from .process_forms import GATE_ITEMS

bp = Blueprint("overview", __name__)


def _filters() -> tuple[OverviewFilterForm, OverviewFilters]:
    form = OverviewFilterForm(formdata=request.args)
    form.set_options(portfolio.filter_options(get_session()))
    form.validate()
    return form, form.to_filters()


#: How many rows of each attention list the overview shows; the rest are one click away.
ATTENTION_LIMIT = 8


def _gate_item(code: str) -> str:
    return str(GATE_ITEMS[code])


@bp.route("/portfolio")
@requires(Permission.READ)
def index():
    """The overview of the (filtered) portfolio."""
    form, filters = _filters()
    result = portfolio.overview(get_session(), filters, limit=ATTENTION_LIMIT, with_pilots=False)
    get_session().commit()  # figures computed for pilots that had none are kept
    return render_template("overview/index.html", form=form, overview=result, args=filters.query_args(),
                           gate_item=_gate_item, pilot_url=lambda code: url_for("pilots.show", code=code),
                           ATTENTION_KINDS=portfolio.ATTENTION_KINDS, ATTENTION_LIMIT=ATTENTION_LIMIT)


@bp.route("/portfolio/attention/<kind>")
@requires(Permission.READ)
def attention(kind: str):
    """One whole list of what needs attention, with the overview's filters."""
    if kind not in portfolio.ATTENTION_KINDS:
        abort(404)
    _form, filters = _filters()
    result = portfolio.overview(get_session(), filters, with_pilots=False)
    get_session().commit()  # figures computed for pilots that had none are kept
    return render_template("overview/attention.html", overview=result, kind=kind, args=filters.query_args(),
                           gate_item=_gate_item)


# ------------------------------------------------------------------------------------------------
# Exports: the same figures, as a spreadsheet
# ------------------------------------------------------------------------------------------------


def _krona(value):
    """Whole kronor, rounded once, as the page shows them."""
    return None if value is None else round_display(value)


def _pilot_table(result: Overview) -> tuple[list[str], list[list[object]]]:
    headers = [
        _("Kod"), _("Titel"), _("Fas"), _("Steg"), _("Enhet"), _("Innovationsledare"),
        _("Upparbetat hittills (kr)"), _("Planerade kostnader (kr)"),
        _("Förväntad nytta per år, kassaflödesvy (kr)"), _("Förväntad nytta per år, fullvärdesvy (kr)"),
        _("Realiserad nytta per år vid test, kassaflödesvy (kr)"),
        _("Realiserad nytta per år vid test, fullvärdesvy (kr)"),
        _("Nettonuvärde, kassaflödesvy (kr)"), _("Nettonuvärde, fullvärdesvy (kr)"), _("Bygger på uppskattning"),
        _("Realisering (%)"), _("Realisering mätt vid"), _("Enheter i bruk"), _("Enheter i införandet"),
    ]
    rows: list[list[object]] = []
    for line in result.pilots:
        f = line.figures
        rows.append([
            line.code, line.title, str(PHASE_LABELS[line.phase]),
            str(STEP_LABELS[line.step]) if line.phase == "scale_up" else "", line.unit, line.leader,
            _krona(f.spent_to_date), _krona(f.planned_costs),
            _krona(f.expected["financial"]), _krona(f.expected["financial"] + f.expected["reallocation"]),
            _krona(f.realised["financial"]), _krona(f.realised["financial"] + f.realised["reallocation"]),
            _krona(f.npv_cash) if f.has_figures else None, _krona(f.npv_full) if f.has_figures else None,
            (_("Ja") if f.is_estimate else _("Nej")) if f.has_figures else "",
            None if f.realisation is None else _krona(f.realisation * 100),
            {"test": _("Test"), "follow_up": _("Uppföljning")}.get(f.realisation_phase or "", ""),
            line.rollout[0] if line.rollout[2] else None, line.rollout[2] if line.rollout[2] else None,
        ])
    t = result.totals
    rows.append([
        _("Totalt"), _("%(num)d piloter", num=t.pilots), "", "", "", "", _krona(t.spent_to_date),
        _krona(t.planned_costs), _krona(t.expected_cash), _krona(t.expected_full), _krona(t.realised_cash),
        _krona(t.realised_full), _krona(t.npv_cash), _krona(t.npv_full), "", None, "", result.rollout[0],
        result.rollout[2],
    ])
    return headers, rows


def _benefit_table(result: Overview) -> tuple[list[str], list[list[object]]]:
    headers = [_("Nyttoklass"), _("Potential per år (kr)"), _("Realiserat per år (kr)"), _("Hemtaget per år (kr)"),
               _("Realiserat men inte hemtaget (kr)")]
    rows: list[list[object]] = []
    for name, (potential, realised, harvested) in result.benefits.by_class.items():
        rows.append([str(BENEFIT_CLASS_LABELS[name]), _krona(potential), _krona(realised), _krona(harvested),
                     _krona(realised - harvested)])
    b = result.benefits
    rows.append([_("Totalt"), _krona(b.potential), _krona(b.realised), _krona(b.harvested), _krona(b.gap)])
    return headers, rows


def _attention_table(result: Overview) -> tuple[list[str], list[list[object]]]:
    a = result.attention
    rows: list[list[object]] = []
    rows += [[_("Väntar på beslut"), line.code, line.title, ""] for line in a.awaiting_decision]
    rows += [[_("Uppföljning"), row.pilot_code, row.pilot_title,
              _("%(date)s, %(measured)d av %(total)d mått mätta", date=row.due_on.isoformat(),
                measured=row.measured, total=row.indicators)] for row in a.follow_ups]
    rows += [[_("Realiserad nytta som inte är hemtagen"), row.pilot_code, row.pilot_title,
              _("%(indicator)s: %(gap)s kr per år", indicator=row.indicator_name, gap=_krona(row.gap))]
             for row in a.unharvested]
    rows += [[_("Steg med saknade uppgifter"), item.pilot.code, item.pilot.title,
              "; ".join(str(GATE_ITEMS[code]) for code in item.codes)] for item in a.missing_items]
    rows += [[_("Beslutsunderlag äldre än senaste ändringen"), line.code, line.title, _("version %(n)d", n=number)]
             for line, number in a.papers_out_of_date]
    rows += [[_("Testet har passerat planerat slutdatum"), line.code, line.title, day.isoformat()]
             for line, day in a.tests_past_end]
    rows += [[_("Parkerad, dags att ta upp igen"), line.code, line.title, day.isoformat()]
             for line, day in a.revisit_passed]
    return [_("Att hantera"), _("Kod"), _("Titel"), _("Detaljer")], rows


def _download(data: bytes, mimetype: str, name: str):
    response = send_file(io.BytesIO(data), mimetype=mimetype, as_attachment=True, download_name=name,
                         max_age=0)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/portfolio/export.xlsx")
@requires(Permission.READ)
def export_xlsx():
    """The filtered overview as an .xlsx workbook: pilots, benefits after scale-up, what needs attention."""
    _form, filters = _filters()
    result = portfolio.overview(get_session(), filters)
    data = spreadsheets.table_xlsx([
        (_("Piloter"), *_pilot_table(result)),
        (_("Nyttor efter uppskalning"), *_benefit_table(result)),
        (_("Att hantera"), *_attention_table(result)),
    ], title=_("Portföljöversikt %(date)s", date=result.today.isoformat()))
    return _download(data, spreadsheets.XLSX_MIMETYPE, f"portfolj-{result.today.isoformat()}.xlsx")


@bp.route("/portfolio/export.csv")
@requires(Permission.READ)
def export_csv():
    """The filtered overview's pilots, with the totals in the last row, as CSV."""
    _form, filters = _filters()
    result = portfolio.overview(get_session(), filters)
    data = spreadsheets.table_csv(*_pilot_table(result))
    return _download(data, "text/csv; charset=utf-8", f"portfolj-{result.today.isoformat()}.csv")


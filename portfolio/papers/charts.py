"""Chart geometry for the paper, from the same domain code and in the same form as the pages."""

from __future__ import annotations

from dataclasses import dataclass

from portfolio.domain.bar_chart import BarChart
from portfolio.domain.charts import LineChart, line_chart_geometry

from .context import PaperData


@dataclass(frozen=True)
class PaperCharts:
    costs_benefits: BarChart | None
    realisation: tuple[tuple[str, str, LineChart], ...]  # (indicator name, unit, chart)


def paper_charts(data: PaperData) -> PaperCharts:
    """The costs-against-benefits chart (as on the economics page) and one line per indicator."""
    from portfolio.web.economics import costs_benefits_chart  # the page's own chart, shared

    costs_benefits = costs_benefits_chart(data.evaluation) if data.has_figures else None
    lines = []
    for goal in data.goals:
        for indicator in goal.indicators:
            if not indicator.measurements:
                continue
            chart = line_chart_geometry(
                [(m.measured_on, m.value) for m in indicator.measurements],
                indicator.baseline_value,
                indicator.target_value,
                width=480,
                height=220,
                start=indicator.baseline_date,
                end=indicator.target_date,
            )
            lines.append((indicator.name, indicator.unit, chart))
    return PaperCharts(costs_benefits=costs_benefits, realisation=tuple(lines))

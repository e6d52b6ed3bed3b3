"""The decision paper (beslutsunderlag, DESIGN §6): plain context → HTML → PDF/A with WeasyPrint.

:mod:`.context` holds the plain values a paper is made from (no database object ever reaches
the template); :mod:`.render` turns them into HTML and a PDF; :mod:`.fetcher` is the only way
WeasyPrint may load anything. :mod:`portfolio.services.papers` loads the data, renders, stores
and audits each version.
"""

from .context import DecisionFields, GoalFacts, IndicatorFacts, PaperContext, PaperData, PilotFacts, PlanFacts
from .render import render_html, render_pdf, write_pdf

__all__ = [
    "DecisionFields", "GoalFacts", "IndicatorFacts", "PaperContext", "PaperData", "PilotFacts", "PlanFacts",
    "render_html", "render_pdf", "write_pdf",
]

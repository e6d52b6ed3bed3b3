"""Render a :class:`~.context.PaperContext` to HTML (Jinja, autoescaped) and to PDF/A (WeasyPrint).

The template is rendered straight from the app's Jinja environment, not through Flask's
``render_template``, so no context processor adds the request, the session or the current user:
the template sees the plain context and nothing else. Every label goes through the same filters
(money, number, percent, date) and chart macros as the pages. WeasyPrint loads only what
:class:`~.fetcher.StaticOnlyFetcher` allows: the paper's stylesheet and fonts in the static folder.
"""

from __future__ import annotations

import warnings
from pathlib import Path

from flask import current_app
from flask_babel import force_locale
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

from .charts import paper_charts
from .context import PaperContext
from .fetcher import StaticOnlyFetcher

#: Tagged PDF/A-3 (archival and accessible: structure tree, /Lang, embedded fonts, XMP metadata).
PDF_VARIANT = "pdf/a-3a"
STYLESHEET = "paper/paper.css"
TEMPLATE = "papers/paper.html"


def _static_root() -> Path:
    return Path(current_app.static_folder).resolve()


def render_html(context: PaperContext) -> str:
    """The paper as an HTML document, in the context's language."""
    with force_locale(context.language):
        template = current_app.jinja_env.get_template(TEMPLATE)
        return template.render(paper=context, data=context.data, ev=context.data.evaluation,
                               charts=paper_charts(context.data))


def write_pdf(html: str) -> bytes:
    """Lay out `html` and write it as tagged PDF/A-3 with the paper's fonts embedded.

    Used by :func:`render_pdf` and by the benchmark (WeasyPrint alone on the same HTML).
    """
    root = _static_root()
    fetcher = StaticOnlyFetcher(root)
    font_config = FontConfiguration()
    stylesheet = CSS(filename=str(root / STYLESHEET), url_fetcher=fetcher, font_config=font_config)
    document = HTML(string=html, base_url=root.as_uri() + "/", url_fetcher=fetcher)
    with warnings.catch_warnings():
        # WeasyPrint 70 opens its bundled sRGB profile (the PDF/A output intent) and never closes
        # it; the file is read in full, so the warning about it is noise, not a leak to chase.
        warnings.filterwarnings("ignore", r"unclosed file .*sRGB2014\.icc", ResourceWarning)
        return document.write_pdf(stylesheets=[stylesheet], font_config=font_config, pdf_variant=PDF_VARIANT)


def render_pdf(context: PaperContext) -> bytes:
    """The paper as PDF bytes."""
    return write_pdf(render_html(context))

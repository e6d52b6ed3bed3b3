"""The management group's documents: agenda, minutes, extracts and the delegation report as PDF/A,
and the meeting pack assembled from the agenda and the stored decision papers.

Rendered like the decision paper (plain values → autoescaped Jinja → WeasyPrint through the
static-only fetcher, tagged PDF/A-3), with their own stylesheet. The pack is put together with
pypdf: the agenda, then each paper's stored bytes unchanged, an outline entry per item, and the
pack's page numbers stamped in the top right corner of every page (the papers keep their own
footers, "sida X av Y" of the paper). The pack is a working copy for the meeting, not an archival
document: what is archived is each paper version and the minutes.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from flask import current_app
from flask_babel import force_locale
from pypdf import PdfReader, PdfWriter

from .render import write_pdf

STYLESHEET = "paper/meeting.css"


def render_document(template: str, language: str, **context) -> bytes:
    """The template (under templates/meetings/) rendered with plain values, as tagged PDF/A-3."""
    with force_locale(language):
        html = current_app.jinja_env.get_template(template).render(language=language, **context)
    return write_pdf(html, STYLESHEET)


def page_count(pdf: bytes) -> int:
    """How many pages a PDF has."""
    return len(PdfReader(io.BytesIO(pdf)).pages)


@dataclass(frozen=True)
class PackPart:
    """One item's document in the pack: the outline's title and the stored PDF bytes."""

    title: str
    pdf: bytes


@dataclass(frozen=True)
class Pack:
    pdf: bytes
    pages: int


def assemble_pack(agenda_title: str, agenda: bytes, parts: list[PackPart], stamp: str, language: str) -> Pack:
    """One PDF: the agenda, then every part, an outline entry each, page numbers through the whole."""
    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(agenda)), import_outline=False)
    writer.add_outline_item(title=agenda_title, page_number=0)
    for part in parts:
        start = len(writer.pages)
        writer.append(PdfReader(io.BytesIO(part.pdf)), import_outline=False)
        writer.add_outline_item(title=part.title, page_number=start)
    total = len(writer.pages)
    stamps = PdfReader(io.BytesIO(render_document("meetings/pdf_stamp.html", language, pages=total, stamp=stamp)))
    for page, overlay in zip(writer.pages, stamps.pages, strict=True):
        page.merge_page(overlay)
    writer.page_mode = "/UseOutlines"
    out = io.BytesIO()
    writer.write(out)
    return Pack(out.getvalue(), total)

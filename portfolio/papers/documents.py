"""The management group's documents: agenda, minutes, extracts and the delegation report as PDF/A,
and the meeting pack assembled from the agenda and the stored decision papers.

Rendered like the decision paper (plain values → autoescaped Jinja → WeasyPrint through the
static-only fetcher, tagged PDF/A-3), with their own stylesheet. The pack is put together with
pypdf: the agenda, then each paper's stored pages unchanged, an outline entry per item, and the
pack's page numbers stamped in the top right corner of every page (the papers keep their own
footers, "sida X av Y" of the paper).

The pack is PDF/A-3u, not -3a like its parts: merging keeps every page's content, fonts (embedded,
subset, with Unicode maps: WeasyPrint made them all) and links, but not the parts' structure trees,
which pypdf cannot join into one. So the pack claims what still holds for the whole: part 3,
conformance U (archival, text extractable), with the agenda's sRGB output intent, XMP metadata that
matches the document information, a file identifier and the document's language. What is archived
with structure (tagged) is each paper version and the minutes.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from flask import current_app
from flask_babel import force_locale
from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject, TextStringObject

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
    make_pdfa(writer, PdfReader(io.BytesIO(agenda)), title=stamp, language=language)
    out = io.BytesIO()
    writer.write(out)
    return Pack(out.getvalue(), total)


#: What the pack claims: PDF/A-3, conformance U (see the module's docstring).
PACK_PDFA_PART, PACK_PDFA_CONFORMANCE = "3", "U"
PACK_PRODUCER = "Innovationsportföljen (WeasyPrint, pypdf)"


def _xmp(title: str, producer: str) -> bytes:
    """The XMP packet PDF/A asks for: the part and conformance, and the same title and producer as
    the document information dictionary (PDF/A requires the two to agree)."""
    return (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">\n'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
        f'<rdf:Description rdf:about="" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/" '
        f'pdfaid:part="{PACK_PDFA_PART}" pdfaid:conformance="{PACK_PDFA_CONFORMANCE}"/>\n'
        f'<rdf:Description rdf:about="" xmlns:pdf="http://ns.adobe.com/pdf/1.3/" pdf:Producer={quoteattr(producer)}/>\n'
        '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title><rdf:Alt>'
        f'<rdf:li xml:lang="x-default">{escape(title)}</rdf:li></rdf:Alt></dc:title></rdf:Description>\n'
        '</rdf:RDF>\n</x:xmpmeta>\n<?xpacket end="w"?>'
    ).encode("utf-8")


def make_pdfa(writer: PdfWriter, agenda: PdfReader, *, title: str, language: str) -> None:
    """Turn the merged pack into PDF/A-3u: the agenda's output intent (sRGB, as WeasyPrint embeds
    it), XMP metadata agreeing with the document information, the language, a file identifier,
    a PDF 1.7 header; and no claim of a structure tree it no longer has (no /MarkInfo, and the
    pages' and links' keys into the parts' structure trees are dropped)."""
    root = writer.root_object
    intents = agenda.trailer["/Root"].get("/OutputIntents")
    if intents is None:
        raise ValueError("the agenda has no output intent: it was not rendered as PDF/A")
    root[NameObject("/OutputIntents")] = intents.clone(writer)
    root[NameObject("/Lang")] = TextStringObject(language)
    for key in ("/MarkInfo", "/StructTreeRoot"):
        if key in root:
            del root[key]
    for page in writer.pages:
        for key in ("/StructParents", "/Tabs"):
            if key in page:
                del page[key]
        for annotation in page.get("/Annots") or []:
            annotation = annotation.get_object()
            if "/StructParent" in annotation:
                del annotation["/StructParent"]
    writer.metadata = {"/Title": title, "/Producer": PACK_PRODUCER}  # replaces pypdf's own entries
    writer.xmp_metadata = _xmp(title, PACK_PRODUCER)
    stream = root["/Metadata"].get_object()
    stream[NameObject("/Type")], stream[NameObject("/Subtype")] = NameObject("/Metadata"), NameObject("/XML")
    writer.pdf_header = "%PDF-1.7"
    writer.generate_file_identifiers()

"""Reading a PDF the way an archivist or a reader's tools would: poppler's pdftotext, pdfinfo, pdffonts."""

from __future__ import annotations

import re
import subprocess
import tempfile
from pathlib import Path

_SPACES = re.compile(r"[ \t\u00a0]+")


def _run(tool: str, pdf: bytes, *args: str) -> str:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "paper.pdf"
        path.write_bytes(pdf)
        result = subprocess.run([tool, *args, str(path), *(["-"] if tool == "pdftotext" else [])],
                                capture_output=True, check=True, timeout=60)
    return result.stdout.decode("utf-8")


def squash(text: str) -> str:
    """Runs of spaces (no-break spaces too) as one space, so table columns read as one line."""
    return _SPACES.sub(" ", text)


def text(pdf: bytes, page: int | None = None) -> str:
    """The extracted text in reading layout, spaces squashed; one page or all."""
    pages = ["-f", str(page), "-l", str(page)] if page else []
    return squash(_run("pdftotext", pdf, "-layout", "-enc", "UTF-8", *pages))


def info(pdf: bytes) -> dict[str, str]:
    """pdfinfo's fields (Title, Pages, Tagged, Page size...)."""
    fields = {}
    for line in _run("pdfinfo", pdf).splitlines():
        key, _, value = line.partition(":")
        fields[key.strip()] = value.strip()
    return fields


def metadata(pdf: bytes) -> str:
    """The XMP metadata stream (where PDF/A says which part and conformance it claims)."""
    return _run("pdfinfo", pdf, "-meta")


def fonts(pdf: bytes) -> list[dict[str, str]]:
    """pdffonts's table: name, type, and whether each font is embedded."""
    lines = _run("pdffonts", pdf).splitlines()[2:]
    rows = []
    for line in lines:
        parts = line.split()
        # name type... encoding emb sub uni object ID: the last five columns are fixed.
        rows.append({"name": parts[0], "emb": parts[-5], "sub": parts[-4], "uni": parts[-3]})
    return rows

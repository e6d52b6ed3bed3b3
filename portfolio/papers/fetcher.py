"""The only way the paper's renderer may load anything: the app's static files and data: URLs.

WeasyPrint fetches every URL a document names (images, stylesheets, fonts). User text never
becomes HTML or CSS (the template autoescapes it), and this fetcher is the second wall: a
``file:`` URL is served only when it resolves inside the app's static folder, ``data:`` URLs
are decoded in memory, and every other URL (``http:``, ``https:``, ``ftp:``, a file elsewhere)
is refused without opening a connection or a file.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from weasyprint import URLFetcher
from weasyprint.urls import URLFetcherResponse

_TYPES = {
    ".css": "text/css",
    ".ttf": "font/ttf",
    ".otf": "font/otf",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
    ".svg": "image/svg+xml",
    ".png": "image/png",
}


class RefusedURL(ValueError):
    """A URL outside what the paper may load."""


class StaticOnlyFetcher(URLFetcher):
    """A URL fetcher that reaches only files under `root` and ``data:`` URLs."""

    def __init__(self, root: str | Path, **kwargs):
        super().__init__(allowed_protocols=("file", "data"), allow_redirects=False, timeout=1, **kwargs)
        self.root = Path(root).resolve()
        self.refused: list[str] = []

    def fetch(self, url: str, headers=None):
        scheme = url.split(":", 1)[0].lower() if ":" in url else ""
        if scheme == "data":
            return super().fetch(url, headers)  # decoded in memory by urllib's DataHandler
        if scheme == "file":
            path = self._static_path(url)
            if path is not None:
                return URLFetcherResponse(
                    path.as_uri(), path.read_bytes(), {"Content-Type": _TYPES.get(path.suffix, "application/octet-stream")}
                )
        self.refused.append(url)
        raise RefusedURL(f"the decision paper may not load {url[:80]!r}")

    def _static_path(self, url: str) -> Path | None:
        parts = urlsplit(url)
        if parts.netloc not in ("", "localhost"):
            return None
        path = Path(url2pathname(unquote(parts.path))).resolve()
        if not path.is_relative_to(self.root) or not path.is_file():
            return None
        return path

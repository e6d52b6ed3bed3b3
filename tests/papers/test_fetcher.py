"""The paper's renderer may load only the app's own static files and data: URLs."""

from __future__ import annotations

import base64

import pytest

from portfolio import ROOT
from portfolio.papers.fetcher import RefusedURL, StaticOnlyFetcher

STATIC = ROOT / "static"


@pytest.fixture
def fetcher():
    return StaticOnlyFetcher(STATIC)


def test_the_papers_own_font_and_stylesheet_are_served(fetcher):
    font = STATIC / "fonts" / "paper" / "SourceSans3-Regular.ttf"
    response = fetcher.fetch(font.as_uri())
    assert response.read() == font.read_bytes()
    assert response.content_type == "font/ttf"
    assert fetcher.fetch((STATIC / "paper" / "paper.css").as_uri()).content_type == "text/css"


def test_data_urls_are_decoded_in_memory(fetcher):
    payload = base64.b64encode(b"<svg xmlns='http://www.w3.org/2000/svg'/>").decode()
    assert fetcher.fetch(f"data:image/svg+xml;base64,{payload}").read().startswith(b"<svg")


@pytest.mark.parametrize("url", [
    "file:///etc/passwd",
    (STATIC / ".." / "pyproject.toml").as_uri(),  # out of the static folder by ..
    STATIC.as_uri() + "/%2e%2e/pyproject.toml",  # the same, percent-encoded
    STATIC.as_uri() + "/fonts/paper",  # a folder
    "file://example.org" + str(STATIC / "paper" / "paper.css"),  # a file on another host
    "http://127.0.0.1:9/",
    "https://example.org/logo.png",
    "ftp://example.org/file",
    "javascript:alert(1)",
])
def test_everything_else_is_refused_without_opening_it(fetcher, url):
    with pytest.raises(RefusedURL):
        fetcher.fetch(url)
    assert fetcher.refused == [url]

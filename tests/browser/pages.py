"""What a browser test does on every page: go there, check it loaded, run axe-core on it."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests import factories

from . import axe


#: A phone held upright (WCAG 1.4.10 reflow: 320 CSS px) and a common laptop.
WIDTHS = (320, 1366)

_SIDEWAYS = "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
# Tables whose region has to scroll: at 1,366 px none may (a cut figure, "64 680 k", is a bug).
_CUT_TABLES = """() => [...document.querySelectorAll('.app-table-scroll')]
  .filter((region) => region.scrollWidth > region.clientWidth + 1)
  .map((region) => region.getAttribute('aria-label') + ': ' + region.scrollWidth + ' > ' + region.clientWidth)"""


def assert_accessible(page, where: str | None = None) -> None:
    """No WCAG 2.1 A/AA violations on the page as it is now (after a click, a submit, an error),
    at 320 and at 1,366 px wide; at 320 px the page itself never scrolls sideways (wide tables
    scroll inside their own region) and at 1,366 px no table needs to."""
    where = where or page.url
    size = page.viewport_size
    try:
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": size["height"] if size else 900})
            found = axe.violations(page)
            if found:
                pytest.fail(axe.report(found, f"{where} at {width} px"), pytrace=False)
            if width == 1366:
                cut = page.evaluate(_CUT_TABLES)
                if cut:
                    pytest.fail(f"{where}: tables wider than the page at 1,366 px: {cut}", pytrace=False)
            if width == 320:
                scroll_width, client_width = page.evaluate(_SIDEWAYS)
                if scroll_width > client_width:
                    pytest.fail(f"{where} scrolls sideways at 320 px: {scroll_width} px of content", pytrace=False)
    finally:
        if size:
            page.set_viewport_size(size)


def visit(page, path: str):
    """Open `path`, expect it to load, and check its accessibility."""
    response = page.goto(path)
    assert response is not None and response.ok, f"{path} answered {response.status if response else 'nothing'}"
    assert_accessible(page, path)
    return response


def log_in(page, user, password: str = factories.PASSWORD) -> None:
    """Log in through the login form as a person would (the login page is checked on the way)."""
    visit(page, "/login")
    page.get_by_label("E-postadress").fill(user.email)
    page.get_by_label("Lösenord").fill(password)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url(lambda url: "/login" not in url)
    assert_accessible(page, f"the first page after login ({page.url})")


def log_out(page) -> None:
    """Log out with the button in the page header."""
    page.get_by_role("button", name="Logga ut").click()
    page.wait_for_url(lambda url: "/login" in url)


def fill_date(page, legend: str, iso_date: str) -> None:
    """Type an ISO date into the GOV.UK date input whose legend is `legend` (year, month, day boxes)."""
    year, month, day = iso_date.split("-")
    group = page.get_by_role("group", name=legend)
    group.get_by_label("År").fill(year)
    group.get_by_label("Månad").fill(month)
    group.get_by_label("Dag").fill(day)


def open_filters(page) -> None:
    """Open the register's search and filters (a GOV.UK details element, closed unless filtering)."""
    summary = page.locator("summary", has_text="Sök och filtrera")
    if summary.count() and page.locator("details[open]").count() == 0:
        summary.click()

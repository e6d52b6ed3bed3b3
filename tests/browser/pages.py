"""What a browser test does on every page: go there, check it loaded, run axe-core on it."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests import factories

from . import axe


def assert_accessible(page, where: str | None = None) -> None:
    """No WCAG 2.1 A/AA violations on the page as it is now (after a click, a submit, an error)."""
    found = axe.violations(page)
    if found:
        pytest.fail(axe.report(found, where or page.url), pytrace=False)


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

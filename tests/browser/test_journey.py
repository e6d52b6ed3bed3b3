"""Journeys through the app in a real browser, with axe-core on every page on the way."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from portfolio.domain.roles import Role
from tests import factories

from .pages import assert_accessible, fill_date, log_in, open_filters, visit

pytestmark = pytest.mark.browser

TITLE = "Digital hämtlista i förskolan"

# What the focused element looks like: visible on screen, with a focus indicator.
# GOV.UK's radios and check boxes hide the native input and draw the focus ring around the
# label's box (::before), so that is where the indicator is looked for.
_FOCUSED = """() => {
  const styledLabel = (input) => {
    const label = input.labels && input.labels[0];
    return !!label && getComputedStyle(label, '::before').boxShadow !== 'none';
  };
  const el = document.activeElement;
  const style = getComputedStyle(el);
  const box = el.getBoundingClientRect();
  return {
    tag: el.tagName.toLowerCase(), id: el.id, type: el.getAttribute('type') || '',
    text: (el.innerText || el.value || '').trim().slice(0, 40),
    onScreen: (box.width > 0 && box.height > 0 || styledLabel(el)) && box.right > 0 && box.bottom > 0
              && box.left < window.innerWidth && box.top < window.innerHeight,
    indicator: (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2) || style.boxShadow !== 'none'
               || styledLabel(el),
  };
}"""


def test_innovation_leader_registers_a_pilot_and_finds_it_again(page, db, people):
    factories.make_unit(db, name="Förskolan Solen")
    factories.make_pilot(db, title="Schemaläggning med AI")
    db.commit()

    log_in(page, people[Role.INNOVATION_LEADER])
    expect(page).to_have_url(re.compile(r"/pilots$"))

    page.get_by_role("link", name="Ny pilot").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ny pilot")
    assert_accessible(page, "the new pilot form")

    page.get_by_role("button", name="Registrera piloten").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()  # GOV.UK's error summary takes the focus, so it is read first
    expect(summary.get_by_role("link", name="Ange en titel.")).to_have_attribute("href", "#title")
    expect(page.locator("#title-error")).to_contain_text("Ange en titel.")
    expect(page.get_by_label(re.compile(r"^Titel( \(valfritt\))?$"))).to_have_attribute("aria-invalid", "true")
    assert_accessible(page, "the new pilot form with errors")

    page.get_by_label(re.compile(r"^Titel( \(valfritt\))?$")).fill(TITLE)
    page.get_by_label("Behov eller utmaning").fill("Personalen lägger mycket tid på att stämma av vem som hämtar.")
    page.get_by_label(re.compile(r"^Beskrivning( \(valfritt\))?$")).fill("En digital lista över vem som hämtar barnen.")
    page.get_by_label("Idébärare").fill("Arbetslaget på avdelning Blå")
    page.get_by_label("Organisatorisk enhet").select_option(label="Förskolan Solen")
    page.get_by_label("Idédriven").check()
    page.get_by_label("Målgrupper").fill("Pedagoger och vårdnadshavare i förskolan")
    page.get_by_label("Likvärdigt och användarvänligt ekosystem").check()
    fill_date(page, "Teststart", "2026-01-15")
    fill_date(page, "Planerat testslut", "2026-06-15")
    page.get_by_role("button", name="Registrera piloten").click()

    heading = page.get_by_role("heading", level=1)
    expect(heading).to_contain_text(TITLE)
    code = page.url.rstrip("/").rsplit("/", 1)[-1]
    assert re.fullmatch(r"INN-\d{4}-\d{3}", code), page.url
    assert_accessible(page, "the new pilot's page")

    visit(page, "/pilots")
    open_filters(page)
    page.get_by_label(re.compile(r"^Sök( \(valfritt\))?$")).fill("hämtlista")
    page.get_by_role("button", name="Sök", exact=True).click()
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(TITLE)
    assert_accessible(page, "the search result")

    page.get_by_role("link", name=code).click()
    expect(heading).to_contain_text(TITLE)
    assert_accessible(page, "the pilot page from the list")


def test_login_works_with_the_keyboard_alone(page, people):
    user = people[Role.VIEWER]
    visit(page, "/login")

    def tab_to(description: str, is_target, limit: int = 12) -> dict:
        return _tab_to(page, description, is_target, limit)

    tab_to("the e-mail field", lambda f: f["tag"] == "input" and f["type"] == "email")
    page.keyboard.type(user.email)
    # The next Tab stops go straight to the password and then the button: a logical order.
    page.keyboard.press("Tab")
    assert page.evaluate(_FOCUSED)["type"] == "password"
    page.keyboard.type(factories.PASSWORD)
    focused = tab_to("the login button", lambda f: f["tag"] == "button", limit=1)
    assert focused["text"] == "Logga in"
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(r"/pilots$"))
    assert_accessible(page, "the page after a keyboard login")


def _tab_to(page, description: str, is_target, limit: int = 40) -> dict:
    """Press Tab until `is_target(focused)`; every element passed on the way must show its focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(_FOCUSED)
        assert focused["onScreen"] and focused["indicator"], f"focus is not visible on {focused}"
        if is_target(focused):
            return focused
    pytest.fail(f"Tab never reached {description}")


def _by_id(ident: str):
    return lambda focused: focused["id"] == ident


def test_a_pilot_is_registered_with_the_keyboard_alone(page, db, people):
    factories.make_unit(db, name="Förskolan Solen")
    db.commit()
    leader = people[Role.INNOVATION_LEADER]
    visit(page, "/login")
    _tab_to(page, "the e-mail field", lambda f: f["type"] == "email")
    page.keyboard.type(leader.email)
    _tab_to(page, "the password field", lambda f: f["type"] == "password", limit=1)
    page.keyboard.type(factories.PASSWORD)
    _tab_to(page, "the login button", lambda f: f["tag"] == "button", limit=1)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/pilots$"))

    _tab_to(page, "the link Ny pilot", lambda f: f["tag"] == "a" and f["text"] == "Ny pilot")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Ny pilot")

    # An impossible date first: the error summary takes the focus and links to the field.
    _tab_to(page, "the title", _by_id("title"))
    page.keyboard.type(TITLE)
    _tab_to(page, "the test start's year", _by_id("test_start-year"))
    page.keyboard.type("2026")
    page.keyboard.press("Tab")
    page.keyboard.type("2")
    page.keyboard.press("Tab")
    page.keyboard.type("30")
    _tab_to(page, "the submit button", lambda f: f["tag"] == "button" and f["text"] == "Registrera piloten")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    assert_accessible(page, "the new pilot form with a keyboard user's errors")
    _tab_to(page, "the summary's link to the origin", lambda f: f["tag"] == "a" and "startade" in f["text"], limit=5)
    page.keyboard.press("Enter")
    expect(page.locator("#origin-0")).to_be_focused()
    page.keyboard.press("Space")  # the first choice, Idédriven
    expect(page.get_by_label("Idédriven")).to_be_checked()

    _tab_to(page, "the test start's day", _by_id("test_start-day"))
    page.keyboard.press("Control+A")
    page.keyboard.type("15")
    expect(page.locator("#test_start-year")).to_have_value("2026")  # what was typed was kept
    _tab_to(page, "the submit button", lambda f: f["tag"] == "button" and f["text"] == "Registrera piloten")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text(TITLE)
    expect(page.get_by_text("2026-02-15")).to_be_visible()
    assert_accessible(page, "the pilot registered with the keyboard")

"""Journeys through the app in a real browser, with axe-core on every page on the way."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from portfolio.domain.roles import Role
from tests import factories

from .pages import assert_accessible, log_in, visit

pytestmark = pytest.mark.browser

TITLE = "Digital hämtlista i förskolan"

# What the focused element looks like: visible on screen, with a focus indicator.
_FOCUSED = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  const box = el.getBoundingClientRect();
  return {
    tag: el.tagName.toLowerCase(), id: el.id, type: el.getAttribute('type') || '',
    text: (el.innerText || el.value || '').trim().slice(0, 40),
    onScreen: box.width > 0 && box.height > 0 && box.right > 0 && box.bottom > 0
              && box.left < window.innerWidth && box.top < window.innerHeight,
    indicator: (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2) || style.boxShadow !== 'none',
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
    expect(page.get_by_text("Ange en titel.")).to_be_visible()
    expect(page.get_by_label("Titel", exact=True)).to_have_attribute("aria-invalid", "true")
    assert_accessible(page, "the new pilot form with errors")

    page.get_by_label("Titel", exact=True).fill(TITLE)
    page.get_by_label("Behov eller utmaning").fill("Personalen lägger mycket tid på att stämma av vem som hämtar.")
    page.get_by_label("Beskrivning", exact=True).fill("En digital lista över vem som hämtar barnen.")
    page.get_by_label("Idébärare").fill("Arbetslaget på avdelning Blå")
    page.get_by_label("Organisatorisk enhet").select_option(label="Förskolan Solen")
    page.get_by_label("Idédriven").check()
    page.get_by_label("Målgrupper").fill("Pedagoger och vårdnadshavare i förskolan")
    page.get_by_label("Likvärdigt och användarvänligt ekosystem").check()
    page.get_by_label("Teststart").fill("2026-01-15")
    page.get_by_label("Planerat testslut").fill("2026-06-15")
    page.get_by_role("button", name="Registrera piloten").click()

    heading = page.get_by_role("heading", level=1)
    expect(heading).to_contain_text(TITLE)
    code = page.url.rstrip("/").rsplit("/", 1)[-1]
    assert re.fullmatch(r"INN-\d{4}-\d{3}", code), page.url
    assert_accessible(page, "the new pilot's page")

    visit(page, "/pilots")
    page.get_by_label("Sök", exact=True).fill("hämtlista")
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
        """Press Tab until `is_target(focused)`; every element passed on the way must show its focus."""
        for _ in range(limit):
            page.keyboard.press("Tab")
            focused = page.evaluate(_FOCUSED)
            assert focused["onScreen"] and focused["indicator"], f"focus is not visible on {focused}"
            if is_target(focused):
                return focused
        pytest.fail(f"Tab never reached {description}")

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

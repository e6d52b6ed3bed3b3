"""The design system as shipped: GOV.UK Frontend brand-neutral, built from the pinned package,
and the macros other pages are built from."""

from __future__ import annotations

import json
import re
from pathlib import Path

from flask import render_template_string

from portfolio.domain.roles import Role

ROOT = Path(__file__).resolve().parents[2]


def test_the_compiled_assets_come_from_the_pinned_govuk_frontend():
    pinned = json.loads((ROOT / "package.json").read_text())["devDependencies"]["govuk-frontend"]
    locked = json.loads((ROOT / "package-lock.json").read_text())["packages"]["node_modules/govuk-frontend"]["version"]
    css = (ROOT / "static/css/app.css").read_text()
    assert pinned == locked
    assert re.search(rf'--govuk-frontend-version: ?"{re.escape(locked)}"', css)
    assert f'const version="{locked}"' in (ROOT / "static/js/govuk-frontend.min.js").read_text()


def test_brand_neutral_an_open_font_shipped_with_the_app_and_no_gds_transport():
    css = (ROOT / "static/css/app.css").read_text()
    assert "GDS Transport" not in css
    assert 'font-family:"Source Sans 3"' in css
    fonts = [url for url in re.findall(r'url\("?([^")]+)"?\)', css) if "fonts/" in url]
    assert fonts and all((ROOT / "static/css" / url).resolve().is_file() for url in fonts)
    assert (ROOT / "static/fonts/LICENSE-source-sans-3.txt").is_file()


def test_the_header_has_no_crown_or_gov_uk_logotype(client, login_as):
    login_as(Role.VIEWER)
    html = client.get("/pilots").get_data(as_text=True)
    assert "govuk-header__logotype" not in html and "crown" not in html.lower() and "GOV.UK" not in html
    assert '<header class="govuk-generic-header app-header">' in html
    assert '<script type="module" src="/static/js/app.js"></script>' in html


def test_the_task_list_macro_renders_govuk_task_list(app):
    with app.test_request_context():
        html = render_template_string(
            '{% from "macros/forms.html" import task_list %}{{ task_list(tasks, id_prefix="step") }}',
            tasks=[
                {"name": "Se över effektmålet", "href": "/steg/1", "status": "Klart", "status_colour": ""},
                {"name": "Sammanfatta resultaten", "href": "/steg/2", "hint": "Två mått saknar mätvärden",
                 "status": "Ej påbörjat", "status_colour": "blue"},
                {"name": "Beslut", "href": None, "status": "Kan inte påbörjas än", "status_colour": ""},
            ],
        )
    assert html.count('<li class="govuk-task-list__item govuk-task-list__item--with-link">') == 2
    assert 'aria-describedby="step-2-hint step-2-status"' in html
    assert '<strong class="govuk-tag govuk-tag--blue">Ej påbörjat</strong>' in html
    assert 'govuk-task-list__status--cannot-start-yet" id="step-3-status"' in html

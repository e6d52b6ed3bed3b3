"""The overview, the pilot list and the pilot page read a fixed number of queries, whatever the number
of pilots: generated pilots are added and every page is asked again."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from portfolio import demo, demo_generated
from portfolio.models import Pilot
from tests.conftest import count_queries, login
from tests.process_scenario import fast_papers  # noqa: F401

PAGES = ("/portfolio", "/pilots", "/pilots/{code}", "/pilots/{code}/follow-up", "/portfolio/export.csv")


def _counts(app, client, code: str) -> dict[str, int]:
    counts = {}
    for page in PAGES:
        path = page.format(code=code)
        with count_queries(app) as statements:
            response = client.get(path)
        assert response.status_code == 200, path
        counts[path] = len(statements)
    return counts


def test_pages_run_the_same_queries_with_200_pilots_as_with_10(app, client, db, fast_papers):
    demo.seed(db)
    demo_generated.generate(db, 10, seed=1)
    db.commit()
    laiban = db.scalars(select(Pilot.code).where(Pilot.title.startswith("Laiban"))).one()
    login(client, db.scalars(select(demo.User).where(demo.User.email == "ledning@example.org")).one(), demo.PASSWORD)
    client.get("/portfolio")  # the first request loads what every request shares
    few = _counts(app, client, laiban)

    demo_generated.generate(db, 190, seed=2)
    db.commit()
    assert db.query(Pilot).count() >= 200
    many = _counts(app, client, laiban)
    assert many == few


@pytest.mark.parametrize("count", [25])
def test_generated_pilots_are_realistic_and_add_to_the_demo(db, fast_papers, count):
    demo.seed(db)
    before = db.query(Pilot).count()
    counts = demo_generated.generate(db, count, seed=7)
    db.commit()
    assert db.query(Pilot).count() == before + count == before + counts["pilots"]
    assert counts["indicators"] >= count and counts["measurements"] > 0 and counts["cost_items"] > count
    assert counts["decisions"] > 0 and counts["follow_ups"] == 3 * sum(
        1 for pilot in db.scalars(select(Pilot).where(Pilot.idea_bearer == "Genererad"))
        if pilot.phase == "implementation")
    codes = db.scalars(select(Pilot.code)).all()
    assert len(set(codes)) == len(codes)

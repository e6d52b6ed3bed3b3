"""Migration 0013: a benefit owner named in free text becomes a chosen user where the text names exactly
one active user; otherwise the text stays and no user is set. Down and up again keeps the names."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import text

from portfolio import migrate
from tests.migrations.test_migrations import FIRST_REVISION, _insert_foundation_rows, empty_url, engine  # noqa: F401

BEFORE = "0011_oidc"
AFTER = "0013_meeting_followups"

OWNERS = {
    # effect goal id: the owner's text before the migration
    601: "Förskolechef, Anna Åberg",  # names Anna Åberg (101) within a title: user set, text kept as title
    602: "bo@example.org",  # only Bo Ek's (102) address: user set, no title left
    603: "Förskolechef Norr",  # names nobody: kept as text, no user
    604: "Anna Åberg och Bo Ek",  # names two users: ambiguous, kept as text
    605: "Cissi Cederlund",  # a deactivated user: not chosen
    606: "Annaåberg, rektor",  # not the name as whole words: no user
}


def _arrange(engine) -> None:
    with engine.begin() as connection:
        connection.execute(text(
            "INSERT INTO users (id, email, name, password_hash, active, locale, created_at, session_token) "
            "VALUES (103, 'cissi@example.org', 'Cissi Cederlund', 'x', :false, NULL, :now, 'x')"),
            {"false": False, "now": dt.datetime(2026, 3, 1)})
        for goal_id, owner in OWNERS.items():
            connection.execute(text(
                "INSERT INTO effect_goals (id, pilot_id, statement, category, beneficiary, position, created_at) "
                "VALUES (:id, 301, 'Färre minuter', 'quality', '', 0, :now)"),
                {"id": goal_id, "now": dt.datetime(2026, 3, 1)})
            connection.execute(text(
                "INSERT INTO benefit_owners (id, effect_goal_id, name, unit_id, updated_at, version) "
                "VALUES (:id, :id, :name, NULL, :now, 1)"), {"id": goal_id, "name": owner, "now": dt.datetime(2026, 3, 1)})


def _owners(engine) -> dict[int, tuple]:
    with engine.connect() as connection:
        return {row[0]: tuple(row[1:]) for row in connection.execute(
            text("SELECT effect_goal_id, user_id, name FROM benefit_owners ORDER BY effect_goal_id"))}


def test_free_text_owners_become_users_only_when_the_text_names_exactly_one(empty_url, engine):  # noqa: F811
    migrate.upgrade(empty_url, FIRST_REVISION)
    with engine.begin() as connection:
        _insert_foundation_rows(connection)
    migrate.upgrade(empty_url, BEFORE)
    _arrange(engine)

    migrate.upgrade(empty_url, AFTER)

    assert _owners(engine) == {
        601: (101, "Förskolechef, Anna Åberg"),
        602: (102, ""),
        603: (None, "Förskolechef Norr"),
        604: (None, "Anna Åberg och Bo Ek"),
        605: (None, "Cissi Cederlund"),
        606: (None, "Annaåberg, rektor"),
    }

    # Down again: every owner is text as before, the chosen user's name where there was no title.
    migrate.downgrade(empty_url, BEFORE)
    with engine.connect() as connection:
        names = dict(connection.execute(text("SELECT effect_goal_id, name FROM benefit_owners")).all())
    assert names == OWNERS | {602: "Bo Ek"}
    migrate.upgrade(empty_url, AFTER)
    assert _owners(engine)[602] == (102, "")

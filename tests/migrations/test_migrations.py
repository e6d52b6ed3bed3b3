"""The migrations: one head, exactly the models' schema, reversible step by step, data kept.

Each test starts from an EMPTY database (a new SQLite file, or a new database on the
PostgreSQL server the suite runs against), because the other fixtures hand out databases
that are already migrated.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import os
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import MetaData, create_engine, inspect, select, text
from sqlalchemy.engine import Engine, make_url

from portfolio import migrate
from portfolio.db import make_engine
from portfolio.models import AppSettings, Base, CostItem, Indicator, Measurement
from tests.conftest import POSTGRES_URL

FIRST_REVISION = "0001_foundation"
_counter = itertools.count()


@pytest.fixture
def empty_url(tmp_path) -> Iterator[str]:
    """A database with no tables at all, of the same kind as the suite's."""
    if POSTGRES_URL:
        name = f"portfolio_migrations_{os.getpid()}_{next(_counter)}"
        admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        yield make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
    else:
        yield f"sqlite:///{tmp_path / 'empty.sqlite3'}"


@pytest.fixture
def engine(empty_url) -> Iterator[Engine]:
    """An engine on the empty database, configured as the app configures its own."""
    database = make_engine(empty_url)
    yield database
    database.dispose()


def _script(url: str) -> ScriptDirectory:
    return ScriptDirectory.from_config(migrate.alembic_config(url))


def _revisions_oldest_first(url: str) -> list[str]:
    return [script.revision for script in reversed(list(_script(url).walk_revisions("base", "heads")))]


def _current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def _schema_differences(engine: Engine) -> list:
    """What autogenerate would write to turn the database into the models' schema."""
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return compare_metadata(context, Base.metadata)


def _schema_snapshot(engine: Engine) -> dict[str, dict]:
    """Tables with their columns, indexes, foreign keys and unique constraints (comparable)."""
    inspector = inspect(engine)
    snapshot = {}
    for table in sorted(inspector.get_table_names()):
        if table == "alembic_version":
            continue
        snapshot[table] = {
            "columns": [(c["name"], str(c["type"]), c["nullable"]) for c in inspector.get_columns(table)],
            "indexes": sorted((i["name"], tuple(i["column_names"])) for i in inspector.get_indexes(table)),
            "foreign_keys": sorted(
                (fk["name"] or "", tuple(fk["constrained_columns"]), fk["referred_table"])
                for fk in inspector.get_foreign_keys(table)
            ),
            "unique": sorted((u["name"] or "", tuple(u["column_names"])) for u in inspector.get_unique_constraints(table)),
        }
    return snapshot


def _foreign_key_problems(engine: Engine) -> list:
    """Rows whose foreign keys point nowhere (SQLite) or constraints left unvalidated (PostgreSQL)."""
    with engine.connect() as connection:
        if connection.dialect.name == "sqlite":
            return connection.execute(text("PRAGMA foreign_key_check")).fetchall()
        return connection.execute(
            text("SELECT conname FROM pg_constraint WHERE contype = 'f' AND NOT convalidated")
        ).fetchall()


def test_there_is_exactly_one_head_and_one_base(empty_url):
    script = _script(empty_url)
    assert len(script.get_heads()) == 1, f"several heads, merge them: {script.get_heads()}"
    assert len(script.get_bases()) == 1, f"several bases: {script.get_bases()}"


def test_upgrading_an_empty_database_gives_exactly_the_models_schema(empty_url, engine):
    migrate.upgrade(empty_url)

    assert _current_revision(engine) == _script(empty_url).get_current_head()
    differences = _schema_differences(engine)
    assert differences == [], "the migrations and the models disagree; autogenerate a migration:\n" + "\n".join(
        map(repr, differences)
    )
    assert _foreign_key_problems(engine) == []


def test_every_revision_downgrades_and_upgrades_again(empty_url, engine):
    revisions = _revisions_oldest_first(empty_url)
    previous_schema = _schema_snapshot(engine)
    for position, revision in enumerate(revisions):
        below = revisions[position - 1] if position else "base"
        migrate.upgrade(empty_url, revision)
        upgraded_schema = _schema_snapshot(engine)

        migrate.downgrade(empty_url, below)
        assert _current_revision(engine) == (None if below == "base" else below)
        assert _schema_snapshot(engine) == previous_schema, f"downgrading {revision} leaves a different schema"

        migrate.upgrade(empty_url, revision)
        assert _schema_snapshot(engine) == upgraded_schema, f"upgrading {revision} again gives a different schema"
        previous_schema = upgraded_schema

    assert _schema_differences(engine) == []
    assert _foreign_key_problems(engine) == []


def test_downgrading_to_base_leaves_no_tables(empty_url, engine):
    migrate.upgrade(empty_url)
    migrate.downgrade(empty_url, "base")
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}


def _insert_foundation_rows(connection) -> None:
    """Rows in every table of the first revision, written against that revision's schema."""
    now = dt.datetime(2026, 3, 1, 9, 30)
    connection.execute(
        text(
            "INSERT INTO users (id, email, name, password_hash, active, locale, created_at) "
            "VALUES (101, 'anna@example.org', 'Anna Åberg', 'x', :true, 'sv', :now), "
            "(102, 'bo@example.org', 'Bo Ek', 'x', :true, NULL, :now)"
        ),
        {"true": True, "now": now},
    )
    connection.execute(
        text("INSERT INTO user_roles (user_id, role) VALUES (101, 'innovation_leader'), (102, 'finance')")
    )
    connection.execute(text("INSERT INTO units (id, name, level, active) VALUES (201, 'Förskolan Solen', 'school', :t)"),
                       {"t": True})
    connection.execute(
        text(
            "INSERT INTO pilots (id, code, title, need, description, idea_bearer, innovation_leader_id, unit_id, "
            "origin, target_groups, test_start, test_end, phase, step, created_at, updated_at) VALUES "
            "(301, 'INN-2024-007', 'Digital hämtlista', 'Behov', 'Beskrivning', 'Idébärare', 101, 201, "
            "'idea_driven', 'Förskolebarn', :start, :end, 'scale_up', 2, :now, :now)"
        ),
        {"start": dt.date(2024, 2, 1), "end": dt.date(2024, 12, 20), "now": now},
    )
    connection.execute(text("INSERT INTO pilot_goals (pilot_id, goal_id) VALUES (301, 1), (301, 2)"))
    connection.execute(
        text(
            "INSERT INTO phase_transitions (id, pilot_id, from_phase, to_phase, from_step, to_step, actor_id, "
            "comment, at) VALUES (401, 301, 'test', 'scale_up', 0, 1, 101, 'Effektmålet granskat', :now)"
        ),
        {"now": now},
    )
    connection.execute(
        text(
            "INSERT INTO audit_entries (id, at, actor_id, action, entity, entity_id, pilot_id, before, after) "
            "VALUES (501, :now, 101, 'create', 'pilot', 301, 301, NULL, :after)"
        ),
        {"now": now, "after": '{"title": "Digital hämtlista"}'},
    )


def test_data_survives_the_upgrade_to_head(empty_url, engine):
    migrate.upgrade(empty_url, FIRST_REVISION)
    with engine.begin() as connection:
        _insert_foundation_rows(connection)

    migrate.upgrade(empty_url)

    with engine.connect() as connection:
        pilot = connection.execute(
            text("SELECT code, title, innovation_leader_id, unit_id, phase, step, test_start, "
                 "finance_signed_off_by_id, discount_rate FROM pilots WHERE id = 301")
        ).one()
        users = connection.execute(text("SELECT id, email, name, locale FROM users ORDER BY id")).all()
        roles = connection.execute(text("SELECT user_id, role FROM user_roles ORDER BY user_id")).all()
        goals = connection.execute(text("SELECT goal_id FROM pilot_goals WHERE pilot_id = 301 ORDER BY goal_id")).all()
        transitions = connection.execute(text("SELECT pilot_id, to_phase, comment FROM phase_transitions")).all()
        audit = connection.execute(text("SELECT entity, entity_id, pilot_id FROM audit_entries")).all()
        unit = connection.execute(text("SELECT name FROM units WHERE id = 201")).scalar_one()

    assert tuple(pilot[:6]) == ("INN-2024-007", "Digital hämtlista", 101, 201, "scale_up", 2)
    assert str(pilot.test_start)[:10] == "2024-02-01"
    assert pilot.finance_signed_off_by_id is None and pilot.discount_rate is None  # new columns start empty
    assert [tuple(u) for u in users] == [(101, "anna@example.org", "Anna Åberg", "sv"), (102, "bo@example.org", "Bo Ek", None)]
    assert [tuple(r) for r in roles] == [(101, "innovation_leader"), (102, "finance")]
    # pilot_goals cascades from pilots, which the upgrade rebuilds on SQLite: the rows must still be there.
    assert [g.goal_id for g in goals] == [1, 2]
    assert [tuple(t) for t in transitions] == [(301, "scale_up", "Effektmålet granskat")]
    assert [tuple(a) for a in audit] == [("pilot", 301, 301)]
    assert unit == "Förskolan Solen"
    assert _foreign_key_problems(engine) == []


def test_reference_data_is_seeded(empty_url, engine):
    migrate.upgrade(empty_url)

    with engine.begin() as connection:
        settings = connection.execute(
            select(AppSettings.organisation_name, AppSettings.discount_rate, AppSettings.horizon_years)
        ).all()
        framework_id = connection.execute(
            text("SELECT id FROM goal_frameworks WHERE name = 'Digitaliseringsstrategin'")
        ).scalar_one()
        goals = connection.execute(
            text("SELECT name FROM goals WHERE framework_id = :id ORDER BY position"), {"id": framework_id}
        ).scalars().all()
        # The seeded ids must not block the next insert (PostgreSQL sequences moved past them).
        connection.execute(text("INSERT INTO goal_frameworks (name, position, active) VALUES ('Verksamhetsplan', 2, :t)"),
                           {"t": True})
        connection.execute(text("INSERT INTO goals (framework_id, name, position, active) VALUES (:f, 'Nytt mål', 4, :t)"),
                           {"f": framework_id, "t": True})

    assert len(settings) == 1
    name, rate, horizon = settings[0]
    assert name == "Skol- och fritidsförvaltningen" and Decimal(str(rate)) == Decimal("0.03") and horizon == 5
    assert goals == [
        "Barn och elevers adekvata digitala kompetens",
        "Likvärdigt och användarvänligt ekosystem",
        "Barn och elever är möjliggörare av den innovativa och smarta staden",
    ]


DEMO_AT_0003 = Path(__file__).parent / "data" / "demo_0003.json"


def _typed(column, value):
    """A JSON value from the fixture as the column's Python type."""
    if value is None:
        return None
    python_type = None
    try:
        python_type = column.type.python_type
    except NotImplementedError:
        return value
    if python_type is dt.datetime:
        return dt.datetime.fromisoformat(value)
    if python_type is dt.date:
        return dt.date.fromisoformat(value[:10])
    if python_type is Decimal:
        return Decimal(value)
    if python_type is bool:
        return bool(value)
    return value


def _load_demo_at_0003(engine: Engine) -> dict[str, int]:
    """The demo data as `seed-demo` wrote it at revision 0003 (saved then, before the scale-up process)."""
    fixture = json.loads(DEMO_AT_0003.read_text(encoding="utf-8"))
    assert fixture["revision"] == "0003_user_session_token"
    metadata = MetaData()
    metadata.reflect(engine)
    with engine.begin() as connection:
        for table in metadata.sorted_tables:
            rows = fixture["tables"].get(table.name, [])
            if table.name in ("alembic_version", "goal_frameworks", "goals", "app_settings"):
                # Reference data seeded by the migrations themselves: add only what the demo added.
                existing = {row[0] for row in connection.execute(select(table.primary_key.columns.values()[0]))}
                rows = [row for row in rows if row[table.primary_key.columns.values()[0].name] not in existing]
            if rows:
                connection.execute(table.insert(), [
                    {name: _typed(table.c[name], value) for name, value in row.items()} for row in rows
                ])
        if connection.dialect.name == "postgresql":
            for table in metadata.sorted_tables:
                if "id" in table.c and table.name != "alembic_version":
                    connection.execute(text(
                        f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                        f"COALESCE((SELECT MAX(id) FROM {table.name}), 1))"
                    ))
    return {name: len(rows) for name, rows in fixture["tables"].items()}


def test_a_database_holding_the_demo_data_of_revision_0003_upgrades_to_head(empty_url, engine):
    migrate.upgrade(empty_url, "0003_user_session_token")
    counts = _load_demo_at_0003(engine)

    migrate.upgrade(empty_url)

    assert _current_revision(engine) == _script(empty_url).get_current_head()
    with engine.connect() as connection:
        for table, count in counts.items():
            assert connection.execute(text(f"SELECT COUNT(*) FROM {table}")).scalar_one() == count, table
        kinds = dict(connection.execute(text(
            "SELECT kind, COUNT(*) FROM phase_transitions GROUP BY kind"
        )).all())
        laiban = connection.execute(text(
            "SELECT phase, step, review_comment, results_summary, lessons_learned, revisit_on "
            "FROM pilots WHERE title LIKE 'Laiban%'"
        )).one()
        decided_history = connection.execute(text(
            "SELECT t.kind FROM phase_transitions t JOIN pilots p ON p.id = t.pilot_id "
            "WHERE p.title LIKE 'Laiban%' ORDER BY t.id"
        )).scalars().all()
    # The history is kept and named: the demo's recorded steps were completions, its decisions decisions.
    assert kinds["complete_step"] > 0 and kinds["decision"] == 2 and kinds["move"] > 0
    assert "reopen_step" not in kinds
    assert decided_history == ["move", "move", "move", "complete_step", "complete_step", "complete_step", "decision"]
    assert tuple(laiban) == ("implementation", 4, "", "", "", None)
    assert _foreign_key_problems(engine) == []
    assert _schema_differences(engine) == []


def test_0004_keeps_decimals_and_starts_every_version_at_one(empty_url, engine):
    """Exact decimals: on SQLite the stored floats become scaled integers; the values read back
    through the models are the ones that were there, and each row starts at version 1."""
    migrate.upgrade(empty_url, FIRST_REVISION)
    with engine.begin() as connection:
        _insert_foundation_rows(connection)
    migrate.upgrade(empty_url, "0003_user_session_token")
    with engine.begin() as connection:
        connection.execute(text(
            "INSERT INTO cost_items (id, pilot_id, category, kind, phase, first_year, last_year, amount, note, "
            "entered_by_id, created_at, updated_at) VALUES (601, 301, 'licence', 'recurring', 'operation', 2025, "
            "NULL, 1234567.85, 'Licens', 102, :now, :now)"), {"now": dt.datetime(2026, 3, 1)})
        connection.execute(text(
            "INSERT INTO effect_goals (id, pilot_id, statement, category, beneficiary, position, created_at) "
            "VALUES (701, 301, 'Mindre tid', 'quality', '', 0, :now)"), {"now": dt.datetime(2026, 3, 1)})
        connection.execute(text(
            "INSERT INTO indicators (id, effect_goal_id, name, unit, direction, measurement_method, data_source, "
            "frequency, baseline_value, target_value, position, created_at, value_per_unit, annual_volume, "
            "benefit_class) VALUES (801, 701, 'Minuter', 'min', 'lower_is_better', '', '', '', 60, 12.5, 0, :now, "
            "8.3333, 190, 'financial')"), {"now": dt.datetime(2026, 3, 1)})
        connection.execute(text(
            "INSERT INTO measurements (id, indicator_id, measured_on, value, phase, comment, recorded_by_id, "
            "created_at) VALUES (901, 801, :day, 0.1235, 'test', '', 101, :now)"),
            {"day": dt.date(2026, 2, 1), "now": dt.datetime(2026, 3, 1)})

    migrate.upgrade(empty_url)

    with engine.connect() as connection:
        amount, cost_version = connection.execute(
            select(CostItem.amount, CostItem.version).where(CostItem.id == 601)).one()
        indicator = connection.execute(
            select(Indicator.baseline_value, Indicator.target_value, Indicator.value_per_unit,
                   Indicator.annual_volume, Indicator.version).where(Indicator.id == 801)).one()
        value = connection.execute(select(Measurement.value).where(Measurement.id == 901)).scalar_one()
        basis_version = connection.execute(text("SELECT basis_version FROM pilots WHERE id = 301")).scalar_one()
    assert (amount, cost_version) == (Decimal("1234567.85"), 1)
    assert tuple(indicator) == (Decimal(60), Decimal("12.5"), Decimal("8.3333"), Decimal(190), 1)
    assert value == Decimal("0.1235") and basis_version == 1

    # Down and up again: still the same values.
    migrate.downgrade(empty_url, "0003_user_session_token")
    migrate.upgrade(empty_url)
    with engine.connect() as connection:
        assert connection.execute(select(CostItem.amount).where(CostItem.id == 601)).scalar_one() \
            == Decimal("1234567.85")
        assert connection.execute(select(Measurement.value).where(Measurement.id == 901)).scalar_one() \
            == Decimal("0.1235")

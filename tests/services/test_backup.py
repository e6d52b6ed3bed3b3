"""`flask --app portfolio backup FILE` and `restore FILE`: the demo data, papers included, comes back
row for row and byte for byte in an empty database (on SQLite and, with PORTFOLIO_TEST_DATABASE_URL,
on PostgreSQL through pg_dump and pg_restore)."""

from __future__ import annotations

import hashlib
import sqlite3
import uuid

import pytest
from sqlalchemy import LargeBinary, MetaData, create_engine, select, text
from sqlalchemy.engine import make_url

from portfolio import demo
from tests.conftest import POSTGRES_URL, make_test_app


@pytest.fixture
def empty_database_url(tmp_path):
    """A database with nothing in it, not even tables (a wiped server)."""
    if not POSTGRES_URL:
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    name = f"portfolio_restore_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    yield make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def contents(url: str) -> dict[str, list[tuple]]:
    """Every row of every table, in primary-key order, and the SHA-256 of every stored file (bytes column)."""
    engine = create_engine(url)
    metadata = MetaData()
    metadata.reflect(engine)
    rows = {}
    with engine.connect() as connection:
        for name, table in sorted(metadata.tables.items()):
            order = list(table.primary_key.columns) or list(table.columns)
            rows[name] = [tuple(row) for row in connection.execute(select(table).order_by(*order))]
            binary = [c.name for c in table.columns if isinstance(c.type, LargeBinary)]
            for column in binary:
                rows[f"{name}.{column} sha256"] = [
                    hashlib.sha256(value).hexdigest() if value is not None else None
                    for value in connection.scalars(select(table.c[column]).order_by(*order))
                ]
    engine.dispose()
    return rows


def _run(app, *args):
    with app.app_context():  # the command runs on this app, not on the test's outer one
        return app.test_cli_runner().invoke(args=list(args))


@pytest.fixture
def demo_backup(app, db, tmp_path):
    demo.seed(db)
    db.commit()
    file = tmp_path / "portfolio.backup"
    result = _run(app, "backup", str(file))
    assert result.exit_code == 0, result.output
    assert "Backup written" in result.output and file.stat().st_mode & 0o077 == 0  # owner only
    return file


def test_a_backup_restored_into_an_empty_database_holds_every_row_and_file(app, demo_backup, empty_database_url):
    before = contents(app.config["DATABASE_URL"])
    assert len(before["pilots"]) >= 5 and before["audit_entries"]
    target = make_test_app(empty_database_url)
    result = _run(target, "restore", str(demo_backup))
    assert result.exit_code == 0, result.output
    after = contents(empty_database_url)
    assert after == before
    target.extensions["portfolio_db"].engine.dispose()


def test_restore_refuses_a_database_with_data_unless_forced(app, demo_backup):
    result = _run(app, "restore", str(demo_backup))
    assert result.exit_code != 0 and "not empty" in result.output
    result = _run(app, "restore", "--force", str(demo_backup))
    assert result.exit_code == 0, result.output


@pytest.mark.skipif(bool(POSTGRES_URL), reason="the backup file is altered with SQLite")
def test_restore_refuses_a_backup_from_an_unknown_version(demo_backup, empty_database_url):
    connection = sqlite3.connect(demo_backup)
    with connection:
        connection.execute("UPDATE alembic_version SET version_num = '0099_from_the_future'")
    connection.close()
    target = make_test_app(empty_database_url)
    result = _run(target, "restore", str(demo_backup))
    assert result.exit_code != 0 and "0099_from_the_future" in result.output
    target.extensions["portfolio_db"].engine.dispose()


def test_restore_refuses_a_file_that_is_no_backup(app, tmp_path, empty_database_url):
    file = tmp_path / "notes.txt"
    file.write_text("not a backup")
    target = make_test_app(empty_database_url)
    result = _run(target, "restore", str(file))
    assert result.exit_code != 0 and "is not a backup" in result.output
    target.extensions["portfolio_db"].engine.dispose()

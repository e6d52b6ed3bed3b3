"""`flask --app portfolio backup FILE` and `restore FILE`: the demo data, papers included, comes back
row for row and byte for byte in an empty database (on SQLite and, with PORTFOLIO_TEST_DATABASE_URL,
on PostgreSQL through pg_dump and pg_restore)."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
import uuid

import pytest
from sqlalchemy import LargeBinary, MetaData, create_engine, select, text
from sqlalchemy.engine import make_url

from portfolio import demo, migrate
from portfolio.db import get_session
from tests.conftest import POSTGRES_URL, make_test_app


def _new_database(tmp_path, name: str) -> str:
    """A database with nothing in it, not even tables (a wiped server)."""
    if not POSTGRES_URL:
        return f"sqlite:///{tmp_path / (name + '.sqlite3')}"
    name = f"portfolio_{name}_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)


def _drop_database(url: str) -> None:
    if POSTGRES_URL:
        admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def empty_database_url(tmp_path):
    url = _new_database(tmp_path, "restored")
    yield url
    _drop_database(url)


@pytest.fixture(scope="module")
def demo_source(tmp_path_factory):
    """The demo data (its decision papers generated and stored) in a database of its own, and its backup.

    Made once for the module: generating the papers takes a while."""
    folder = tmp_path_factory.mktemp("backup")
    url = _new_database(folder, "source")
    migrate.upgrade(url)
    app = make_test_app(url)
    with app.app_context():
        session = get_session()
        demo.seed(session)
        session.commit()
    file = folder / "portfolio.backup"
    result = _run(app, "backup", str(file))
    assert result.exit_code == 0, result.output
    assert "Backup written" in result.output and file.stat().st_mode & 0o077 == 0  # owner only
    app.extensions["portfolio_db"].engine.dispose()
    yield url, file
    _drop_database(url)


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


def test_a_backup_restored_into_an_empty_database_holds_every_row_and_file(demo_source, empty_database_url):
    source_url, demo_backup = demo_source
    before = contents(source_url)
    assert len(before["pilots"]) >= 5 and before["audit_entries"] and before["decisions"]
    papers = before["paper_versions.pdf sha256"]
    assert len(papers) >= 2 and all(papers)  # the demo's decision papers, stored as PDF bytes
    target = make_test_app(empty_database_url)
    result = _run(target, "restore", str(demo_backup))
    assert result.exit_code == 0, result.output
    after = contents(empty_database_url)
    assert after["paper_versions.pdf sha256"] == papers
    assert after == before
    target.extensions["portfolio_db"].engine.dispose()


def test_restore_refuses_a_database_with_data_unless_forced(demo_source, app, people):
    source_url, demo_backup = demo_source
    result = _run(app, "restore", str(demo_backup))
    assert result.exit_code != 0 and "not empty" in result.output
    result = _run(app, "restore", "--force", str(demo_backup))
    assert result.exit_code == 0, result.output
    assert contents(app.config["DATABASE_URL"]) == contents(source_url)  # replaced, nothing of the old left


@pytest.mark.skipif(bool(POSTGRES_URL), reason="the backup file is altered with SQLite")
def test_restore_refuses_a_backup_from_an_unknown_version(demo_source, empty_database_url, tmp_path):
    demo_backup = tmp_path / "altered.backup"
    shutil.copyfile(demo_source[1], demo_backup)
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


def _damaged_copies(demo_backup, tmp_path) -> dict[str, object]:
    """The demo backup cut off half-way, and with bytes overwritten in its middle."""
    data = demo_backup.read_bytes()
    truncated = tmp_path / "truncated.backup"
    truncated.write_bytes(data[: len(data) // 2])
    corrupt = tmp_path / "corrupt.backup"
    middle = len(data) // 2
    corrupt.write_bytes(data[:middle] + b"\xde\xad\xbe\xef" * 4096 + data[middle + 16384:])
    return {"truncated": truncated, "corrupt": corrupt}


@pytest.mark.parametrize("damage", ["truncated", "corrupt"])
def test_a_damaged_backup_is_refused_and_leaves_every_row_in_place(demo_source, app, people, tmp_path, damage):
    before = contents(app.config["DATABASE_URL"])
    assert before["users"]
    file = _damaged_copies(demo_source[1], tmp_path)[damage]
    result = _run(app, "restore", "--force", str(file))
    assert result.exit_code != 0
    assert "The database was not changed." in result.output
    assert contents(app.config["DATABASE_URL"]) == before


def test_a_backup_whose_paper_does_not_match_its_hash_is_refused_and_changes_nothing(
        demo_source, tmp_path, empty_database_url):
    """The stored papers are checked in the same transaction as the restore: the restore of the demo
    (every table dropped and loaded again) is rolled back when one paper's bytes were altered."""
    source_url, demo_backup = demo_source
    # A database restored from the demo backup, one paper's bytes altered, backed up again.
    altered_url = _new_database(tmp_path, "altered")
    try:
        altered = make_test_app(altered_url)
        assert _run(altered, "restore", str(demo_backup)).exit_code == 0
        engine = create_engine(altered_url)
        with engine.begin() as connection:
            paper_id = connection.scalar(text("SELECT min(id) FROM paper_versions"))
            connection.execute(text("UPDATE paper_versions SET pdf = :pdf WHERE id = :id"),
                               {"pdf": b"%PDF-1.7 altered", "id": paper_id})
        engine.dispose()
        altered_backup = tmp_path / "altered.backup"
        assert _run(altered, "backup", str(altered_backup)).exit_code == 0
        altered.extensions["portfolio_db"].engine.dispose()
    finally:
        _drop_database(altered_url)
    # The target holds the demo data; the altered backup must not replace it.
    target = make_test_app(empty_database_url)
    assert _run(target, "restore", str(demo_backup)).exit_code == 0
    before = contents(empty_database_url)
    result = _run(target, "restore", "--force", str(altered_backup))
    assert result.exit_code != 0
    assert "paper_versions" in result.output and "SHA-256" in result.output
    assert "The database was not changed." in result.output
    assert contents(empty_database_url) == before
    target.extensions["portfolio_db"].engine.dispose()

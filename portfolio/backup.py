"""Backups of the whole database, papers included (they are stored in it), and restoring them.

- SQLite: SQLite's online backup API copies a consistent snapshot while the app keeps running;
  the backup is itself a SQLite database.
- PostgreSQL: `pg_dump --format=custom` (a consistent snapshot too), restored with `pg_restore` in
  one transaction. The client programs come from the PATH or `pg_config --bindir`.

A restore refuses a database that already holds users, pilots or audit entries unless forced, and
refuses a backup whose migration revision this version of the app does not know.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from alembic.script import ScriptDirectory
from sqlalchemy import Engine, MetaData, func, inspect, select
from sqlalchemy.engine import URL, make_url

from portfolio import migrate

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_DUMP_MAGIC = b"PGDMP"
#: Tables holding what people entered: a database with a row in any of them is not empty.
CONTENT_TABLES = ("users", "pilots", "audit_entries")


class BackupError(RuntimeError):
    """A backup or restore that cannot be done; the message says why."""


@dataclass(frozen=True)
class RestoreResult:
    revision: str
    at_head: bool


def _is_sqlite(url: URL) -> bool:
    return url.get_backend_name() == "sqlite"


def _sqlite_path(url: URL) -> Path:
    if not url.database or url.database == ":memory:":
        raise BackupError("An in-memory SQLite database cannot be backed up.")
    return Path(url.database)


def _pg_program(name: str) -> str:
    found = shutil.which(name)
    if found:
        return found
    try:
        bindir = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        bindir = ""
    candidate = Path(bindir) / name
    if bindir and candidate.exists():
        return str(candidate)
    raise BackupError(f"{name} not found: install the PostgreSQL client programs (Debian: postgresql-client).")


def _pg_connection(url: URL) -> tuple[str, dict[str, str]]:
    """A libpq URL without the password, and an environment carrying the password (never on a command line)."""
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    plain = url.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), env


def _run(command: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(command, capture_output=True, text=True, env=env)
    if result.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed: {result.stderr.strip()[-2000:]}")


def _private_temp(target: Path) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    os.close(fd)
    os.chmod(name, 0o600)  # personal data: readable by the owner only
    return Path(name)


def _sqlite_copy(source: Path, destination: Path) -> None:
    """Copy a SQLite database page by page with the online backup API (a consistent snapshot)."""
    reader = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    writer = sqlite3.connect(destination, timeout=30)
    try:
        with writer:
            reader.backup(writer)
    finally:
        writer.close()
        reader.close()


def backup(database_url: str, target: str | os.PathLike) -> Path:
    """Write a backup of the database to `target` (replaced atomically, mode 0600)."""
    url = make_url(database_url)
    target = Path(target)
    temporary = _private_temp(target)
    try:
        if _is_sqlite(url):
            _sqlite_copy(_sqlite_path(url), temporary)
        else:
            libpq_url, env = _pg_connection(url)
            _run([_pg_program("pg_dump"), "--format=custom", "--no-owner", "--no-privileges",
                  f"--file={temporary}", f"--dbname={libpq_url}"], env)
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)
    return target


def backup_revision(database_url: str, source: str | os.PathLike) -> str:
    """The migration revision recorded in a backup file (checking that it suits this database)."""
    url = make_url(database_url)
    source = Path(source)
    with source.open("rb") as file:
        head = file.read(16)
    if _is_sqlite(url):
        if head != SQLITE_MAGIC:
            raise BackupError(f"{source} is not a backup of a SQLite database.")
        connection = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        try:
            row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        except sqlite3.DatabaseError as error:
            raise BackupError(f"{source} has no migration revision: {error}") from None
        finally:
            connection.close()
    else:
        if not head.startswith(PG_DUMP_MAGIC):
            raise BackupError(f"{source} is not a backup of a PostgreSQL database (pg_dump custom format).")
        result = subprocess.run([_pg_program("pg_restore"), "--data-only", "--table=alembic_version", "--file=-",
                                 str(source)], capture_output=True, text=True)
        lines = result.stdout.splitlines()
        starts = [i for i, line in enumerate(lines) if line.startswith("COPY ") and "alembic_version" in line]
        row = (lines[starts[0] + 1],) if starts and lines[starts[0] + 1] != "\\." else None
    if row is None:
        raise BackupError(f"{source} has no migration revision.")
    return row[0]


def _known_revisions() -> tuple[set[str], str]:
    script = ScriptDirectory.from_config(migrate.alembic_config("sqlite://"))
    return {revision.revision for revision in script.walk_revisions()}, script.get_current_head()


def holds_content(engine: Engine) -> bool:
    """Whether the database has a user, a pilot or an audit entry (tables that do not exist count as empty)."""
    existing = set(inspect(engine).get_table_names())
    metadata = MetaData()
    tables = [name for name in CONTENT_TABLES if name in existing]
    if not tables:
        return False
    metadata.reflect(engine, only=tables)
    with engine.connect() as connection:
        return any(connection.scalar(select(func.count()).select_from(metadata.tables[name])) for name in tables)


def restore(database_url: str, source: str | os.PathLike, engine: Engine, *, force: bool = False) -> RestoreResult:
    """Replace the database's contents with the backup in `source`.

    `engine` is the app's engine on the same database: it checks emptiness and is disposed before
    the restore, so that no pooled connection holds on to the old contents.
    """
    url = make_url(database_url)
    source = Path(source)
    if not source.is_file():
        raise BackupError(f"{source} does not exist.")
    revision = backup_revision(database_url, source)
    known, head = _known_revisions()
    if revision not in known:
        raise BackupError(f"The backup is at migration revision {revision}, which this version of the app does not "
                          "know (it is newer, or from another application): restore it with the version that made it.")
    if not force and holds_content(engine):
        raise BackupError("The database is not empty (it has users, pilots or audit entries). Restore into an empty "
                          "database, or pass --force to replace everything in it.")
    engine.dispose()
    if _is_sqlite(url):
        path = _sqlite_path(url)
        path.parent.mkdir(parents=True, exist_ok=True)
        _sqlite_copy(source, path)
    else:
        libpq_url, env = _pg_connection(url)
        _drop_everything(engine)
        _run([_pg_program("pg_restore"), "--single-transaction", "--exit-on-error", "--no-owner", "--no-privileges",
              f"--dbname={libpq_url}", str(source)], env)
    engine.dispose()
    return RestoreResult(revision, revision == head)


def _drop_everything(engine: Engine) -> None:
    """PostgreSQL: drop the app's tables and functions in the target (restore --force, or an empty schema)."""
    from sqlalchemy import text

    metadata = MetaData()
    metadata.reflect(engine)
    with engine.begin() as connection:
        metadata.drop_all(connection)  # in dependency order; triggers go with their tables
        connection.execute(text("DROP FUNCTION IF EXISTS audit_entries_append_only() CASCADE"))
    engine.dispose()

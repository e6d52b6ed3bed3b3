"""Backups of the whole database, papers included (they are stored in it), and restoring them.

- SQLite: SQLite's online backup API copies a consistent snapshot while the app keeps running;
  the backup is itself a SQLite database.
- PostgreSQL: `pg_dump --format=custom` (a consistent snapshot too). A restore reads the whole
  archive first (`pg_restore`), then drops the old tables and loads the new ones in a single `psql`
  transaction. The client programs come from the PATH or `pg_config --bindir`.

A restore is all or nothing: the file is checked completely before the database is touched, every
stored PDF (papers, minutes, meeting documents) must match its SHA-256, and a failure at any point
leaves the previous contents in place.

A restore refuses a database that already holds users, pilots or audit entries unless forced, and
refuses a backup whose migration revision this version of the app does not know.
"""

from __future__ import annotations

import hashlib
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
            raise BackupError(f"{source} is damaged or has no migration revision ({error}).") from None
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
    """Replace the database's contents with the backup in `source`, all or nothing.

    The backup is checked completely before anything is changed, and the replacement is one
    transaction: a truncated, corrupt or wrong file, or a stored paper whose bytes no longer match
    its SHA-256, leaves the database exactly as it was.

    `engine` is the app's engine on the same database: it checks emptiness and is disposed before
    the restore, so that no pooled connection holds on to the old contents.
    """
    try:
        return _restore(database_url, Path(source), engine, force=force)
    except BackupError as error:
        raise BackupError(f"{error} The database was not changed.") from None


def _restore(database_url: str, source: Path, engine: Engine, *, force: bool) -> RestoreResult:
    url = make_url(database_url)
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
        _restore_sqlite(source, _sqlite_path(url))
    else:
        _restore_postgres(url, source, engine)
    engine.dispose()
    return RestoreResult(revision, revision == head)


def _stored_file_tables(names: set[str]) -> list[str]:
    """The tables of stored PDFs (papers, minutes, meeting documents): each row has `pdf` and its `sha256`."""
    return sorted(name for name in names if name in STORED_FILE_TABLES)


#: Tables whose rows keep a PDF in `pdf` and the SHA-256 of exactly those bytes in `sha256`.
STORED_FILE_TABLES = ("paper_versions", "minutes_versions", "meeting_documents")


def _restore_sqlite(source: Path, target: Path) -> None:
    """Copy the backup to a private temporary file, check it there, then copy it into place in one step.

    The last copy uses SQLite's backup API in a single step, which is one write transaction on the
    target: it either completes or leaves the target as it was, and it respects the target's WAL
    journal (replacing the file by a rename would not).
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    staged = _private_temp(target.with_name(target.name + ".restore"))
    try:
        try:
            _sqlite_copy(source, staged)
        except sqlite3.DatabaseError as error:
            raise BackupError(f"{source} cannot be read as a SQLite database ({error}).") from None
        _check_sqlite(source, staged)
        _sqlite_copy(staged, target)
    finally:
        staged.unlink(missing_ok=True)


def _check_sqlite(source: Path, staged: Path) -> None:
    """Refuse a staged copy that is damaged, inconsistent or holds a paper that does not match its hash."""
    connection = sqlite3.connect(staged)
    try:
        problems = [row[0] for row in connection.execute("PRAGMA integrity_check")]
        if problems != ["ok"]:
            raise BackupError(f"{source} is damaged ({'; '.join(problems[:3])}).")
        if connection.execute("PRAGMA foreign_key_check").fetchone() is not None:
            raise BackupError(f"{source} has rows that refer to missing rows.")
        names = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        for table in _stored_file_tables(names):
            for row_id, pdf, sha256 in connection.execute(f"SELECT id, pdf, sha256 FROM {table}"):  # noqa: S608
                if pdf is None or hashlib.sha256(pdf).hexdigest() != sha256:
                    raise BackupError(f"{source}: the stored file {table} #{row_id} does not match its SHA-256.")
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{source} is damaged ({error}).") from None
    finally:
        connection.close()


def _pg_tables_in_backup(source: Path) -> set[str]:
    """Check the archive's table of contents (`pg_restore --list`) and name the tables it holds."""
    result = subprocess.run([_pg_program("pg_restore"), "--list", str(source)], capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{source} is damaged ({result.stderr.strip()[-500:]}).")
    tables = set()
    for line in result.stdout.splitlines():
        parts = line.split()
        # e.g. "215; 1259 16390 TABLE public paper_versions app"
        if not line.startswith(";") and len(parts) >= 6 and parts[3] == "TABLE" and parts[4] == "public":
            tables.add(parts[5])
    if "alembic_version" not in tables or "users" not in tables:
        raise BackupError(f"{source} is not a backup of this application.")
    return tables


def _restore_postgres(url: URL, source: Path, engine: Engine) -> None:
    """Check the whole archive, then drop and restore in one transaction that also checks every stored file.

    1. `pg_restore --list` reads the table of contents; `pg_restore --file` then reads every byte of
       the archive (a truncated or corrupt file fails here, before the database is touched) and
       writes the restore as SQL to a private temporary file.
    2. One `psql --single-transaction` runs: drop the app's tables, the restore's SQL, and a check
       that every stored PDF's SHA-256 matches its bytes. Any error rolls all of it back.
    """
    tables = _pg_tables_in_backup(source)
    libpq_url, env = _pg_connection(url)
    with tempfile.TemporaryDirectory(prefix="portfolio-restore-") as folder:
        os.chmod(folder, 0o700)
        script = Path(folder) / "restore.sql"
        result = subprocess.run([_pg_program("pg_restore"), "--no-owner", "--no-privileges", f"--file={script}",
                                 str(source)], capture_output=True, text=True)
        if result.returncode != 0:
            raise BackupError(f"{source} is damaged or incomplete ({result.stderr.strip()[-500:]}).")
        drops = Path(folder) / "drop.sql"
        drops.write_text(_pg_drop_sql(engine))
        check = Path(folder) / "check.sql"
        check.write_text(_pg_check_sql(_stored_file_tables(tables)))
        result = subprocess.run([_pg_program("psql"), "--no-psqlrc", "--quiet", "--single-transaction",
                                 "--set=ON_ERROR_STOP=1", f"--dbname={libpq_url}", f"--file={drops}",
                                 f"--file={script}", f"--file={check}"],
                                capture_output=True, text=True, env=env)
        if result.returncode != 0:
            message = result.stderr.replace(f"psql:{folder}/", "").strip()[-1000:]
            raise BackupError(f"The restore failed and was rolled back: {message}")


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _pg_drop_sql(engine: Engine) -> str:
    """SQL dropping the app's tables and the audit trigger function in the target (run inside the restore)."""
    names = inspect(engine).get_table_names(schema="public")
    engine.dispose()
    tables = ", ".join("public." + _quote(name) for name in sorted(names))
    statements = [f"DROP TABLE IF EXISTS {tables} CASCADE;"] if names else []
    statements.append("DROP FUNCTION IF EXISTS public.audit_entries_append_only() CASCADE;")
    return "\n".join(statements) + "\n"


def _pg_check_sql(tables: list[str]) -> str:
    """SQL raising an error (so rolling the restore back) when a stored PDF does not match its SHA-256."""
    checks = "\n".join(
        f"""  SELECT count(*) INTO bad FROM public.{_quote(table)}
    WHERE pdf IS NULL OR pg_catalog.encode(pg_catalog.sha256(pdf), 'hex') <> sha256;
  IF bad > 0 THEN
    RAISE EXCEPTION 'restore refused: % stored file(s) in {table} do not match their SHA-256', bad;
  END IF;"""
        for table in tables)
    return f"DO $check$\nDECLARE bad bigint;\nBEGIN\n{checks}\n  NULL;\nEND\n$check$;\n"

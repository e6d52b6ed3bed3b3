"""Benchmark: the portfolio overview and the pilot list at 100, 1 000 and 10 000 pilots, on SQLite
and on PostgreSQL, each against the time of that page's own SQL queries run alone.

    .venv/bin/python bench/portfolio.py [--sizes 100,1000,10000] [--runs 5] [--no-postgres]

For each database the demo is loaded (papers stored without rendering: they play no part here)
and generated pilots are added (`demo_generated`, as `seed-demo --pilots N` does) up to each size.
A page is timed end to end through the app (a GET by a signed-in management group member: the
request, the queries, the calculations and the rendered HTML). Its own SQL is every statement that
request ran, captured with its parameters and replayed alone on the driver's own connection
(execute and fetch every row), with nothing of the app around it; for comparison the same statements
are also replayed through SQLAlchemy with the rows converted to Python values as the app gets them
(decimals, dates, enums). Both are medians of `--runs`
runs after one warm-up. PostgreSQL runs in a throwaway cluster started here as
scripts/with-postgres.sh starts one. The goal: the overview at 10 000 pilots in under 1.5 × its SQL.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import event, func, select  # noqa: E402

from portfolio import create_app, demo, demo_generated, migrate  # noqa: E402
from portfolio.db import get_session  # noqa: E402
from portfolio.models import Pilot  # noqa: E402
from portfolio.services import papers  # noqa: E402

PAGES = (("overview", "/portfolio"), ("pilot list", "/pilots"))
STAND_IN = demo_generated.STAND_IN_PDF


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def postgres_cluster(port: int | None = None) -> Iterator[str]:
    """A throwaway PostgreSQL cluster (as scripts/with-postgres.sh): its URL, deleted afterwards."""
    port = port or _free_port()
    bindir = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True, check=True).stdout.strip()
    folder = tempfile.mkdtemp(prefix="portfolio-bench-pg.")
    as_owner: list[str] = []
    if os.getuid() == 0:
        shutil.chown(folder, "postgres")
        as_owner = ["runuser", "-u", "postgres", "--"]
    data = f"{folder}/data"
    try:
        subprocess.run([*as_owner, f"{bindir}/initdb", "-D", data, "-U", "app", "-A", "trust", "-E", "UTF8",
                        "--locale=C.UTF-8", "--locale-provider=icu", "--icu-locale=sv-SE"],
                       check=True, capture_output=True)
        subprocess.run([*as_owner, f"{bindir}/pg_ctl", "-D", data, "-w", "-l", f"{folder}/server.log", "-o",
                        f"-c listen_addresses=127.0.0.1 -p {port} -k {folder} -c fsync=off "
                        "-c synchronous_commit=off -c full_page_writes=off", "start"],
                       check=True, capture_output=True)
        yield f"postgresql+psycopg://app@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run([*as_owner, f"{bindir}/pg_ctl", "-D", data, "-m", "immediate", "stop"], capture_output=True)
        shutil.rmtree(folder, ignore_errors=True)


def _median_seconds(function, runs: int) -> float:
    function()  # warm-up
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _page_and_sql(app, client, path: str, runs: int) -> tuple[float, float, float, int]:
    """(median page time, median time of its SQL alone on the driver, the same through SQLAlchemy with
    the rows converted as the app gets them, number of statements)."""
    engine = app.extensions["portfolio_db"].engine
    statements: list[tuple[str, object]] = []
    clauses: list[tuple[object, object]] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        statements.append((statement, parameters))

    def record_clause(conn, clauseelement, multiparams, params, execution_options):
        clauses.append((clauseelement, multiparams[0] if multiparams else params or None))

    def request():
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)

    page = _median_seconds(request, runs)
    event.listen(engine, "before_cursor_execute", record)
    event.listen(engine, "before_execute", record_clause)
    try:
        request()
    finally:
        event.remove(engine, "before_cursor_execute", record)
        event.remove(engine, "before_execute", record_clause)
    raw = engine.raw_connection()
    try:
        def replay():
            for statement, parameters in statements:
                cursor = raw.cursor()
                cursor.execute(statement, parameters)
                if cursor.description is not None:
                    cursor.fetchall()
                cursor.close()
            raw.rollback()

        sql = _median_seconds(replay, runs)
    finally:
        raw.close()

    def replay_rows():
        with engine.connect() as connection:
            for clause, parameters in clauses:
                result = connection.execute(clause, parameters) if parameters else connection.execute(clause)
                if result.returns_rows:
                    result.all()

    rows = _median_seconds(replay_rows, runs)
    return page, sql, rows, len(statements)


def bench(label: str, url: str, sizes: list[int], runs: int) -> list[tuple]:
    migrate.upgrade(url)
    app = create_app({"DATABASE_URL": url, "TESTING": True, "WTF_CSRF_ENABLED": False, "SECRET_KEY": "b" * 40})
    rows = []
    original = papers.render_pdf
    papers.render_pdf = lambda context: STAND_IN  # the demo's papers: stored, not rendered
    try:
        with app.app_context():
            session = get_session()
            demo.seed(session)
            session.commit()
    finally:
        papers.render_pdf = original
    client = app.test_client()
    response = client.post("/login", data={"email": "ledning@example.org", "password": demo.PASSWORD})
    assert response.status_code == 302
    for size in sizes:
        with app.app_context():
            session = get_session()
            have = session.scalar(select(func.count(Pilot.id)))
            if size > have:
                start = time.perf_counter()
                demo_generated.generate(session, size - have, seed=size)
                session.commit()
                print(f"  {label}: {size - have} pilots generated in {time.perf_counter() - start:.1f} s",
                      file=sys.stderr)
        for name, path in PAGES:
            page, sql, converted, count = _page_and_sql(app, client, path, runs)
            rows.append((label, size, name, page, sql, page / sql if sql else float("nan"), converted, count))
            print(f"  {label} {size} {name}: {page * 1000:.0f} ms, SQL {sql * 1000:.0f} ms", file=sys.stderr)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,1000,10000")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]

    rows = []
    with tempfile.TemporaryDirectory() as folder:
        rows += bench("SQLite", f"sqlite:///{folder}/bench.sqlite3", sizes, args.runs)
    if not args.no_postgres:
        with postgres_cluster() as url:
            rows += bench("PostgreSQL", url, sizes, args.runs)

    print("| database | pilots | page | page (ms) | its SQL alone (ms) | ratio | SQL + rows as the app gets them (ms) "
          "| queries |")
    print("|---|---:|---|---:|---:|---:|---:|---:|")
    for label, size, name, page, sql, ratio, converted, count in rows:
        print(f"| {label} | {size:,} | {name} | {page * 1000:.0f} | {sql * 1000:.0f} | {ratio:.2f} "
              f"| {converted * 1000:.0f} | {count} |")


if __name__ == "__main__":
    main()

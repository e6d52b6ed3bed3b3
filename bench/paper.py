"""Benchmark: the demo Laiban decision paper end to end against WeasyPrint alone.

    .venv/bin/python bench/paper.py [--runs 5] [--database-url URL]

End to end is what "Skapa beslutsunderlag" does: load the pilot's data, calculate the economics,
render the HTML, lay it out and write the PDF with WeasyPrint, store the version and commit.
WeasyPrint alone lays out and writes the same HTML (rendered once beforehand). Both run in this
one process, taking turns to go first, after one warm-up each (fonts, templates); the medians are
compared, and the fastest runs too (the machine may be shared). Loading, calculating and rendering
the HTML are also timed on their own: the part of end to end that is not WeasyPrint. Peak memory is measured in separate runs under tracemalloc (Python allocations), and the process's
maximum resident set size is reported at the end. The goal is a ratio of at most 1.15.
"""

from __future__ import annotations

import argparse
import gc
import resource
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import select  # noqa: E402

from portfolio import create_app, demo, migrate  # noqa: E402
from portfolio.db import get_session  # noqa: E402
from portfolio.models import Pilot, User  # noqa: E402
from portfolio.papers import render_html, write_pdf  # noqa: E402
from portfolio.services import papers  # noqa: E402


def _peak(function) -> int:
    tracemalloc.start()
    tracemalloc.reset_peak()
    function()
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--database-url", help="default: a fresh SQLite database in a temporary folder")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        url = args.database_url or f"sqlite:///{Path(folder) / 'bench.sqlite3'}"
        migrate.upgrade(url)
        app = create_app({"SECRET_KEY": "bench-" + "x" * 40, "DATABASE_URL": url})
        with app.app_context():
            session = get_session()
            if session.scalar(select(Pilot).where(Pilot.title.startswith("Laiban"))) is None:
                demo.seed(session)
                session.commit()
            pilot = session.scalar(select(Pilot).where(Pilot.title.startswith("Laiban")))
            leader = session.get(User, pilot.innovation_leader_id)
            code = pilot.code

            def end_to_end():
                s = get_session()
                laiban = s.scalar(select(Pilot).where(Pilot.code == code))
                version = papers.generate(s, laiban, leader)
                s.commit()
                s.expire_all()
                return version

            html = render_html(papers.build_context(session, pilot, number=papers.next_number(session, pilot),
                                                    language="sv"))

            def weasyprint_alone():
                return write_pdf(html)

            def data_and_html():  # the part of end to end that is not WeasyPrint nor storing
                s = get_session()
                laiban = s.scalar(select(Pilot).where(Pilot.code == code))
                context = papers.build_context(s, laiban, number=papers.next_number(s, laiban), language="sv")
                render_html(context)
                s.rollback()

            end_to_end(), weasyprint_alone()  # warm-up: fonts, templates, caches
            full, alone, own = [], [], []
            def timed(function, into):
                gc.collect()
                start = time.perf_counter()
                result = function()
                into.append(time.perf_counter() - start)
                return result

            for run in range(args.runs):
                # Alternate which goes first, so that neither always meets the other's leftovers.
                if run % 2:
                    pdf = timed(weasyprint_alone, alone)
                    timed(end_to_end, full)
                else:
                    timed(end_to_end, full)
                    pdf = timed(weasyprint_alone, alone)
                timed(data_and_html, own)
            peak_full = _peak(end_to_end)
            peak_alone = _peak(weasyprint_alone)
            latest = papers.latest(session, pilot)

    full_median, alone_median = statistics.median(full), statistics.median(alone)
    maxrss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"Laiban paper {code}, {args.runs} runs each (medians), PDF {len(pdf) / 1024:.0f} kB, "
          f"latest stored version {latest.number}")
    print(f"  end to end (load, calculate, render, store): {full_median:.3f} s "
          f"(min {min(full):.3f}, max {max(full):.3f}), peak Python memory {peak_full / 2**20:.1f} MiB")
    print(f"  WeasyPrint alone on the same HTML:           {alone_median:.3f} s "
          f"(min {min(alone):.3f}, max {max(alone):.3f}), peak Python memory {peak_alone / 2**20:.1f} MiB")
    print(f"  of which load, calculate and render HTML:     {statistics.median(own):.3f} s "
          f"(min {min(own):.3f}, max {max(own):.3f})")
    print(f"  ratio end to end / WeasyPrint alone: {full_median / alone_median:.3f} by medians, "
          f"{min(full) / min(alone):.3f} by fastest runs (goal ≤ 1.15)")
    own_median = statistics.median(own)
    print(f"  ratio from the parts, (WeasyPrint + load, calculate and HTML) / WeasyPrint: "
          f"{(alone_median + own_median) / alone_median:.3f} (less noisy on a shared machine; storing adds ~10 ms)")
    print(f"  process peak resident memory: {maxrss_mb:.0f} MiB")


if __name__ == "__main__":
    main()

"""After a load run: is every write the app answered as saved in the database?

Usage: python check_writes.py WRITES_FILE (the database from PORTFOLIO_DATABASE_URL).
Exits 1 when one is missing.
"""

from __future__ import annotations

import json
import sys
from collections import Counter

from sqlalchemy import create_engine, select

from portfolio.config import database_url_from_environment
from portfolio.models import CostItem, Measurement


def main() -> int:
    recorded = json.load(open(sys.argv[1], encoding="utf-8"))
    writes, sign_ins = recorded["writes"], sorted(recorded["sign_in_seconds"])
    if sign_ins:
        p95 = sign_ins[min(len(sign_ins) - 1, int(len(sign_ins) * 0.95))]
        print(f"sign-ins (during the ramp-up, not in the table): {len(sign_ins)}, median "
              f"{sign_ins[len(sign_ins) // 2] * 1000:.0f} ms, 95% {p95 * 1000:.0f} ms")
    engine = create_engine(database_url_from_environment())
    with engine.connect() as connection:
        comments = Counter(connection.scalars(select(Measurement.comment).where(Measurement.comment.like("load-%"))))
        notes = Counter(connection.scalars(select(CostItem.note).where(CostItem.note.like("load-%"))))
    engine.dispose()
    missing = [w for w in writes if (comments if w["kind"] == "measurement" else notes)[w["marker"]] != 1]
    kinds = Counter(w["kind"] for w in writes)
    print(f"writes answered as saved: {len(writes)} ({dict(kinds)}); found in the database: "
          f"{len(writes) - len(missing)}; missing or doubled: {len(missing)}")
    for write in missing[:20]:
        print(f"  MISSING {write}")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())

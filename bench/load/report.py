"""Print a Locust run's CSV statistics as a table: per page, requests, failures, throughput, median
and 95th percentile. Usage: python report.py PREFIX_stats.csv USERS"""

from __future__ import annotations

import csv
import sys


def main() -> None:
    path, users = sys.argv[1], sys.argv[2]
    rows = list(csv.DictReader(open(path, encoding="utf-8")))
    print(f"\n### {users} users\n")
    print("| page | requests | failures | req/s | median ms | 95% ms | max ms |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for row in rows:
        name = row["Name"] if row["Type"] else "**all**"
        if row["Name"] == "Aggregated":
            name = "**all**"
        print(f"| {row['Type']} {name} | {row['Request Count']} | {row['Failure Count']} | "
              f"{float(row['Requests/s']):.1f} | {float(row['Median Response Time']):.0f} | {float(row['95%']):.0f} | "
              f"{float(row['Max Response Time']):.0f} |")


if __name__ == "__main__":
    main()

"""``sorot stats``: the project's numbers, as a table or JSON."""

from __future__ import annotations

import argparse
import json

from cli.common import command, open_store


def register(sub: argparse._SubParsersAction) -> None:
    p = command(sub, "stats", run, help="project numbers")
    p.add_argument("--json", action="store_true")


def run(args: argparse.Namespace) -> int:
    from storage.review import stats_tables

    with open_store(args, write=False) as store:
        tables = stats_tables(store)
    # The core numbers, derived from the same single pass the tables made.
    by_status = tables["articles_by_status"]
    by_label = {
        row["label"]: {k: row[k] for k in ("accepted", "suggested", "rejected") if row[k]}
        for row in tables["spans_per_label"]
    }
    stats = {
        "articles": sum(by_status.values()),
        "articles_by_status": {k: v for k, v in by_status.items() if v},
        "spans": sum(row["total"] for row in tables["spans_per_label"]),
        "spans_by_label": by_label,
        **{k: v for k, v in tables.items() if k not in ("articles_by_status", "spans_per_label")},
    }
    if args.json:
        print(json.dumps(stats, indent=2, ensure_ascii=False, default=str))
        return 0
    print(f"articles: {stats['articles']}")
    for status, n in sorted(stats["articles_by_status"].items()):
        print(f"  {status:<12} {n}")
    print(f"spans: {stats['spans']}")
    for label, by_status in sorted(stats["spans_by_label"].items()):
        parts = ", ".join(f"{k} {v}" for k, v in sorted(by_status.items()))
        print(f"  {label:<12} {parts}")
    for key, rows in stats.items():
        if key in ("articles", "articles_by_status", "spans", "spans_by_label") or not isinstance(rows, list):
            continue
        print(f"{key.replace('_', ' ')}:")
        if not rows:
            print("  (none yet)")
            continue
        header = list(rows[0]) if isinstance(rows[0], dict) else []
        table = [[_cell(v) for v in (row.values() if isinstance(row, dict) else row)] for row in rows]
        widths = (
            [max(len(str(c)) for c in col) for col in zip(header, *table, strict=False)] if header else []
        )
        if header:
            print("  " + "  ".join(f"{h:<{w}}" for h, w in zip(header, widths, strict=True)))
        for cells in table:
            print(
                "  " + "  ".join(f"{c:<{w}}" for c, w in zip(cells, widths or [0] * len(cells), strict=True))
            )
    return 0


def _cell(value: object) -> str:
    if isinstance(value, float):
        return f"{value:.0%}" if 0 <= value <= 1 else f"{value:.2f}"
    return "-" if value is None else str(value)

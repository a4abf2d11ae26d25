"""``sorot next``: what to annotate next, in the project's queue order (``annotator.queue``)
or another one; ``--set`` makes it the project's (the desk's list and Ctrl+Enter follow it)."""

from __future__ import annotations

import argparse
import json

from annotator.queue import QUEUE_ORDERS
from cli.common import command, open_store

#: What "not done" is for the next article (``Store.neighbour_article``): the rest.
FINISHED = ("done", "reviewed", "skipped")


def register(sub: argparse._SubParsersAction) -> None:
    orders = "; ".join(
        f"{o.name}: {o.label.lower()} ({o.help.rstrip('.').lower()})" for o in QUEUE_ORDERS.values()
    )
    p = command(sub, "next", run, help="the articles to annotate next, in a queue order", description=__doc__)
    p.add_argument(
        "--order", choices=list(QUEUE_ORDERS), help=f"the order (default: the project's). {orders}"
    )
    p.add_argument("--set", action="store_true", help="make --order the project's queue order")
    p.add_argument("-n", type=int, default=20, help="how many articles to list (default 20)")
    p.add_argument("--json", action="store_true")


def run(args: argparse.Namespace) -> int:
    from annotator.model import ARTICLE_STATUSES
    from annotator.queue import QUEUE_ORDER_SETTING, chosen_order

    with open_store(args, write=args.set) as store:
        if args.set:
            if not args.order:
                raise SystemExit("--set needs --order")
            store.set_setting(QUEUE_ORDER_SETTING, args.order)
        order = args.order or chosen_order(store)
        todo = tuple(s for s in ARTICLE_STATUSES if s not in FINISHED)
        rows = store.article_rows(
            0,
            max(0, args.n),
            statuses=todo,
            order="id" if order == "import" else order,
            annotator=store.annotator,
        )
        keys = store.queue_keys([r["id"] for r in rows])
    out = [
        {"id": r["id"], "title": r["title"], "status": r["status"], "mine": r["mine"],
         "usefulness": keys.get(r["id"], (0.0, 0.0))[0], "effort_seconds": round(keys.get(r["id"], (0.0, 0.0))[1])}
        for r in rows
    ]  # fmt: skip
    if args.json:
        print(json.dumps({"order": order, "articles": out}, indent=2, ensure_ascii=False))
        return 0
    print(f"next in {QUEUE_ORDERS[order].label.lower()} ({len(out)} not done shown):")
    print(f"  {'id':>7}  {'useful':>6}  {'effort':>7}  title")
    for row in out:
        mark = "*" if row["mine"] else " "
        print(
            f"{mark} {row['id']:>7}  {row['usefulness']:>6.2f}  {row['effort_seconds']:>6}s  {row['title']}"
        )
    return 0

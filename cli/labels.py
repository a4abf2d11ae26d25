"""``sorot labels``: list, add, edit or delete the project's labels."""

from __future__ import annotations

import argparse

from annotator.model import LABEL_KINDS
from cli.common import command, open_store, split


def register(sub: argparse._SubParsersAction) -> None:
    p = command(sub, "labels", run, help="list, add, edit or delete labels")
    p.add_argument("action", nargs="?", choices=("list", "add", "edit", "delete"), default="list")
    p.add_argument("name", nargs="?")
    p.add_argument("--kind", choices=LABEL_KINDS)
    p.add_argument("--colour", "--color", dest="colour")
    p.add_argument("--shortcut")
    p.add_argument("--description")
    p.add_argument("--maps-from", nargs="*", help="spaCy labels that map to this label")
    p.add_argument("--rename-from", help="with edit: the label's old name")


def run(args: argparse.Namespace) -> int:
    from annotator.model import Label

    with open_store(args, write=args.action != "list") as store:
        if args.action in ("add", "edit"):
            if not args.name:
                raise SystemExit("labels add/edit needs a NAME")
            old = store.label(args.rename_from or args.name)
            if args.action == "edit" and old is None:
                raise SystemExit(f"no label named {args.rename_from or args.name}")
            if args.action == "add" and old is not None:
                raise SystemExit(f"a label named {args.name} already exists; use labels edit")
            base = old or Label(args.name)
            label = Label(
                args.name,
                kind=args.kind or base.kind,
                colour=args.colour or base.colour,
                shortcut=args.shortcut if args.shortcut is not None else base.shortcut,
                description=args.description if args.description is not None else base.description,
                maps_from=list(split(args.maps_from)) if args.maps_from is not None else base.maps_from,
            )
            store.save_label(label, rename_from=args.rename_from)
        elif args.action == "delete":
            store.delete_label(args.name)
        for lab in store.labels():
            maps = ",".join(lab.maps_from)
            print(f"{lab.shortcut or '-':>2}  {lab.name:<12} {lab.kind:<7} {lab.colour}  {maps}")
    return 0

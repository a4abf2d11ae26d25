"""Sorot: ``python main.py`` opens the desk; ``python main.py COMMAND`` runs the same code headless.

One module per command group, each with ``register(subparsers)`` adding its commands
(``cli.common.command(subparsers, name, func, help=...)``; a handler gets the parsed arguments
and returns an exit code).
A new command is a new module listed in ``GROUPS``. The modules are imported plainly: one
that cannot be imported stops every command with its error, never hides its own.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path

from cli import export, imports, labels, next_articles, review, stats, suggest, team, train, versions
from cli.common import clear

#: The command groups, in the order ``--help`` lists them.
GROUPS = (imports, export, suggest, next_articles, stats, labels, train, versions, review, team)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="sorot", description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, help="project file (default: $SOROT_DB or the user data dir)")
    parser.add_argument("--read-only", action="store_true", help="open the project read-only")
    parser.add_argument(
        "--wait",
        type=float,
        default=10.0,
        help="seconds to wait when another Sorot holds the project (default 10)",
    )
    parser.add_argument("--annotator", help="annotator name for this session (default: OS user)")
    parser.add_argument("-v", "--verbose", action="store_true")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for group in GROUPS:
        group.register(sub)
    return parser


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    """The parsed command line, with logging set up as ``--verbose`` asks."""
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING, format="%(levelname)s: %(message)s"
    )
    return args


def run(args: argparse.Namespace) -> int:
    """Run the parsed command; a Sorot error is one line on stderr and exit 1."""
    from annotator.errors import SorotError

    try:
        return args.func(args) or 0
    except SorotError as exc:
        clear()
        print(f"sorot: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("sorot: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # the reader went away, as in `main.py stats | head -3`
        # Python's own advice: point stdout at devnull so the flush at exit stays quiet.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1

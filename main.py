"""Sorot: ``python main.py`` opens the desk; ``python main.py COMMAND`` runs the same code headless.

This file only dispatches: the commands live in ``cli/`` (one module per command group),
the desk in ``ui/``.
"""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    import cli

    args = cli.parse(argv)
    if args.command is None:
        from ui.app import run

        return run(args.db, read_only=args.read_only)
    return cli.run(args)


if __name__ == "__main__":
    sys.exit(main())

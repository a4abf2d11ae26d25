"""A team project: the local SQLite project synced through a PostgreSQL server (psycopg 3).

* ``local``: the local side — the link to the server, the capture triggers that write every
  change to the ``outbox`` in the same transaction as the edit, the notices, full dumps.
* ``server_schema``: the server's tables, roles and row-level security, as numbered migrations.
* ``sync``: ``init`` (upload a project to an empty server), ``join`` (a local copy),
  ``push`` (exactly-once by the client's change numbers) and ``pull`` (by the server's
  change sequence), ``add_member``.

No Qt here: the desk's worker (``ui.team``) and the command line (``cli.team``) call it.
The rules (who owns what, who wins) are in README "Team projects" and ARCHITECTURE.md.
"""

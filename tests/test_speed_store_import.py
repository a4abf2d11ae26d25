"""storage.importing.insert_shared (a value all the rows share bound once a statement)
stores what storage.db.insert_rows (every value bound) stores."""

from __future__ import annotations

import sqlite3

from hypothesis import given, settings
from hypothesis import strategies as st

from storage.db import insert_rows
from storage.importing import insert_shared

VALUES = st.one_of(
    st.none(),
    st.sampled_from(["", "human", "accepted", "1", "1.0"]),
    st.text(max_size=5),
    st.integers(-3, 3),
    st.sampled_from([1.0, -0.0, 0.0, True, False]),
    st.floats(allow_nan=False),
    st.binary(max_size=3),
)


@st.composite
def tables(draw) -> list[tuple]:
    width = draw(st.integers(1, 5))
    # columns that hold one value throughout, and columns that vary
    fixed = {j: draw(VALUES) for j in range(width) if draw(st.booleans())}
    n = draw(st.integers(1, 40))
    return [tuple(fixed[j] if j in fixed else draw(VALUES) for j in range(width)) for _ in range(n)]


def _stored(rows: list[tuple], insert) -> list[tuple]:
    width = len(rows[0])
    conn = sqlite3.connect(":memory:")
    cols = ", ".join(f"c{j}" for j in range(width))
    # a typed column and untyped ones: affinities apply the same way either way
    kinds = ("TEXT", "", "REAL", "INTEGER", "")
    conn.execute(
        f"CREATE TABLE t (n INTEGER PRIMARY KEY, {', '.join(f'c{j} {kinds[j]}' for j in range(width))})"
    )
    insert(conn.cursor(), f"t ({cols})", rows)
    typed = ", ".join(f"c{j}, typeof(c{j})" for j in range(width))
    return conn.execute(f"SELECT n, {typed} FROM t ORDER BY n").fetchall()


@settings(max_examples=300, deadline=None)
@given(tables())
def test_shared_values_store_what_every_value_bound_stores(rows):
    assert _stored(rows, insert_shared) == _stored(rows, insert_rows)


def test_many_rows_go_in_several_statements():
    rows = [(i, "same", None, f"v{i}") for i in range(2500)]
    assert _stored(rows, insert_shared) == _stored(rows, insert_rows)

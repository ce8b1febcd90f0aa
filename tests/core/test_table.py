"""generator.core.table: a table fits the width it is given, cutting free text first."""

from __future__ import annotations

from generator.core.table import Column, cut, layout

COLUMNS = (Column("NAME"), Column("NOTE", minimum=4), Column("EXTRA", minimum=5, drop=1))
ROWS = [("a", "a long note here", "x" * 30), ("bb", "short", "y")]


def test_no_width_lays_out_everything_in_full() -> None:
    assert layout(COLUMNS, ROWS, None) == [
        "NAME  NOTE              EXTRA",
        "a     a long note here  " + "x" * 30,
        "bb    short             y",
    ]


def test_the_widest_cuttable_column_is_cut_first_with_an_ellipsis() -> None:
    lines = layout(COLUMNS, ROWS, 40)
    assert lines == [
        "NAME  NOTE              EXTRA",
        "a     a long note here  xxxxxxxxxxxxxxx…",
        "bb    short             y",
    ]
    assert max(len(line) for line in lines) == 40


def test_a_droppable_column_goes_when_cutting_is_not_enough() -> None:
    assert layout(COLUMNS, ROWS, 14) == ["NAME  NOTE", "a     a long…", "bb    short"]


def test_a_table_that_cannot_fit_is_as_narrow_as_it_can_be() -> None:
    lines = layout((Column("NAME"), Column("NOTE", minimum=4)), [("a-very-long-name", "note")], 5)
    assert lines == ["NAME              NOTE", "a-very-long-name  note"]


def test_cut() -> None:
    assert cut("abcdef", 6) == "abcdef"
    assert cut("abcdef", 4) == "abc…"

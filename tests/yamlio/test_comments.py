"""YAML comments as data (generator/yamlio/comments.py): found with the node each belongs to,
and put into another text at that node without changing a value."""

from __future__ import annotations

import textwrap

import pytest

from generator.core.errors import GenError
from generator.yamlio.comments import Comment, Placement, anchor_of, find_comments, place_comments
from generator.yamlio.source import parse_yaml

SOURCE = textwrap.dedent(
    """\
    # above the document
    a: 1 # beside a
    b:
      # above c
      c: "x # not a comment"
      d: |
        # text of a block scalar
        y
      e: [1, 2] # beside e
    # above f, after a blank line

    f:
      - g: ü # beside g, after a non-ASCII value
    url: http://example.org/#anchor
    """
)


def test_find_comments_skips_hashes_in_values() -> None:
    assert [(c.line, c.text, c.beside) for c in find_comments(SOURCE)] == [
        (1, "# above the document", False),
        (2, "# beside a", True),
        (4, "# above c", False),
        (9, "# beside e", True),
        (10, "# above f, after a blank line", False),
        (13, "# beside g, after a non-ASCII value", True),
    ]


def test_each_comment_belongs_to_the_node_below_or_beside_it() -> None:
    positions = parse_yaml(SOURCE, "s.yaml").positions
    anchors = [anchor_of(c, positions) for c in find_comments(SOURCE)]
    assert anchors == [
        (),
        ("a",),
        ("b", "c"),
        ("b", "e"),
        ("f",),
        ("f", 0),  # the item is written wholly on that line
    ]
    assert anchor_of(Comment(99, "# at the end", False), positions) is None


TARGET = textwrap.dedent(
    """\
    apps:
      - name: a
        wave: 1
        text: |
          two
          lines
        list:
          - x
    """
)


def test_place_comments_above_beside_and_below() -> None:
    placements = [
        Placement(("apps", 0), ("# above the app", "# second line")),
        Placement(("apps", 0, "wave"), ("# beside the wave",), beside=True),
        Placement(("apps", 0, "text"), ("# beside a block: goes above",), beside=True),
        Placement(("apps", 0, "list", 0), ("# above x",)),
        Placement(("apps", 0), ("# below the app",), below=True),
    ]
    assert place_comments(TARGET, placements, "t.yaml") == textwrap.dedent(
        """\
        apps:
          # above the app
          # second line
          - name: a
            wave: 1 # beside the wave
            # beside a block: goes above
            text: |
              two
              lines
            list:
              # above x
              - x
          # below the app
        """
    )


def test_a_second_comment_beside_one_line_goes_above_it() -> None:
    placements = [
        Placement(("apps", 0, "wave"), ("# one",), beside=True),
        Placement(("apps", 0, "wave"), ("# two",), beside=True),
    ]
    text = place_comments(TARGET, placements, "t.yaml")
    assert "    # two\n    wave: 1 # one\n" in text


def test_a_path_that_is_not_there_is_an_internal_error() -> None:
    with pytest.raises(GenError, match="no node at"):
        place_comments(TARGET, [Placement(("apps", 3), ("# x",))], "t.yaml")

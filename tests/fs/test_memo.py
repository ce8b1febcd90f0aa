"""The memo of rendered files and units (generator/fs/memo.py): what one run saves the next one
reads under the same salt, and nothing under another; a damaged file is ignored."""

from __future__ import annotations

from pathlib import Path

from generator.fs.memo import document_key, open_memo, text_key


def _saved(path: Path) -> None:
    memo = open_memo(path, ["code", "v1"])
    assert memo.files == {} and memo.units == {}
    files = {b"k" * 16: b"d" * 16}
    extract = {"spec": {"project": "p"}}
    units = {b"u" * 16: ((("dev/groups/a/b.yaml", b"e" * 16, extract),), (("p", b"k" * 16),))}
    memo.save(files, units)


def test_what_is_saved_is_read_back_under_the_same_salt(tmp_path: Path) -> None:
    path = tmp_path / "root.memo"
    _saved(path)
    memo = open_memo(path, ["code", "v1"])
    assert memo.files == {b"k" * 16: b"d" * 16}
    assert memo.units[b"u" * 16][0][0][2] == {"spec": {"project": "p"}}
    assert memo.units[b"u" * 16][1] == (("p", b"k" * 16),)
    assert open_memo(path, ["code", "v2"]).files == {}


def test_a_damaged_memo_is_empty(tmp_path: Path) -> None:
    path = tmp_path / "root.memo"
    _saved(path)
    data = path.read_bytes()
    for damaged in (data[:-3], data[:10], data[:40] + b"x" + data[41:], b"\0" * len(data)):
        path.write_bytes(damaged)
        memo = open_memo(path, ["code", "v1"])
        assert memo.files == {} and memo.units == {}


def test_earlier_entries_are_kept_beside_this_runs(tmp_path: Path) -> None:
    path = tmp_path / "root.memo"
    _saved(path)
    memo = open_memo(path, ["code", "v1"])
    memo.save({b"n" * 16: b"m" * 16}, {})
    again = open_memo(path, ["code", "v1"])
    assert set(again.files) == {b"n" * 16, b"k" * 16}
    assert set(again.units) == {b"u" * 16}


def test_keys_tell_apart_what_the_output_tells_apart() -> None:
    salt = b"s" * 16
    doc = {"a": 1, "b": True}
    keys = {
        document_key(salt, "x.yaml", "# h", doc),
        document_key(salt, "x.yaml", "# h", {"b": True, "a": 1}),  # another order
        document_key(salt, "x.yaml", "# h", {"a": True, "b": True}),  # True is not 1
        document_key(salt, "x.yaml", "# h", {"a": 1.0, "b": True}),  # 1.0 is not 1
        document_key(salt, "x.yaml", "# other", doc),
        document_key(salt, "y.yaml", "# h", doc),
        document_key(b"t" * 16, "x.yaml", "# h", doc),
        text_key(salt, "x.yaml", "# h"),
    }
    assert len(keys) == 8
    assert document_key(salt, "x.yaml", "# h", dict(doc)) == document_key(
        salt, "x.yaml", "# h", doc
    )

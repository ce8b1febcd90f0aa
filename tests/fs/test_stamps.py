"""The stamps of rendered files (generator/fs/stamps.py): a file whose stamp is unchanged since a
run read it is not read again; any change to it is seen; a file changed within the margin is
never trusted; a damaged record file is ignored."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from generator.fs import stamps as stamps_module
from generator.fs.memo import bytes_digest
from generator.fs.stamps import MARGIN_NS, open_stamps


def _later(path: Path) -> stamps_module.Stamps:
    """The stamps kept at ``path``, as a run that starts well after the files were written."""
    found = open_stamps(path)
    found.started += 10 * MARGIN_NS
    return found


def _no_reading(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_: object, **__: object) -> None:
        raise AssertionError("the file was read")

    monkeypatch.setattr(stamps_module, "open", refuse, raising=False)


def test_an_unchanged_file_is_answered_from_its_record(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "a.yaml").write_text("one\n")
    kept = tmp_path / "kept.stamps"
    first = _later(kept)
    assert first.digest(str(tmp_path), "a.yaml", bytes_digest) == bytes_digest(b"one\n")
    first.save()
    _no_reading(monkeypatch)
    assert _later(kept).digest(str(tmp_path), "a.yaml", bytes_digest) == bytes_digest(b"one\n")


@pytest.mark.parametrize("change", ["same size", "mtime set back", "replaced by rename"])
def test_any_change_is_seen(tmp_path: Path, change: str) -> None:
    path = tmp_path / "a.yaml"
    path.write_text("one\n")
    kept = tmp_path / "kept.stamps"
    first = _later(kept)
    first.digest(str(tmp_path), "a.yaml", bytes_digest)
    first.save()
    before = path.stat()
    if change == "replaced by rename":
        (tmp_path / "new").write_text("two\n")
        (tmp_path / "new").replace(path)
    else:
        path.write_text("two\n")
    if change == "mtime set back":
        os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert _later(kept).digest(str(tmp_path), "a.yaml", bytes_digest) == bytes_digest(b"two\n")


def test_a_file_changed_within_the_margin_is_not_recorded(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("one\n")
    kept = tmp_path / "kept.stamps"
    now = open_stamps(kept)  # the file was written just now: racy
    now.digest(str(tmp_path), "a.yaml", bytes_digest)
    now.save()
    assert open_stamps(kept).records == {}


def test_a_damaged_record_file_is_ignored(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("one\n")
    kept = tmp_path / "kept.stamps"
    first = _later(kept)
    first.digest(str(tmp_path), "a.yaml", bytes_digest)
    first.save()
    assert open_stamps(kept).records
    data = kept.read_bytes()
    for damaged in (data[:-1], data[:20], data.replace(b"a.yaml", b"b.yaml"), b""):
        kept.write_bytes(damaged)
        assert open_stamps(kept).records == {}


def test_without_a_place_to_keep_them_every_file_is_read(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("one\n")
    none = open_stamps(None)
    none.started += 10 * MARGIN_NS
    assert none.digest(str(tmp_path), "a.yaml", bytes_digest) == bytes_digest(b"one\n")
    none.save()  # nothing to write, no error
    assert list(tmp_path.iterdir()) == [tmp_path / "a.yaml"]

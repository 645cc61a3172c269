"""Reading wire files: what is refused, and with which reason. No database."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from wire.files import MAX_BYTES, WireFileError, decode_wire_bytes, read_wire_file
from wire.pipeline import dry_run_record, parse_wire_file

REPO = Path(__file__).resolve().parents[2]


def test_reads_utf8_and_drops_a_bom(tmp_path):
    path = tmp_path / "story.txt"
    path.write_bytes(b"\xef\xbb\xbfHeadline\nWASHINGTON \xe2\x80\x94 Text here.\n")
    assert read_wire_file(path).startswith("Headline")
    assert parse_wire_file(path)["headline"] == "Headline"


def test_binary_file_is_refused(tmp_path):
    path = tmp_path / "photo.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    with pytest.raises(WireFileError) as err:
        read_wire_file(path)
    assert "binary" in err.value.reason


def test_latin1_file_is_refused_with_offset(tmp_path):
    path = tmp_path / "latin.txt"
    path.write_bytes("Lima, Perú - Texto.".encode("latin-1"))
    with pytest.raises(WireFileError) as err:
        read_wire_file(path)
    assert "not UTF-8" in err.value.reason
    assert "offset 9" in err.value.reason


@pytest.mark.parametrize("content", [b"", b"   \n\t\r\n  "])
def test_empty_or_blank_file_is_refused(tmp_path, content):
    path = tmp_path / "empty.txt"
    path.write_bytes(content)
    with pytest.raises(WireFileError) as err:
        read_wire_file(path)
    assert "empty" in err.value.reason


def test_oversized_file_is_refused_from_its_size(tmp_path):
    path = tmp_path / "huge.txt"
    with path.open("wb") as fh:
        fh.truncate(MAX_BYTES + 1)  # sparse: the size alone must refuse it
    with pytest.raises(WireFileError) as err:
        read_wire_file(path)
    assert "limit" in err.value.reason


def test_file_at_the_limit_is_read(tmp_path):
    path = tmp_path / "big.txt"
    line = b"Officials said the talks would continue.\n"
    path.write_bytes(line * (MAX_BYTES // len(line)))
    assert len(read_wire_file(path)) <= MAX_BYTES


def test_directory_and_missing_file_are_refused(tmp_path):
    with pytest.raises(WireFileError) as err:
        read_wire_file(tmp_path)
    assert "directory" in err.value.reason
    with pytest.raises(WireFileError) as err:
        read_wire_file(tmp_path / "nope.txt")
    assert "no such file" in err.value.reason


def test_decode_wire_bytes_has_the_same_refusals():
    with pytest.raises(WireFileError):
        decode_wire_bytes(b"\xff\xfe\x00a", path="upload.txt")
    assert decode_wire_bytes("Héadline\nText.".encode()) == "Héadline\nText."


def test_html_and_script_stay_text(tmp_path):
    path = tmp_path / "html.txt"
    path.write_text(
        "Headline <b>bold</b>\n\nWASHINGTON — <script>alert('x')</script> Officials met.\n\n"
        "“We will <em>not</em> comment on that today,” said Jane Doe, a spokeswoman.\n",
        encoding="utf-8",
    )
    story = parse_wire_file(path)
    assert "<script>alert('x')</script>" in story["paragraphs"][0]
    assert story["headline"] == "Headline <b>bold</b>"
    assert story["quotes"][0]["text"].startswith("We will <em>not</em>")


def test_dry_run_record_reports_errors_by_path(tmp_path):
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    assert dry_run_record(path) == {
        "file": str(path),
        "error": "empty file (nothing but whitespace)",
    }


def test_cli_prints_json_lines_in_order_and_fails_when_a_file_fails(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text("Headline\nKYIV — Text.\n", encoding="utf-8")
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00\x01")
    run = subprocess.run(
        [sys.executable, "-m", "wire", str(good), str(bad), str(good)],
        capture_output=True,
        text=True,
        cwd=REPO,
        check=False,
    )
    lines = [json.loads(line) for line in run.stdout.splitlines()]
    assert run.returncode == 1
    assert [line["file"] for line in lines] == [str(good), str(bad), str(good)]
    assert "error" in lines[1] and "binary" in lines[1]["error"]
    assert lines[0]["dateline"]["place"] == "Kyiv"
    assert str(bad) in run.stderr

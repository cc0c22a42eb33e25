"""The planatlas command: JSON Lines contract and one-line errors."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from geo.cli import main

PLANATLAS = [sys.executable, "-m", "geo.cli"]


def run(*args):
    return subprocess.run([*PLANATLAS, *args], capture_output=True, text=True, encoding="utf-8")


def test_mentions_prints_json_lines_that_index_the_decoded_text(tmp_path):
    text = "\ufeff加快建设襄阳至南漳高速公路,推进“襄十随神”城市群建设。\n"
    path = tmp_path / "plan.txt"
    path.write_text(text, encoding="utf-8")
    proc = run("mentions", str(path))
    assert proc.returncode == 0, proc.stderr
    rows = [json.loads(line) for line in proc.stdout.splitlines()]
    decoded = text.lstrip("\ufeff")
    assert {"doc", "start", "end", "text", "places"} <= set(rows[0])
    for row in rows:
        assert decoded[row["start"] : row["end"]] == row["text"]
        assert row["doc"] == "plan.txt"
        for place in row["places"]:
            assert {"adcode", "name", "level", "lon", "lat"} == set(place)
    names = [p["name"] for r in rows for p in r["places"]]
    assert names == ["襄阳市", "南漳县", "襄阳市", "十堰市", "随州市", "神农架林区"]


def test_mentions_reads_gbk(tmp_path):
    path = tmp_path / "gbk.txt"
    path.write_bytes("武汉与鄂州共建花湖机场。".encode("gbk"))
    proc = run("mentions", str(path))
    assert proc.returncode == 0
    assert [json.loads(r)["text"] for r in proc.stdout.splitlines()] == ["武汉", "鄂州"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "does not exist"),
        (b"", "is empty"),
        (b"%PDF-1.7\n\x00\x01binary", "PDF"),
        (b"\x00\x01\x02\x03" * 10, "binary"),
    ],
    ids=["missing", "empty", "pdf", "binary"],
)
def test_bad_input_is_one_line_on_stderr(tmp_path, content, message):
    path = tmp_path / "bad.txt"
    if content is not None:
        path.write_bytes(content)
    proc = run("mentions", str(path))
    assert proc.returncode == 2
    assert proc.stdout == ""
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in proc.stderr
    assert lines[0].startswith("planatlas: error:") and message in lines[0]
    assert "bad.txt" in lines[0]


def test_main_returns_exit_code(tmp_path, capsys):
    assert main(["mentions", str(tmp_path / "nope.txt")]) == 2
    assert "nope.txt" in capsys.readouterr().err

"""Uploads read one by one, and the JSON sources/evidence of projects and ties."""

from __future__ import annotations

import json
import math

import pandas as pd
import pytest

from geo.uploads import read_uploads
from layers.evidence import evidence_quotes, parse_sources
from layers.popups import project_popup, tie_popup
from layers.ties import ties_frame
from tests.app_fixtures import fixture_atlas

# --------------------------------------------------------------------------- uploads


def test_read_uploads_keeps_order_and_reports_each_failure():
    read = read_uploads(
        [
            ("a.txt", "襄阳市推进汉十高铁建设。".encode()),
            ("empty.txt", b""),
            ("b.txt", "武汉都市圈同城化。".encode("gb18030")),
            ("binary.txt", b"\x00\x01\x02\x03" * 64),
        ]
    )
    assert read.names == ("a.txt", "b.txt")
    texts = [doc.text for doc in read.documents]
    assert texts == ["襄阳市推进汉十高铁建设。", "武汉都市圈同城化。"]
    assert [name for name, _ in read.errors] == ["empty.txt", "binary.txt"]
    assert all(reason for _, reason in read.errors)
    assert "empty.txt" in read.errors[0][1]


def test_read_uploads_of_nothing():
    read = read_uploads(())
    assert read.documents == () and read.errors == ()


# --------------------------------------------------------------------------- evidence


def test_evidence_quotes_of_a_fixture_tie():
    ties = ties_frame(fixture_atlas().graph)
    row = ties[(ties["u_name"] == "襄阳市") & (ties["v_name"] == "武汉市")].iloc[0]
    assert evidence_quotes(row["evidence"]) == [
        ("xiangyang.txt", "依托汉十高铁，强化襄阳与武汉的快速联系。"),
        ("wuhan.txt", "共建汉孝随襄十制造业高质量发展带。"),
    ]


@pytest.mark.parametrize("value", [None, "", "  ", math.nan, pd.NA, "[]", []])
def test_no_sources_is_no_warning(value):
    assert parse_sources(value) == []


def test_parsed_lists_are_accepted():
    assert parse_sources([{"doc": "a.txt"}]) == [{"doc": "a.txt"}]
    assert evidence_quotes([{"sentence": "共建。"}]) == [("", "共建。")]


@pytest.mark.parametrize(
    ("value", "match"),
    [
        ("{not json", r"sources value '\{not json' is not JSON"),
        ('{"doc": "a.txt"}', r"is a JSON dict, not an array"),
        ("42", r"sources value '42' is a JSON int"),
    ],
)
def test_malformed_sources_warn_naming_the_value(value, match):
    with pytest.warns(UserWarning, match=match) as caught:
        assert parse_sources(value) == []
    assert caught[0].filename == __file__


def test_items_that_are_not_objects_are_named_and_left_out():
    value = json.dumps([{"doc": "a.txt", "sentence": "共建。"}, "stray text", 7])
    with pytest.warns(UserWarning) as caught:
        quotes = evidence_quotes(value)
    assert quotes == [("a.txt", "共建。")]
    messages = [str(w.message) for w in caught]
    assert len(messages) == 2
    assert "evidence item 'stray text'" in messages[0] and "evidence item 7" in messages[1]


def test_long_bad_values_are_shortened_in_the_message():
    with pytest.warns(UserWarning, match="…") as caught:
        parse_sources("x" * 500)
    assert len(str(caught[0].message)) < 300


def test_popups_warn_about_malformed_sources_and_still_render():
    project = fixture_atlas().projects.iloc[0].to_dict()
    project.update(docs=project["doc"], sources="[broken")
    with pytest.warns(UserWarning, match=r"sources value '\[broken' is not JSON"):
        html = project_popup(project)
    assert "襄阳都市圈" in html
    tie = {"u_name": "襄阳市", "v_name": "武汉市", "kinds": "cooperation", "weight": 1.0}
    with pytest.warns(UserWarning, match="evidence item 'oops'"):
        html = tie_popup({**tie, "evidence": json.dumps(["oops", {"doc": "b.txt"}])})
    assert "b.txt" in html and "oops" not in html

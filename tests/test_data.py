"""The fact tables of geo/data: each loads, says where every row comes from, keys unique."""

from __future__ import annotations

import csv
import io
from importlib import resources

import pytest

from geo import _data
from geo._data import TABLES, TableSpec, load_table, parse_table, split_list
from geo._errors import GazetteerError
from geo.facilities import AREAS, FACILITIES, LANDMARKS
from geo.gazetteer import CITY_ABBREVIATIONS, PROVINCE_ABBREVIATIONS, load_gazetteer
from geo.mentions import CITY_HOMOGRAPHS

DATA = resources.files("geo") / "data"


def _raw_rows(name: str) -> tuple[list[str], list[dict[str, str]]]:
    """Read a data file with the csv module alone (not through the loader under test)."""
    reader = csv.DictReader(io.StringIO((DATA / name).read_text(encoding="utf-8")))
    return list(reader.fieldnames or []), list(reader)


def test_every_data_file_is_listed_and_every_listed_file_exists():
    shipped = {p.name for p in DATA.iterdir() if p.name.endswith(".csv")}
    assert shipped == set(TABLES)
    # package data is declared as geo/data/*: no subfolders
    assert all(p.is_file() for p in DATA.iterdir() if not p.name.startswith("."))


@pytest.mark.parametrize("name", sorted(TABLES))
def test_data_file_has_sources_and_unique_keys(name):
    header, rows = _raw_rows(name)
    spec = TABLES[name]
    assert "source" in header and set(spec.columns) <= set(header)
    assert rows, f"{name} is empty"
    empty = [i for i, r in enumerate(rows, start=2) if not r["source"].strip()]
    assert not empty, f"{name}: rows without a source on lines {empty}"
    keys = [tuple(r[c] for c in spec.key) for r in rows]
    duplicates = sorted({k for k in keys if keys.count(k) > 1})
    assert not duplicates, f"{name}: duplicate keys {duplicates}"
    # the loader returns the same rows, in file order
    assert [dict(r) for r in load_table(name)] == [
        {k: v.strip() for k, v in r.items()} for r in rows
    ]


def test_adcodes_of_the_tables_are_units_with_those_names():
    gaz = load_gazetteer()
    for name in ("province_abbreviations.csv", "city_abbreviations.csv",
                 "province_level_cities.csv"):
        for row in load_table(name):
            assert gaz[row["adcode"]].name == row["name"], (name, row)
    for row in load_table("city_homographs.csv"):
        unit = gaz[row["adcode"]]
        assert unit.short == row["short_name"] and unit.city_like, row
    for row in load_table("province_abbreviations.csv"):
        assert gaz[row["adcode"]].level == "province"
    codes = [f.adcode for f in FACILITIES] + [c for a in AREAS for c in a.members]
    codes += [c for m in LANDMARKS for c in m.adcodes]
    assert [c for c in codes if c not in gaz] == []


def test_one_character_tables_hold_one_character():
    for name, column in (
        ("province_abbreviations.csv", "abbreviation"),
        ("city_abbreviations.csv", "abbreviation"),
        ("direction_chars.csv", "char"),
        ("facility_tails.csv", "char"),
        ("count_words.csv", "char"),
        ("name_affixes.csv", "affix"),
    ):
        assert all(len(r[column]) == 1 for r in load_table(name)), name


def test_name_affixes_have_known_sides():
    assert {r["side"] for r in load_table("name_affixes.csv")} == {"after", "before", "ending"}


def test_tables_as_the_code_sees_them():
    assert PROVINCE_ABBREVIATIONS["420000"] == ("鄂",)
    assert PROVINCE_ABBREVIATIONS["510000"] == ("川", "蜀")
    assert CITY_ABBREVIATIONS["420100"] == ("汉",)
    assert len(PROVINCE_ABBREVIATIONS) == 34
    assert {"东方", "安康", "长治"} <= CITY_HOMOGRAPHS
    assert {r["strength"] for r in load_table("cue_words.csv")} == {
        "strong", "weak", "route", "weak_route"
    }
    (huahu,) = [f for f in FACILITIES if f.key == "鄂州花湖机场"]
    assert (huahu.adcode, huahu.lon, huahu.lat, huahu.precision) == (
        "420704", 115.02961, 30.34286, 1
    )
    assert "花湖机场" in huahu.names and huahu.source.startswith("OurAirports")
    (maoping,) = [f for f in FACILITIES if f.key == "茅坪港"]
    assert (maoping.lon, maoping.lat) == (None, None)
    (han,) = [m for m in LANDMARKS if m.name == "汉江"]
    assert han.shape == "line" and han.adcodes[0] == "610700" and han.adcodes[-1] == "420100"
    assert all(a.source for a in AREAS) and all(m.source for m in LANDMARKS)


def test_surface_names_are_not_shared_between_entries():
    names = [n for f in FACILITIES for n in f.names] + [n for a in AREAS for n in a.names]
    names += [m.name for m in LANDMARKS]
    assert sorted({n for n in names if names.count(n) > 1}) == []


SPEC = TableSpec(("word",), key=("word",))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("word\n高速\n", r"lacks the column\(s\) \['source'\]"),
        ("word,source\n高速,\n", r"line 2: empty 'source' \(say where"),
        ("word,source\n,curated\n", r"line 2: empty 'word'"),
        (
            "word,source\n高速,a\n铁路,b\n高速,c\n",
            r"line 4: duplicate key \('高速',\) \(first on line 2\)",
        ),
        ("word,source\n高速,a,b\n", r"line 2: 3 cells .* header has 2"),
    ],
    ids=["no-source-column", "empty-source", "empty-key", "duplicate", "extra-cell"],
)
def test_a_bad_data_file_is_a_gazetteer_error(text, message):
    with pytest.raises(GazetteerError, match=message) as info:
        parse_table(text, name="t.csv", spec=SPEC)
    assert "geo/data/t.csv" in str(info.value)


def test_blank_lines_and_spaces_are_ignored():
    rows = parse_table("word , source\n\n 高速 , curated \n", name="t.csv", spec=SPEC)
    assert [dict(r) for r in rows] == [{"word": "高速", "source": "curated"}]


def test_a_missing_data_file_is_a_gazetteer_error(monkeypatch):
    monkeypatch.setattr(_data, "TABLES", {**TABLES, "gone.csv": SPEC})
    with pytest.raises(GazetteerError, match=r"geo/data/gone.csv is missing .*reinstall"):
        load_table("gone.csv")


def test_an_unknown_table_name_is_a_key_error():
    with pytest.raises(KeyError, match="unknown data file 'nope.csv'"):
        load_table("nope.csv")


def test_split_list():
    assert split_list("a| b |c") == ("a", "b", "c")
    assert split_list("") == ()

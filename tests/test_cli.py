"""The planatlas command: its contracts, the files it writes, and one-line errors.

Most cases call :func:`geo.cli.main` in-process (fast); a few run the installed
``planatlas`` console script or ``python -m geo.cli`` to check the real process
(exit code, stdout encoding, no traceback).  The plan texts are small and hand-written,
so every answer below can be read off the sentence that gives it.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import networkx as nx
import pandas as pd
import pyogrio
import pytest
import shapely
from geopandas.testing import assert_geodataframe_equal
from shapely.geometry import Point, shape

from geo.atlas import extract
from geo.cli import main
from geo.export import read_geojson, read_gpkg, read_graphml, split_layers
from geo.gazetteer import load_gazetteer

PLANATLAS = [sys.executable, "-m", "geo.cli"]
CONSOLE_SCRIPT = Path(sys.executable).with_name("planatlas")
GAZ = load_gazetteer()
CHINA = shapely.box(73.0, 3.0, 136.0, 54.0)  # lon/lat envelope of China and its seas

# Two expressways sharing one type word, an airport with a known site, a circle named by
# one city, and a park that names no admin unit (so it stays unplaced).
PLAN = (
    "加快建设襄阳至南漳、老河口至南漳等高速公路。推进鄂州花湖机场建设。\n"
    "推进襄阳都市圈建设。支持建设陈埠临港物流园。\n"
)
# (words of the project in the text, name, kind, places, precision, geometry type)
# Items of a list that shares its type word (…等高速公路) span only their own words; the
# name adds the shared type word.
PLAN_PROJECTS = [
    ("襄阳至南漳", "襄阳至南漳高速公路", "expressway", ["420600", "420624"], 5, "LineString"),
    ("老河口至南漳", "老河口至南漳高速公路", "expressway", ["420682", "420624"], 5, "LineString"),
    ("鄂州花湖机场", "鄂州花湖机场", "airport", ["420700", "420704"], 1, "Point"),
    ("襄阳都市圈", "襄阳都市圈", "metro_circle", ["420600"], 3, "area"),
    ("陈埠临港物流园", "陈埠临港物流园", "logistics", [], 0, None),
]
PLAN_SENTENCES = [
    "加快建设襄阳至南漳、老河口至南漳等高速公路。",
    "加快建设襄阳至南漳、老河口至南漳等高速公路。",
    "推进鄂州花湖机场建设。",
    "推进襄阳都市圈建设。",
    "支持建设陈埠临港物流园。",
]
# 武汉 joins hands with 宜昌 and 鄂州: two cooperation ties, both from 武汉.
TIES = "武汉联手宜昌、鄂州加快发展生物医药产业。"
COOPERATION = {frozenset({"420100", "420500"}), frozenset({"420100", "420700"})}
# Three cities named together with no joint verb: only weak co-mention ties.
CO_MENTION = "武汉、襄阳、宜昌三市经济总量占全省六成。"
RAIL = "规划建设荆门至荆州铁路。"

EXTRACT_SUFFIXES = ".geojson, .json, .gpkg, .csv"
GPKG_MAGIC = b"SQLite format 3\x00"


# --------------------------------------------------------------------------- helpers


@pytest.fixture(scope="module")
def plans(tmp_path_factory) -> dict[str, Path]:
    """The hand-written plans as UTF-8 files, shared by the tests of this module."""
    folder = tmp_path_factory.mktemp("plans")
    paths = {}
    for name, text in [
        ("plan.txt", PLAN),
        ("ties.txt", TIES),
        ("co_mention.txt", CO_MENTION),
        ("rail.txt", RAIL),
    ]:
        paths[name] = folder / name
        paths[name].write_text(text, encoding="utf-8")
    return paths


def cli(capsys, *args) -> tuple[int, str, str]:
    """Run ``planatlas ARGS`` in-process; return the exit code, stdout and stderr."""
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def assert_one_line_error(code: int, out: str, err: str, *fragments: str) -> str:
    assert code == 2
    assert out == ""
    lines = err.splitlines()
    assert len(lines) == 1, err  # one line, so no traceback either
    assert lines[0].startswith("planatlas: error: "), lines[0]
    for fragment in fragments:
        assert fragment in lines[0]
    return lines[0]


def assert_rfc7946(collection: dict) -> None:
    """A FeatureCollection in WGS-84 lon/lat, without the pre-RFC ``crs`` member."""
    assert collection["type"] == "FeatureCollection"
    assert "crs" not in collection
    for feature in collection["features"]:
        assert feature["type"] == "Feature"
        assert set(feature) == {"type", "geometry", "properties"}
        if feature["geometry"] is None:
            continue
        geom = shape(feature["geometry"])
        assert CHINA.covers(geom)  # lon first: (lat, lon) would fall outside the box
        coords = shapely.get_coordinates(geom)
        assert (abs(coords * 1e7 - (coords * 1e7).round()) < 1e-3).all()  # ≤ 7 decimals
        for polygon in getattr(geom, "geoms", [geom]):
            if polygon.geom_type == "Polygon":
                assert polygon.exterior.is_ccw  # RFC 7946 §3.1.6: outer rings counter-clockwise


def area_matches(geom, adcode: str) -> bool:
    boundary = GAZ.boundary(adcode)
    return geom.symmetric_difference(boundary).area < 1e-6 * boundary.area


def seat(adcode: str) -> Point:
    unit = GAZ[adcode]
    return Point(unit.lon, unit.lat)  # x = lon, y = lat


def kinds_of(value: str | list[str]) -> list[str]:
    """Edge kinds as GraphML holds them (';'-joined) or as GeoJSON does (an array)."""
    return value if isinstance(value, list) else value.split(";")


# --------------------------------------------------------------------------- mentions


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


# --------------------------------------------------------------------------- extract


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk"])
def test_extract_writes_the_feature_contract(tmp_path, capsys, encoding):
    path = tmp_path / "plan.txt"
    path.write_bytes(PLAN.encode(encoding))
    out = tmp_path / "plan.geojson"
    code, stdout, err = cli(capsys, "extract", path, "-o", out)
    assert (code, stdout, err) == (0, "", "")

    collection = json.loads(out.read_bytes().decode("utf-8"))
    assert_rfc7946(collection)
    features = collection["features"]
    assert len(features) == len(PLAN_PROJECTS)
    ids = [f["properties"]["id"] for f in features]
    assert len(set(ids)) == len(ids)
    for feature, (words, name, kind, places, precision, gtype), sentence in zip(
        features, PLAN_PROJECTS, PLAN_SENTENCES, strict=True
    ):
        props, geom = feature["properties"], feature["geometry"]
        assert {"id", "name", "kind", "places", "doc", "start", "end", "sentence",
                "precision", "status"} <= set(props)
        assert (props["name"], props["kind"], props["places"], props["precision"]) == (
            name, kind, places, precision
        )
        assert props["doc"] == "plan.txt"
        assert props["status"] == "construction"  # 加快建设, 推进, 建设
        # start/end index the decoded text (a byte-order mark is not part of it)
        assert PLAN[props["start"] : props["end"]] == words
        assert props["sentence"] == sentence
        sentence_start = PLAN.index(sentence)
        assert sentence_start <= props["start"] < props["end"] <= sentence_start + len(sentence)
        if gtype is None:
            assert geom is None
            assert props["reason"]  # says why (陈埠 is no admin unit): a non-empty text
            continue
        assert props["reason"] == ""
        geometry = shape(geom)
        if gtype == "area":  # the circle named by one city is that city's boundary
            assert area_matches(geometry, places[0])
        else:
            assert geometry.geom_type == gtype
        if gtype == "LineString":  # schematic: from one named place to the other
            start, end = Point(geometry.coords[0]), Point(geometry.coords[-1])
            assert GAZ.boundary(places[0]).covers(start)
            assert GAZ.boundary(places[-1]).covers(end)
        if gtype == "Point":  # the airport's own site, in 鄂城区
            assert GAZ.boundary("420704").covers(geometry)


@pytest.fixture(scope="module")
def plan_frame(plans):
    """What the library extracts from plan.txt: the CLI must write exactly this."""
    return extract([plans["plan.txt"]])


@pytest.mark.parametrize("suffix", [".geojson", ".json", ".GeoJSON"])
def test_extract_geojson_is_the_extracted_frame(plans, plan_frame, tmp_path, capsys, suffix):
    out = tmp_path / f"projects{suffix}"
    assert cli(capsys, "extract", plans["plan.txt"], "-o", out) == (0, "", "")
    assert out.read_bytes().startswith(b'{"type": "FeatureCollection"')
    assert_geodataframe_equal(read_geojson(out), plan_frame)


def test_extract_gpkg_writes_a_geopackage_with_a_layer_per_geometry_family(
    plans, plan_frame, tmp_path, capsys
):
    out = tmp_path / "projects.gpkg"
    assert cli(capsys, "extract", plans["plan.txt"], "-o", out) == (0, "", "")
    assert out.read_bytes()[:16] == GPKG_MAGIC  # not GeoJSON under a .gpkg name
    layers = read_gpkg(out)
    assert {name: len(frame) for name, frame in layers.items()} == {
        "points": 1, "lines": 2, "areas": 1, "unplaced": 1
    }
    expected = split_layers(plan_frame)
    for name, frame in layers.items():
        assert_geodataframe_equal(frame, expected[name], check_index_type=False)


def test_extract_csv_has_a_wkt_column_and_opens_in_spreadsheets(
    plans, plan_frame, tmp_path, capsys
):
    out = tmp_path / "projects.csv"
    assert cli(capsys, "extract", plans["plan.txt"], "-o", out) == (0, "", "")
    data = out.read_bytes()
    assert data.startswith("\ufeffid,name,kind,".encode())  # BOM: spreadsheets read UTF-8
    table = pd.read_csv(out, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert list(table.columns) == [*plan_frame.columns.drop("geometry"), "wkt"]
    assert list(table["id"]) == list(plan_frame["id"])
    assert list(table["name"]) == [p[1] for p in PLAN_PROJECTS]
    assert list(table["places"]) == [";".join(p[3]) for p in PLAN_PROJECTS]
    assert list(table["start"]) == [str(PLAN.index(p[0])) for p in PLAN_PROJECTS]
    for wkt, geom in zip(table["wkt"], plan_frame.geometry, strict=True):
        if geom is None:
            assert wkt == ""
        else:
            assert shapely.from_wkt(wkt).equals_exact(geom, tolerance=1e-7)


@pytest.mark.parametrize(
    ("name", "suffix"),
    [
        ("projects.txt", "suffix '.txt'"),
        ("projects.shp", "suffix '.shp'"),
        ("projects.geojson.bak", "suffix '.bak'"),
        ("projects", "no suffix"),
    ],
)
def test_extract_refuses_a_suffix_it_cannot_write(tmp_path, capsys, name, suffix):
    out = tmp_path / name
    # The input does not exist: the suffix is checked first, before any document is read.
    code, stdout, err = cli(capsys, "extract", tmp_path / "missing.txt", "-o", out)
    assert_one_line_error(code, stdout, err, repr(str(out)), suffix, EXTRACT_SUFFIXES)
    assert not out.exists()


# --------------------------------------------------------------------------- build


def test_build_writes_a_geopackage_of_the_atlas(plans, tmp_path, capsys):
    out = tmp_path / "atlas.gpkg"
    code, stdout, err = cli(capsys, "build", plans["plan.txt"], plans["ties.txt"], "-o", out)
    assert (code, stdout) == (0, "")
    assert {str(name) for name, _ in pyogrio.list_layers(out)} == {
        "points", "lines", "areas", "unplaced", "places", "ties"
    }
    layers = read_gpkg(out)
    projects = {k: v for k, v in layers.items() if k not in ("places", "ties")}
    assert {name: sorted(frame["name"]) for name, frame in projects.items()} == {
        "points": ["鄂州花湖机场"],
        "lines": ["老河口至南漳高速公路", "襄阳至南漳高速公路"],
        "areas": ["襄阳都市圈"],
        "unplaced": ["陈埠临港物流园"],
    }
    places = layers["places"].set_index("adcode")
    # 襄阳 and 南漳 twice in plan.txt; 鄂州 once in each document
    assert places["mentions"].to_dict() == {
        "420100": 1, "420500": 1, "420600": 2, "420624": 2, "420682": 1, "420700": 2,
    }
    assert places.loc["420700", "docs"] == "plan.txt;ties.txt"
    for adcode, point in places.geometry.items():
        assert point.equals_exact(seat(adcode), tolerance=1e-7)

    (unplaced,) = layers["unplaced"].itertuples()
    assert err.splitlines() == [
        f"5 projects, 6 places, 1 unplaced -> {out}",
        f"  unplaced: 陈埠临港物流园 (plan.txt:{PLAN.index('陈埠临港物流园')}): {unplaced.reason}",
    ]
    assert unplaced.reason  # the summary line repeats a reason the layer holds


def test_build_writes_atlas_gpkg_in_the_working_folder_by_default(
    plans, tmp_path, capsys, monkeypatch
):
    monkeypatch.chdir(tmp_path)
    code, _, err = cli(capsys, "build", plans["rail.txt"])
    assert code == 0 and err == "1 projects, 2 places, 0 unplaced -> atlas.gpkg\n"
    layers = read_gpkg(tmp_path / "atlas.gpkg")
    assert list(layers["lines"]["name"]) == ["荆门至荆州铁路"]
    assert list(layers["places"]["adcode"]) == ["420800", "421000"]


# --------------------------------------------------------------------------- export


def exported_names(path: Path, fmt: str) -> list[str]:
    if fmt == "geojson":
        collection = json.loads(path.read_bytes())
        assert_rfc7946(collection)
        return sorted(f["properties"]["name"] for f in collection["features"])
    if fmt == "csv":
        table = pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False)
        return sorted(table["name"])
    assert path.read_bytes()[:16] == GPKG_MAGIC
    layers = read_gpkg(path)
    assert set(layers) == {"points", "lines", "areas", "unplaced"}  # the filtered projects
    return sorted(n for f in layers.values() for n in f["name"])


@pytest.mark.parametrize(
    ("options", "names"),
    [
        ([], [*(p[1] for p in PLAN_PROJECTS), "荆门至荆州铁路"]),
        (["--kind", "expressway"], ["老河口至南漳高速公路", "襄阳至南漳高速公路"]),
        (["--kind", "railway", "--kind", "airport"], ["荆门至荆州铁路", "鄂州花湖机场"]),
        (["--kind", "bridge"], []),
        (["--doc", "rail.txt"], ["荆门至荆州铁路"]),
        (["--doc", "plan.txt", "--kind", "railway"], []),
    ],
    ids=["all", "one-kind", "two-kinds", "no-such-project", "doc", "doc-and-kind"],
)
@pytest.mark.parametrize("fmt", ["geojson", "csv", "gpkg"])
def test_export_filters_and_writes_each_format(plans, tmp_path, capsys, options, names, fmt):
    out = tmp_path / f"subset.{fmt}"
    code, stdout, err = cli(
        capsys, "export", plans["plan.txt"], plans["rail.txt"], *options,
        "--format", fmt, "-o", out,
    )
    assert (code, stdout, err) == (0, "", f"{len(names)} projects -> {out}\n")
    assert exported_names(out, fmt) == sorted(names)


@pytest.mark.parametrize(
    ("kinds", "named"),
    [
        (["nope"], "'nope'"),
        (["Expressway"], "'Expressway'"),
        (["expressway", "高速公路"], "'高速公路'"),
    ],
)
def test_export_refuses_an_unknown_kind(plans, tmp_path, capsys, kinds, named):
    out = tmp_path / "subset.geojson"
    args = [a for k in kinds for a in ("--kind", k)]
    code, stdout, err = cli(capsys, "export", plans["plan.txt"], *args, "-o", out)
    line = assert_one_line_error(code, stdout, err, named, "expressway")
    assert "'expressway'" not in line  # only the unknown kind is named as unknown
    assert not out.exists()


def test_export_refuses_an_unknown_circle(plans, tmp_path, capsys):
    out = tmp_path / "subset.geojson"
    code, stdout, err = cli(capsys, "export", plans["plan.txt"], "--circle", "火星都市圈",
                            "-o", out)
    assert_one_line_error(code, stdout, err, "'火星都市圈'")
    assert not out.exists()


# --------------------------------------------------------------------------- ties


def test_ties_graphml_holds_the_cooperation_ties(plans, tmp_path, capsys):
    out = tmp_path / "ties.graphml"
    code, stdout, err = cli(capsys, "ties", plans["ties.txt"], "-o", out)
    assert (code, stdout) == (0, "")
    G = nx.read_graphml(out)
    assert not G.is_directed()
    assert G.graph["crs"] == "EPSG:4326"
    assert {n: G.nodes[n]["name"] for n in G} == {
        "420100": "武汉市", "420500": "宜昌市", "420700": "鄂州市"
    }
    for n in G:
        assert (G.nodes[n]["lon"], G.nodes[n]["lat"]) == pytest.approx(
            (seat(n).x, seat(n).y), abs=1e-6
        )
    cooperation = {
        frozenset((u, v)) for u, v, d in G.edges(data=True) if "cooperation" in kinds_of(d["kinds"])
    }
    assert cooperation == COOPERATION
    assert err == f"{G.number_of_nodes()} places, {G.number_of_edges()} ties -> {out}\n"


def test_ties_geojson_draws_each_tie_between_the_seats(plans, tmp_path, capsys):
    out = tmp_path / "ties.geojson"
    code, _, _ = cli(capsys, "ties", plans["ties.txt"], "--format", "geojson", "-o", out)
    assert code == 0
    collection = json.loads(out.read_bytes())
    assert_rfc7946(collection)
    cooperation = set()
    for feature in collection["features"]:
        props, geom = feature["properties"], shape(feature["geometry"])
        assert geom.geom_type == "LineString"
        assert Point(geom.coords[0]).distance(seat(props["u"])) < 1e-6  # (lon, lat)
        assert Point(geom.coords[-1]).distance(seat(props["v"])) < 1e-6
        if "cooperation" in kinds_of(props["kinds"]):
            cooperation.add(frozenset((props["u"], props["v"])))
    assert cooperation == COOPERATION


def test_ties_keeps_co_mentions_apart_unless_asked(plans, tmp_path, capsys):
    plain, merged = tmp_path / "plain.graphml", tmp_path / "merged.graphml"
    assert cli(capsys, "ties", plans["co_mention.txt"], "-o", plain)[0] == 0
    assert cli(capsys, "ties", plans["co_mention.txt"], "--co-mention", "-o", merged)[0] == 0
    assert nx.read_graphml(plain).number_of_edges() == 0
    G = nx.read_graphml(merged)
    assert {frozenset(e) for e in G.edges} == {
        frozenset(p) for p in [("420100", "420600"), ("420100", "420500"), ("420600", "420500")]
    }
    assert {tuple(kinds_of(d["kinds"])) for _, _, d in G.edges(data=True)} == {("co_mention",)}


# --------------------------------------------------------------------------- errors

OUTPUT_OF = {
    "mentions": None,
    "extract": "out.geojson",
    "build": "out.gpkg",
    "export": "out.geojson",
    "ties": "out.graphml",
}


@pytest.mark.parametrize(
    ("content", "message"),
    [(None, "does not exist"), (b"", "is empty"), (b"\x00\x01\x02\x03" * 10, "binary")],
    ids=["missing", "empty", "binary"],
)
@pytest.mark.parametrize("command", list(OUTPUT_OF))
def test_bad_input_file_is_one_line_and_exit_2(tmp_path, capsys, command, content, message):
    path = tmp_path / "bad.txt"
    if content is not None:
        path.write_bytes(content)
    args = [command, path]
    if OUTPUT_OF[command]:
        args += ["-o", tmp_path / OUTPUT_OF[command]]
    code, stdout, err = cli(capsys, *args)
    assert_one_line_error(code, stdout, err, message, "bad.txt")
    left = ["bad.txt"] if content is not None else []
    assert [p.name for p in tmp_path.iterdir()] == left  # no output written


@pytest.mark.parametrize(
    "where",
    [
        "missing-folder",
        "folder-is-a-file",
        "output-is-a-folder",
    ],
)
@pytest.mark.parametrize("command", ["extract", "build", "export", "ties"])
def test_unwritable_output_is_one_line_and_exit_2(plans, tmp_path, capsys, command, where):
    name = OUTPUT_OF[command]
    if where == "missing-folder":
        out = tmp_path / "no" / "such" / name
        fragment = f"{str(out.parent)!r} does not exist"
    elif where == "folder-is-a-file":
        (tmp_path / "file").write_text("")
        out, fragment = tmp_path / "file" / name, str(tmp_path / "file")
    else:
        out, fragment = tmp_path / name, str(tmp_path / name)
        out.mkdir()
    code, stdout, err = cli(capsys, command, plans["plan.txt"], "-o", out)
    assert_one_line_error(code, stdout, err, fragment)


# --------------------------------------------------------------------------- the real command


def test_console_script_writes_a_geopackage(plans, tmp_path):
    assert CONSOLE_SCRIPT.exists(), "install the project: pip install -e '.[dev]'"
    out = tmp_path / "projects.gpkg"
    proc = subprocess.run(
        [str(CONSOLE_SCRIPT), "extract", str(plans["plan.txt"]), "-o", str(out)],
        capture_output=True, text=True, encoding="utf-8",
    )
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, "", "")
    assert {name: len(f) for name, f in read_gpkg(out).items()} == {
        "points": 1, "lines": 2, "areas": 1, "unplaced": 1
    }


def test_console_script_error_is_one_line_without_traceback(tmp_path):
    proc = subprocess.run(
        [str(CONSOLE_SCRIPT), "ties", str(tmp_path / "nope.txt"),
         "-o", str(tmp_path / "t.graphml")],
        capture_output=True, text=True, encoding="utf-8",
    )
    assert proc.returncode == 2 and proc.stdout == ""
    assert re.fullmatch(r"planatlas: error: .*nope\.txt.* does not exist.*\n", proc.stderr)


def _run_command(tmp_path, body):
    """Run geo.cli.run() in a new process with main() replaced by `body` (source text)."""
    script = tmp_path / "command.py"
    script.write_text(
        "import atexit, sys\nfrom geo import cli\n"
        f"def main():\n{textwrap.indent(textwrap.dedent(body), '    ')}\n"
        "cli.main = main\ncli.run()\n",
        encoding="utf-8",
    )
    return subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                          encoding="utf-8", cwd=tmp_path)


@pytest.mark.parametrize(
    ("body", "status", "stderr"),
    [
        ("for i in range(10_000):\n    print(i)\nreturn 0", 0, ""),  # the last lines buffered
        ("sys.stderr.write('planatlas: error: bad\\n')\nreturn 2", 2, "planatlas: error: bad\n"),
        ("raise SystemExit(0)", 0, ""),
        ("raise SystemExit('stopped')", 1, "stopped\n"),
        ("raise RuntimeError('broken')", 1, "RuntimeError: broken"),
    ],
    ids=["output", "error", "exit-0", "exit-message", "uncaught"],
)
def test_the_command_ends_with_its_status_and_all_its_output(tmp_path, body, status, stderr):
    proc = _run_command(tmp_path, body)
    assert proc.returncode == status
    assert proc.stdout == ("".join(f"{i}\n" for i in range(10_000)) if "print" in body else "")
    assert proc.stderr.endswith(stderr) if stderr.endswith("\n") else stderr in proc.stderr


def test_the_command_runs_the_exit_handlers_it_registered(tmp_path):
    body = """
    atexit.register(lambda: open('handled', 'w').close())
    return 0
    """
    assert _run_command(tmp_path, body).returncode == 0
    assert (tmp_path / "handled").exists()


@pytest.mark.parametrize(
    ("args", "status", "stream", "text"),
    [(["--help"], 0, "stdout", "usage: planatlas"), (["bogus"], 2, "stderr", "invalid choice")],
)
def test_argparse_exits_keep_their_status(args, status, stream, text):
    proc = run(*args)
    assert proc.returncode == status
    assert text in getattr(proc, stream)


# --------------------------------------------------------------------------- formats by suffix


def test_export_and_ties_tell_the_format_by_the_suffix(plans, tmp_path, capsys):
    csv = tmp_path / "projects.csv"
    code, _, err = cli(capsys, "export", plans["plan.txt"], "-o", csv)
    assert code == 0 and err.endswith(f"-> {csv}\n")
    assert csv.read_bytes().startswith("\ufeffid,name,kind".encode())
    lines = tmp_path / "ties.geojson"
    assert cli(capsys, "ties", plans["ties.txt"], "-o", lines)[0] == 0
    assert json.loads(lines.read_text("utf-8"))["type"] == "FeatureCollection"
    # --format wins over the suffix
    forced = tmp_path / "ties.txt.out"
    assert cli(capsys, "ties", plans["ties.txt"], "--format", "graphml", "-o", forced)[0] == 0
    assert forced.read_bytes().startswith(b"<?xml")


@pytest.mark.parametrize(
    ("command", "name", "listed"),
    [
        ("build", "atlas.geojson", ".gpkg"),
        ("export", "projects.graphml", ".geojson, .json, .gpkg, .csv"),
        ("ties", "ties.csv", ".geojson, .json, .graphml"),
    ],
)
def test_a_suffix_the_command_cannot_write_is_refused(plans, tmp_path, capsys, command, name,
                                                       listed):
    out = tmp_path / name
    code, stdout, err = cli(capsys, command, plans["plan.txt"], "-o", out)
    assert_one_line_error(code, stdout, err, repr(str(out)), listed)
    assert not out.exists()


def test_ties_with_co_mention_counts_the_ties_it_writes(plans, tmp_path, capsys):
    out = tmp_path / "ties.graphml"
    code, _, err = cli(capsys, "ties", plans["co_mention.txt"], "--co-mention", "-o", out)
    written = read_graphml(out)
    assert code == 0 and written.number_of_edges() > 0
    assert err == (
        f"{written.number_of_nodes()} places, {written.number_of_edges()} ties -> {out}\n"
    )

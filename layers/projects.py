"""Feature groups of projects: one per kind, styled per kind.

Metropolitan circles and city clusters are translucent areas, corridors and linear projects
are lines (dashed where schematic), facilities are circles (hollow when only placed at an
admin seat). Unplaced projects (empty geometry) are not drawn; the app lists them.
"""

from __future__ import annotations

from collections.abc import Mapping, MutableMapping, Sequence
from typing import Any

import folium
import geopandas as gpd
import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from geo.circles import Circle
from geo.crs import CRS, to_wgs84
from geo.geocode import WITHIN_JURISDICTION
from geo.kinds import AREA_KINDS
from layers._geojson import (
    Display,
    Feature,
    build_features,
    feature,
    feature_group,
    has_geometry,
    stored_group,
)
from layers._stored import FeatureStore
from layers.popups import escape_text, project_popup, project_tooltip
from layers.styles import KIND_ORDER, KIND_STYLES, feature_style, kind_label

__all__ = ["AREA_TOLERANCE", "circle_outline", "placed", "project_features", "project_layers"]

AREA_TOLERANCE = 0.02  # degrees (~2 km): areas are dissolved member boundaries, drawn
# translucent at regional zoom; full detail would be most of what a filter change sends


def placed(projects: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Rows of ``projects`` that have a geometry to draw (a new frame)."""
    return projects[has_geometry(projects.geometry)].copy()


def _ordered_kinds(present: Sequence[str]) -> list[str]:
    known = [kind for kind in KIND_ORDER if kind in present]
    return known + sorted(set(present) - set(KIND_ORDER))


def project_layers(
    projects: gpd.GeoDataFrame,
    *,
    kinds: Sequence[str] | None = None,
    simplify: float | None = AREA_TOLERANCE,
    display: Display | None = None,
    memo: MutableMapping[str, Feature] | None = None,
    titles: Mapping[str, str] | None = None,
    store: FeatureStore | None = None,
) -> list[folium.FeatureGroup]:
    """One FeatureGroup per kind of project, areas first and points last.

    Parameters
    ----------
    projects
        Rows of ``Atlas.projects`` to draw, with a CRS (reprojected to EPSG:4326 if needed).
    kinds
        Kinds to build a group for, in any order; default: the kinds present.
    simplify
        Tolerance in degrees for simplifying areas (dissolved member boundaries) before
        drawing; ``None`` keeps every vertex. Lines and points are never simplified.
    display
        Transform for drawing only, e.g. :func:`layers.basemaps.to_gcj02`.
    memo
        Features already made for these projects with this ``display`` and ``simplify``,
        by project id (see :func:`layers._geojson.build_features`).
    titles
        Document titles by file name, shown in popups instead of file names.
    store
        Where the features of every project of the atlas were published
        (:func:`layers._stored.publish` of :func:`project_features`): the groups then
        only name the features to show, and one is made for each of ``kinds`` even when
        empty, so the browser hides a kind the filters removed.

    Returns
    -------
    list of folium.FeatureGroup
        Named ``"<label> (<count>)"``; the frame is not modified.

    Examples
    --------
    >>> from shapely.geometry import Point, Polygon
    >>> projects = gpd.GeoDataFrame(
    ...     {"id": ["p1", "p2"], "name": ["襄阳都市圈", "襄阳刘集机场"],
    ...      "kind": ["metro_circle", "airport"], "status": ["planned", "construction"]},
    ...     geometry=[Polygon([(110.3, 31.5), (113.8, 31.5), (112.6, 32.7)]),
    ...               Point(112.291, 32.150)],  # x=lon, y=lat
    ...     crs="EPSG:4326")
    >>> [group.layer_name for group in project_layers(projects)]
    ['都市圈/城市群 metro circle (1)', '机场 airport (1)']
    """
    if store is not None and kinds is not None:
        return _stored_layers(projects, store, _ordered_kinds(list(kinds)))
    frame = to_wgs84(projects[has_geometry(projects.geometry)], name="projects")
    present = list(dict.fromkeys(frame["kind"]))
    wanted = _ordered_kinds(present if kinds is None else [k for k in kinds if k in present])
    frame = frame[frame["kind"].isin(wanted)]
    features = project_features(
        frame, simplify=simplify, display=display, memo=memo, titles=titles
    )
    by_kind: dict[str, list[Feature]] = {kind: [] for kind in wanted}
    for item in features:
        by_kind[item["properties"]["kind"]].append(item)
    return [
        feature_group(
            items,
            name=f"{kind_label(kind)} ({len(items)})",
            stored=None if store is None else (store, f"projects:{kind}", *_pane(kind)),
        )
        for kind, items in by_kind.items()
    ]


def _stored_layers(
    projects: gpd.GeoDataFrame, store: FeatureStore, kinds: Sequence[str]
) -> list[folium.FeatureGroup]:
    """One group per kind naming the published features of the drawable ``projects``.

    Only ids and kinds are read: the features were made when the atlas was published, so
    a rerun on a library of thousands of projects does not copy its frame per kind.
    """
    drawable = has_geometry(projects.geometry).to_numpy()
    ids = projects["id"].astype(str).to_numpy()[drawable]
    of_kind = projects["kind"].astype(str).to_numpy()[drawable]
    by_kind: dict[str, list[str]] = {kind: [] for kind in kinds}
    for fid, kind in zip(ids.tolist(), of_kind.tolist(), strict=True):
        if kind in by_kind:
            by_kind[kind].append(fid)
    return [
        stored_group(
            store.index_of(fids), name=f"{kind_label(kind)} ({len(fids)})",
            stored=(store, f"projects:{kind}", *_pane(kind)),
        )  # fmt: skip
        for kind, fids in by_kind.items()
    ]


def _pane(kind: str) -> tuple[str, bool]:
    """Return the map pane of a kind's features, and whether its points spread apart."""
    shape = KIND_STYLES[kind].shape if kind in KIND_STYLES else "point"
    # every project group spreads: its points (a line placed only by its jurisdiction is
    # a marker) join the other project points in the browser
    if shape == "area":
        return "planatlas-areas", True
    if shape == "line":
        return "planatlas-lines", True
    return "planatlas-points", True


def project_features(
    projects: gpd.GeoDataFrame,
    *,
    simplify: float | None = AREA_TOLERANCE,
    display: Display | None = None,
    memo: MutableMapping[str, Feature] | None = None,
    titles: Mapping[str, str] | None = None,
) -> list[Feature]:
    """Map features of the placed rows of ``projects``, in order (see :func:`project_layers`).

    Examples
    --------
    >>> from shapely.geometry import Point
    >>> projects = gpd.GeoDataFrame(
    ...     {"id": ["p1"], "name": ["襄阳刘集机场"], "kind": ["airport"],
    ...      "status": ["construction"]},
    ...     geometry=[Point(112.291, 32.150)], crs="EPSG:4326")  # x=lon, y=lat
    >>> [f["id"] for f in project_features(projects)]
    ['p1']
    """
    frame = to_wgs84(projects[has_geometry(projects.geometry)], name="projects")

    def prepare(rows: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
        rows = _within_markers(rows)
        if simplify:
            areas = rows.geometry.geom_type.isin(["Polygon", "MultiPolygon"]).to_numpy()
            geometry = np.asarray(rows.geometry.array).copy()
            geometry[areas] = shapely.simplify(geometry[areas], simplify, preserve_topology=True)
            rows = rows.set_geometry(gpd.GeoSeries(geometry, index=rows.index, crs=rows.crs))
        return display(rows) if display is not None else rows

    def make(record: dict[str, Any], geometry: BaseGeometry) -> Feature:
        return _project_feature(record, geometry, titles=titles)

    return build_features(frame, key="id", make=make, display=prepare, memo=memo)


def _within_markers(rows: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Draw a project that lies somewhere in an area as a marker inside that area.

    A port or a park placed only by its document's jurisdiction has that jurisdiction's
    polygon as its geometry (exported as such); drawing dozens of copies of a province
    would bury the map and read as exact extents. On the map it is a dashed hollow marker
    at a point inside the area; its popup says where the area came from.
    """
    area = rows.geometry.geom_type.isin(["Polygon", "MultiPolygon"]).to_numpy()
    placed_by_jurisdiction = (
        rows["precision_label"].astype(str).str.startswith(WITHIN_JURISDICTION).to_numpy()
        if "precision_label" in rows
        else False
    )
    # a point or line kind drawn as an area, or any project placed by its jurisdiction
    somewhere = area & (~rows["kind"].isin(AREA_KINDS).to_numpy() | placed_by_jurisdiction)
    if not somewhere.any():
        return rows
    geometry = np.asarray(rows.geometry.array).copy()
    geometry[somewhere] = shapely.point_on_surface(geometry[somewhere])
    return rows.set_geometry(gpd.GeoSeries(geometry, index=rows.index, crs=rows.crs))


def _project_feature(
    record: dict[str, Any], geometry: BaseGeometry, *, titles: Mapping[str, str] | None = None
) -> Feature:
    kind = str(record["kind"])
    area = geometry.geom_type in ("Polygon", "MultiPolygon")
    style = feature_style(
        kind,
        geom_type=geometry.geom_type,
        schematic=bool(record.get("schematic")),
        precision=int(record.get("precision") or 0) or None,
    )
    return feature(
        geometry,
        digits=3 if area else 5,  # areas are simplified to ~2 km anyway
        fid=str(record["id"]),
        style=style,
        popup=project_popup(record, titles=titles),
        tooltip=project_tooltip(record),
        kind=kind,
    )


def circle_outline(
    circle: Circle, *, display: Display | None = None
) -> folium.FeatureGroup:
    """Outline the chosen circle: its boundary as a heavy dashed line, no fill, on top.

    Parameters
    ----------
    circle
        From :func:`geo.circles.find_circle` (lon/lat).
    display
        Transform for drawing only, e.g. :func:`layers.basemaps.to_gcj02`.

    Returns
    -------
    folium.FeatureGroup
        Named after the circle; empty when the circle has no area.
    """
    features = []
    if circle.geometry is not None and not circle.geometry.is_empty:
        frame = gpd.GeoDataFrame(geometry=[circle.geometry.boundary], crs=CRS)
        if display is not None:
            frame = display(frame)
        style = {"color": "#111111", "weight": 3, "opacity": 0.9, "dashArray": "8 6"}
        outline = feature(
            frame.geometry.iloc[0], fid=f"circle-{circle.id}", style=style,
            tooltip=escape_text(circle.name),
        )
        features.append(outline)
    return feature_group(features, name=f"{circle.name} 范围 outline")

"""Write atlas frames for GIS tools: GeoJSON (RFC 7946), GeoPackage, CSV with WKT, GraphML.

* **GeoJSON** follows RFC 7946: WGS-84 lon/lat, counter-clockwise outer rings, at most 7
  decimals, no ``crs`` member.  ``places``, ``place_names`` and ``docs`` are written as
  arrays and ``sources`` as an array of objects (the frames hold them ``;``-joined and as
  a JSON string); :func:`read_geojson` turns them back.
* **GeoPackage** (:func:`write`): one layer per geometry family (``points``, ``lines``,
  ``areas``), an attribute table ``unplaced`` for projects without geometry, and
  ``places`` for an atlas; read by QGIS and by :func:`read_gpkg`.  :func:`to_gpkg_bytes`
  of a single frame (the app's download of what is shown) writes one ``projects`` layer.
* **CSV**: the columns plus ``wkt``; UTF-8 with a byte-order mark so spreadsheet programs
  show Chinese text.
* **GraphML** of the tie graph, list and dict attributes as JSON strings.
"""

from __future__ import annotations

import io
import json
import math
import os
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import geopandas as gpd
import networkx as nx
import numpy as np
import pandas as pd
import pyogrio
import pyogrio.errors
import shapely
from shapely.geometry import mapping, shape

from ._errors import ExportError, SelectionError
from .circles import find_circle, in_circle
from .crs import CRS, to_wgs84
from .formats import FORMATS, Format, check_target, format_of
from .kinds import KINDS
from .ties import edges_of, ties_to_gdf

if TYPE_CHECKING:
    from .atlas import Atlas

__all__ = [
    "FORMATS",
    "filter_projects",
    "format_of",
    "graph_to_graphml_bytes",
    "read_csv",
    "read_graphml",
    "read_geojson",
    "read_gpkg",
    "split_layers",
    "to_csv_bytes",
    "to_geojson_bytes",
    "to_gpkg_bytes",
    "ties_to_geojson_bytes",
    "TIE_FORMATS",
    "write",
    "write_ties",
]

#: Columns held ``;``-joined in frames and written as arrays in GeoJSON.
LIST_COLUMNS = ("places", "place_names", "docs", "kinds", "projects")
#: Whole-number columns that may be missing (a page of a PDF), read back as ``Int64``.
NULLABLE_INT_COLUMNS = ("page",)
#: Columns holding a JSON string in frames and written as JSON values in GeoJSON.
JSON_COLUMNS = ("sources", "evidence")

_DECIMALS = 7
_FAMILIES = {"points": ("Point", "MultiPoint"), "lines": ("LineString", "MultiLineString"),
             "areas": ("Polygon", "MultiPolygon")}


# --------------------------------------------------------------------------- GeoJSON


def to_geojson_bytes(gdf: gpd.GeoDataFrame) -> bytes:
    """Serialise ``gdf`` as an RFC 7946 FeatureCollection.

    Parameters
    ----------
    gdf
        Any frame with a CRS (reprojected to EPSG:4326); a frame without one is refused.

    Returns
    -------
    bytes
        UTF-8 JSON; rows without geometry get ``"geometry": null``.

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely.geometry import Point
    >>> frame = gpd.GeoDataFrame({"name": ["襄阳"]}, geometry=[Point(112.1, 32.0)], crs=4326)
    >>> to_geojson_bytes(frame).decode()[:60]
    '{"type": "FeatureCollection", "features": [{"type": "Feature'
    """
    frame = _wgs84(gdf)
    geom_name = frame.geometry.name
    features = []
    for row, geom in zip(
        frame.drop(columns=[geom_name]).to_dict("records"), frame.geometry, strict=True
    ):
        props = {str(k): _json_value(str(k), v) for k, v in row.items()}
        features.append(
            {"type": "Feature", "properties": props, "geometry": _geojson_geometry(geom)}
        )
    collection = {"type": "FeatureCollection", "features": features}
    return json.dumps(collection, ensure_ascii=False).encode("utf-8")


def read_geojson(source: bytes | str | os.PathLike[str]) -> gpd.GeoDataFrame:
    """Read what :func:`to_geojson_bytes` wrote back into a frame of the same shape.

    Arrays of :data:`LIST_COLUMNS` are ``;``-joined again and :data:`JSON_COLUMNS`
    serialised as JSON strings, so a projects frame round-trips.
    """
    data = source if isinstance(source, bytes) else Path(source).read_bytes()
    collection = json.loads(data.decode("utf-8"))
    rows, geoms = [], []
    for feat in collection.get("features", []):
        props = dict(feat.get("properties") or {})
        for k, v in props.items():
            if k in LIST_COLUMNS and isinstance(v, list):
                props[k] = ";".join(str(x) for x in v)
            elif k in JSON_COLUMNS and not isinstance(v, str):
                props[k] = json.dumps(v, ensure_ascii=False)
        rows.append(props)
        g = feat.get("geometry")
        geoms.append(shape(g) if g else None)
    return _nullable_ints(
        gpd.GeoDataFrame(pd.DataFrame(rows), geometry=gpd.GeoSeries(geoms, crs=CRS), crs=CRS)
    )


# --------------------------------------------------------------------------- GeoPackage


def split_layers(gdf: gpd.GeoDataFrame) -> dict[str, gpd.GeoDataFrame]:
    """Projects by geometry family: ``points``, ``lines``, ``areas``, ``unplaced``."""
    frame = _wgs84(gdf)
    gtype = frame.geometry.geom_type
    empty = frame.geometry.isna() | frame.geometry.is_empty
    layers = {}
    for name, types in _FAMILIES.items():
        layers[name] = frame[gtype.isin(types) & ~empty].reset_index(drop=True)
    layers["unplaced"] = frame[empty].reset_index(drop=True)
    return layers


def to_gpkg_bytes(
    gdf_or_layers: gpd.GeoDataFrame | Mapping[str, gpd.GeoDataFrame] | Atlas,
) -> bytes:
    """Write one frame, named layers or an atlas to GeoPackage bytes.

    Parameters
    ----------
    gdf_or_layers
        A frame (one layer ``projects``, mixed geometry types, rows without geometry
        kept), a mapping of layer name to frame, or an :class:`geo.atlas.Atlas` (its
        projects split into ``points``, ``lines``, ``areas``, ``unplaced``, plus
        ``places``).

    Returns
    -------
    bytes
        The ``.gpkg`` file.
    """
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "planatlas.gpkg"
        if isinstance(gdf_or_layers, gpd.GeoDataFrame):
            layers: Iterable[tuple[str, gpd.GeoDataFrame]] = [("projects", gdf_or_layers)]
        else:
            layers = _layers_of(gdf_or_layers)
        _write_gpkg(layers, path)
        return path.read_bytes()


def read_gpkg(path: str | os.PathLike[str] | bytes) -> dict[str, gpd.GeoDataFrame]:
    """Every layer of a GeoPackage written by :func:`to_gpkg_bytes` or :func:`write`."""
    if isinstance(path, bytes):
        with tempfile.TemporaryDirectory() as tmp:
            p = Path(tmp) / "in.gpkg"
            p.write_bytes(path)
            return read_gpkg(p)
    out: dict[str, gpd.GeoDataFrame] = {}
    for name, _gtype in pyogrio.list_layers(path):
        frame = pyogrio.read_dataframe(path, layer=name)
        if not isinstance(frame, gpd.GeoDataFrame):
            frame = gpd.GeoDataFrame(
                frame, geometry=gpd.GeoSeries([None] * len(frame), crs=CRS),
                crs=CRS,
            )
        out[str(name)] = _nullable_ints(frame)
    return out


# --------------------------------------------------------------------------- CSV


def to_csv_bytes(gdf: gpd.GeoDataFrame) -> bytes:
    """CSV of ``gdf`` with the geometry as WKT in a ``wkt`` column (UTF-8 with BOM)."""
    frame = _wgs84(gdf)
    geom_name = frame.geometry.name
    table = pd.DataFrame(frame.drop(columns=[geom_name]))
    table["wkt"] = [
        "" if g is None or g.is_empty else shapely.to_wkt(g, rounding_precision=_DECIMALS,
                                                           trim=True)
        for g in frame.geometry
    ]
    return table.to_csv(index=False).encode("utf-8-sig")


def read_csv(source: bytes | str | os.PathLike[str]) -> gpd.GeoDataFrame:
    """Read a CSV written by :func:`to_csv_bytes` (text columns stay text)."""
    data = source if isinstance(source, bytes) else Path(source).read_bytes()
    table = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", dtype=str, keep_default_na=False)
    geoms = [shapely.from_wkt(w) if w else None for w in table.pop("wkt")]
    for column in NULLABLE_INT_COLUMNS:
        if column in table:
            table[column] = table[column].replace("", None)
    frame = gpd.GeoDataFrame(table, geometry=gpd.GeoSeries(geoms, crs=CRS), crs=CRS)
    return _nullable_ints(frame)


def _nullable_ints(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Whole numbers that may be missing (``page``) as pandas' nullable ``Int64``."""
    for column in NULLABLE_INT_COLUMNS:
        if column in frame:
            frame[column] = pd.to_numeric(frame[column]).astype("Int64")
    return frame


# --------------------------------------------------------------------------- GraphML


def graph_to_graphml_bytes(G: nx.Graph, *, with_co_mention: bool = False) -> bytes:
    """GraphML of a tie graph, UTF-8.

    GraphML holds no lists: edge ``kinds`` and node ``docs`` (and the graph's
    ``documents``) are ';'-joined, edge ``evidence`` is a JSON string; :func:`read_graphml`
    reads them back. The kept-apart co-mention ties are written only as edges, when
    `with_co_mention` is true.

    Parameters
    ----------
    G
        A graph from :func:`geo.ties.build_graph`; not modified.
    with_co_mention
        Merge the kept-apart ``co_mention`` ties first (:func:`geo.ties.with_co_mention`).

    Returns
    -------
    bytes
        A GraphML document.

    Examples
    --------
    >>> G = nx.Graph(documents=["a.txt"])
    >>> G.add_edge("420600", "420624", kinds=["joint_project"], weight=2.0, evidence=[])
    >>> graph_to_graphml_bytes(G).splitlines()[:2]  # doctest: +ELLIPSIS
    [b'<?xml version="1.0" encoding="UTF-8"?>', b'<graphml xmlns=...']
    """
    G = edges_of(G, co_mention=with_co_mention)
    out = nx.Graph()
    for key, value in G.graph.items():
        if key == "co_mention" or value is None:
            continue
        if key == "documents":
            value = ";".join(value)
        elif isinstance(value, (list, dict, tuple)):
            value = json.dumps(value, ensure_ascii=False)
        out.graph[key] = value
    for node, data in G.nodes(data=True):
        attrs = {k: v for k, v in data.items() if v is not None}
        attrs["docs"] = ";".join(data.get("docs") or ())
        out.add_node(node, **attrs)
    for u, v, data in G.edges(data=True):
        attrs = {k: w for k, w in data.items() if w is not None}
        attrs["kinds"] = ";".join(data.get("kinds") or ())
        attrs["evidence"] = json.dumps(data.get("evidence") or [], ensure_ascii=False)
        out.add_edge(u, v, **attrs)
    body = "\n".join(nx.generate_graphml(out, encoding="utf-8")).encode("utf-8")
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + body + b"\n"


def read_graphml(path: str | os.PathLike[str]) -> nx.Graph:
    """Read a GraphML file written by :func:`graph_to_graphml_bytes`, lists parsed back.

    Parameters
    ----------
    path
        A ``.graphml`` file.

    Returns
    -------
    networkx.Graph
        Edge ``kinds`` and node ``docs`` as lists, edge ``evidence`` as a list of dicts,
        ``G.graph["documents"]`` as a list.
    """
    G = nx.read_graphml(path)
    for key in ("node_default", "edge_default"):  # added by the reader, not ours
        if not G.graph.get(key):
            G.graph.pop(key, None)
    G.graph["documents"] = _joined_list(G.graph.get("documents"))
    for _, data in G.nodes(data=True):
        data["docs"] = _joined_list(data.get("docs"))
    for _, _, data in G.edges(data=True):
        data["kinds"] = _joined_list(data.get("kinds"))
        data["evidence"] = json.loads(data.get("evidence") or "[]")
    return G


def _joined_list(value: Any) -> list[str]:
    """Split a ';'-joined string into a list; read a JSON list (another writer's) too."""
    if not isinstance(value, str) or not value:
        return []
    if value.startswith("["):
        try:
            parsed = json.loads(value)
        except json.JSONDecodeError:
            parsed = None
        if isinstance(parsed, list):
            return [str(v) for v in parsed]
    return value.split(";")


def ties_to_geojson_bytes(G: nx.Graph, *, with_co_mention: bool = False) -> bytes:
    """RFC 7946 GeoJSON of the ties of `G`: lines between seats (:func:`geo.ties.ties_to_gdf`).

    ``kinds``, ``docs`` and ``projects`` are arrays, ``evidence`` an array of objects.
    """
    return to_geojson_bytes(ties_to_gdf(G, with_co_mention=with_co_mention))


# --------------------------------------------------------------------------- filter, write


def filter_projects(
    gdf: gpd.GeoDataFrame,
    *,
    kinds: Iterable[str] | None = None,
    circle: str | None = None,
    doc: str | None = None,
    atlas: Atlas | None = None,
) -> gpd.GeoDataFrame:
    """Keep the projects of some kinds, lying in a circle, named in a document.

    Parameters
    ----------
    gdf
        A projects frame (``Atlas.projects`` or :func:`geo.atlas.extract` output).
    kinds
        Kinds to keep (:data:`geo.kinds.KINDS`); None keeps all.
    circle
        ``id`` or name of a circle (武汉城市圈, or another name of a defined area such as
        武汉都市圈): keep the projects that lie in it (:func:`geo.circles.in_circle`:
        every place a member or within one; the circle itself included). Looked up in
        ``atlas.projects`` when given, else in ``gdf``.
    doc
        Keep projects whose ``docs`` (or ``doc``) include this document name.
    atlas
        Where to look the circle up.

    Returns
    -------
    geopandas.GeoDataFrame
        A new frame; the input is not changed.

    Raises
    ------
    SelectionError
        For an unknown kind or circle.
    """
    out = gdf.copy()
    if kinds is not None:
        wanted = list(kinds)
        unknown = sorted(set(wanted) - set(KINDS))
        if unknown:
            msg = (
                f"unknown kind(s) {', '.join(repr(k) for k in unknown)}; "
                f"choose from {', '.join(KINDS)}"
            )
            raise SelectionError(msg)
        out = out[out["kind"].isin(wanted)]
    if doc is not None:
        name = Path(doc).name
        docs_col = out["docs"] if "docs" in out else out["doc"]
        out = out[docs_col.map(lambda v: name in str(v).split(";"))]
    if circle is not None:
        found = find_circle(atlas.projects if atlas is not None else gdf, circle)
        out = out[in_circle(out, found)]
    return out.reset_index(drop=True)


def write(
    gdf_or_atlas: gpd.GeoDataFrame | Atlas | nx.Graph,
    path: str | os.PathLike[str],
    *,
    format: Format | None = None,  # noqa: A002 - the CLI's word
) -> Path:
    """Write a projects frame, an atlas or a graph to ``path``.

    Parameters
    ----------
    gdf_or_atlas
        A GeoDataFrame, an :class:`geo.atlas.Atlas` (GeoJSON and CSV write its projects,
        GeoPackage its projects and places, GraphML its graph) or a networkx graph.
    path
        Output file; its folder must exist.
    format
        ``"geojson"``, ``"gpkg"``, ``"csv"`` or ``"graphml"``; from the suffix when None.

    Returns
    -------
    pathlib.Path

    Raises
    ------
    ExportError
        For an unknown format, or a format that cannot hold the object.
    """
    out = Path(path)
    if format is not None and format not in FORMATS:
        msg = f"format={format!r} is not a format; pass one of {', '.join(FORMATS)}"
        raise ExportError(msg)
    fmt = format if format is not None else format_of(out)
    check_target(out)
    if isinstance(gdf_or_atlas, nx.Graph):
        if fmt != "graphml":
            msg = f"a graph can be written as graphml, not {fmt!r}"
            raise ExportError(msg)
        return write_ties(gdf_or_atlas, out)
    if fmt == "graphml":
        graph = getattr(gdf_or_atlas, "graph", None)
        if not isinstance(graph, nx.Graph):
            msg = "graphml needs a graph or an Atlas; a GeoDataFrame has no graph"
            raise ExportError(msg)
        return write_ties(graph, out)
    if fmt == "gpkg":
        layers = _layers_of(gdf_or_atlas)
        tmp = out.with_name(f".{out.stem}.partial.gpkg")  # GDAL wants the .gpkg suffix
        try:
            tmp.unlink(missing_ok=True)
            _write_gpkg(layers, tmp)
            os.replace(tmp, out)
        except (OSError, pyogrio.errors.DataSourceError) as exc:
            tmp.unlink(missing_ok=True)
            msg = f"cannot write {str(out)!r}: {getattr(exc, 'strerror', None) or exc}"
            raise ExportError(msg) from exc
        except BaseException:  # a layer that could not be made: no half-written file
            tmp.unlink(missing_ok=True)
            raise
        return out
    else:
        frame = (
            gdf_or_atlas
            if isinstance(gdf_or_atlas, gpd.GeoDataFrame)
            else gdf_or_atlas.projects
        )
        data = to_geojson_bytes(frame) if fmt == "geojson" else to_csv_bytes(frame)
    _write_bytes(out, data)
    return out


#: What :func:`write_ties` writes.
TIE_FORMATS: tuple[str, ...] = ("graphml", "geojson")


def write_ties(
    G: nx.Graph,
    path: str | os.PathLike[str],
    *,
    format: str = "graphml",  # noqa: A002 - the CLI's word
    with_co_mention: bool = False,
) -> Path:
    """Write the ties of `G` as GraphML or as GeoJSON lines between seats.

    Parameters
    ----------
    G
        A graph from :func:`geo.ties.build_graph`; not modified.
    path
        The file to write; its folder must exist.
    format
        ``"graphml"`` (:func:`graph_to_graphml_bytes`) or ``"geojson"``
        (:func:`ties_to_geojson_bytes`).
    with_co_mention
        Merge the kept-apart ``co_mention`` ties first.

    Returns
    -------
    pathlib.Path
        The path written.

    Raises
    ------
    ExportError
        If `format` is unknown or the folder of `path` does not exist.
    """
    if format not in TIE_FORMATS:
        msg = (
            f"format={format!r} is not a tie format; "
            f"pass one of {', '.join(map(repr, TIE_FORMATS))}"
        )
        raise ExportError(msg)
    target = Path(path)
    check_target(target)
    H = edges_of(G, co_mention=with_co_mention)
    data = graph_to_graphml_bytes(H) if format == "graphml" else ties_to_geojson_bytes(H)
    _write_bytes(target, data)
    return target


def _write_bytes(target: Path, data: bytes) -> None:
    """Write a whole file or nothing: a partial file is never left under `target`'s name."""
    tmp = target.with_name(f".{target.name}.partial")
    try:
        tmp.write_bytes(data)
        os.replace(tmp, target)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        msg = f"cannot write {str(target)!r}: {exc.strerror}"
        raise ExportError(msg) from exc


# --------------------------------------------------------------------------- internals


def _wgs84(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    if not isinstance(gdf, gpd.GeoDataFrame):
        msg = f"expected a GeoDataFrame, got {type(gdf).__name__}"
        raise ExportError(msg)
    return to_wgs84(gdf, name="the frame to export")


def _geojson_geometry(geom: Any) -> dict[str, Any] | None:
    if geom is None or geom.is_empty:
        return None
    geom = shapely.orient_polygons(geom, exterior_cw=False)
    geom = shapely.transform(geom, lambda xy: np.round(xy, _DECIMALS))
    return _lists(mapping(geom))


def _lists(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _lists(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_lists(v) for v in value]
    if isinstance(value, float):
        return round(value, _DECIMALS)
    return value


def _json_value(column: str, value: Any) -> Any:
    if column in LIST_COLUMNS and isinstance(value, str):
        return [v for v in value.split(";") if v]
    if column in JSON_COLUMNS and isinstance(value, str):
        try:
            return json.loads(value)
        except json.JSONDecodeError:
            return value
    return _scalar(value)


def _scalar(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return None if math.isnan(float(value)) else float(value)
    if isinstance(value, str):
        return value
    if isinstance(value, (list, tuple)):
        return [_scalar(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _scalar(v) for k, v in value.items()}
    if value is pd.NA or value is pd.NaT:
        return None
    return str(value)


def _layers_of(obj: Any) -> Iterator[tuple[str, gpd.GeoDataFrame]]:
    """Yield the layers to write of a frame, a mapping of frames or an atlas, in order.

    An atlas's ties come last: its graph may still be being made while its projects are
    written (:meth:`geo.library.Library.build`).
    """
    if isinstance(obj, gpd.GeoDataFrame):
        yield from split_layers(obj).items()
        return
    if isinstance(obj, Mapping):
        yield from ((str(k), v) for k, v in obj.items())
        return
    projects = getattr(obj, "projects", None)
    places = getattr(obj, "places", None)
    if isinstance(projects, gpd.GeoDataFrame) and isinstance(places, gpd.GeoDataFrame):
        yield from split_layers(projects).items()
        yield "places", places
        graph = obj.graph
        if isinstance(graph, nx.Graph) and graph.number_of_edges():
            yield "ties", ties_to_gdf(graph)  # the city network, as the app exports it
        return
    msg = (
        f"cannot write {type(obj).__name__} as a GeoPackage; pass a GeoDataFrame, "
        "a mapping of layer names to frames, or an Atlas"
    )
    raise ExportError(msg)


def _write_gpkg(layers: Iterable[tuple[str, gpd.GeoDataFrame]], path: Path) -> None:
    # the file is a temporary one, renamed into place when whole: SQLite need not sync
    # each layer to disk (a quarter of the time of a corpus-sized write)
    before = pyogrio.get_gdal_config_option("OGR_SQLITE_SYNCHRONOUS")
    pyogrio.set_gdal_config_options({"OGR_SQLITE_SYNCHRONOUS": "OFF"})
    try:
        _write_layers(layers, path)
    finally:
        pyogrio.set_gdal_config_options({"OGR_SQLITE_SYNCHRONOUS": before})


def _write_layers(layers: Iterable[tuple[str, gpd.GeoDataFrame]], path: Path) -> None:
    for name, frame in layers:
        frame = _wgs84(frame)
        empty = frame.geometry.isna() | frame.geometry.is_empty
        if len(frame) and bool(empty.all()):
            # an attribute table: no geometry column at all (QGIS shows it as a table)
            table = pd.DataFrame(frame.drop(columns=[frame.geometry.name]))
            pyogrio.write_dataframe(table, path, layer=name, driver="GPKG")
            continue
        types = set(frame.geometry.geom_type.dropna())
        geometry_type = types.pop() if len(types) == 1 else "Unknown"
        pyogrio.write_dataframe(
            frame, path, layer=name, driver="GPKG", geometry_type=geometry_type,
            promote_to_multi=False,
        )

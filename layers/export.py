"""Bytes for the app's download buttons: GeoJSON, GeoPackage, GraphML of what is shown.

The writers are :mod:`geo.export`'s; this module only drops the display-only columns the
layers add (their names start with ``_``) before handing a frame over.
"""

from __future__ import annotations

import geopandas as gpd
import networkx as nx
import pandas as pd

from geo import export

__all__ = ["geojson_bytes", "gpkg_bytes", "graphml_bytes"]


def _for_export(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Drop display-only columns and keep the contract's columns as they are."""
    drop = [c for c in frame.columns if str(c).startswith("_")]
    out = frame.drop(columns=drop)
    return gpd.GeoDataFrame(pd.DataFrame(out), geometry=frame.geometry.name, crs=frame.crs)


def geojson_bytes(frame: gpd.GeoDataFrame) -> bytes:
    """RFC 7946 GeoJSON of ``frame`` (WGS-84; never the GCJ-02 display shift)."""
    return export.to_geojson_bytes(_for_export(frame))


def gpkg_bytes(
    frame: gpd.GeoDataFrame,
    *,
    unplaced: gpd.GeoDataFrame | None = None,
    places: gpd.GeoDataFrame | None = None,
    ties: gpd.GeoDataFrame | None = None,
) -> bytes:
    """GeoPackage of what is shown: one layer per geometry family, as GIS tools want.

    Layers ``points``, ``lines``, ``areas`` (the projects of `frame`), ``unplaced`` (an
    attribute table of the projects without geometry), ``places`` and ``ties`` (lines
    between seats), each present when it has rows.
    """
    projects = _for_export(frame)
    if unplaced is not None and not unplaced.empty:
        projects = gpd.GeoDataFrame(
            pd.concat([projects, _for_export(unplaced)], ignore_index=True),
            geometry=projects.geometry.name,
            crs=projects.crs,
        )
    layers = {k: v for k, v in export.split_layers(projects).items() if not v.empty}
    if places is not None and not places.empty:
        layers["places"] = _for_export(places)
    if ties is not None and not ties.empty:
        layers["ties"] = _for_export(ties)
    if not layers:
        layers = {"projects": projects}
    return export.to_gpkg_bytes(layers)


def graphml_bytes(graph: nx.Graph) -> bytes:
    """GraphML of a tie graph (edge kinds ``;``-joined, evidence as JSON)."""
    return export.graph_to_graphml_bytes(graph)

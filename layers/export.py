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


def gpkg_bytes(frame: gpd.GeoDataFrame) -> bytes:
    """GeoPackage of ``frame`` (one ``projects`` layer)."""
    return export.to_gpkg_bytes(_for_export(frame))


def graphml_bytes(graph: nx.Graph) -> bytes:
    """GraphML of a tie graph (edge kinds ``;``-joined, evidence as JSON)."""
    return export.graph_to_graphml_bytes(graph)

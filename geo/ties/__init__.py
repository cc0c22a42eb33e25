"""A networkx graph of the places plans name and the typed, evidenced ties between them.

Four parts, one job each:

:mod:`geo.ties.text`
    ties the text states (a joint verb and its places in one clause);
:mod:`geo.ties.projects`
    ties that typed project records make (the stops of a route, the members of an area);
:mod:`geo.ties.graph`
    the graph assembled from both, with weights and node metrics;
:mod:`geo.ties.query`
    the ties of one place, and the ties as a GeoDataFrame.

The kinds of tie and their labels are :data:`geo.kinds.TIE_KINDS`; their weights
:data:`KIND_WEIGHTS`. GraphML and GeoJSON of a graph are written by :mod:`geo.export`.
"""

from ._store import KIND_WEIGHTS, WEIGHT_FORMULA
from .graph import add_metrics, build_graph, edges_of, with_co_mention
from .query import TIE_COLUMNS, resolve_place, ties_of, ties_to_gdf

__all__ = [
    "KIND_WEIGHTS",
    "TIE_COLUMNS",
    "WEIGHT_FORMULA",
    "add_metrics",
    "build_graph",
    "edges_of",
    "resolve_place",
    "ties_of",
    "ties_to_gdf",
    "with_co_mention",
]

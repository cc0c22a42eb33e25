"""Colours, line styles and the legend of every kind of project.

The kinds themselves, their labels and their usual geometry are :mod:`geo.kinds`; this
module adds only what is drawing: a colour and a line width per style key
(:data:`PALETTE`). :data:`KIND_STYLES` joins the two, and the layer builders and the
legend both read it, so a kind looks the same on the map and in the legend.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from branca.element import MacroElement
from jinja2 import Template

from geo.kinds import KINDS, STATUSES, TIE_KINDS, kind_label, status_label

__all__ = [
    "KindStyle",
    "KIND_STYLES",
    "KIND_ORDER",
    "PALETTE",
    "STATUS_LABELS",
    "TIE_KIND_LABELS",
    "LEVEL_COLORS",
    "SCHEMATIC_DASH",
    "kind_label",
    "status_label",
    "feature_style",
    "Legend",
]

Shape = Literal["area", "line", "point"]

SCHEMATIC_DASH = "6 8"  # leaflet dashArray for lines drawn through seats, not surveyed routes


@dataclass(frozen=True)
class KindStyle:
    """How one kind of project is drawn.

    ``shape`` is the usual geometry of the kind; the geometry itself decides how a row is
    drawn, the shape only orders the layers (areas under lines under points) and picks
    the legend swatch.
    """

    label: str
    color: str
    shape: Shape
    weight: float = 3.0


#: Colour and line width per style key (:attr:`geo.kinds.Kind.style`).
PALETTE: dict[str, tuple[str, float]] = {
    "metro_circle": ("#3a7dc9", 1.5),
    "ecology": ("#31a354", 2.0),
    "corridor": ("#8c6d31", 7.0),
    "expressway": ("#e6550d", 4.0),
    "railway": ("#2b4c8c", 4.0),
    "road": ("#c98a0b", 3.0),
    "waterway": ("#17a2c7", 4.0),
    "power": ("#b5b312", 3.0),
    "pipeline": ("#7f7f7f", 3.0),
    "tourism": ("#fd8d3c", 3.0),
    "water": ("#1f77b4", 3.0),
    "bridge": ("#756bb1", 3.0),
    "port": ("#08519c", 3.0),
    "airport": ("#d62728", 3.0),
    "station": ("#9467bd", 3.0),
    "logistics": ("#8c564b", 3.0),
    "industrial_park": ("#ff7f0e", 3.0),
    "science": ("#e377c2", 3.0),
}

#: How each kind of :data:`geo.kinds.KINDS` is drawn: its label and usual geometry from
#: :mod:`geo.kinds`, colour and width from :data:`PALETTE`.
KIND_STYLES: dict[str, KindStyle] = {
    kind.id: KindStyle(kind.label, PALETTE[kind.style][0], kind.geometry, PALETTE[kind.style][1])
    for kind in KINDS.values()
}

_SHAPE_RANK = {"area": 0, "line": 1, "point": 2}
# Draw order: areas at the bottom, then lines, then points on top (geo.kinds lists them so).
KIND_ORDER: tuple[str, ...] = tuple(
    sorted(KIND_STYLES, key=lambda kind: _SHAPE_RANK[KIND_STYLES[kind].shape])
)

_FALLBACK = KindStyle("其他 other", "#555555", "point")

#: Label of each status (:data:`geo.kinds.STATUSES`).
STATUS_LABELS: dict[str, str] = {status.id: status.label for status in STATUSES.values()}

#: Label of each kind of tie (:data:`geo.kinds.TIE_KINDS`).
TIE_KIND_LABELS: dict[str, str] = {kind.id: kind.label for kind in TIE_KINDS.values()}

LEVEL_COLORS: dict[str, str] = {
    "province": "#54278f",
    "prefecture": "#252525",
    "county": "#737373",
}


def feature_style(
    kind: str, *, geom_type: str, schematic: bool = False, precision: int | None = None
) -> dict[str, Any]:
    """Leaflet path options for one project.

    Parameters
    ----------
    kind
        Kind of project, a key of :data:`KIND_STYLES`.
    geom_type
        Shapely geometry type of the feature as drawn.
    schematic
        Whether a line runs through seats rather than along a surveyed route; drawn dashed.
    precision
        IATI precision code; points placed only at an admin seat (3, 4, 6, 8) are drawn
        hollow so they do not read as exact sites.

    Returns
    -------
    dict
        Options for ``L.Path.setStyle`` (``radius`` included for points).
    """
    style = KIND_STYLES.get(kind, _FALLBACK)
    options = _options(style, kind, geom_type=geom_type, schematic=schematic, precision=precision)
    return {key: value for key, value in options.items() if value is not None}


def _options(
    style: KindStyle, kind: str, *, geom_type: str, schematic: bool, precision: int | None
) -> dict[str, Any]:
    if geom_type in ("Polygon", "MultiPolygon"):
        return {
            "color": style.color,
            "weight": style.weight,
            "opacity": 0.8,
            "fillColor": style.color,
            "fillOpacity": 0.12,
            "dashArray": SCHEMATIC_DASH if schematic else None,
        }
    if geom_type in ("LineString", "MultiLineString"):
        return {
            "color": style.color,
            "weight": style.weight,
            "opacity": 0.45 if kind == "corridor" else 0.9,
            "dashArray": SCHEMATIC_DASH if schematic else None,
            "lineCap": "butt" if schematic else "round",
        }
    approximate = precision is not None and precision not in (1, 2)
    # somewhere in an admin unit (3, 4): a dashed ring, unlike a seat (8) or a site (1, 2)
    within = precision in (3, 4)
    return {
        "radius": 9 if within else 7,
        "color": style.color,
        "weight": 2,
        "opacity": 1.0,
        "fillColor": style.color,
        "fillOpacity": 0.1 if within else 0.25 if approximate else 0.85,
        "dashArray": "3 3" if within else None,
    }


def _swatch(style: KindStyle, *, dashed: bool = False) -> str:
    color = html.escape(style.color)
    if style.shape == "area":
        return (
            f'<span style="display:inline-block;width:22px;height:12px;'
            f"border:1.5px solid {color};background:{color}33;"
            f'vertical-align:middle"></span>'
        )
    if style.shape == "line":
        dash = f' stroke-dasharray="{SCHEMATIC_DASH}"' if dashed else ""
        return (
            f'<svg width="24" height="10" style="vertical-align:middle">'
            f'<line x1="0" y1="5" x2="24" y2="5" stroke="{color}" '
            f'stroke-width="{min(style.weight, 6)}"{dash}/></svg>'
        )
    return (
        f'<svg width="24" height="14" style="vertical-align:middle">'
        f'<circle cx="12" cy="7" r="5" fill="{color}" fill-opacity="0.85" '
        f'stroke="{color}" stroke-width="2"/></svg>'
    )


def legend_html(kinds: Iterable[str], *, title: str = "图例 Legend") -> str:
    """HTML of the legend for the given kinds, in draw order."""
    wanted = set(kinds)
    rows = [
        f"<div>{_swatch(KIND_STYLES[kind])} {html.escape(KIND_STYLES[kind].label)}</div>"
        for kind in KIND_ORDER
        if kind in wanted
    ]
    rows.extend(
        f"<div>{_swatch(_FALLBACK)} {html.escape(kind)}</div>"
        for kind in sorted(wanted - set(KIND_STYLES))
    )
    schematic = KindStyle("", "#444444", "line", 3)
    rows.append(f"<div>{_swatch(schematic, dashed=True)} 示意线 schematic line</div>")
    rows.append(
        '<div><svg width="24" height="14" style="vertical-align:middle">'
        '<circle cx="12" cy="7" r="5" fill="#444" fill-opacity="0.25" stroke="#444" '
        'stroke-width="2"/></svg> 驻地定位 placed at a seat</div>'
    )
    return f"<div class='planatlas-legend-title'><b>{html.escape(title)}</b></div>" + "".join(rows)


class Legend(MacroElement):
    """A Leaflet control listing the kinds drawn on the map.

    It is a map control made in the map's own script (not a floating HTML block), so it
    appears the same in a saved HTML file and inside ``streamlit-folium``.

    Parameters
    ----------
    kinds
        Kinds of project to list.
    position
        Leaflet control position.

    Examples
    --------
    >>> import folium
    >>> m = folium.Map(tiles=None)
    >>> _ = Legend(["railway", "airport"]).add_to(m)
    >>> "planatlas-legend" in m.get_root().render()
    True
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function() {
            var legend = L.control({position: {{ this.position|tojson }}});
            legend.onAdd = function() {
                var div = L.DomUtil.create("div", "planatlas-legend");
                div.style.cssText = {{ this.css|tojson }};
                div.innerHTML = {{ this.html|tojson }};
                L.DomEvent.disableClickPropagation(div);
                L.DomEvent.disableScrollPropagation(div);
                return div;
            };
            legend.addTo({{ this._parent.get_name() }});
        })();
        {% endmacro %}
        """
    )

    def __init__(self, kinds: Iterable[str], *, position: str = "bottomright") -> None:
        super().__init__()
        self._name = "Legend"
        self.kinds = tuple(kinds)
        self.position = position
        self.html = legend_html(self.kinds)
        self.css = (
            "background:rgba(255,255,255,0.92);padding:6px 9px;border-radius:4px;"
            "box-shadow:0 1px 4px rgba(0,0,0,0.3);font:12px/1.5 sans-serif;"
            "max-height:320px;overflow-y:auto;color:#222"
        )


def style_summary(styles: Mapping[str, KindStyle] = KIND_STYLES) -> dict[str, str]:
    """Kind → colour, for tables and tests."""
    return {kind: style.color for kind, style in styles.items()}

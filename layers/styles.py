"""Colours, line styles and the legend of every kind of project.

One table (:data:`KIND_STYLES`) says how each kind is drawn; the layer builders and the
legend both read it, so a kind looks the same on the map and in the legend.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from branca.element import MacroElement
from jinja2 import Template

__all__ = [
    "KindStyle",
    "KIND_STYLES",
    "KIND_ORDER",
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


KIND_STYLES: dict[str, KindStyle] = {
    "metro_circle": KindStyle("都市圈/城市群 metro circle", "#3a7dc9", "area", 1.5),
    "ecology": KindStyle("生态 ecology", "#31a354", "area", 2.0),
    "corridor": KindStyle("走廊/发展带 corridor", "#8c6d31", "line", 7.0),
    "expressway": KindStyle("高速公路 expressway", "#e6550d", "line", 4.0),
    "railway": KindStyle("铁路 railway", "#2b4c8c", "line", 4.0),
    "road": KindStyle("道路 road", "#c98a0b", "line", 3.0),
    "waterway": KindStyle("航道 waterway", "#17a2c7", "line", 4.0),
    "power": KindStyle("电网 power line", "#b5b312", "line", 3.0),
    "pipeline": KindStyle("管道 pipeline", "#7f7f7f", "line", 3.0),
    "tourism": KindStyle("旅游 tourism", "#fd8d3c", "line", 3.0),
    "water": KindStyle("水利 water project", "#1f77b4", "point"),
    "bridge": KindStyle("桥梁/过江通道 bridge", "#756bb1", "point"),
    "port": KindStyle("港口 port", "#08519c", "point"),
    "airport": KindStyle("机场 airport", "#d62728", "point"),
    "station": KindStyle("站场/枢纽 station", "#9467bd", "point"),
    "logistics": KindStyle("物流园 logistics", "#8c564b", "point"),
    "industrial_park": KindStyle("产业园区 industrial park", "#ff7f0e", "point"),
    "science": KindStyle("科创设施 science", "#e377c2", "point"),
}

_SHAPE_RANK = {"area": 0, "line": 1, "point": 2}
# Draw order: areas at the bottom, then lines, then points on top.
KIND_ORDER: tuple[str, ...] = tuple(
    sorted(KIND_STYLES, key=lambda kind: _SHAPE_RANK[KIND_STYLES[kind].shape])
)

_FALLBACK = KindStyle("其他 other", "#555555", "point")

STATUS_LABELS: dict[str, str] = {
    "planned": "规划 planned",
    "study": "研究 study",
    "construction": "在建 under construction",
    "completed": "建成 completed",
    "other": "其他 other",
}

TIE_KIND_LABELS: dict[str, str] = {
    "cooperation": "合作 cooperation",
    "joint_project": "共建项目 joint project",
    "co_partner": "伙伴 partner",
    "co_membership": "同属 co-membership",
    "co_mention": "同提及 co-mention",
}

LEVEL_COLORS: dict[str, str] = {
    "province": "#54278f",
    "prefecture": "#252525",
    "county": "#737373",
}


def kind_label(kind: str) -> str:
    """Readable label of a kind of project or of tie (the kind itself when unknown)."""
    style = KIND_STYLES.get(kind)
    return style.label if style else TIE_KIND_LABELS.get(kind, kind)


def status_label(status: str) -> str:
    """Readable label of a status."""
    return STATUS_LABELS.get(status, status)


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
    return {
        "radius": 7,
        "color": style.color,
        "weight": 2,
        "opacity": 1.0,
        "fillColor": style.color,
        "fillOpacity": 0.25 if approximate else 0.85,
        "dashArray": None,
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

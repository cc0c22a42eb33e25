r"""Popup and tooltip HTML for projects, places and ties, with every document text escaped.

Folium inserts popup HTML raw, and ``folium.Tooltip`` puts its text inside a JavaScript
template literal, so a document saying ``<img src=x onerror=alert(1)>`` or ``${alert(1)}``
would run as code. Every text that comes from a document passes through
:func:`escape_text`, which HTML-escapes it *and* turns the characters that mean something
inside a template literal (`````, ``$``, ``\\``) into HTML entities: the browser shows them
as the same characters, but no JavaScript parser sees them.
"""

from __future__ import annotations

import html
import math
from collections.abc import Mapping, Sequence
from typing import Any

from branca.element import MacroElement
from jinja2 import Template

from layers.evidence import parse_sources
from layers.styles import kind_label, status_label

__all__ = [
    "POPUP_CSS",
    "PopupStyle",
    "doc_label",
    "escape_text",
    "highlight_span",
    "project_popup",
    "project_tooltip",
    "place_popup",
    "place_tooltip",
    "tie_popup",
    "tie_tooltip",
]

# Template-literal syntax and the escape character, as HTML entities.
_JS_TEMPLATE_ENTITIES = (("`", "&#96;"), ("$", "&#36;"), ("\\", "&#92;"))
_MAX_SENTENCE = 160  # characters of a sentence shown in a popup; every popup travels with
# every rerun, so the window around the name stays short (the table has the whole row)


def escape_text(value: object) -> str:
    """Escape any value for HTML and for a JavaScript template literal.

    Parameters
    ----------
    value
        Text (or anything with a ``str``); ``None`` and NaN become ``""``.

    Returns
    -------
    str
        Text safe to put in HTML, in an HTML attribute, and inside a backtick string.

    Examples
    --------
    >>> escape_text("<img src=x onerror=alert(1)>")
    '&lt;img src=x onerror=alert(1)&gt;'
    >>> escape_text("${alert(1)}")
    '&#36;{alert(1)}'
    """
    text = html.escape(_text(value), quote=True)
    for char, entity in _JS_TEMPLATE_ENTITIES:
        if char in text:
            text = text.replace(char, entity)
    return text


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and math.isnan(value):
        return ""
    return str(value)


def _clip(sentence: str, start: int, end: int) -> tuple[str, int, int, str, str]:
    """Cut a long sentence around the span; return it with the span moved accordingly."""
    if len(sentence) <= _MAX_SENTENCE:
        return sentence, start, end, "", ""
    keep = max(_MAX_SENTENCE - (end - start), 40) // 2
    lo = max(start - keep, 0)
    hi = min(end + keep, len(sentence))
    return (
        sentence[lo:hi],
        start - lo,
        end - lo,
        "…" if lo > 0 else "",
        "…" if hi < len(sentence) else "",
    )


def highlight_span(sentence: str, start: int, end: int, *, name: str = "") -> str:
    """HTML of a sentence with ``sentence[start:end]`` marked, every part escaped.

    When the offsets do not point at ``name`` (offsets from another decoding, say), the
    first occurrence of ``name`` is marked instead; when neither works nothing is marked.

    Examples
    --------
    >>> highlight_span("建设<b>小河港</b>", 5, 8)
    '建设&lt;b&gt;<mark>小河港</mark>&lt;/b&gt;'
    """
    sentence = _text(sentence)
    ok = 0 <= start < end <= len(sentence)
    if name and (not ok or sentence[start:end] != name):
        at = sentence.find(name)
        if at >= 0:
            start, end, ok = at, at + len(name), True
    if not ok:
        sentence, _, _, before, after = _clip(sentence, 0, 0)
        return before + escape_text(sentence) + after
    sentence, start, end, before, after = _clip(sentence, start, end)
    return (
        before
        + escape_text(sentence[:start])
        + "<mark>"
        + escape_text(sentence[start:end])
        + "</mark>"
        + escape_text(sentence[end:])
        + after
    )


def _split(value: object) -> list[str]:
    return [part for part in _text(value).split(";") if part]


def _int(value: object, default: int = 0) -> int:
    try:
        return int(value)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return default


def _row(label: str, value: str) -> str:
    return f"<tr><th>{label}</th><td>{value}</td></tr>" if value else ""


POPUP_CSS = (
    ".pa-pop{font:12px/1.45 sans-serif;max-width:360px}"
    ".pa-pop th{text-align:left;padding-right:6px;color:#555;font-weight:normal;"
    "vertical-align:top;white-space:nowrap}.pa-pop mark{background:#ffe066;padding:0 1px}"
    ".pa-pop blockquote{margin:4px 0;padding-left:6px;border-left:3px solid #ccc}"
    ".pa-pop .pa-doc{color:#666;font-size:11px}"
)


class PopupStyle(MacroElement):
    """The stylesheet of the popups, added once to a map's header (not to every popup)."""

    _template = Template(
        """
        {% macro header(this, kwargs) %}
        <style>{{ this.css }}</style>
        {% endmacro %}
        """
    )

    def __init__(self) -> None:
        super().__init__()
        self._name = "PopupStyle"
        self.css = POPUP_CSS


def doc_label(name: str, titles: Mapping[str, str] | None = None) -> str:
    """Name a document by its title, its file name in brackets (unescaped text).

    Examples
    --------
    >>> doc_label("a.txt", {"a.txt": "襄阳规划"}), doc_label("b.txt", {})
    ('襄阳规划 (a.txt)', 'b.txt')
    """
    title = (titles or {}).get(name, "")
    return f"{title} ({name})" if title and title != name else name


def project_popup(row: Mapping[str, Any], *, titles: Mapping[str, str] | None = None) -> str:
    """Popup HTML of one project row (a mapping with the ``Atlas.projects`` columns).

    `titles` names documents by their titles (file name in brackets) instead of their
    file names alone.
    """

    def label_of(doc_name: str) -> str:
        return doc_label(doc_name, titles)

    name = _text(row.get("name"))
    precision = _int(row.get("precision"), 0)
    precision_text = escape_text(row.get("precision_label"))
    if precision:
        precision_text = f"{precision_text} ({precision})" if precision_text else str(precision)
    place_names = "、".join(escape_text(p) for p in _split(row.get("place_names")))
    sentence = _text(row.get("sentence"))
    offset = _int(row.get("sent_start"), 0)
    quoted = highlight_span(
        sentence, _int(row.get("start")) - offset, _int(row.get("end")) - offset, name=name
    )
    doc = _text(row.get("doc"))
    others = [d for d in _split(row.get("docs")) if d != doc]
    if not others:  # older frames may list the other documents only in ``sources``
        named = (_text(source.get("doc")) for source in parse_sources(row.get("sources")))
        others = list(dict.fromkeys(d for d in named if d and d != doc))
    other_quotes = [
        f"<div class='pa-doc'>{escape_text(label_of(other))}</div>" for other in others[:6]
    ]
    if len(others) > 6:
        other_quotes.append(f"<div class='pa-doc'>… +{len(others) - 6}</div>")
    schematic = "（示意 schematic）" if bool(row.get("schematic")) else ""
    history = _history(parse_sources(row.get("sources")), label_of)
    table = "".join(
        [
            _row("类型 kind", escape_text(kind_label(_text(row.get("kind")))) + schematic),
            _row("状态 status", escape_text(status_label(_text(row.get("status"))))),
            _row("目标年 target", escape_text(row.get("target_year"))),
            _row("定位 precision", precision_text),
            _row("地点 places", place_names),
            _row("未定位 unplaced", escape_text(row.get("reason"))),
            _row("历程 history", history),
        ]
    )
    parts = [
        "<div class='pa-pop'>",
        f"<b>{escape_text(name)}</b>",
        f"<table>{table}</table>",
        f"<div class='pa-doc'>{escape_text(label_of(doc))}</div>",
        f"<blockquote>{quoted}</blockquote>" if sentence else "",
    ]
    if other_quotes:
        parts.append("<div>也见于 also named in:</div>" + "".join(other_quotes))
    parts.append("</div>")
    return "".join(parts)


def _history(sources: list[dict[str, Any]], doc_label: Any) -> str:
    """Escaped HTML of a project's status across its documents, in date order.

    ``规划 planned (2021) → 在建 under construction (2023)``; empty for one source or when
    the sources carry no status (frames from older versions).
    """
    steps = [s for s in sources if s.get("status")]
    if len(steps) < 2:
        return ""
    parts = []
    for step in steps:
        when = _text(step.get("date")) or doc_label(_text(step.get("doc")))
        status = escape_text(status_label(_text(step.get("status"))))
        parts.append(f"{status} ({escape_text(when)})")
    return " → ".join(parts)


def project_tooltip(row: Mapping[str, Any]) -> str:
    """Tooltip HTML of one project: name, kind, status, target year."""
    bits = [
        escape_text(kind_label(_text(row.get("kind")))),
        escape_text(status_label(_text(row.get("status")))),
    ]
    year = _text(row.get("target_year"))
    if year:
        bits.append(escape_text(year))
    return f"<b>{escape_text(row.get('name'))}</b><br>" + " · ".join(bits)


def place_popup(row: Mapping[str, Any], *, titles: Mapping[str, str] | None = None) -> str:
    """Popup HTML of one place row (``Atlas.places`` columns); documents by `titles`."""
    docs = "<br>".join(escape_text(doc_label(d, titles)) for d in _split(row.get("docs")))
    table = "".join(
        [
            _row("级别 level", escape_text(row.get("level"))),
            _row("代码 adcode", escape_text(row.get("adcode"))),
            _row("提及 mentions", escape_text(_int(row.get("mentions")))),
            _row("文件 documents", docs),
        ]
    )
    return f"<div class='pa-pop'><b>{escape_text(row.get('name'))}</b><table>{table}</table></div>"


def place_tooltip(row: Mapping[str, Any]) -> str:
    """Tooltip HTML of one place: name and number of mentions."""
    return f"{escape_text(row.get('name'))} ({_int(row.get('mentions'))})"


def tie_popup(
    row: Mapping[str, Any],
    *,
    max_evidence: int = 2,
    titles: Mapping[str, str] | None = None,
) -> str:
    """Popup HTML of one tie (a row of :func:`layers.ties.ties_frame`); documents by title."""
    kinds = "、".join(escape_text(kind_label(k)) for k in _split(row.get("kinds")))
    evidence: Sequence[Mapping[str, Any]] = parse_sources(row.get("evidence"), column="evidence")
    quotes = "".join(
        f"<div class='pa-doc'>{escape_text(doc_label(_text(item.get('doc')), titles))} · "
        f"{escape_text(kind_label(_text(item.get('kind'))))}"
        + (f" · {escape_text(item.get('project_name'))}" if item.get("project_name") else "")
        + "</div><blockquote>"
        + highlight_span(_text(item.get("sentence")), -1, -1, name=_text(item.get("project_name")))
        + "</blockquote>"
        for item in evidence[:max_evidence]
    )
    if len(evidence) > max_evidence:
        quotes += f"<div class='pa-doc'>… +{len(evidence) - max_evidence}</div>"
    table = "".join(
        [
            _row("类型 kinds", kinds),
            _row("权重 weight", escape_text(f"{float(row.get('weight') or 0):g}")),
        ]
        + (
            [_row("绘制 drawn as", escape_text(f"{float(row['readable_weight']):.3g}"))]
            if row.get("readable_weight") is not None
            else []
        )
    )
    return (
        f"<div class='pa-pop'><b>{escape_text(row.get('u_name'))} — "
        f"{escape_text(row.get('v_name'))}</b><table>{table}</table>{quotes}</div>"
    )


def tie_tooltip(row: Mapping[str, Any]) -> str:
    """Tooltip HTML of one tie: the two places and its weight."""
    weight = float(row.get("weight") or 0)
    return (
        f"{escape_text(row.get('u_name'))} — {escape_text(row.get('v_name'))} "
        f"({escape_text(f'{weight:g}')})"
    )

"""Small bar charts as plain HTML: counts that follow the filters, without a chart library.

Three Vega-Lite charts cost the page a large script and a compile on every filter change
(measured: a tenth of a second per filter, more on the first draw); counts by kind, status
and year read as well as bars of a table. Labels are escaped: they may come from documents.
"""

from __future__ import annotations

import html

import pandas as pd

__all__ = ["bars_html"]

_ROW = (
    "<div style='display:flex;align-items:center;gap:6px;font:12px/1.6 sans-serif'>"
    "<span style='flex:0 0 38%;overflow:hidden;text-overflow:ellipsis;white-space:nowrap'"
    " title='{label}'>{label}</span>"
    "<span style='flex:1 1 auto;background:#eef1f5;border-radius:2px'>"
    "<span style='display:block;height:12px;width:{share:.1f}%;background:{color};"
    "border-radius:2px'></span></span>"
    "<span style='flex:0 0 3.5em;text-align:right'>{count}</span></div>"
)


def bars_html(
    counts: pd.Series, *, title: str, color: str = "#3a7dc9", limit: int = 12
) -> str:
    """Return a horizontal bar chart of ``counts`` (label → number) as HTML.

    Parameters
    ----------
    counts
        Numbers by label, in the order to show (e.g. :func:`layers.view.counts`).
    title
        Heading of the chart.
    color
        Colour of the bars.
    limit
        Rows shown; the rest are summed into one "other" row.

    Examples
    --------
    >>> "机场 airport" in bars_html(pd.Series({"机场 airport": 3}), title="kinds")
    True
    >>> "&lt;b&gt;" in bars_html(pd.Series({"<b>": 1}), title="kinds")
    True
    """
    values = counts.astype(int)
    if len(values) > limit:
        rest = int(values.iloc[limit:].sum())
        values = pd.concat([values.iloc[:limit], pd.Series({f"… +{len(counts) - limit}": rest})])
    top = max(int(values.max()), 1) if len(values) else 1
    rows = "".join(
        _ROW.format(
            label=html.escape(str(label), quote=True),
            share=100.0 * int(count) / top,
            color=html.escape(color, quote=True),
            count=int(count),
        )
        for label, count in values.items()
    )
    empty = "" if rows else "<div style='color:#888;font:12px sans-serif'>—</div>"
    return (
        f"<div class='planatlas-chart'><div style='font:600 13px sans-serif;margin:2px 0 4px'>"
        f"{html.escape(title)}</div>{rows}{empty}</div>"
    )

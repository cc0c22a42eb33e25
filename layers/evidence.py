"""Read the JSON lists of sources a project or tie carries, for popups and the app's panels.

``Atlas.projects["sources"]`` and the ``evidence`` of a tie (:func:`layers.ties.ties_frame`)
are JSON arrays of objects such as ``{"doc": ..., "sentence": ..., "start": ...}``. Rows
come from files a user uploaded and from saved atlases, so a value may be malformed: a
malformed value or item is left out with a warning naming it, never dropped silently.

Examples
--------
>>> parse_sources('[{"doc": "a.txt", "sentence": "共建襄阳—神农架旅游线路。"}]')
[{'doc': 'a.txt', 'sentence': '共建襄阳—神农架旅游线路。'}]
>>> evidence_quotes('[{"doc": "a.txt", "sentence": "共建。"}]')
[('a.txt', '共建。')]
>>> parse_sources(None), parse_sources("")
([], [])
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Mapping
from typing import Any

import pandas as pd

__all__ = ["evidence_quotes", "parse_sources"]


def _missing(value: object) -> bool:
    """Whether a cell holds no value (``None``, NaN, ``pd.NA``, blank text)."""
    if isinstance(value, (list, tuple, dict)):
        return False
    if isinstance(value, str):
        return not value.strip()
    return bool(pd.isna(value))


def parse_sources(value: object, *, column: str = "sources") -> list[dict[str, Any]]:
    """Return the objects of a JSON array of sources (or of a list already parsed).

    Parameters
    ----------
    value
        A JSON string, a list, or a missing value (``None``, ``""``, NaN: no sources).
    column
        Name of the column ``value`` comes from, for the warnings.

    Returns
    -------
    list of dict
        The items that are objects, in order.

    Warns
    -----
    UserWarning
        When ``value`` is not JSON, not an array, or holds items that are not objects
        (each such item is left out and named).
    """
    if _missing(value):
        return []
    items: object = value
    if not isinstance(value, list):
        try:
            items = json.loads(str(value))
        except json.JSONDecodeError as exc:
            warnings.warn(
                f"{column} value {_short(value)!r} is not JSON ({exc.msg}); no source is "
                "shown for it (write it with json.dumps of a list of objects)",
                stacklevel=2,
            )
            return []
    if not isinstance(items, list):
        warnings.warn(
            f"{column} value {_short(value)!r} is a JSON {type(items).__name__}, not an "
            "array of objects; no source is shown for it",
            stacklevel=2,
        )
        return []
    kept = []
    for item in items:
        if isinstance(item, Mapping):
            kept.append(dict(item))
        else:
            warnings.warn(
                f"{column} item {_short(item)!r} is not an object with 'doc' and 'sentence'; "
                "it is left out",
                stacklevel=2,
            )
    return kept


def evidence_quotes(value: object) -> list[tuple[str, str]]:
    """``(document, sentence)`` of each item of a tie's ``evidence``.

    Parameters
    ----------
    value
        The ``evidence`` of a tie: a JSON array of objects (see :func:`parse_sources`).

    Returns
    -------
    list of tuple
        One pair per item; a missing ``doc`` or ``sentence`` is ``""``.

    Warns
    -----
    UserWarning
        As :func:`parse_sources`.
    """
    return [
        (_text(item.get("doc")), _text(item.get("sentence")))
        for item in parse_sources(value, column="evidence")
    ]


def _text(value: object) -> str:
    return "" if _missing(value) else str(value)


def _short(value: object, limit: int = 80) -> object:
    """Return the value, or its text cut to ``limit`` characters, for a message."""
    text = str(value)
    return value if len(text) <= limit else text[:limit] + "…"

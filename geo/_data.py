"""The fact tables shipped in ``geo/data/``: read once, checked as they are read.

Every table is a UTF-8 CSV file with one header row and a ``source`` column saying where
each row's fact comes from.  :data:`TABLES` lists the files with their columns and the
columns that identify a row; :func:`load_table` reads one of them through
:mod:`importlib.resources` (so an installed wheel works too), checks it and caches it.

Cells that hold several values (the names of a facility, the members of an area) list
them separated by ``|``; :func:`split_list` reads them.
"""

from __future__ import annotations

import csv
import functools
import io
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from types import MappingProxyType

from ._errors import GazetteerError

__all__ = ["TABLES", "Row", "TableSpec", "grouped", "load_table", "parse_table", "split_list"]

Row = Mapping[str, str]

#: Separator of several values in one cell (``鄂州花湖机场|花湖机场``).
LIST_SEPARATOR = "|"


@dataclass(frozen=True, slots=True)
class TableSpec:
    """What one data file must hold.

    Attributes
    ----------
    columns
        Columns the header must have (``source`` is always required as well).
    key
        Columns whose values identify a row; no two rows may share them.
    optional
        Columns that may be empty (every other column must have a value).
    """

    columns: tuple[str, ...]
    key: tuple[str, ...]
    optional: tuple[str, ...] = ()


#: Every data file of ``geo/data/``, by file name.
TABLES: Mapping[str, TableSpec] = MappingProxyType(
    {
        # geo.gazetteer
        "province_abbreviations.csv": TableSpec(
            ("adcode", "name", "abbreviation"), key=("adcode", "abbreviation")
        ),
        "city_abbreviations.csv": TableSpec(
            ("adcode", "name", "abbreviation"), key=("adcode", "abbreviation")
        ),
        "province_level_cities.csv": TableSpec(("adcode", "name"), key=("adcode",)),
        "admin_suffixes.csv": TableSpec(("suffix",), key=("suffix",)),
        "place_senses.csv": TableSpec(("sense",), key=("sense",)),
        # geo.mentions
        "city_homographs.csv": TableSpec(("short_name", "adcode"), key=("short_name",)),
        "cue_words.csv": TableSpec(("word", "strength"), key=("word",)),
        "landform_words.csv": TableSpec(("word",), key=("word",)),
        "institution_words.csv": TableSpec(("word",), key=("word",)),
        "direction_chars.csv": TableSpec(("char",), key=("char",)),
        "facility_tails.csv": TableSpec(("char",), key=("char",)),
        "facility_words.csv": TableSpec(("word",), key=("word",)),
        "name_affixes.csv": TableSpec(("affix", "side"), key=("affix", "side")),
        "count_words.csv": TableSpec(("char",), key=("char",)),
        "named_routes.csv": TableSpec(("route", "adcodes", "kind"), key=("route",)),
        "prefecture_short_names.csv": TableSpec(("form", "adcode", "name"), key=("form", "adcode")),
        # geo.facilities
        "facilities.csv": TableSpec(
            ("key", "names", "kind", "adcode", "lon", "lat", "precision"),
            key=("key",),
            optional=("lon", "lat"),
        ),
        "named_areas.csv": TableSpec(
            ("key", "names", "kind", "members", "note"), key=("key",), optional=("note",)
        ),
        "landmarks.csv": TableSpec(
            ("name", "adcodes", "shape", "note"), key=("name",), optional=("note",)
        ),
        # geo.townships
        "other_names.csv": TableSpec(("name", "kind", "note"), key=("name",), optional=("note",)),
        # geo.projects.grammar
        "head_nouns.csv": TableSpec(("word",), key=("word",)),
        # geo.projects.records
        "name_synonyms.csv": TableSpec(("long", "short"), key=("long",)),
        # geo.routes
        "national_routes.csv": TableSpec(
            ("key", "names", "short", "kind", "cities", "note"), key=("key",), optional=("note",)
        ),
        "known_circles.csv": TableSpec(
            ("key", "names", "kind", "core", "members", "note"),
            key=("key",),
            optional=("core", "note"),
        ),
        "foreign_places.csv": TableSpec(
            ("name", "country", "kind"), key=("name",), optional=("country",)
        ),
    }
)


def parse_table(text: str, *, name: str, spec: TableSpec) -> tuple[Row, ...]:
    r"""Read and check the CSV text of one data file.

    Parameters
    ----------
    text
        The file's content.
    name
        The file name, for messages.
    spec
        The columns and key the file must have.

    Returns
    -------
    tuple of Row
        One read-only mapping per row, column → value (surrounding spaces removed), in
        file order.  Blank lines are skipped.

    Raises
    ------
    GazetteerError
        If a column is missing, a row has the wrong number of cells, a required cell
        (``source`` among them) is empty, or two rows share a key.

    Examples
    --------
    >>> spec = TableSpec(("word",), key=("word",))
    >>> [dict(r) for r in parse_table("word,source\n高速,curated\n", name="t.csv", spec=spec)]
    [{'word': '高速', 'source': 'curated'}]
    """
    where = f"data file geo/data/{name}"
    fix = f"correct geo/data/{name} (or reinstall planatlas if you did not edit it)"
    reader = csv.reader(io.StringIO(text))
    header = [cell.strip() for cell in next(reader, [])]
    required = (*spec.columns, "source")
    missing = [c for c in required if c not in header]
    if missing:
        raise GazetteerError(
            f"{where}: header {header!r} lacks the column(s) {missing!r}; "
            f"expected at least {list(required)!r}: {fix}"
        )
    rows: list[Row] = []
    seen: dict[tuple[str, ...], int] = {}
    for cells in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != len(header):
            raise GazetteerError(
                f"{where}, line {line}: {len(cells)} cells {cells!r} but the header has "
                f"{len(header)}; quote a cell that contains a comma: {fix}"
            )
        row = {col: cell.strip() for col, cell in zip(header, cells, strict=True)}
        for col in required:
            if not row[col] and col not in spec.optional:
                hint = "say where the row's fact comes from" if col == "source" else "fill it"
                raise GazetteerError(f"{where}, line {line}: empty {col!r} ({hint}): {fix}")
        key = tuple(row[c] for c in spec.key)
        if key in seen:
            raise GazetteerError(
                f"{where}, line {line}: duplicate key {key!r} (first on line {seen[key]}); "
                f"merge the two rows: {fix}"
            )
        seen[key] = line
        rows.append(MappingProxyType(row))
    return tuple(rows)


@functools.cache
def load_table(name: str) -> tuple[Row, ...]:
    """Return the checked rows of the data file ``name`` (read once, then cached).

    Parameters
    ----------
    name
        A file name of :data:`TABLES`, such as ``"cue_words.csv"``.

    Returns
    -------
    tuple of Row
        See :func:`parse_table`.

    Raises
    ------
    GazetteerError
        If the file is missing from the installed package, is not UTF-8, or fails the
        checks of :func:`parse_table`.

    Examples
    --------
    >>> [r["abbreviation"] for r in load_table("province_abbreviations.csv")][:3]
    ['京', '津', '冀']
    """
    spec = TABLES.get(name)
    if spec is None:
        raise KeyError(f"unknown data file {name!r}; known files: {sorted(TABLES)!r}")
    resource = resources.files("geo") / "data" / name
    try:
        text = resource.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise GazetteerError(
            f"data file geo/data/{name} is missing from the installed package; "
            "reinstall planatlas (`pip install -e .`)"
        ) from None
    except UnicodeDecodeError as exc:
        raise GazetteerError(
            f"data file geo/data/{name} is not UTF-8 ({exc.reason} at byte {exc.start}); "
            "save it as UTF-8 or reinstall planatlas"
        ) from None
    return parse_table(text, name=name, spec=spec)


def split_list(value: str) -> tuple[str, ...]:
    """Split a cell holding several values (``"a|b"`` → ``("a", "b")``; ``""`` → ``()``).

    Examples
    --------
    >>> split_list("汉江|汉水")
    ('汉江', '汉水')
    """
    return tuple(v.strip() for v in value.split(LIST_SEPARATOR) if v.strip())


def grouped(name: str, key: str, value: str) -> dict[str, tuple[str, ...]]:
    """Return ``key`` → the ``value`` cells of its rows, in file order.

    Examples
    --------
    >>> grouped("province_abbreviations.csv", "adcode", "abbreviation")["510000"]
    ('川', '蜀')
    """
    out: dict[str, list[str]] = {}
    for row in load_table(name):
        out.setdefault(row[key], []).append(row[value])
    return {k: tuple(v) for k, v in out.items()}

"""A library of plan documents that lasts: added once, extracted once, built incrementally.

The library is a folder holding one SQLite database (``library.sqlite``, from Python's
standard library: one file, transactions, no server, readable by any SQLite tool):

``documents``
    one row per document: ``id`` (the first 16 hex digits of the SHA-256 of its bytes),
    ``name`` (the file name), ``doc`` (the name outputs use, unique in the library),
    ``format``, the original ``bytes``, the metadata ``title``, ``jurisdiction``,
    ``date``, ``kind``, ``chars``, when it was ``added`` and its order ``seq`` (indexed
    with the columns a build reads: a column after the bytes is reached only by walking
    them);
``extractions``
    per document and extractor version (:func:`geo.extraction.extractor_version`), the text
    read, its pages, and a pickle of the document (its text by reference to that column),
    its mentions and project records and the ties it states: all a build needs of it;

Beside it, ``atlas.pickle`` holds the last atlas built, headed by a JSON line of what it
was built from (the :meth:`Library.state` key, the extractor version, the documents with
their metadata): a build with nothing changed only reads it back, and a build after
documents were added places again only the projects those documents name. It is a plain
pickle (compressing tens of MB of polygons cost more than it saved), replaced atomically;
with more than one job a forked process writes it while the caller goes on.

Adding a document extracts only that document; a build extracts only what has no record
for the current extractor (so a new version extracts everything once) and assembles the
atlas from the stored records; with more than one job a forked process places most
projects and then makes the tie graph, and a build given an ``output`` writes the
projects of its GeoPackage meanwhile. Every document is written in one transaction with its
records: an ``add`` killed halfway leaves a library that reads, and running it again adds
the rest. A new library starts with the bundled seed documents.

Where it lives: ``--library DIR``, else ``$PLANATLAS_LIBRARY``, else the user's data
directory (``platformdirs``: ``~/.local/share/planatlas`` on Linux).
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import io
import json
import logging
import os
import pickle
import re
import sqlite3
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ._errors import DocumentError, PlanatlasError, SelectionError
from .documents import document_metadata, stand_in_title
from .gazetteer import load_gazetteer
from .readers import SUFFIXES, document_from_bytes
from .text import Document, make_document

__all__ = [
    "LIBRARY_ENV",
    "AddResult",
    "Entry",
    "Library",
    "LibraryError",
    "library_dir",
]

log = logging.getLogger(__name__)

#: The environment variable naming the library folder.
LIBRARY_ENV = "PLANATLAS_LIBRARY"
_DB = "library.sqlite"
_SCHEMA_VERSION = "1"
_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS documents (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    doc TEXT NOT NULL UNIQUE,
    format TEXT NOT NULL,
    bytes BLOB NOT NULL,
    title TEXT NOT NULL DEFAULT '',
    jurisdiction TEXT NOT NULL DEFAULT '',
    date TEXT NOT NULL DEFAULT '',
    kind TEXT NOT NULL DEFAULT '',
    chars INTEGER NOT NULL,
    added TEXT NOT NULL,
    seq INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS extractions (
    id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    version TEXT NOT NULL,
    text TEXT NOT NULL,
    pages TEXT NOT NULL,
    projects INTEGER NOT NULL,
    found BLOB NOT NULL,
    PRIMARY KEY (id, version)
);
DROP TABLE IF EXISTS atlases;
-- the documents in order, without reading their rows: a column after the bytes is read by
-- walking the bytes' overflow pages, so MAX(seq) on every add was quadratic in the library
CREATE INDEX IF NOT EXISTS documents_in_order ON documents (seq, id, doc, jurisdiction, date);
"""
_ATLAS = "atlas.pickle"


class LibraryError(PlanatlasError, RuntimeError):
    """The library folder or database cannot be used."""


def library_dir(folder: str | os.PathLike[str] | None = None) -> Path:
    """Return the library folder: `folder`, else ``$PLANATLAS_LIBRARY``, else the user's."""
    if folder is not None:
        return Path(folder)
    env = os.environ.get(LIBRARY_ENV)
    if env:
        return Path(env)
    import platformdirs

    return Path(platformdirs.user_data_dir("planatlas", appauthor=False))


@dataclass(frozen=True)
class Entry:
    """One document of the library, as ``planatlas list`` shows it."""

    id: str
    name: str
    doc: str
    title: str
    jurisdiction: str
    date: str
    kind: str
    format: str
    chars: int
    projects: int | None
    added: str

    def to_dict(self) -> dict[str, Any]:
        """Return the entry as a JSON-ready dict."""
        return asdict(self)


@dataclass
class AddResult:
    """What an ``add`` did: documents added, already there, and files that failed."""

    added: list[Entry] = field(default_factory=list)
    present: list[Entry] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)


class _RecordPickler(pickle.Pickler):
    """Pickle records compactly: units by adcode, records by field values, text by reference.

    The gazetteer holds every unit; records of hundreds of documents name the same units
    again and again, and unpickling a dataclass field by field is what made reading the
    stored records of a corpus slow. The document's text is stored beside the records
    (``extractions.text``): without it they are small enough to store uncompressed, and
    reading them back inflates nothing.
    """

    def __init__(self, file: io.BytesIO, text: str) -> None:
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self._text = text

    def persistent_id(self, obj: Any) -> str | None:
        return _TEXT if obj is self._text else None

    def reducer_override(self, obj: Any) -> Any:
        from .gazetteer import Unit

        if isinstance(obj, Unit):
            return _unit, (obj.adcode,)
        names = _record_fields(type(obj).__qualname__, type(obj).__module__)
        if names is not None:
            return _record, (type(obj), tuple(getattr(obj, n) for n in names))
        return NotImplemented


@functools.cache
def _record_fields(name: str, module: str) -> tuple[str, ...] | None:
    """Field names of the record classes pickled by value (by class name and module)."""
    from .mentions import Mention
    from .projects import Project

    for cls in (Mention, Project):
        if (cls.__qualname__, cls.__module__) == (name, module):
            return tuple(f.name for f in dataclasses.fields(cls))
    return None


def _unit(adcode: str) -> Any:
    from .gazetteer import load_gazetteer

    return load_gazetteer().units[adcode]


def _record(cls: type, values: tuple[Any, ...]) -> Any:
    return cls(*values)


_TEXT = "text"


class _RecordUnpickler(pickle.Unpickler):
    """Unpickle what :class:`_RecordPickler` pickled, given the document's text."""

    def __init__(self, file: io.BytesIO, text: str) -> None:
        super().__init__(file)
        self._text = text

    def persistent_load(self, pid: Any) -> Any:
        if pid == _TEXT:
            return self._text
        raise pickle.UnpicklingError(f"unknown reference {pid!r} in stored records")


def _dumps(payload: Any, text: str) -> bytes:
    buffer = io.BytesIO()
    _RecordPickler(buffer, text).dump(payload)
    return buffer.getvalue()


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _files(paths: Iterable[str | os.PathLike[str]]) -> list[Path]:
    """Files named, and the readable files inside folders named (sorted), in order."""
    out: list[Path] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            out.extend(
                sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in SUFFIXES)
            )
        else:
            out.append(p)
    return out


class Library:
    """A folder of plan documents with their metadata and extracted records.

    Parameters
    ----------
    folder
        The library folder (see :func:`library_dir`); made when missing.
    seed
        Add the bundled seed documents when the library is new.

    Raises
    ------
    LibraryError
        If the folder cannot be made or its database cannot be opened.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     lib = Library(tmp, seed=False)
    ...     result = lib.add_bytes("plan.txt", "加快建设襄阳至南漳高速公路。".encode())
    ...     [(e.name, e.projects) for e in lib.entries()]
    [('plan.txt', 1)]
    """

    def __init__(self, folder: str | os.PathLike[str] | None = None, *, seed: bool = True):
        self.folder = library_dir(folder)
        self._storing: Any = None  # the atlas being written beside (see _cache_atlas)
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.folder / _DB, timeout=30)
            self._db.execute("PRAGMA journal_mode=WAL")
            # in WAL mode a crash keeps the database consistent (the last commits may be
            # lost and an add run again); no fsync on every document
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.execute("PRAGMA foreign_keys=ON")
            self._db.executescript(_SCHEMA)
        except (OSError, sqlite3.Error) as exc:
            msg = (
                f"cannot open the library at {str(self.folder)!r}: {exc}; pass --library DIR "
                f"or set {LIBRARY_ENV} to a folder you can write"
            )
            raise LibraryError(msg) from exc
        schema = self._meta("schema")
        if schema is None:
            with self._db:
                self._db.execute("INSERT INTO meta VALUES ('schema', ?)", (_SCHEMA_VERSION,))
        elif schema != _SCHEMA_VERSION:
            msg = (
                f"the library at {str(self.folder)!r} has schema {schema!r}, this planatlas "
                f"reads {_SCHEMA_VERSION!r}; use another --library folder"
            )
            raise LibraryError(msg)
        if seed and self._meta("seeded") is None:
            self._seed()

    # ------------------------------------------------------------------ helpers

    def close(self) -> None:
        """Close the database, once the atlas being stored is written."""
        self._stored()
        self._db.close()

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _meta(self, key: str) -> str | None:
        row = self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def _seed(self) -> None:
        from .seeds import document_titles, seed_manifest, seed_paths

        manifest = seed_manifest()
        titles = document_titles(manifest)
        for path in seed_paths():
            entry = manifest.get(path.name, {})
            meta = entry if isinstance(entry, dict) else {}
            self.add(
                [path],
                title=titles.get(path.name),
                date=str(meta.get("date", "")) or None,
                jurisdiction=str(meta.get("jurisdiction", "")) or None,
            )
        with self._db:
            self._db.execute(
                "INSERT OR REPLACE INTO meta VALUES ('seeded', ?)", (_now(),)
            )

    def _unique_doc(self, name: str, ident: str, assigned: set[str]) -> str:
        """Return the name outputs use: the file name, or with the id when it is taken."""
        taken = {r[0] for r in self._db.execute("SELECT doc FROM documents")} | assigned
        if name not in taken:
            return name
        p = Path(name)
        return f"{p.stem}~{ident[:6]}{p.suffix}"

    # ------------------------------------------------------------------ adding

    def add(
        self,
        paths: Iterable[str | os.PathLike[str]],
        *,
        title: str | None = None,
        date: str | None = None,
        jurisdiction: str | None = None,
        jobs: int | None = 1,
        scheduler: str | None = None,
        progress: Callable[[int, int], None] | None = None,
    ) -> AddResult:
        """Add files and the documents inside folders; extract each once.

        A file that cannot be read is reported in ``failed`` and the others are still
        added. A document whose bytes are already in the library is not added again (its
        metadata is updated when given). Two files of the same name with different
        contents are two documents (the second's ``doc`` gets a suffix).

        Parameters
        ----------
        paths
            Files or folders.
        title, date, jurisdiction
            Metadata to set on every document added (else guessed from the text).
        jobs, scheduler
            Where to extract (:func:`geo.parallel.extract_all`).
        progress
            Called with (done, total) as documents are stored.

        Returns
        -------
        AddResult
        """
        result = AddResult()
        pending: list[tuple[Path, bytes, str]] = []
        for path in _files(paths):
            try:
                data = path.read_bytes()
            except OSError as exc:
                result.failed.append((str(path), f"cannot read {str(path)!r}: {exc.strerror}"))
                continue
            pending.append((path, data, hashlib.sha256(data).hexdigest()[:16]))
        self._add_all(pending, result, title, date, jurisdiction, jobs, scheduler, progress)
        return result

    def add_bytes(
        self,
        name: str,
        data: bytes,
        *,
        title: str | None = None,
        date: str | None = None,
        jurisdiction: str | None = None,
    ) -> AddResult:
        """Add one document from bytes (an upload); see :meth:`add`."""
        result = AddResult()
        ident = hashlib.sha256(data).hexdigest()[:16]
        self._add_all(
            [(Path(name), data, ident)], result, title, date, jurisdiction, 1, None, None
        )
        return result

    def _add_all(
        self,
        pending: Sequence[tuple[Path, bytes, str]],
        result: AddResult,
        title: str | None,
        date: str | None,
        jurisdiction: str | None,
        jobs: int | None,
        scheduler: str | None,
        progress: Callable[[int, int], None] | None,
    ) -> None:
        from .extraction import extractor_version
        from .parallel import iter_map

        version = extractor_version()
        new: list[tuple[Path, bytes, str, str]] = []
        seen: set[str] = set()
        assigned: set[str] = set()
        for path, data, ident in pending:
            if ident in seen:
                continue
            if self._has(ident):
                self.update(ident, title=title, date=date, jurisdiction=jurisdiction)
                result.present.append(self.entry(ident))
                continue
            name = self._unique_doc(path.name, ident, assigned)
            seen.add(ident)
            assigned.add(name)
            new.append((path, data, ident, name))
        total = len(new)
        if progress is not None:
            progress(0, total)
        # one pool for all; each document is stored as its records come, so an add that
        # is stopped keeps what it finished
        given = {"title": title, "date": date, "jurisdiction": jurisdiction}
        # the worker reads the bytes, extracts, infers the metadata and packs the records:
        # the parent only stores, so the work is as parallel as the pool
        prepared = iter_map(
            _prepare,
            [(data, str(path), name, given) for path, data, _, name in new],
            jobs=jobs,
            scheduler=scheduler,
        )
        for k, ((path, data, ident, name), done) in enumerate(
            zip(new, prepared, strict=True), 1
        ):
            if isinstance(done, str):  # the reader's message: this file, not the others
                result.failed.append((str(path), done))
                if progress is not None:
                    progress(k, total)
                continue
            blob, n_projects, meta, read = done
            row: dict[str, str] = {
                "id": ident,
                "name": path.name,
                "doc": name,
                "format": read["format"],
                "title": meta["title"],
                "jurisdiction": meta["jurisdiction"],
                "date": meta["date"],
                "kind": meta["kind"],
                "added": _now(),
            }
            with self._db:  # the document and its records, or neither
                seq = self._db.execute(
                    "SELECT COALESCE(MAX(seq), 0) + 1 FROM documents"
                ).fetchone()[0]
                self._db.execute(
                    "INSERT INTO documents (id, name, doc, format, bytes, title, "
                    "jurisdiction, date, kind, chars, added, seq) VALUES (:id, :name, "
                    ":doc, :format, :bytes, :title, :jurisdiction, :date, :kind, :chars, "
                    ":added, :seq)",
                    {**row, "bytes": data, "chars": len(read["text"]), "seq": seq},
                )
                self._store(ident, version, read["text"], read["pages"], n_projects, blob)
            result.added.append(
                Entry(
                    ident, path.name, name, row["title"], row["jurisdiction"], row["date"],
                    row["kind"], read["format"], len(read["text"]), n_projects, row["added"],
                )
            )
            if progress is not None:
                progress(k, total)
        log.info("library: %d added, %d present, %d failed", len(result.added),
                 len(result.present), len(result.failed))

    def _store(
        self, ident: str, version: str, text: str, pages: str, projects: int, blob: bytes
    ) -> None:
        """Store one document's records for one extractor version, in the caller's transaction."""
        self._db.execute(
            "INSERT OR REPLACE INTO extractions VALUES (?, ?, ?, ?, ?, ?)",
            (ident, version, text, pages, projects, blob),
        )

    def _has(self, ident: str) -> bool:
        row = self._db.execute("SELECT 1 FROM documents WHERE id = ?", (ident,)).fetchone()
        return row is not None

    # ------------------------------------------------------------------ reading

    def entry(self, ident: str) -> Entry:
        """Return one document's entry.

        Raises
        ------
        SelectionError
            If no document has this id.
        """
        found = self._entries("WHERE d.id = ?", (ident,))
        if not found:
            msg = f"no document with id {ident!r} in the library; see planatlas list"
            raise SelectionError(msg)
        return found[0]

    def entries(self) -> list[Entry]:
        """Return every document, in the order they were added."""
        return self._entries("", ())

    def _entries(self, where: str, args: tuple[str, ...]) -> list[Entry]:
        from .extraction import extractor_version

        rows = self._db.execute(
            "SELECT d.id, d.name, d.doc, d.title, d.jurisdiction, d.date, d.kind, d.format, "
            "d.chars, e.projects, d.added FROM documents d LEFT JOIN extractions e "
            f"ON e.id = d.id AND e.version = ? {where} ORDER BY d.seq",
            (extractor_version(), *args),
        ).fetchall()
        return [Entry(*row) for row in rows]

    def remove(self, ids: Iterable[str]) -> list[Entry]:
        """Remove documents by id (or by a unique prefix of one).

        Raises
        ------
        SelectionError
            If an id names no document, or several; nothing is removed then.
        """
        entries = self.entries()
        chosen: list[Entry] = []
        for ident in ids:
            hits = [e for e in entries if e.id.startswith(ident)]
            if len(hits) != 1:
                what = "no document" if not hits else f"{len(hits)} documents"
                msg = f"id {ident!r} names {what} in the library; see planatlas list"
                raise SelectionError(msg)
            chosen.append(hits[0])
        with self._db:
            for e in chosen:
                self._db.execute("DELETE FROM documents WHERE id = ?", (e.id,))
        return chosen

    def update(
        self,
        ident: str,
        *,
        title: str | None = None,
        date: str | None = None,
        jurisdiction: str | None = None,
    ) -> None:
        """Set metadata of one document; None leaves a field as it is."""
        values = {"title": title, "date": date, "jurisdiction": jurisdiction}
        values = {k: v for k, v in values.items() if v is not None}
        if not values:
            return
        assignments = ", ".join(f"{k} = :{k}" for k in values)
        with self._db:
            self._db.execute(
                f"UPDATE documents SET {assignments} WHERE id = :id", {**values, "id": ident}
            )

    def state(self) -> str:
        """Return a key of what an atlas of the library holds: its documents and extractor.

        It changes when a document is added or removed, a jurisdiction (which places the
        projects that name no place) or a date (which orders a project's sources) is
        corrected, or the extractor changes; an app caches
        the atlas by it.
        """
        from .extraction import extractor_version

        rows = self._db.execute(
            "SELECT id, doc, jurisdiction, date FROM documents ORDER BY seq"
        ).fetchall()
        payload = json.dumps([extractor_version(), [list(r) for r in rows]])
        return hashlib.sha256(payload.encode()).hexdigest()

    # ------------------------------------------------------------------ building

    def build(
        self,
        *,
        jobs: int | None = 1,
        scheduler: str | None = None,
        progress: Callable[[int, int], None] | None = None,
        output: str | os.PathLike[str] | None = None,
    ) -> Any:
        """Build the atlas of the library, extracting only what is not stored yet.

        Parameters
        ----------
        jobs, scheduler
            Where documents not extracted yet are extracted (:func:`geo.parallel.iter_map`);
            with more than one job the projects are placed and the tie graph is made in a
            forked process (:func:`geo.atlas.assemble`).
        progress
            Called with (documents extracted, documents to extract).
        output
            A GeoPackage to write the atlas to (:func:`geo.export.write`), as it is made:
            its projects while the tie graph is still being made.

        Returns
        -------
        geo.atlas.Atlas

        Raises
        ------
        DocumentError
            If the library holds no document.
        """
        from .parallel import paused_gc

        with paused_gc():  # what is read back and made lives to the end: nothing to collect
            return self._build(jobs, scheduler, progress, output)

    def _build(
        self,
        jobs: int | None,
        scheduler: str | None,
        progress: Callable[[int, int], None] | None,
        output: str | os.PathLike[str] | None,
    ) -> Any:
        from .atlas import assemble
        from .extraction import extractor_version
        from .parallel import iter_map

        version = extractor_version()
        rows = self._db.execute(
            "SELECT id, doc, jurisdiction, date FROM documents ORDER BY seq"
        ).fetchall()
        if not rows:
            msg = f"the library at {str(self.folder)!r} holds no document; planatlas add FILE"
            raise DocumentError(msg)
        key = self.state()
        built = [list(r) for r in rows]

        def usable(header: dict[str, Any]) -> bool:
            # the same atlas, or one of documents added since with nothing else changed
            before = header.get("documents") or []
            return header.get("key") == key or (
                header.get("version") == version and before == built[: len(before)]
            )

        self._stored()
        stored_from, previous = self._stored_atlas(usable)
        if previous is not None and stored_from.get("key") == key:
            log.info("library: atlas of %d documents from the cache", len(rows))
            if output is not None:
                _write(previous, output)
            return previous
        # the boundaries that place the projects are read meanwhile: reading and decoding
        # their file leave the interpreter's lock to the unpickling of the records
        boundaries = threading.Thread(target=_read_boundaries, daemon=True)
        boundaries.start()
        docs: list[Document] = []
        found: list[Any] = []
        stated: dict[str, Any] = {}
        missing: list[int] = []
        for ident, name, _jurisdiction, _date in rows:
            stored = self._db.execute(
                "SELECT found, text FROM extractions WHERE id = ? AND version = ?",
                (ident, version),
            ).fetchone()
            if stored is None:
                (data,) = self._db.execute(
                    "SELECT bytes FROM documents WHERE id = ?", (ident,)
                ).fetchone()
                docs.append(document_from_bytes(bytes(data), name=name))
                found.append(None)
                missing.append(len(docs) - 1)
                continue
            doc, mentions, records, ties = _loads(*stored)
            docs.append(doc)
            found.append((mentions, records))
            stated[doc.name] = ties
        boundaries.join()  # before any process is forked
        if missing:
            log.info("library: extracting %d of %d documents", len(missing), len(rows))
            blobs = iter_map(
                _records_blob,
                [docs[i] for i in missing],
                jobs=jobs,
                scheduler=scheduler,
                progress=(lambda k: progress(k, len(missing))) if progress else None,
            )
            with self._db:
                for i, blob in zip(missing, blobs, strict=True):
                    doc, mentions, records, ties = _loads(blob, docs[i].text)
                    docs[i] = doc
                    found[i] = (mentions, records)
                    stated[doc.name] = ties
                    self._store(
                        rows[i][0], version, doc.text, json.dumps(list(doc.pages)),
                        len(records), blob,
                    )
        # what the library holds (given or corrected by the user) wins over inference: the
        # jurisdiction places projects that name no place, the date orders their sources
        metadata = {
            name: {
                k: v
                for k, v in (("jurisdiction", _adcode_of(jurisdiction)), ("date", date))
                if v
            }
            for _ident, name, jurisdiction, date in rows
        }
        # placing and the graph in a forked process: not beside a Dask client's threads
        # (forking a process with threads is unsafe)
        aside = 1 if scheduler is not None else jobs
        atlas = assemble(
            docs, found, metadata=metadata, stated=stated, previous=previous, jobs=aside,
            graph_later=output is not None,
        )
        try:
            if output is not None:  # the projects while the graph is made; then its ties
                _write(atlas, output)
        finally:
            self._cache_atlas(
                {"key": key, "version": version, "documents": built}, atlas, aside
            )
        return atlas


    def _stored_atlas(
        self, usable: Callable[[dict[str, Any]], bool]
    ) -> tuple[dict[str, Any], Any]:
        """Return what the stored atlas was built from, and the atlas if `usable` says so.

        The file's first line is JSON: the :meth:`state` key, the extractor version and the
        documents' (id, doc, jurisdiction, date) rows, in order; the atlas after it is read
        only when it can serve. ({}, None) when there is none.
        """
        path = self.folder / _ATLAS
        try:
            with open(path, "rb") as fh:
                header = json.loads(fh.readline())
                if not isinstance(header, dict):
                    return {}, None
                return header, (pickle.load(fh) if usable(header) else None)
        except FileNotFoundError:
            return {}, None
        except (OSError, ValueError, pickle.UnpicklingError, EOFError, AttributeError,
                ImportError) as exc:
            log.warning("library: stored atlas %s unreadable (%s); building again", path, exc)
            return {}, None

    def _cache_atlas(self, built_from: dict[str, Any], atlas: Any, jobs: int | None) -> None:
        """Store `atlas` with what it was built from (see :func:`_store_atlas`).

        With more than one job it is written by a forked process while the caller goes on
        (writes the GeoPackage); the library waits for it before it reads the file again
        and when it closes.
        """
        from .parallel import beside

        atlas.graph  # noqa: B018 - received here, before the writer forks: it is this one's
        self._storing = beside(_store_atlas, self.folder / _ATLAS, built_from, atlas, jobs=jobs)
        if not self._storing.forked:
            self._stored()

    def _stored(self) -> None:
        """Wait until the atlas being stored is written."""
        if self._storing is not None:
            storing, self._storing = self._storing, None
            storing.result()


def _write(atlas: Any, output: str | os.PathLike[str]) -> None:
    from .export import write

    write(atlas, output, format="gpkg")


def _read_boundaries() -> None:
    """Read the gazetteer's boundaries into its cache (in a thread; see ``_build``).

    A failure is only logged here: placing reads them again, and reports it.
    """
    try:
        load_gazetteer().read_boundaries()
    except Exception as exc:  # noqa: BLE001 - the placing that needs them raises it
        log.debug("library: boundaries not read ahead: %s", exc)


def _store_atlas(path: Path, built_from: dict[str, Any], atlas: Any) -> None:
    """Write `atlas` to `path`, headed by what it was built from, whole or not at all.

    A folder that cannot take it warns: the atlas is built again next time.
    """
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "wb") as fh:
            fh.write(json.dumps(built_from, ensure_ascii=False).encode() + b"\n")
            pickle.dump(atlas, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        log.warning("library: atlas not stored in %s: %s", path, exc)
    except BaseException:
        tmp.unlink(missing_ok=True)  # no half-written file left beside the library
        raise


_ADCODE_RE = re.compile(r"\((\d{6})\)\s*$")


def _adcode_of(jurisdiction: str) -> str:
    """Return the adcode of a stored jurisdiction (``宝安区 (440306)``), else the text."""
    found = _ADCODE_RE.search(jurisdiction)
    return found.group(1) if found else jurisdiction.strip()


def _records_blob(doc: Document) -> bytes:
    """Extract one document and pack what a build needs of it (in a worker)."""
    return _extracted(doc)[0]


def _extracted(doc: Document) -> tuple[bytes, list[Any], list[Any]]:
    """Extract one document; return the packed records with its mentions and records.

    Packed: the document itself but its text, which the library stores apart (its
    cleaned text and sentences need not be made again), its mentions and project records,
    and the ties it states (:func:`geo.ties.text.document_ties`).
    """
    from .extraction import extract_document
    from .ties.text import document_ties

    mentions, records = extract_document(doc)
    payload = (doc, mentions, records, document_ties(doc, mentions))
    return _dumps(payload, doc.text), mentions, records


def _loads(blob: bytes, text: str) -> tuple[Document, list[Any], list[Any], Any]:
    """Unpack what :func:`_records_blob` packed, with the document's `text`."""
    return _RecordUnpickler(io.BytesIO(blob), text).load()  # type: ignore[no-any-return]


def _prepare(
    work: tuple[bytes, str, str, dict[str, str | None]],
) -> tuple[bytes, int, dict[str, str], dict[str, str]] | str:
    """Read one file's bytes, extract it, infer its metadata and pack it (in a worker).

    `work` is the bytes, the path, the document's name in the library and the metadata
    given. Returns the stored blob, the number of project records, the metadata as text
    and what was read (``text``, ``pages`` as JSON, ``format``); or, for bytes no reader
    takes, the reader's one-line message.
    """
    data, path, name, given = work
    try:
        doc = document_from_bytes(data, name=Path(path).name, path=path)
    except DocumentError as exc:
        return str(exc)
    if name != doc.name:  # outputs name it by its library name
        doc = make_document(
            doc.text, name=name, path=doc.path, encoding=doc.encoding, pages=doc.pages,
            format=doc.format,
        )
    blob, mentions, records = _extracted(doc)
    meta = document_metadata(doc, mentions, given=given)
    place = meta.jurisdiction
    return (
        blob,
        len(records),
        {
            "title": meta.title or stand_in_title(doc.text, doc.name),
            "jurisdiction": f"{place.name} ({place.adcode})" if place else "",
            "date": meta.date or meta.year,
            "kind": meta.kind,
        },
        {"text": doc.text, "pages": json.dumps(list(doc.pages)), "format": doc.format},
    )

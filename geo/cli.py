"""The ``planatlas`` command: thin wrappers over :mod:`geo`.

Every error planatlas raises on bad input becomes one line on stderr and exit code 2.
"""

from __future__ import annotations

import argparse
import atexit
import json
import logging
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ._errors import PlanatlasError
from .parallel import paused_gc

__all__ = ["main", "run"]

log = logging.getLogger("planatlas")

# How many unplaced projects build names on stderr (all of them with -v).
_UNPLACED_SHOWN = 20
# What extract and export write a projects frame as: told by the -o suffix.
_FRAME_FORMATS = ("geojson", "gpkg", "csv")


def _cmd_mentions(args: argparse.Namespace) -> int:
    from .mentions import get_recogniser
    from .readers import read_document

    rec = get_recogniser()
    out = sys.stdout
    for path in args.files:
        doc = read_document(path)
        for m in rec.find(doc.text, clean=doc.clean, sentences=doc.sentences):
            item = m.to_dict(doc.name)
            if doc.pages:  # a PDF: the page the mention is on
                item["page"] = doc.page_at(m.start)
            out.write(json.dumps(item, ensure_ascii=False))
            out.write("\n")
    return 0


def _cmd_extract(args: argparse.Namespace) -> int:
    from .atlas import extract
    from .export import format_of, write

    # Told before reading any document, so a mistyped name fails at once.
    fmt = format_of(args.output, formats=_FRAME_FORMATS)
    gdf = extract(args.files)
    write(gdf, args.output, format=fmt)
    log.info("%d projects written to %s as %s", len(gdf), args.output, fmt)
    return 0


def _bar(desc: str) -> Callable[[int, int], None] | None:
    """Return a progress bar on stderr when it is a terminal; None (quiet) otherwise."""
    if not sys.stderr.isatty():
        return None
    from tqdm import tqdm

    bar = tqdm(desc=desc, unit="doc", file=sys.stderr, leave=False)

    def update(done: int, total: int) -> None:
        bar.total = total
        bar.n = done
        bar.refresh()
        if done >= total:
            bar.close()

    return update


@contextmanager
def _atlas(args: argparse.Namespace, gpkg: str | None = None) -> Iterator[Any]:
    """Yield the atlas of the FILEs given, else of the library, written to `gpkg` if given.

    The library writes the GeoPackage as it makes the atlas, and stays open while the
    caller goes on: it stores its atlas meanwhile.
    """
    from .atlas import build
    from .library import Library

    if args.files:
        atlas = build(args.files, jobs=args.jobs, scheduler=args.scheduler)
        if gpkg is not None:
            from .export import write

            write(atlas, gpkg, format="gpkg")
        yield atlas
        return
    with Library(args.library) as library:
        yield library.build(
            jobs=args.jobs, scheduler=args.scheduler, progress=_bar("extracting"),
            output=gpkg,
        )


def _cmd_add(args: argparse.Namespace) -> int:
    from .library import Library

    with Library(args.library) as library:
        result = library.add(
            args.paths,
            title=args.title,
            date=args.date,
            jurisdiction=args.jurisdiction,
            jobs=args.jobs,
            scheduler=args.scheduler,
            progress=_bar("adding"),
        )
        total = len(library.entries())
    for _path, message in result.failed:  # each message names its file
        sys.stderr.write(f"planatlas: error: {message}\n")
    sys.stderr.write(
        f"{len(result.added)} added, {len(result.present)} already there, "
        f"{len(result.failed)} failed; {total} documents in {library.folder}\n"
    )
    return 2 if result.failed else 0


def _cmd_list(args: argparse.Namespace) -> int:
    from .library import Library

    with Library(args.library) as library:
        entries = library.entries()
    out = sys.stdout
    for e in entries:
        if args.json:
            out.write(json.dumps(e.to_dict(), ensure_ascii=False) + "\n")
        else:
            projects = "-" if e.projects is None else str(e.projects)
            out.write(f"{e.id}  {e.date or '-':10}  {projects:>5}  {e.doc}  {e.title}\n")
    return 0


def _cmd_remove(args: argparse.Namespace) -> int:
    from .library import Library

    with Library(args.library) as library:
        removed = library.remove(args.ids)
    for e in removed:
        sys.stderr.write(f"removed {e.id} {e.doc}\n")
    return 0


def _cmd_build(args: argparse.Namespace) -> int:
    from .formats import check_target, format_of

    format_of(args.output, formats=("gpkg",))  # an atlas is layers: a GeoPackage
    check_target(args.output)  # before the build, not after it
    with _atlas(args, gpkg=args.output) as atlas:
        report = atlas.report
    sys.stderr.write(
        f"{report.get('projects', len(atlas.projects))} projects, "
        f"{len(atlas.places)} places, {report.get('unplaced', 0)} unplaced "
        f"-> {args.output}\n"
    )
    items = report.get("unplaced_items", [])
    shown = items if args.verbose else items[:_UNPLACED_SHOWN]
    for item in shown:
        sys.stderr.write(
            f"  unplaced: {item.get('name')} ({item.get('doc')}:{item.get('start')}): "
            f"{item.get('reason')}\n"
        )
    if len(items) > len(shown):
        sys.stderr.write(
            f"  … {len(items) - len(shown)} more unplaced (planatlas -v build lists them all; "
            "the GeoPackage layer 'unplaced' holds them)\n"
        )
    return 0


def _cmd_export(args: argparse.Namespace) -> int:
    from .export import filter_projects, format_of, write
    from .formats import check_target

    fmt = args.format or format_of(args.output, formats=_FRAME_FORMATS)
    check_target(args.output)
    with _atlas(args) as atlas:
        gdf = filter_projects(
            atlas.projects, kinds=args.kind, circle=args.circle, doc=args.doc, atlas=atlas
        )
        write(gdf, args.output, format=fmt)
    sys.stderr.write(f"{len(gdf)} projects -> {args.output}\n")
    return 0


def _cmd_ties(args: argparse.Namespace) -> int:
    from .export import TIE_FORMATS, format_of, write_ties
    from .formats import check_target
    from .ties import with_co_mention

    fmt = args.format or format_of(args.output, formats=TIE_FORMATS)
    check_target(args.output)
    with _atlas(args) as atlas:
        g = with_co_mention(atlas.graph) if args.co_mention else atlas.graph
        write_ties(g, args.output, format=fmt)
    sys.stderr.write(f"{g.number_of_nodes()} places, {g.number_of_edges()} ties -> {args.output}\n")
    return 0


def _cmd_gazetteer(args: argparse.Namespace) -> int:
    from .gazetteer import load_gazetteer

    gaz = load_gazetteer(rebuild=args.build and args.force)
    sys.stderr.write(f"gazetteer: {len(gaz)} units at {gaz.path}\n")
    return 0


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="planatlas",
        description=(
            "Map what Chinese regional plans say will be built, "
            "and which cities they tie together."
        ),
    )
    p.add_argument("-v", "--verbose", action="store_true", help="log progress to stderr")
    sub = p.add_subparsers(dest="command", required=True)

    s = sub.add_parser("mentions", help="print place mentions as JSON Lines")
    s.add_argument("files", nargs="+", type=Path)
    s.set_defaults(func=_cmd_mentions)

    s = sub.add_parser(
        "extract", help="write the projects of FILEs as GeoJSON, GeoPackage or CSV"
    )
    s.add_argument("files", nargs="+", type=Path)
    s.add_argument(
        "-o", "--output", required=True, type=Path,
        help="output file; its suffix (.geojson or .json, .gpkg, .csv) picks the format",
    )
    s.set_defaults(func=_cmd_extract)

    def library_option(s: argparse.ArgumentParser) -> None:
        s.add_argument(
            "--library", type=Path, default=None,
            help="the library folder (default: $PLANATLAS_LIBRARY, else the user's data folder)",
        )

    def work_options(s: argparse.ArgumentParser) -> None:
        library_option(s)
        s.add_argument(
            "--jobs", type=int, default=None,
            help="processes that extract documents (default: one per core)",
        )
        s.add_argument(
            "--scheduler", metavar="tcp://HOST:PORT",
            help="extract on this Dask distributed scheduler instead",
        )

    s = sub.add_parser("add", help="add documents (files or folders) to the library")
    s.add_argument("paths", nargs="+", type=Path)
    s.add_argument("--title", help="title of the documents added")
    s.add_argument("--date", help="date or year of the documents added")
    s.add_argument("--jurisdiction", help="issuing jurisdiction of the documents added")
    work_options(s)
    s.set_defaults(func=_cmd_add)

    s = sub.add_parser("list", help="list the documents of the library")
    s.add_argument("--json", action="store_true", help="one JSON object per document")
    library_option(s)
    s.set_defaults(func=_cmd_list)

    s = sub.add_parser("remove", help="remove documents from the library by id")
    s.add_argument("ids", nargs="+")
    library_option(s)
    s.set_defaults(func=_cmd_remove)

    s = sub.add_parser(
        "build", help="build the atlas of FILEs (default: the library) into a GeoPackage"
    )
    s.add_argument("files", nargs="*", type=Path)
    s.add_argument("-o", "--output", default=Path("atlas.gpkg"), type=Path)
    work_options(s)
    s.set_defaults(func=_cmd_build)

    s = sub.add_parser("export", help="write a filtered subset of the atlas")
    s.add_argument("files", nargs="*", type=Path)
    s.add_argument(
        "--format", choices=_FRAME_FORMATS, help="default: told by the suffix of -o"
    )
    s.add_argument("--kind", action="append", help="keep this kind (repeatable)")
    s.add_argument(
        "--circle",
        help="keep what lies in this metropolitan circle (every place a member or within one)",
    )
    s.add_argument("--doc", help="keep projects named in this document")
    s.add_argument("-o", "--output", required=True, type=Path)
    work_options(s)
    s.set_defaults(func=_cmd_export)

    s = sub.add_parser("ties", help="write the graph of city ties (default: the library)")
    s.add_argument("files", nargs="*", type=Path)
    s.add_argument(
        "--format", choices=["graphml", "geojson"], help="default: told by the suffix of -o"
    )
    s.add_argument("--co-mention", action="store_true", help="include weak co-mention ties")
    s.add_argument("-o", "--output", default=Path("ties.graphml"), type=Path)
    work_options(s)
    s.set_defaults(func=_cmd_ties)

    s = sub.add_parser("gazetteer", help="build or check the local gazetteer cache")
    s.add_argument("--build", action="store_true", help="build the cache if it is missing")
    s.add_argument("--force", action="store_true", help="with --build: build again")
    s.set_defaults(func=_cmd_gazetteer)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; return the exit code."""
    args = _parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    try:
        # one command is a burst whose objects mostly live to its end, and makes almost no
        # garbage cycles (70 objects over 40 extracted reports): the cyclic collector's
        # full passes over millions of live records would only cost time
        with paused_gc():
            return args.func(args)
    except PlanatlasError as exc:
        sys.stderr.write(f"planatlas: error: {exc}\n")
        return 2
    except BrokenPipeError:
        return 0


def run() -> None:
    """Run the ``planatlas`` command and end the process without tearing its heap down.

    A command leaves millions of objects behind (the gazetteer, the recogniser, the
    records read back); freeing them one by one at shutdown takes a few tenths of a
    second and serves nothing. The exit handlers registered while the command ran still
    run (multiprocessing's, temporary files'), the logs and the output are flushed, then
    the process ends at once with the command's exit status. :func:`main` is what other
    Python code calls: it returns, and the interpreter is left as it was.
    """
    status = [1]  # an uncaught exception: its traceback is printed, then exit status 1
    # exit handlers run last registered first: this one runs after those the command
    # registers, and instead of the interpreter's own teardown
    atexit.register(_leave, status)
    try:
        status[0] = main()
    except SystemExit as exc:  # argparse: --help, a usage error
        status[0] = exc.code if isinstance(exc.code, int) else int(exc.code is not None)
        raise
    except KeyboardInterrupt:
        status[0] = 130  # as a shell reports a command stopped by Ctrl-C
        raise
    sys.exit(status[0])


def _leave(status: list[int]) -> None:
    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe or stream: nothing more to write
            pass
    os._exit(status[0])


if __name__ == "__main__":  # pragma: no cover
    run()

"""The library: documents added once, extracted once, listed from a new process, built the same
serially, in processes and on a Dask cluster; an add killed halfway leaves a library that reads.
"""

from __future__ import annotations

import json
import logging
import os
import pickle
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

import geo.atlas
import geo.extraction
import geo.parallel
from geo._errors import DocumentError, SelectionError
from geo.atlas import build
from geo.cli import main
from geo.library import Library, library_dir
from geo.parallel import extract_all
from geo.readers import read_document

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus" / "texts"
PLANATLAS = [sys.executable, "-m", "geo.cli"]
A = "加快建设襄阳至南漳、老河口至南漳等高速公路。推进襄阳都市圈建设。"
B = "推动鄂州花湖机场与武汉天河机场联动发展。规划建设武汉至九江高速铁路。"


def projects_of(atlas) -> set[tuple[str, str, str]]:
    frame = atlas.projects
    return set(zip(frame["name"], frame["kind"], frame["places"], strict=True))


@pytest.fixture
def plans(tmp_path: Path) -> dict[str, Path]:
    folder = tmp_path / "plans"
    (folder / "more").mkdir(parents=True)
    paths = {"a": folder / "a.txt", "b": folder / "more" / "b.txt"}
    paths["a"].write_text(A, encoding="utf-8")
    paths["b"].write_bytes(B.encode("gb18030"))
    return paths


def test_add_list_remove_build(tmp_path, plans):
    with Library(tmp_path / "lib", seed=False) as lib:
        result = lib.add([plans["a"].parent], title="襄阳交通", date="2024")  # a folder
        assert [e.name for e in result.added] == ["a.txt", "b.txt"] and not result.failed
        assert {e.title for e in lib.entries()} == {"襄阳交通"}
        assert [e.projects for e in lib.entries()] == [3, 3]
        atlas = lib.build()
        assert projects_of(atlas) == projects_of(build([plans["a"], plans["b"]], cache=False))
        removed = lib.remove([result.added[1].id[:6]])  # a unique prefix will do
        assert [e.name for e in removed] == ["b.txt"]
        assert [e.name for e in lib.entries()] == ["a.txt"]
        assert lib.build().documents == ("a.txt",)
        with pytest.raises(SelectionError, match="id 'nope' names no document"):
            lib.remove(["nope"])


def test_the_same_name_twice_is_two_documents_the_same_bytes_once(tmp_path, plans):
    other = tmp_path / "other" / "a.txt"
    other.parent.mkdir()
    other.write_text(B, encoding="utf-8")
    with Library(tmp_path / "lib", seed=False) as lib:
        first = lib.add([plans["a"], other])
        assert [e.name for e in first.added] == ["a.txt", "a.txt"]
        docs = [e.doc for e in first.added]
        assert docs[0] == "a.txt" and docs[1] != "a.txt" and docs[1].endswith(".txt")
        again = lib.add([plans["a"]], title="新标题")
        assert not again.added and [e.title for e in again.present] == ["新标题"]
        assert len(lib.entries()) == 2
        assert set(lib.build().documents) == set(docs)


def test_a_file_that_cannot_be_read_does_not_stop_the_others(tmp_path, plans, capsys):
    bad = tmp_path / "cut.pdf"
    bad.write_bytes(b"%PDF-1.7\n")
    lib_dir = tmp_path / "lib"
    code = main(["add", str(bad), str(plans["a"]), "--library", str(lib_dir), "--jobs", "1"])
    err = capsys.readouterr().err.splitlines()
    assert code == 2
    assert err[0].startswith("planatlas: error: ") and "cut.pdf" in err[0]
    assert err[1].startswith("1 added, 0 already there, 1 failed")
    with Library(lib_dir) as lib:
        assert "a.txt" in [e.name for e in lib.entries()]


def test_a_new_library_starts_with_the_seeds_and_lists_from_a_new_process(tmp_path, plans):
    lib_dir = tmp_path / "lib"
    assert main(["add", str(plans["a"]), "--library", str(lib_dir), "--jobs", "1"]) == 0
    proc = subprocess.run(
        [*PLANATLAS, "list", "--json", "--library", str(lib_dir)],
        capture_output=True, text=True, encoding="utf-8", check=True,
    )
    rows = [json.loads(line) for line in proc.stdout.splitlines()]
    assert len(rows) == 6 and rows[-1]["name"] == "a.txt"
    assert {"id", "name", "title", "jurisdiction", "date", "chars", "projects"} <= set(rows[0])
    assert rows[0]["title"].startswith("《加快推进襄阳都市圈高质量发展三年行动方案")
    assert rows[-1]["chars"] == len(A) and rows[-1]["projects"] == 3


def test_build_extracts_only_what_is_new_and_again_for_a_new_extractor(
    tmp_path, plans, monkeypatch
):
    calls: list[int] = []
    real = geo.parallel.iter_map

    def counting(function, items, **kwargs):
        calls.append(len(items))
        return real(function, items, **kwargs)

    monkeypatch.setattr(geo.parallel, "iter_map", counting)
    with Library(tmp_path / "lib", seed=False) as lib:
        lib.add([plans["a"]])
        lib.build()
        lib.add([plans["b"]])  # extracts b only
        first = lib.build()
        assert calls == [1, 1]
        monkeypatch.setattr(geo.extraction, "extractor_version", lambda: "a new extractor")
        assert projects_of(lib.build()) == projects_of(first)
        assert lib.build().report == first.report
        assert calls == [1, 1, 2]  # everything once for the new extractor, then nothing


def test_an_empty_library_is_a_clear_error(tmp_path):
    with (
        Library(tmp_path / "lib", seed=False) as lib,
        pytest.raises(DocumentError, match="holds no document; planatlas add FILE"),
    ):
        lib.build()


def test_the_library_folder_is_told_by_option_then_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("PLANATLAS_LIBRARY", str(tmp_path / "env"))
    assert library_dir() == tmp_path / "env"
    assert library_dir(tmp_path / "opt") == tmp_path / "opt"


def test_an_add_killed_halfway_leaves_a_library_that_reads(tmp_path):
    files = sorted(CORPUS.glob("*.txt"))[:40]
    folder = tmp_path / "corpus"
    folder.mkdir()
    for f in files:
        shutil.copy(f, folder / f.name)
    lib_dir = tmp_path / "lib"
    with Library(lib_dir):  # seeded first, so the add below only adds the corpus
        pass
    proc = subprocess.Popen(
        [*PLANATLAS, "add", str(folder), "--library", str(lib_dir), "--jobs", "1"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    db = sqlite3.connect(lib_dir / "library.sqlite", timeout=30)
    try:
        while db.execute("SELECT COUNT(*) FROM documents").fetchone()[0] < 7:
            assert proc.poll() is None, "the add ended before it could be stopped"
            assert time.monotonic() < deadline
            time.sleep(0.05)
    finally:
        db.close()
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    listed = subprocess.run(
        [*PLANATLAS, "list", "--json", "--library", str(lib_dir)],
        capture_output=True, text=True, encoding="utf-8", check=True,
    )
    partial = [json.loads(line) for line in listed.stdout.splitlines()]
    assert 7 <= len(partial) < 5 + len(files)
    assert all(row["projects"] is not None for row in partial)  # each with its records
    again = subprocess.run(
        [*PLANATLAS, "add", str(folder), "--library", str(lib_dir), "--jobs", "2"],
        capture_output=True, text=True, encoding="utf-8", check=True,
    )
    assert f"{len(files) - (len(partial) - 5)} added" in again.stderr
    with Library(lib_dir) as lib:
        assert len(lib.entries()) == 5 + len(files)


def test_processes_and_dask_give_what_one_process_gives(plans):
    from dask.distributed import LocalCluster

    paths = [plans["a"], plans["b"], *sorted(CORPUS.glob("*2025*.txt"))[:3]]
    serial = build(paths, cache=False)
    assert projects_of(build(paths, cache=False, jobs=2)) == projects_of(serial)
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=False) as cluster:
        on_dask = build(paths, cache=False, scheduler=cluster.scheduler_address)
    assert projects_of(on_dask) == projects_of(serial)
    assert list(on_dask.projects["id"]) == list(serial.projects["id"])  # the same order
    docs = [read_document(p) for p in paths]
    assert extract_all(docs, jobs=2) == extract_all(docs, jobs=1)


def test_a_project_naming_no_place_lies_in_the_jurisdiction_set_or_inferred(tmp_path):
    plan = tmp_path / "report.txt"
    plan.write_text("建设智慧物流园。加快建设陈埠临港物流园。", encoding="utf-8")
    with Library(tmp_path / "lib", seed=False) as lib:
        (entry,) = lib.add([plan], jurisdiction="宝安区").added
        assert entry.jurisdiction == "宝安区 (440306)"
        projects = lib.build().projects
        assert set(projects["precision"]) == {3}
        assert all("宝安区" in label for label in projects["precision_label"])
        lib.update(entry.id, jurisdiction="湖北省 (420000)")  # a correction builds again
        projects = lib.build().projects
        assert set(projects["precision"]) == {4}


def test_dates_set_in_the_library_order_a_projects_sources(tmp_path):
    plan = tmp_path / "plan.txt"
    plan.write_text("谋划建设襄阳至南漳高速公路。", encoding="utf-8")
    report = tmp_path / "report.txt"
    report.write_text("襄阳至南漳高速公路开工建设。", encoding="utf-8")

    def history(lib: Library) -> list[tuple[str, str]]:
        projects = lib.build().projects
        (row,) = projects[projects["kind"] == "expressway"].itertuples()
        return [(s["doc"], s["status"]) for s in json.loads(row.sources)]

    with Library(tmp_path / "lib", seed=False) as lib:
        (p,) = lib.add([plan], date="2021-03-01").added
        (r,) = lib.add([report], date="2023-05-01").added
        assert history(lib) == [("plan.txt", "planned"), ("report.txt", "construction")]
        lib.update(r.id, date="2020-01-01")  # a corrected date builds again, in date order
        assert history(lib) == [("report.txt", "construction"), ("plan.txt", "planned")]
        assert p.date == "2021-03-01"


def test_a_build_after_adding_places_only_what_the_new_document_names(tmp_path, caplog):
    """Built on the stored atlas or from nothing, the atlas is the same."""
    from geopandas.testing import assert_geodataframe_equal

    new = tmp_path / "new.txt"
    # one project the seeds name too (its row is placed again) and one of its own
    new.write_text("加快建设襄阳至南漳高速公路。建设宜城至钟祥铁路。", encoding="utf-8")
    with Library(tmp_path / "lib") as lib:
        before = lib.build()
        lib.add([new])
        with caplog.at_level(logging.INFO, logger="geo.atlas"):
            grown = lib.build()
    placed_again = [r.getMessage() for r in caplog.records if "placed again" in r.getMessage()]
    assert placed_again and int(placed_again[0].split()[1]) < len(before.projects) // 10
    with Library(tmp_path / "fresh") as lib:
        lib.add([new])
        fresh = lib.build()
    assert len(grown.projects) > len(before.projects)
    assert_geodataframe_equal(grown.projects, fresh.projects)
    assert grown.report == fresh.report
    assert sorted(grown.graph.edges(data=True)) == sorted(fresh.graph.edges(data=True))


def test_the_graph_built_beside_the_placing_is_the_graph_built_after_it(tmp_path):
    from geopandas.testing import assert_geodataframe_equal

    with Library(tmp_path / "serial") as lib:
        serial = lib.build(jobs=1)
    with Library(tmp_path / "beside") as lib:
        beside = lib.build(jobs=2)
    assert sorted(serial.graph.edges(data=True)) == sorted(beside.graph.edges(data=True))
    assert dict(serial.graph.nodes(data=True)) == dict(beside.graph.nodes(data=True))
    assert_geodataframe_equal(serial.projects, beside.projects)


def _counting(n):
    yield from range(n)


def _failing_after_one(parent):
    yield "first"
    if os.getpid() != parent:
        raise RuntimeError("only in the child")
    yield "second"


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_generator_beside_gives_its_values_in_turn(jobs):
    from geo.parallel import beside

    work = beside(_counting, 3, jobs=jobs)
    assert work.forked is (jobs == 2 and sys.platform.startswith("linux"))
    assert [work.next(), work.next(), work.next()] == [0, 1, 2]
    with pytest.raises(StopIteration):
        work.next()
    work.close()


def test_a_generator_that_fails_in_its_process_goes_on_here_past_what_it_gave():
    from geo.parallel import beside

    work = beside(_failing_after_one, os.getpid(), jobs=2)
    assert [work.next(), work.next()] == ["first", "second"]


def test_an_atlas_whose_graph_comes_later_is_the_atlas_made_at_once(plans):
    from geopandas.testing import assert_geodataframe_equal

    docs = [read_document(p) for p in plans.values()]
    found = extract_all(docs)
    at_once = geo.atlas.assemble(docs, found)
    later = geo.atlas.assemble(docs, found, jobs=2, graph_later=True)
    assert "graph" not in later.__dict__  # still being made
    assert_geodataframe_equal(at_once.projects, later.projects)
    assert sorted(at_once.graph.edges(data=True)) == sorted(later.graph.edges(data=True))
    assert later.graph is later.graph  # received once, then kept
    assert pickle.loads(pickle.dumps(later)).report == at_once.report


def test_a_library_writes_the_geopackage_it_builds(tmp_path):
    import pyogrio

    from geo.export import read_gpkg, write

    with Library(tmp_path / "lib") as lib:
        atlas = lib.build(jobs=2, output=tmp_path / "built.gpkg")
    write(atlas, tmp_path / "after.gpkg", format="gpkg")
    built, after = read_gpkg(tmp_path / "built.gpkg"), read_gpkg(tmp_path / "after.gpkg")
    layers = [name for name, _ in pyogrio.list_layers(tmp_path / "after.gpkg")]
    assert list(built) == list(after) == layers
    assert "ties" in built
    for name in built:
        assert built[name].equals(after[name]), name
    with Library(tmp_path / "lib") as lib:  # from the stored atlas
        lib.build(output=tmp_path / "again.gpkg")
    again = read_gpkg(tmp_path / "again.gpkg")
    assert all(again[name].equals(after[name]) for name in after)


def test_a_build_that_cannot_write_its_output_stores_its_atlas_whole(tmp_path, caplog):
    from geo._errors import ExportError

    with Library(tmp_path / "lib") as lib, pytest.raises(ExportError, match="does not exist"):
        lib.build(jobs=2, output=tmp_path / "missing" / "atlas.gpkg")
    assert "failed" not in caplog.text  # nothing done twice
    assert (tmp_path / "lib" / "atlas.pickle").is_file()
    assert list((tmp_path / "lib").glob("*.tmp")) == []  # no half-written file left
    with Library(tmp_path / "lib") as lib:
        assert lib.build().graph.number_of_edges() > 0  # the stored atlas, with its graph


def test_reading_and_placing_import_no_pandas():
    # so that a build places its projects in one process while the other imports pandas
    code = (
        "import sys\n"
        "import geo.cli, geo.library, geo.atlas, geo.formats\n"
        "from geo.gazetteer import load_gazetteer\n"
        "load_gazetteer().read_boundaries()\n"
        "print(sorted({'pandas', 'geopandas', 'networkx'} & set(sys.modules)))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[]"


def test_a_caller_that_fails_does_not_wait_for_its_work_beside(tmp_path):
    script = tmp_path / "caller.py"
    script.write_text(
        "from geo.parallel import beside\n"
        "def big():\n"
        "    yield b'x' * 10_000_000  # more than a pipe holds: the child waits for a reader\n"
        "work = beside(big, jobs=2)\n"
        "raise SystemExit('failed before reading it')\n",
        encoding="utf-8",
    )
    proc = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode == 1
    assert "failed before reading it" in proc.stderr


def test_placing_that_fails_stops_the_process_placing_beside(plans, monkeypatch):
    import multiprocessing

    docs = [read_document(p) for p in plans.values()]
    found = extract_all(docs)

    parent = os.getpid()

    def placing(groups, **kwargs):
        if os.getpid() == parent:
            raise RuntimeError("cannot place")
        time.sleep(60)  # the child would be placing for a long while yet

    monkeypatch.setattr(geo.atlas, "place_groups", placing)
    started = time.monotonic()
    with pytest.raises(RuntimeError, match="cannot place"):
        geo.atlas.assemble(docs, found, jobs=2)
    assert multiprocessing.active_children() == []
    assert time.monotonic() - started < 30


def test_work_beside_that_fails_in_its_process_is_done_again_here(monkeypatch):
    from geo.parallel import beside

    calls = []

    def flaky(x):
        calls.append(os.getpid())
        if os.getpid() != parent:
            raise RuntimeError("only in the child")
        return x * 2

    parent = os.getpid()
    assert beside(flaky, 21, jobs=2).result() == 42
    assert calls[-1] == parent


@pytest.mark.parametrize("junk", [b"garbage", b'{"key": "x"}\nnot a pickle', b"", b"[1, 2]\n"])
def test_a_stored_atlas_that_cannot_be_read_is_built_again(tmp_path, junk):
    plan = tmp_path / "plan.txt"
    plan.write_text(A, encoding="utf-8")
    with Library(tmp_path / "lib", seed=False) as lib:
        lib.add([plan])
        first = lib.build()
        (lib.folder / "atlas.pickle").write_bytes(junk)
        again = lib.build()
    assert again.report == first.report
    assert len(again.projects) == len(first.projects) > 0


def test_the_documents_in_order_are_read_from_an_index_not_from_their_bytes(tmp_path, plans):
    # a column after the bytes is reached by walking the bytes' pages: the next seq of an
    # add and the rows a build reads must come from the covering index
    with Library(tmp_path / "lib", seed=False) as lib:
        lib.add([plans["a"]])
        db = lib._db
        for query in (
            "SELECT COALESCE(MAX(seq), 0) + 1 FROM documents",
            "SELECT id, doc, jurisdiction, date FROM documents ORDER BY seq",
        ):
            plan = " ".join(row[-1] for row in db.execute(f"EXPLAIN QUERY PLAN {query}"))
            assert "COVERING INDEX documents_in_order" in plan, (query, plan)


def test_a_build_pauses_the_cyclic_collector_and_restores_it(tmp_path, plans, monkeypatch):
    import gc

    seen = []
    real = geo.atlas.assemble

    def spying(*args, **kwargs):
        seen.append(gc.isenabled())
        return real(*args, **kwargs)

    monkeypatch.setattr(geo.atlas, "assemble", spying)
    with Library(tmp_path / "lib", seed=False) as lib:
        lib.add([plans["a"]])
        assert gc.isenabled()
        lib.build()
    assert seen == [False] and gc.isenabled()
    gc.disable()
    try:
        with geo.parallel.paused_gc():
            pass
        assert not gc.isenabled()  # a collector the caller turned off stays off
    finally:
        gc.enable()
    with pytest.raises(RuntimeError), geo.parallel.paused_gc():
        raise RuntimeError("boom")
    assert gc.isenabled()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="ends workers by prctl")
def test_pool_workers_end_when_their_parent_is_killed(tmp_path):
    # a parent that starts two workers, prints their ids, then is killed mid-work
    script = tmp_path / "parent.py"
    script.write_text(
        "import multiprocessing, sys, time\n"
        "from geo.parallel import iter_map\n"
        "work = iter_map(time.sleep, [60, 60, 60], jobs=2)\n"
        "def show():\n"
        "    time.sleep(0.5)\n"
        "    print(*[p.pid for p in multiprocessing.active_children()], flush=True)\n"
        "import threading; threading.Thread(target=show, daemon=True).start()\n"
        "next(work)\n",
        encoding="utf-8",
    )
    with subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE,
                          text=True) as parent:
        workers = [int(p) for p in parent.stdout.readline().split()]
        parent.kill()
    assert len(workers) == 2

    def alive(pid: int) -> bool:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
        except FileNotFoundError:
            return False
        return state != "Z"  # a zombie has ended; only its exit status is left

    deadline = time.monotonic() + 10
    while any(alive(w) for w in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    still = [w for w in workers if alive(w)]
    for w in still:
        os.kill(w, signal.SIGKILL)
    assert still == []


def test_stored_records_refer_to_the_text_the_library_keeps_beside_them(plans):
    import pickle

    from geo.library import _extracted, _loads

    doc = read_document(plans["a"])
    filler = "这是一段不含任何项目的说明文字。" * 200  # prose no record quotes
    doc = read_document(plans["a"]).__class__(
        doc.name, doc.path, filler + doc.text, filler + doc.clean, doc.encoding,
        tuple(type(s)(s.start + len(filler), s.end + len(filler)) for s in doc.sentences),
    )
    blob, found_mentions, found_records = _extracted(doc)
    assert filler.encode("utf-8") not in blob and len(blob) < len(doc.text.encode("utf-8"))
    text = str(doc.text)
    back, mentions, records, _ties = _loads(blob, text)
    assert back == doc and back.text is text
    assert records and (mentions, records) == (found_mentions, found_records)
    with pytest.raises(pickle.UnpicklingError):
        pickle.loads(blob)  # the text is a reference: not readable without it


def test_the_atlas_stored_beside_the_caller_is_on_disk_when_the_library_closes(
    tmp_path, plans, caplog
):
    with Library(tmp_path / "lib", seed=False) as lib:
        lib.add([plans["a"], plans["b"]])
        first = lib.build(jobs=2)
        if sys.platform.startswith("linux"):
            assert lib._storing is not None and lib._storing.forked  # written meanwhile
    assert (tmp_path / "lib" / "atlas.pickle").is_file()
    with caplog.at_level(logging.INFO, logger="geo.library"), Library(
        tmp_path / "lib", seed=False
    ) as lib:
        again = lib.build(jobs=2)
    assert "from the cache" in caplog.text
    assert again.report == first.report

"""Library throughput over ../shared/corpus: cold add + build with 1 and 2 jobs, warm build,
one new document, peak memory — each through the ``planatlas`` command, side by side.

The cold runs are repeated (``--repeat``, 3 by default), one and two jobs in turn; the
figures are medians, and each run's add + build is listed beside them.

Run with ``make bench`` (or ``python benchmarks/bench_library.py [--corpus DIR]``).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus" / "texts"


def run(args: list[str], env: dict[str, str]) -> tuple[float, int]:
    """Run ``planatlas ARGS``; return seconds and the peak memory of the child in MB."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t0 = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "geo.cli", *args], env=env, check=True,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    seconds = time.perf_counter() - t0
    peak = max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
    return seconds, peak // 1024


def cold(corpus: Path, tmp: Path, jobs: int, env: dict[str, str]) -> dict[str, float]:
    """Add the corpus to a new library and build it with `jobs` processes."""
    library = tmp / f"lib{jobs}"
    shutil.rmtree(library, ignore_errors=True)
    env = {**env, "PLANATLAS_LIBRARY": str(library)}
    run(["list"], env)  # a new library: the seeds are added and extracted first
    add, peak_add = run(["add", str(corpus), "--jobs", str(jobs)], env)
    build, peak_build = run(["build", "--jobs", str(jobs), "-o", str(tmp / "a.gpkg")], env)
    return {"add": add, "build": build, "peak": max(peak_add, peak_build)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument("--repeat", type=int, default=3,
                    help="cold runs per number of jobs, alternated; medians are reported")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    files = sorted(args.corpus.glob("*.txt"))
    chars = sum(len(f.read_text(encoding="utf-8")) for f in files)
    out: dict[str, float | int] = {"documents": len(files), "chars": chars}
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        corpus = tmp / "corpus"
        corpus.mkdir()
        for f in files[1:]:
            shutil.copy(f, corpus / f.name)
        env = dict(os.environ)
        # one and two jobs take turns, so that a slower spell of the machine weighs on both
        runs: dict[int, list[dict[str, float]]] = {1: [], 2: []}
        for _ in range(max(1, args.repeat)):
            for jobs in runs:
                runs[jobs].append(cold(corpus, tmp, jobs, env))
        for jobs, measured in runs.items():
            add = statistics.median(m["add"] for m in measured)
            build = statistics.median(m["build"] for m in measured)
            total = statistics.median(m["add"] + m["build"] for m in measured)
            out[f"cold_add_s_jobs{jobs}"] = round(add, 2)
            out[f"cold_build_s_jobs{jobs}"] = round(build, 2)
            out[f"cold_add_build_s_jobs{jobs}"] = round(total, 2)
            out[f"cold_add_build_all_s_jobs{jobs}"] = " ".join(  # type: ignore[assignment]
                f"{m['add'] + m['build']:.2f}" for m in measured
            )
            out[f"chars_per_s_jobs{jobs}"] = int(chars / total)
            out[f"peak_mb_jobs{jobs}"] = max(int(m["peak"]) for m in measured)
        out["speedup_jobs2"] = round(
            float(out["cold_add_build_s_jobs1"]) / float(out["cold_add_build_s_jobs2"]), 2
        )
        env["PLANATLAS_LIBRARY"] = str(tmp / "lib2")
        warm, _ = run(["build", "-o", str(tmp / "b.gpkg")], env)
        out["warm_build_s"] = round(warm, 2)
        one = tmp / "one"
        one.mkdir()
        shutil.copy(files[0], one / files[0].name)
        add, _ = run(["add", str(one), "--jobs", "1"], env)
        build, _ = run(["build", "-o", str(tmp / "c.gpkg")], env)
        out["one_new_document_add_s"] = round(add, 2)
        out["one_new_document_build_s"] = round(build, 2)
        out["one_new_document_add_build_s"] = round(add + build, 2)
    if args.json:
        print(json.dumps(out))
    else:
        for key, value in out.items():
            print(f"{key:32} {value}")


if __name__ == "__main__":
    main()

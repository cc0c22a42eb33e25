"""The app in headless Chromium, offline: first draw and a filter change, seeds and corpus.

For each library (a fresh one holding the seeds, and one holding the 289 reports of
``../shared/corpus``) the app is started as ``make run`` starts it (``python -m
layers.serve``, loopback only), opened once to warm it, then opened ``--runs`` times:

- ``first_draw_s``: page opened → the first project feature is on the map;
- ``filter_s``: the first kind removed in the sidebar → the map shows the new set;
- ``python_run_s``: the median time of the server's script runs (the app logs each);
- ``component_bytes`` / ``filter_component_bytes``: the message carrying the map
  component's arguments (base map script + this run's layers), first draw and filter;
- ``first_ws_bytes`` / ``filter_ws_bytes``: what the server sent over the websocket (the
  map component's arguments, the table, the charts) for the page and for the filter.

Every request to another host is aborted, as in ``tests/test_browser.py``. The medians are
printed side by side (``--json`` for one JSON line). The corpus library is made with
``planatlas add`` into a temporary folder unless ``--corpus-library DIR`` names one already
made (``planatlas add ../shared/corpus/texts --library DIR``).

Run with ``make bench`` (or ``python benchmarks/bench_app.py [--only seeds]``).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

from layers.serve import running

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus" / "texts"
CHROMIUM = Path("/usr/bin/chromium")
IFRAME = "iframe[title='streamlit_folium.st_folium']"
COMPONENT = b"streamlit_folium.st_folium"  # in the websocket message of the map component
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
# Features drawn, whichever renderer (SVG paths or one canvas) Leaflet uses.
FEATURE_IDS = (
    "window.map ? Object.values(window.map._layers)"
    ".filter(l => l.feature && l.feature.id && !String(l.feature.id).startsWith('boundary-'))"
    ".map(l => l.feature.id).sort().join('|') : ''"
)


@contextmanager
def serve(library: Path, log: Path) -> Iterator[str]:
    """Run the app on ``library``; yield its URL."""
    env = {**os.environ, "PLANATLAS_LIBRARY": str(library)}
    for name in ("PLANATLAS_ATLAS", "PLANATLAS_TIANDITU_KEY", "PLANATLAS_BASEMAP"):
        env.pop(name, None)
    with running(env, log, args=["--logger.level", "info"], timeout=600) as url:
        yield url


def _offline(route) -> None:
    if urlsplit(route.request.url).hostname in LOCAL_HOSTS:
        route.continue_()
    else:
        route.abort()


def _poll(page, script: str, *, until, timeout: float = 120.0):
    """Evaluate ``script`` in the map's frame (found afresh each time) until ``until(value)``.

    The component's iframe can be replaced while the page settles, so no frame handle is
    kept between polls.
    """
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for frame in page.frames:
            if "streamlit_folium" not in frame.url:
                continue
            try:
                value = frame.evaluate(script)
            except Exception:  # noqa: BLE001 - a frame navigating or detached: poll again
                continue
            if until(value):
                return value
        page.wait_for_timeout(20)  # not time.sleep: the route handlers must keep running
    raise TimeoutError(f"the map did not reach the expected state in {timeout} s")


def _idle(page) -> None:
    """Wait for a settled page: the panels under the map made (a second run), none running."""
    page.wait_for_selector("[data-testid='stDownloadButton']", timeout=120_000)
    page.wait_for_selector("[data-test-script-state='notRunning']", timeout=120_000)


def measure(browser, url: str) -> dict[str, float]:
    """Open the app once; time the first draw and the removal of the first kind."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.route("**/*", _offline)
    ws_bytes = 0
    components: list[int] = []  # sizes of the messages that carry the map component

    def count(ws) -> None:
        def frame_received(payload) -> None:
            nonlocal ws_bytes
            ws_bytes += len(payload)
            data = payload if isinstance(payload, bytes) else payload.encode()
            if COMPONENT in data:
                components.append(len(data))

        ws.on("framereceived", frame_received)

    page.on("websocket", count)
    started = time.perf_counter()
    page.goto(url)
    before = _poll(page, FEATURE_IDS, until=bool)
    first = time.perf_counter() - started
    _idle(page)
    first_bytes = ws_bytes
    first_component = list(components)
    tags = page.locator("[data-testid='stMultiSelect']").filter(has_text="Kinds")
    label = tags.locator("[data-tag]").first.get_attribute("aria-label")
    button = page.get_by_role("button", name=f"Remove {label}")
    started = time.perf_counter()
    button.dispatch_event("click")
    after = _poll(page, FEATURE_IDS, until=lambda ids: ids != before)
    filtered = time.perf_counter() - started
    _idle(page)
    out = {
        "first_draw_s": first,
        "filter_s": filtered,
        "features": len(before.split("|")),
        "features_filtered": len(after.split("|")),
        "first_ws_bytes": first_bytes,
        "filter_ws_bytes": ws_bytes - first_bytes,
        "component_bytes": max(first_component, default=0),
        "filter_component_bytes": max(components[len(first_component):], default=0),
    }
    context.close()
    return out


RUN_TIME = re.compile(r"script run ([0-9.]+) s")


def _run_times(log: Path) -> list[float]:
    """Script run times the app logged so far (``planatlas.app``, ``--logger.level info``)."""
    return [float(t) for t in RUN_TIME.findall(log.read_text(errors="replace"))]


def bench(library: Path, runs: int, workdir: Path) -> dict[str, float]:
    """Medians of ``runs`` warm page opens of the app on ``library``."""
    from playwright.sync_api import sync_playwright

    log = workdir / f"{library.name}.log"
    with serve(library, log) as url, sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM), headless=True,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update"],
        )  # fmt: skip
        cold = measure(browser, url)  # fills the server's caches
        done = len(_run_times(log))
        warm = [measure(browser, url) for _ in range(runs)]
        browser.close()
        python = _run_times(log)[done:]  # every run of the warm page opens and filters
    result = {k: round(statistics.median(w[k] for w in warm), 3) for k in warm[0]}
    result["cold_first_draw_s"] = round(cold["first_draw_s"], 3)
    result["python_run_s"] = round(statistics.median(python), 3) if python else float("nan")
    return result


def corpus_library(corpus: Path, folder: Path) -> Path:
    """A library holding the seeds and every report of ``corpus`` (made once)."""
    library = folder / "corpus-library"
    subprocess.run(
        [sys.executable, "-m", "geo.cli", "add", str(corpus), "--library", str(library)],
        cwd=ROOT, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    return library


def main() -> None:
    """Measure, and print the table (or one JSON line)."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument("--corpus-library", type=Path, default=None)
    ap.add_argument("--only", choices=["seeds", "corpus"], default=None)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    if not CHROMIUM.exists():
        sys.exit(f"{CHROMIUM} is missing: apt-get install -y chromium")
    results: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        if args.only in (None, "seeds"):
            results["seeds"] = bench(work / "seeds-library", args.runs, work)
        if args.only in (None, "corpus"):
            library = args.corpus_library or corpus_library(args.corpus, work)
            results["corpus"] = bench(library, args.runs, work)
    if args.json:
        print(json.dumps(results))  # noqa: T201 - the benchmark's output
        return
    keys = list(next(iter(results.values())))
    print(f"{'':22}" + "".join(f"{name:>14}" for name in results))  # noqa: T201
    for key in keys:
        print(f"{key:22}" + "".join(f"{r.get(key, ''):>14}" for r in results.values()))  # noqa: T201


if __name__ == "__main__":
    main()

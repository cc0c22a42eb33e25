"""Benchmark: place-mention scanning rate of planatlas against cpca, side by side.

Run by hand (``make bench``); not part of the test suite. The seed corpus is repeated
to about 2 MB; each recogniser scans the same text ``--repeat`` times after a warm-up
run, and the best run counts (steady state). Start-up is the wall time of
``planatlas mentions`` on a one-line file, gazetteer cache warm.

    python benchmarks/bench_mentions.py [--size 2000000] [--repeat 3] [--json]
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def corpus(size: int) -> str:
    from geo.readers import read_document

    parts = [read_document(p).clean for p in sorted((ROOT / "seeds").glob("*.txt"))]
    base = "\n".join(parts)
    return (base * (size // len(base) + 1))[:size]


def best_rate(fn, text: str, repeat: int) -> tuple[float, int]:
    fn(text[:50_000])  # warm-up: tables loaded, caches filled
    best, n = float("inf"), 0
    for _ in range(repeat):
        t0 = time.perf_counter()
        n = fn(text)
        best = min(best, time.perf_counter() - t0)
    return len(text) / best, n


def planatlas_scan(text: str) -> int:
    from geo.mentions import get_recogniser

    return len(get_recogniser().find(text))


def _sentences(text: str) -> list[str]:
    import re

    return [s for s in re.split(r"[。！？；\n]", text) if s.strip()]


def cpca_per_sentence(text: str) -> int:
    """cpca called once per sentence, as a recogniser of a document stream is."""
    import cpca

    return sum(int(cpca.transform([s])["省"].notna().sum()) for s in _sentences(text))


def cpca_sentences(text: str) -> int:
    """cpca's usual API in one batch: one address per string, the text split into sentences."""
    import cpca

    df = cpca.transform(_sentences(text))
    return int(df["省"].notna().sum())


def cpca_text(text: str) -> int:
    """cpca's text mode: every address of the text (one automaton pass)."""
    import cpca

    return len(cpca.transform_text_with_addrs(text))


def startup_seconds(repeat: int) -> float:
    exe = shutil.which("planatlas") or str(Path(sys.executable).parent / "planatlas")
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False, encoding="utf-8") as fh:
        fh.write("加快建设襄阳至南漳高速公路。\n")
    subprocess.run([exe, "mentions", fh.name], check=True, capture_output=True)
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        subprocess.run([exe, "mentions", fh.name], check=True, capture_output=True)
        times.append(time.perf_counter() - t0)
    return min(times)


def gazetteer_load_seconds(repeat: int) -> float:
    """Warm load of the gazetteer (cache built) in a fresh interpreter, best of ``repeat``."""
    code = (
        "import time; t = time.perf_counter(); from geo.gazetteer import load_gazetteer; "
        "load_gazetteer(); print(time.perf_counter() - t)"
    )
    times = []
    for _ in range(repeat):
        out = subprocess.run(
            [sys.executable, "-c", code], check=True, capture_output=True, text=True
        )
        times.append(float(out.stdout.strip().splitlines()[-1]))
    return min(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--size", type=int, default=2_000_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()

    text = corpus(args.size)
    ours, n_ours = best_rate(planatlas_scan, text, args.repeat)
    per_sentence_rate, _ = best_rate(cpca_per_sentence, text[:200_000], 1)
    sent_rate, _ = best_rate(cpca_sentences, text, 1)
    text_rate, n_text = best_rate(cpca_text, text, max(1, args.repeat - 2))
    figures = {
        "chars": len(text),
        "planatlas_chars_per_s": round(ours),
        "planatlas_mentions": n_ours,
        "cpca_per_sentence_chars_per_s": round(per_sentence_rate),
        "cpca_transform_chars_per_s": round(sent_rate),
        "cpca_text_mode_chars_per_s": round(text_rate),
        "cpca_text_mode_rows": n_text,
        "speedup_vs_cpca_per_sentence": round(ours / per_sentence_rate, 1),
        "speedup_vs_cpca_transform": round(ours / sent_rate, 2),
        "speedup_vs_cpca_text_mode": round(ours / text_rate, 2),
        "startup_s": round(startup_seconds(args.repeat), 3),
        "gazetteer_warm_load_s": round(gazetteer_load_seconds(args.repeat), 3),
    }
    if args.json:
        print(json.dumps(figures))
    else:
        for k, v in figures.items():
            print(f"{k:24} {v}")


if __name__ == "__main__":
    main()

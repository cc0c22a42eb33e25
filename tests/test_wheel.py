"""``pip install .`` (a wheel, not editable) carries the seeds and data: build from anywhere.

Builds the wheel from a copy of the source tree without build isolation (nothing is
downloaded), installs it with ``--no-deps --no-index`` into a fresh virtual environment
that sees this environment's dependencies through a ``.pth`` file (their ``.pth`` files,
such as an editable install of planatlas, are not run), and runs ``planatlas build`` in an
empty working directory with an empty cache, so the gazetteer and the atlas are built
from what the wheel installed.
"""

from __future__ import annotations

import os
import shutil
import site
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import geopandas as gpd
import pyogrio
import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
# What never goes into a build: environments, caches, generated files.
IGNORED = shutil.ignore_patterns(
    ".git", ".venv", "build", "dist", "*.egg-info", "__pycache__", ".pytest_cache",
    ".hypothesis", ".mypy_cache", ".ruff_cache", "static", "*.gpkg", "*.geojson", ".cache",
)  # fmt: skip
SEEDS = sorted(p.name for p in (ROOT / "seeds").glob("*.txt"))
DATA = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "geo" / "data").glob("*.csv"))


def _run(command: list, *, cwd: Path, env: dict[str, str], timeout: int = 600) -> str:
    done = subprocess.run(
        [str(c) for c in command], cwd=cwd, env=env, capture_output=True, text=True,
        timeout=timeout,
    )  # fmt: skip
    assert done.returncode == 0, f"{command} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout + done.stderr


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """A fresh virtual environment with the planatlas wheel installed; its ``bin``."""
    import setuptools

    major = int(setuptools.__version__.split(".")[0])
    assert major >= 77, f"setuptools {setuptools.__version__} cannot build the SPDX license"
    tmp = tmp_path_factory.mktemp("wheel")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PIP_REQUIRE_VIRTUALENV")}
    source = tmp / "source"
    shutil.copytree(ROOT, source, ignore=IGNORED)
    started = time.perf_counter()
    _run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
         "--no-cache-dir", "--no-index", "-w", tmp / "dist", source],
        cwd=tmp, env=env,
    )  # fmt: skip
    (wheel,) = (tmp / "dist").glob("planatlas-*.whl")
    venv = tmp / "venv"
    _run([sys.executable, "-m", "venv", venv], cwd=tmp, env=env)
    python = venv / "bin" / "python"
    purelib = _run([python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                   cwd=tmp, env=env).strip()  # fmt: skip
    # the dependencies come from this environment (no download)
    Path(purelib, "_planatlas_test_deps.pth").write_text(
        "\n".join(site.getsitepackages()) + "\n", encoding="utf-8"
    )
    _run([python, "-m", "pip", "install", "--no-deps", "--no-index", wheel], cwd=tmp, env=env)
    return {
        "wheel": wheel,
        "bin": venv / "bin",
        "purelib": Path(purelib),
        "env": env,
        "tmp": tmp,
        "seconds": time.perf_counter() - started,
    }


def test_wheel_carries_the_seeds_and_data(installed):
    names = set(zipfile.ZipFile(installed["wheel"]).namelist())
    assert {f"geo/_seeds/{name}" for name in SEEDS} <= names
    assert "geo/_seeds/manifest.json" in names
    assert set(DATA) <= names  # the gazetteer's tables, once geo/data/ has them
    assert not [n for n in names if n.startswith(("tests/", "seeds/", "static/"))]


def test_installed_package_is_the_wheel_not_the_checkout(installed):
    code = (
        "import geo, geo.seeds; print(geo.__file__); print(geo.seeds.seed_dir()); "
        "print(len(geo.seeds.seed_paths()))"
    )
    out = _run([installed["bin"] / "python", "-c", code], cwd=installed["tmp"],
               env=installed["env"]).split()  # fmt: skip
    purelib = installed["purelib"]
    assert Path(out[0]).is_relative_to(purelib) and Path(out[1]) == purelib / "geo" / "_seeds"
    assert out[2] == str(len(SEEDS))


def test_planatlas_build_from_any_directory(installed, tmp_path):
    env = {
        **installed["env"],
        "PLANATLAS_CACHE": str(tmp_path / "cache"),  # the gazetteer built afresh
        "PLANATLAS_LIBRARY": str(tmp_path / "library"),  # a new library: the seeds
    }
    work = tmp_path / "elsewhere"
    work.mkdir()
    started = time.perf_counter()
    _run([installed["bin"] / "planatlas", "build", "-o", "atlas.gpkg"], cwd=work, env=env)
    took = time.perf_counter() - started
    kinds = {}
    shapes: set[str] = set()
    docs: set[str] = set()
    for name, _ in pyogrio.list_layers(work / "atlas.gpkg"):
        frame = pyogrio.read_dataframe(work / "atlas.gpkg", layer=name)
        if "kind" in frame.columns:  # a layer of projects
            kinds[name] = len(frame)
            if isinstance(frame, gpd.GeoDataFrame):  # "unplaced" is a table
                shapes |= {t.removeprefix("Multi") for t in frame.geometry.geom_type.dropna()}
            docs |= {d for value in frame["docs"] for d in str(value).split(";") if d}
    assert {"Point", "LineString", "Polygon"} <= shapes, kinds
    assert sum(kinds.values()) > 100
    assert sorted(docs) == SEEDS  # every seed document, and only those
    print(f"\nwheel: built and installed in {installed['seconds']:.1f} s; "  # noqa: T201
          f"`planatlas build` with an empty cache {took:.1f} s")  # fmt: skip


def test_every_package_of_the_source_tree_is_packaged() -> None:
    import pkgutil
    import tomllib

    import geo
    import layers

    listed = set(
        tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["tool"]["setuptools"][
            "packages"
        ]
    )
    found = {"geo", "layers"} | {
        m.name
        for pkg in (geo, layers)
        for m in pkgutil.walk_packages(pkg.__path__, prefix=f"{pkg.__name__}.")
        if m.ispkg
    }
    assert found <= listed, f"add {sorted(found - listed)} to [tool.setuptools] packages"

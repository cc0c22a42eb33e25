"""The seed documents ship inside the package and are read through importlib.resources."""

from __future__ import annotations

import doctest
import json
from importlib import resources
from pathlib import Path

import pytest

import geo.saved
import geo.seeds
import geo.uploads
import layers.evidence
import layers.projects
from geo._errors import DocumentError
from geo.readers import read_document
from geo.seeds import SEED_PACKAGE, document_titles, seed_dir, seed_manifest, seed_paths

REPO_SEEDS = Path(__file__).resolve().parents[1] / "seeds"


def test_seed_paths_are_the_installed_seed_files():
    paths = seed_paths()
    assert [p.name for p in paths] == sorted(p.name for p in REPO_SEEDS.glob("*.txt"))
    assert len(paths) == 5
    assert all(p.parent == seed_dir() for p in paths)
    assert seed_dir() == Path(str(resources.files(SEED_PACKAGE)))
    assert all(read_document(p).text for p in paths)


def test_manifest_titles_every_seed():
    manifest = seed_manifest()
    assert sorted(manifest) == [p.name for p in seed_paths()]
    titles = document_titles()
    assert titles == {name: entry["title"] for name, entry in manifest.items()}
    assert titles["003_ee83fa34eaa680c2.txt"].startswith("长江中游城市群")


def test_document_titles_warns_about_entries_it_cannot_use():
    manifest = {
        "a.txt": {"title": " 襄阳都市圈方案 "},
        "b.txt": ["not", "an", "object"],
        "c.txt": {"issuer": "湖北日报"},
        "d.txt": {"title": 42},
    }
    with pytest.warns(UserWarning) as caught:
        titles = document_titles(manifest)
    assert titles == {"a.txt": "襄阳都市圈方案", "c.txt": "c.txt", "d.txt": "d.txt"}
    messages = [str(w.message) for w in caught]
    assert len(messages) == 3
    assert "'b.txt'" in messages[0] and "['not', 'an', 'object']" in messages[0]
    assert "'c.txt'" in messages[1] and "title=None" in messages[1]
    assert "'d.txt'" in messages[2] and "title=42" in messages[2]
    assert all(w.filename == __file__ for w in caught)  # stacklevel points at the caller


def test_missing_seed_package_is_a_clear_error(monkeypatch):
    def missing(package):
        raise ModuleNotFoundError(f"No module named {package!r}")

    seed_dir.cache_clear()
    monkeypatch.setattr(resources, "files", missing)
    try:
        with pytest.raises(DocumentError, match=r"'geo\._seeds'.*pip install"):
            seed_paths()
    finally:
        seed_dir.cache_clear()


@pytest.mark.parametrize(
    ("content", "match"),
    [
        (None, "is missing"),
        ("{not json", "cannot be read"),
        (json.dumps(["a.txt"]), "holds a list"),
    ],
)
def test_broken_manifest_names_the_file(monkeypatch, tmp_path, content, match):
    if content is not None:
        (tmp_path / "manifest.json").write_text(content, encoding="utf-8")
    monkeypatch.setattr(geo.seeds, "seed_dir", lambda: tmp_path)
    with pytest.raises(DocumentError, match=match) as info:
        seed_manifest()
    assert str(tmp_path / "manifest.json") in str(info.value)


def test_a_seed_folder_without_documents_is_an_error(monkeypatch, tmp_path):
    monkeypatch.setattr(geo.seeds, "seed_dir", lambda: tmp_path)
    with pytest.raises(DocumentError, match=r"no seed document \(\*\.txt\)"):
        seed_paths()


@pytest.mark.parametrize(
    "module", [geo.seeds, geo.saved, geo.uploads, layers.evidence, layers.projects]
)
def test_doctests(module):
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0

"""The seed documents that ship with planatlas: their files, manifest and titles.

The repository keeps them in the top-level ``seeds/`` folder; ``pyproject.toml`` installs
that folder as the package ``geo._seeds`` (a ``package-dir`` mapping), so a wheel carries
them and an editable install reads the folder itself. Everything here goes through
:mod:`importlib.resources`, never through a path relative to this file, so it works from
any working directory and any kind of install.

Examples
--------
>>> [p.name for p in seed_paths()][:2]
['000_6006b24b9c0eb068.txt', '001_4fc31f965df92400.txt']
>>> document_titles({"a.txt": {"title": "襄阳都市圈方案"}})
{'a.txt': '襄阳都市圈方案'}
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Mapping
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from ._errors import DocumentError

__all__ = ["MANIFEST", "SEED_PACKAGE", "document_titles", "seed_dir", "seed_manifest", "seed_paths"]

#: The package the seed documents are installed as (the repository's ``seeds/`` folder).
SEED_PACKAGE = "geo._seeds"
#: File name of the manifest: document file name -> ``title``, ``issuer``, ``date``, ``kind``.
MANIFEST = "manifest.json"


@cache
def seed_dir() -> Path:
    """Return the folder holding the installed seed documents.

    Returns
    -------
    pathlib.Path
        A directory on the file system (the repository's ``seeds/`` in an editable
        install, ``site-packages/geo/_seeds`` in a wheel install).

    Raises
    ------
    DocumentError
        If planatlas is not installed (only on ``sys.path``), or installed as a zip
        archive, so the seeds cannot be found as files.
    """
    try:
        root = resources.files(SEED_PACKAGE)
    except ModuleNotFoundError as exc:
        msg = (
            f"the seed documents (package {SEED_PACKAGE!r}) are not installed; install "
            "planatlas with `pip install .` (or `pip install -e .` in a checkout) instead "
            "of putting the source folder on sys.path"
        )
        raise DocumentError(msg) from exc
    if not isinstance(root, Path):
        msg = (
            f"the seed documents of package {SEED_PACKAGE!r} are inside {str(root)!r}, not "
            "in a folder; install planatlas unzipped with `pip install .`"
        )
        raise DocumentError(msg)
    return root


def seed_paths() -> list[Path]:
    """List the seed documents (``*.txt``), sorted by file name.

    Raises
    ------
    DocumentError
        If the seeds are not installed, or the folder holds no ``.txt`` file.
    """
    folder = seed_dir()
    paths = sorted(folder.glob("*.txt"))
    if not paths:
        msg = (
            f"no seed document (*.txt) in {str(folder)!r}; reinstall planatlas, or pass "
            "plan documents explicitly"
        )
        raise DocumentError(msg)
    return paths


def seed_manifest() -> dict[str, Any]:
    """Read the seed manifest (``manifest.json``): file name -> what is known of it.

    Raises
    ------
    DocumentError
        If the manifest is missing, not JSON, or not a JSON object.
    """
    path = seed_dir() / MANIFEST
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        msg = f"the seed manifest {str(path)!r} is missing; reinstall planatlas"
        raise DocumentError(msg) from exc
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        msg = f"the seed manifest {str(path)!r} cannot be read ({exc}); reinstall planatlas"
        raise DocumentError(msg) from exc
    if not isinstance(manifest, dict):
        msg = (
            f"the seed manifest {str(path)!r} holds a {type(manifest).__name__}, not an "
            "object of file name -> entry; reinstall planatlas"
        )
        raise DocumentError(msg)
    return manifest


def document_titles(manifest: Mapping[str, Any] | None = None) -> dict[str, str]:
    """Titles of documents by file name, from a manifest (the seeds' by default).

    An entry that is not an object is left out, and an entry without a non-blank string
    ``title`` is titled by its file name; both with a warning naming the entry.

    Parameters
    ----------
    manifest
        File name -> ``{"title": ..., ...}``; :func:`seed_manifest` when omitted.

    Returns
    -------
    dict
        File name -> title, in the manifest's order.

    Warns
    -----
    UserWarning
        For each entry left out or titled by its file name.
    """
    entries = seed_manifest() if manifest is None else manifest
    titles: dict[str, str] = {}
    for name, entry in entries.items():
        if not isinstance(entry, Mapping):
            warnings.warn(
                f"manifest entry {name!r} is {entry!r}, not an object with a 'title'; it "
                'is left out (write it as {"title": "..."})',
                stacklevel=2,
            )
            continue
        title = entry.get("title")
        if not isinstance(title, str) or not title.strip():
            warnings.warn(
                f"manifest entry {name!r} has no title (title={title!r}); it is titled by "
                "its file name (add a non-empty string 'title')",
                stacklevel=2,
            )
            title = name
        titles[str(name)] = title.strip()
    return titles

"""Every example in the docstrings of ``geo`` and ``layers`` runs and gives what it shows.

Modules are found by walking the packages, so a new module (or subpackage) with examples
is tested without being listed here.  A module that cannot be imported fails: it is
never skipped.
"""

from __future__ import annotations

import doctest
import importlib
import io
import pkgutil
from types import ModuleType

import pytest

import geo
import layers

PACKAGES = (geo, layers)
OPTIONFLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
# Script entry points run on import (``python -m layers`` copies assets and exits).
SCRIPTS = frozenset({"layers.__main__", "geo.__main__"})


def module_names() -> list[str]:
    """Every module of the packages, subpackages included; import errors are kept."""
    names: list[str] = [p.__name__ for p in PACKAGES]
    broken: list[str] = []
    for package in PACKAGES:
        # walk_packages imports subpackages to look inside them; a failure is recorded
        # (and fails that module's test below) instead of being silently passed over.
        for info in pkgutil.walk_packages(
            package.__path__, prefix=f"{package.__name__}.", onerror=broken.append
        ):
            names.append(info.name)
    return sorted(set(names + broken) - SCRIPTS)


def doctests_of(module: ModuleType) -> list[doctest.DocTest]:
    finder = doctest.DocTestFinder(exclude_empty=True)
    return [t for t in finder.find(module, module.__name__) if t.examples]


def modules_with_examples() -> list[str]:
    """Modules whose docstrings hold examples, and modules that fail to import."""
    chosen = []
    for name in module_names():
        try:
            module = importlib.import_module(name)
        except Exception:  # noqa: BLE001 - kept, so that its test fails with the error
            chosen.append(name)
            continue
        if doctests_of(module):
            chosen.append(name)
    return chosen


MODULES = modules_with_examples()


def test_the_walk_finds_the_modules_with_examples():
    # The finder itself must work: these modules have had examples since they were written.
    assert {"geo.export", "geo.text", "layers.styles"} <= set(MODULES)
    assert set(MODULES) <= set(module_names())


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name):
    module = importlib.import_module(name)  # an import error fails here, never skips
    tests = doctests_of(module)
    runner = doctest.DocTestRunner(optionflags=OPTIONFLAGS)
    report = io.StringIO()
    for test in tests:
        runner.run(test, out=report.write)
    result = runner.summarize(verbose=False)
    assert result.attempted > 0, f"{name} has docstrings with examples but none ran"
    assert result.failed == 0, report.getvalue()

"""The app and the library never reach into the test suite (code or doctests)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = sorted(
    [ROOT / "streamlit_app.py", *(ROOT / "layers").rglob("*.py"), *(ROOT / "geo").rglob("*.py")]
)
# an import statement, also inside a doctest (">>> from tests.app_fixtures import ...")
TEST_IMPORT = re.compile(r"^\s*(?:>>>\s*)?(?:from\s+tests(?:\.|\s)|import\s+tests\b)", re.M)


def _imported(tree: ast.AST) -> set[str]:
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_the_scan_sees_the_app_and_both_packages():
    names = {p.relative_to(ROOT).as_posix() for p in SHIPPED}
    assert {"streamlit_app.py", "layers/projects.py", "geo/atlas.py", "geo/saved.py"} <= names


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_no_import_of_tests(path: Path):
    source = path.read_text(encoding="utf-8")
    imported = _imported(ast.parse(source))
    assert not {m for m in imported if m == "tests" or m.startswith("tests.")}
    assert not TEST_IMPORT.search(source), TEST_IMPORT.search(source)


@pytest.mark.parametrize(
    "line",
    [
        "from tests.app_fixtures import fixture_atlas",
        "    >>> from tests.app_fixtures import fixture_atlas",
        "import tests",
        ">>> import tests.app_fixtures as f",
    ],
)
def test_the_pattern_catches_test_imports(line):
    assert TEST_IMPORT.search(f'"""Doc.\n\n{line}\n"""\n')

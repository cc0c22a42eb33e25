"""Suite-wide fixtures: no test reads or writes the user's own library."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest


@pytest.fixture(autouse=True, scope="session")
def private_library(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A library folder of the test session (subprocesses inherit it too)."""
    folder = str(tmp_path_factory.mktemp("library"))
    before = os.environ.get("PLANATLAS_LIBRARY")
    os.environ["PLANATLAS_LIBRARY"] = folder
    yield folder
    if before is None:
        os.environ.pop("PLANATLAS_LIBRARY", None)
    else:
        os.environ["PLANATLAS_LIBRARY"] = before


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """Headless Chromium for a module of browser tests (``tests/test_browser*.py``)."""
    from playwright.sync_api import sync_playwright

    from tests.test_browser import CHROMIUM, CHROMIUM_ARGS

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()

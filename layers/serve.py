"""Start the app with its heavy modules already loaded: ``python -m layers.serve [ARGS]``.

``streamlit run`` imports geopandas, folium and the atlas code only when the first
browser connects, so the first visitor waits for them (~1.5 s here). This launcher
imports them and warms the atlas's disk cache in the server process first, then hands
over to ``streamlit run streamlit_app.py ARGS`` in the same process, where the first
script run finds them loaded. Extra arguments go to ``streamlit run``
(``--server.port 8502``).
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Sequence
from pathlib import Path

__all__ = ["main", "running", "warm"]

log = logging.getLogger(__name__)

APP = Path(__file__).resolve().parent.parent / "streamlit_app.py"


def warm() -> None:
    """Import what the app needs and make sure the atlas it shows is ready.

    The library's atlas is built into the library (a new library starts with the seeds),
    unless ``PLANATLAS_ATLAS`` names a saved atlas, which is opened once to check it (a
    file that cannot be opened is logged here and shown as an error on the page).
    """
    # nothing that imports streamlit: its config must first be read by `streamlit run`
    import folium  # noqa: F401
    import geopandas  # noqa: F401

    from geo._errors import DocumentError
    from geo.library import Library
    from geo.saved import ATLAS_ENV, load_atlas

    saved = os.environ.get(ATLAS_ENV, "").strip()
    if not saved:
        with Library() as library:
            library.build()
        return
    try:
        load_atlas(saved)
    except DocumentError as exc:
        log.warning("%s: %s", ATLAS_ENV, exc)


@contextlib.contextmanager
def running(
    env: dict[str, str], log: Path, *, args: Sequence[str] = (), timeout: float = 60
) -> Iterator[str]:
    """Run the app as ``make run`` does, in a child process on a free loopback port.

    Yields its URL (ending in ``/``) once it answers its health check, and stops it after.
    For scripts and tests; ``env`` is the child's environment, ``log`` gets its output and
    ``args`` go to ``streamlit run``.

    Raises
    ------
    RuntimeError
        If the app dies or does not answer within `timeout` seconds; the message holds
        its log.
    """
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    command = [
        sys.executable, "-m", "layers.serve", "--server.port", str(port),
        "--server.address", "127.0.0.1", "--server.headless", "true",
        "--browser.gatherUsageStats", "false", *args,
    ]  # fmt: skip
    with open(log, "wb") as out:
        process = subprocess.Popen(command, cwd=APP.parent, env=env, stdout=out, stderr=out)
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + timeout
        while not _healthy(url):
            if process.poll() is not None or time.monotonic() > deadline:
                msg = f"the app did not start:\n{log.read_text(errors='replace')}"
                raise RuntimeError(msg)
            time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url + "_stcore/health", timeout=2) as response:
            return bool(response.status == 200)
    except OSError:
        return False


def main(argv: Sequence[str] | None = None) -> int:
    """Warm up, then run ``streamlit run streamlit_app.py`` with ``argv``."""
    from streamlit.web import cli

    warm()
    sys.argv = ["streamlit", "run", str(APP), *(sys.argv[1:] if argv is None else argv)]
    return cli.main()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

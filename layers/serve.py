"""Start the app with its heavy modules already loaded: ``python -m layers.serve [ARGS]``.

``streamlit run`` imports geopandas, folium and the atlas code only when the first
browser connects, so the first visitor waits for them (~1.5 s here). This launcher
imports them and warms the atlas's disk cache in the server process first, then hands
over to ``streamlit run streamlit_app.py ARGS`` in the same process, where the first
script run finds them loaded. Extra arguments go to ``streamlit run``
(``--server.port 8502``).
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

__all__ = ["main", "warm"]

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


def main(argv: Sequence[str] | None = None) -> int:
    """Warm up, then run ``streamlit run streamlit_app.py`` with ``argv``."""
    from streamlit.web import cli

    warm()
    sys.argv = ["streamlit", "run", str(APP), *(sys.argv[1:] if argv is None else argv)]
    return cli.main()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

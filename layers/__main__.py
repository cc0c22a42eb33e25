"""``python -m layers [STATIC_DIR]``: copy the map's offline assets into STATIC_DIR.

STATIC_DIR defaults to ``static`` (run it from the directory of ``streamlit_app.py``).
"""

from layers.assets import main

raise SystemExit(main())

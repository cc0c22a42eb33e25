"""Serve the map's JavaScript and CSS from the app itself, never from a CDN.

Folium and its plugins point Leaflet, jQuery, Bootstrap and icon fonts at CDNs; with no
internet (and often in mainland China) the map stays blank. ``streamlit-folium`` does not
bundle Leaflet either: its frontend loads whatever ``default_js``/``default_css`` the map's
elements list, in the component's iframe. So:

1. :func:`install_assets` copies the files from an installed package, ``folium-offline``
   (import name ``offlinefolium``), which ships the exact files folium links to, keyed by
   their CDN URL, into the app's ``static/`` directory (Streamlit serves it at
   ``/app/static/`` with ``server.enableStaticServing = true``). The directory is generated
   and ignored by git.
2. :func:`localize` rewrites ``default_js``/``default_css`` of every element of a map (and of
   each feature group) to those local URLs, on the instances only, and drops the marker-icon
   assets (jQuery, Bootstrap, Font Awesome, awesome-markers) that the planatlas layers do
   not use. A link it cannot serve locally raises :class:`AssetError` rather than leaking
   a request to another host.

Run ``python -m layers [STATIC_DIR]`` to install the files ahead of time.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import sys
from collections.abc import Iterable, Iterator, Mapping
from functools import cache
from importlib import metadata
from pathlib import Path
from urllib.parse import urlsplit

from branca.colormap import ColorMap
from branca.element import Element

__all__ = [
    "AssetError",
    "ASSET_DIR",
    "UNUSED_ASSETS",
    "asset_index",
    "asset_path",
    "install_assets",
    "localize",
    "offline_resources",
    "static_base_url",
    "vendor_url",
]

logger = logging.getLogger(__name__)

ASSET_DIR = "planatlas"  # sub-directory of static/ that holds the copied assets
INDEX_FILE = "index.json"  # CDN URL -> relative path, written by install_assets
VENDOR_DIR = "vendor"  # third-party files kept in layers/vendor/, served beside the rest

# Map.default_js/default_css entries needed only for folium.Marker icons and folium.Popup
# (jQuery); the planatlas layers draw circle markers, paths and bind popups themselves.
UNUSED_ASSETS = frozenset(
    {
        "jquery",
        "bootstrap",
        "awesome_markers",
        "bootstrap_css",
        "glyphicons_css",
        "awesome_markers_font_css",
        "awesome_markers_css",
        "awesome_rotate_css",
    }
)

_SAFE_PATH = re.compile(r"[^A-Za-z0-9._@/-]")


class AssetError(LookupError):
    """A map asset cannot be served from the app (no installed copy of it)."""


@cache
def offline_resources() -> Mapping[str, str]:
    """CDN URL → file content, from the installed ``folium-offline`` package.

    Raises
    ------
    AssetError
        When ``folium-offline`` is not installed.
    """
    try:
        from offlinefolium import elements  # the package keeps the files in this dict
    except ImportError as exc:
        raise AssetError(
            "the map assets come from the package 'folium-offline' (import name "
            "'offlinefolium'), which is not installed; run `pip install -e .` "
            "or `pip install folium-offline`"
        ) from exc
    resources = getattr(elements, "_res", None)
    if not isinstance(resources, dict) or not resources:
        raise AssetError(
            "the installed 'folium-offline' has no resource table (offlinefolium.elements._res);"
            " install a version that has it, e.g. `pip install 'folium-offline>=0.20.0.2'`"
        )
    return resources


def asset_path(url: str) -> str:
    """Relative path under ``static/planatlas/`` for a CDN URL (host dropped).

    Examples
    --------
    >>> asset_path("https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js")
    'npm/leaflet@1.9.3/dist/leaflet.js'
    """
    parts = urlsplit(url)
    path = _SAFE_PATH.sub("_", parts.path.lstrip("/")) or "index"
    path = "/".join(seg for seg in path.split("/") if seg not in ("", ".", ".."))
    if parts.query:
        path += "_" + hashlib.sha1(parts.query.encode()).hexdigest()[:8]
    return path


def static_base_url(base_url_path: str = "") -> str:
    """URL prefix of the installed assets, e.g. ``/app/static/planatlas``.

    Parameters
    ----------
    base_url_path
        Streamlit's ``server.baseUrlPath`` (``""`` when the app is served at ``/``).
    """
    prefix = "/".join(seg for seg in base_url_path.split("/") if seg)
    return f"/{prefix}/app/static/{ASSET_DIR}" if prefix else f"/app/static/{ASSET_DIR}"


def install_assets(static_dir: str | Path) -> Path:
    """Copy every asset of ``folium-offline`` into ``static_dir/planatlas/``.

    Idempotent: a file whose content is already there is not rewritten. A ``.gitignore``
    with ``*`` is written to ``static_dir`` so the generated copies are never committed.

    Parameters
    ----------
    static_dir
        The app's static directory (``static/`` beside ``streamlit_app.py``).

    Returns
    -------
    pathlib.Path
        The directory holding the assets.

    Raises
    ------
    AssetError
        When ``folium-offline`` is not installed.
    """
    static_dir = Path(static_dir)
    target = static_dir / ASSET_DIR
    target.mkdir(parents=True, exist_ok=True)
    ignore = static_dir / ".gitignore"
    if not ignore.exists():
        ignore.write_text("# generated by layers.assets.install_assets\n*\n", encoding="utf-8")
    _install_vendor(target / VENDOR_DIR)
    stamp = target / ".installed"
    version = _source_version()
    current = stamp.is_file() and stamp.read_text(encoding="utf-8") == version
    if version and current and (target / INDEX_FILE).is_file():
        # Already copied from this version: skip importing the 3.5 MB resource module,
        # which would add most of a second to the app's first page.
        return target
    written = 0
    index = {}
    for url, content in offline_resources().items():
        index[url] = asset_path(url)
        path = target / asset_path(url)
        data = content.encode("utf-8")
        if path.is_file() and path.stat().st_size == len(data) and path.read_bytes() == data:
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_bytes(data)
        tmp.replace(path)  # atomic, so a browser never reads half a file
        written += 1
    (target / INDEX_FILE).write_text(json.dumps(index, indent=0), encoding="utf-8")
    if version:
        stamp.write_text(version, encoding="utf-8")
    logger.info("map assets in %s (%d written)", target, written)
    return target


def _install_vendor(target: Path) -> None:
    """Copy the third-party files kept in ``layers/vendor/`` (see its README) to ``target``."""
    source = Path(__file__).resolve().parent / VENDOR_DIR
    if not source.is_dir():
        logger.warning("no %s beside layers/: the map image button will not work", VENDOR_DIR)
        return
    for path in source.rglob("*"):
        if not path.is_file():
            continue
        copy = target / path.relative_to(source)
        data = path.read_bytes()
        if copy.is_file() and copy.read_bytes() == data:
            continue
        copy.parent.mkdir(parents=True, exist_ok=True)
        tmp = copy.with_name(copy.name + ".tmp")
        tmp.write_bytes(data)
        tmp.replace(copy)


def vendor_url(path: str, *, base_url: str = static_base_url()) -> str:
    """URL of a file of ``layers/vendor/`` once installed, e.g. the map image script.

    Examples
    --------
    >>> vendor_url("a@1/a.js")
    '/app/static/planatlas/vendor/a@1/a.js'
    """
    return f"{base_url.rstrip('/')}/{VENDOR_DIR}/{path}"


def _source_version() -> str:
    """Version of the installed asset package ('' when it is not installed)."""
    try:
        return f"folium-offline=={metadata.version('folium-offline')}"
    except metadata.PackageNotFoundError:
        return ""


def asset_index(static_dir: str | Path) -> dict[str, str]:
    """CDN URL → path under ``static/planatlas/`` of every installed asset.

    Reads the index :func:`install_assets` wrote, so it needs neither the asset package
    nor its import time.

    Raises
    ------
    AssetError
        When the assets were never installed in ``static_dir``.
    """
    path = Path(static_dir) / ASSET_DIR / INDEX_FILE
    try:
        index = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise AssetError(
            f"no map assets installed in {str(static_dir)!r}; "
            "run `python -m layers STATIC_DIR` or start the app once"
        ) from exc
    return {str(url): str(rel) for url, rel in index.items()}


def _package_and_file(url: str) -> tuple[str, str]:
    """('leaflet', 'leaflet.js') for .../npm/leaflet@1.9.3/dist/leaflet.js."""
    segments = [s for s in urlsplit(url).path.split("/") if s]
    package = next((s.split("@")[0] for s in segments if "@" in s and not s.startswith("@")), "")
    return package, segments[-1] if segments else ""


def _local_url(url: str, base_url: str, index: Mapping[str, str]) -> str:
    if not urlsplit(url).scheme and not url.startswith("//"):
        return url  # already relative or local
    if url in index:
        return f"{base_url}/{index[url]}"
    # Same file of the same package at another version (folium bumped a pin).
    package, filename = _package_and_file(url)
    for known, rel in index.items():
        if package and _package_and_file(known) == (package, filename):
            logger.info("serving %s for %s (version differs)", known, url)
            return f"{base_url}/{rel}"
    raise AssetError(
        f"no local copy of {url!r}: the element that links it would load it from another "
        "host; drop that element, add its asset name to UNUSED_ASSETS if it is not needed, "
        "or install a 'folium-offline' that ships it"
    )


def _walk(element: Element) -> Iterator[Element]:
    yield element
    for child in list(getattr(element, "_children", {}).values()):
        yield from _walk(child)


def localize(
    element: Element,
    *,
    base_url: str = static_base_url(),
    drop: Iterable[str] = UNUSED_ASSETS,
    index: Mapping[str, str] | None = None,
) -> Element:
    """Point every JS/CSS link of ``element`` and its children at the app's own copies.

    Only the instances change (``default_js``/``default_css`` are set on each object, the
    folium classes keep their CDN defaults).

    Parameters
    ----------
    element
        A ``folium.Map`` or a ``folium.FeatureGroup`` (anything with children).
    base_url
        Where :func:`install_assets` files are served, see :func:`static_base_url`.
    drop
        Asset names to leave out entirely.
    index
        CDN URL → path of the installed copies (:func:`asset_index`); by default every
        file ``folium-offline`` ships, at the path :func:`install_assets` gives it.

    Returns
    -------
    branca.element.Element
        The same ``element``, for chaining.

    Raises
    ------
    AssetError
        When a linked asset has no local copy.
    """
    dropped = frozenset(drop)
    base = base_url.rstrip("/")
    if index is None:
        index = {url: asset_path(url) for url in offline_resources()}
    for node in _walk(element):
        if isinstance(node, ColorMap):
            # streamlit-folium adds two d3 CDN links for any colormap it finds.
            raise AssetError(
                f"{type(node).__name__} makes streamlit-folium load d3 from a CDN; "
                "draw the legend with layers.styles.Legend instead"
            )
        for attr in ("default_js", "default_css"):
            links = getattr(node, attr, None)
            if not links:
                continue
            local = [
                (name, _local_url(url, base, index)) for name, url in links if name not in dropped
            ]
            setattr(node, attr, local)
    return element


def main(argv: list[str] | None = None) -> int:
    """Install the assets into ``argv[0]`` (default ``static/`` in the current directory)."""
    args = sys.argv[1:] if argv is None else argv
    target = install_assets(Path(args[0]) if args else Path("static"))
    print(target)  # noqa: T201 - the command's output
    return 0

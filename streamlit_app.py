"""planatlas app: what Chinese regional plans say will be built, on a map.

Thin on purpose: read the sidebar, ask ``geo`` for the atlas and ``layers`` for the view,
the map layers and the downloads, and show them. Run with ``streamlit run streamlit_app.py``.

Speed: the atlas is built once per set of documents (``st.cache_resource``); the base map
is built the same way on every run, so ``streamlit-folium`` keeps it mounted and a filter
change only swaps the feature groups (``feature_group_to_add``). A session's first run
draws the filters and the map only; the downloads, charts and tables under the map, the
help and the upload box follow once the map says it has drawn (:data:`MAP_DRAWN`).
Offline: the map's Leaflet files are copied from an installed package into ``static/``
and served by Streamlit itself (``server.enableStaticServing``); nothing but tiles comes
from elsewhere.

The library: the app shows the atlas of the document library (:mod:`geo.library`, the one
``planatlas add`` fills; ``$PLANATLAS_LIBRARY``, else the user's data folder), which starts
with the bundled seeds. An upload is added to the library, so it survives a reload; the
library panel under the map corrects a document's title, date and jurisdiction and removes
documents. The atlas is cached per state of the library.

Saved atlas: set ``PLANATLAS_ATLAS=/path/to/file`` to show an atlas saved with
:func:`geo.saved.save_atlas` instead of the library's, e.g. one built once
from many documents::

    from geo.atlas import build
    from geo.saved import save_atlas
    save_atlas(build(paths), "plans.atlas")  # boundaries={...} to draw your own outlines

The boundaries saved with it are drawn on the "none" basemap (the gazetteer's when none were
saved); uploads are read and reported but not mapped onto a saved atlas. The tests save
their small hand-made atlas this way. The file is read once per server and again when it
changes; a file that cannot be opened is one error on the page.

Set ``PLANATLAS_TIANDITU_KEY`` to offer Tianditu tiles, and ``PLANATLAS_BASEMAP``
(``none``, ``amap``, ``cartodb``...) to pick the basemap a session starts with.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import folium
import geopandas as gpd
import pandas as pd
import streamlit as st
from streamlit.logger import get_logger
from streamlit_folium import st_folium

from geo import seeds
from geo._errors import DocumentError
from geo.kinds import KINDS
from geo.library import Entry, Library, library_dir
from geo.readers import SUFFIXES
from geo.saved import ATLAS_ENV, SavedAtlas, load_atlas
from geo.uploads import Upload, read_uploads
from layers import assets, basemaps, charts, export
from layers import places as place_layers
from layers import projects as project_layers
from layers import ties as tie_layers
from layers import view as views
from layers._stored import FeatureStore, Focus, Sweep, publish
from layers.evidence import evidence_quotes
from layers.styles import kind_label, status_label

APP_DIR = Path(__file__).resolve().parent
# Streamlit's own handler and level (``--logger.level info`` shows the run times)
log = get_logger("planatlas.app")
MAP_KEY = "planatlas-map"
MAP_HEIGHT = 620
IMAGE_SCRIPT = "dom-to-image-more@3.11.0/dom-to-image-more.min.js"  # layers/vendor/
TABLE_ROWS = 1000  # rows of the project table sent to the page
# Session flag: the map has drawn once (its script says so, :func:`map_is_drawn`). Until
# then the panels under it wait: the browser would load and run their scripts (the data
# grid's are megabytes) before it even starts the map.
MAP_DRAWN = "_map_drawn"

HELP = """
- **Filters** keep the projects of some documents, kinds and statuses; **search** by name.
- **Circle**: what lies in a metropolitan circle (every place a member or within one).
- **City**: its projects and strongest ties, each with the sentence that states it.
- **Click** a feature for its kind, status and its history across documents, precision
  (how exactly it is placed), places and the source sentence. A dashed ring lies somewhere
  in the issuing jurisdiction; a dashed line runs through seats, not along the route.
- **Downloads** hold exactly what is shown (GeoJSON, a GeoPackage for QGIS with a layer per
  geometry, GraphML of the ties). The link of this page keeps the view.
- **Add documents** (.txt, .pdf, .docx, .html): they join the library and stay; correct
  titles and jurisdictions, or remove documents, under the map.
"""

# A saved atlas to show: its path and modification time (a new time reads it again).
Source = tuple[str, int]


def atlas_source() -> Source | None:
    """Return the saved atlas ``PLANATLAS_ATLAS`` names, or None to build from the seeds.

    Raises
    ------
    DocumentError
        If the variable names a file that does not exist.
    """
    path = os.environ.get(ATLAS_ENV, "").strip()
    if not path:
        return None
    try:
        return path, os.stat(path).st_mtime_ns
    except OSError as exc:
        msg = f"{ATLAS_ENV}={path!r} cannot be opened ({exc.strerror}); fix or unset it"
        raise DocumentError(msg) from exc


@dataclass(frozen=True)
class Loaded:
    """An atlas with what the app derives from it once (cached together)."""

    atlas: Any
    ties: gpd.GeoDataFrame
    errors: tuple[str, ...]  # one line per upload that could not be read
    added: tuple[str, ...]  # names of the uploaded documents in the atlas
    notes: tuple[str, ...] = ()
    # Map features already made from this atlas, per (layer, basemap datum): the atlas
    # never changes, so a rerun looks popups and shifted geometry up instead of redoing them.
    memo: dict[tuple[str, bool, int], dict[str, Any]] = field(default_factory=dict)
    # the library's documents as this run read them (empty for a saved atlas)
    entries: tuple[Entry, ...] = ()
    # the sidebar's options, made once per atlas (:func:`options`)
    choices: dict[str, Any] = field(default_factory=dict)


@st.cache_resource(show_spinner=False)
def asset_index() -> dict[str, str]:
    """Copy the map's JS/CSS into ./static once per server; URL → served path."""
    assets.install_assets(APP_DIR / "static")
    return assets.asset_index(APP_DIR / "static")


@st.cache_resource(show_spinner="正在打开图集 Opening the atlas…", max_entries=4)
def saved_atlas(source: Source) -> SavedAtlas:
    """Open (once per file version) the saved atlas ``source`` names."""
    return load_atlas(source[0])


@st.cache_resource(show_spinner="正在构建图集 Building the atlas…", max_entries=4)
def library_atlas(folder: str, state: str) -> Loaded:
    """Build (once per state of the library) the atlas of the library."""
    del state  # the cache key: a new state builds again
    with Library(folder) as library:
        atlas = library.build(jobs=1)
    return Loaded(atlas, _ties(atlas), (), ())


def _ties(atlas: Any) -> gpd.GeoDataFrame:
    """Every tie of the atlas, with what drawing needs (levels, readable weight)."""
    return tie_layers.readable_ties(tie_layers.ties_frame(atlas.graph), atlas.graph)


@st.cache_resource(show_spinner="正在打开图集 Opening the atlas…", max_entries=4)
def saved_loaded(source: Source) -> Loaded:
    """Open the saved atlas ``source`` names, with what the app derives from it."""
    atlas = saved_atlas(source).atlas
    return Loaded(atlas, _ties(atlas), (), ())


@st.cache_resource(show_spinner=False, max_entries=4)
def read_uploads_once(uploads: tuple[Upload, ...]) -> Any:
    """Read the uploads shown beside a saved atlas once, not on every rerun."""
    return read_uploads(uploads)


def load(source: Source | None) -> Loaded:
    """Return the atlas to show: the saved one, else the library's (uploads added first)."""
    if source is not None:
        read = read_uploads_once(_uploads())
        loaded = saved_loaded(source)
        notes = (
            (f"saved atlas: {len(read.documents)} document(s) read but not mapped "
             f"(unset {ATLAS_ENV} to add them to the library)",)
            if read.documents else ()
        )
        errors = tuple(f"{name}: {reason}" for name, reason in read.errors)
        return Loaded(
            loaded.atlas, loaded.ties, errors, (), notes, loaded.memo, choices=loaded.choices
        )
    folder = str(library_dir())
    errors, added = add_uploads(folder)
    with Library(folder) as library:  # once per run: its state and its documents
        state, entries = library.state(), tuple(library.entries())
    loaded = library_atlas(folder, state)
    return Loaded(
        loaded.atlas, loaded.ties, errors, added, (), loaded.memo, entries, loaded.choices
    )


def options(loaded: Loaded, name: str) -> Any:
    """Return ``views.<name>_options(atlas)`` (documents, kinds, statuses, circles, cities).

    Made once per atlas: the atlas never changes, and on a library of hundreds of plans
    each one scans thousands of projects.
    """
    found = loaded.choices.get(name)
    if found is None:
        found = loaded.choices[name] = getattr(views, f"{name}_options")(loaded.atlas)
    return found


def add_uploads(folder: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Add the files uploaded since the last run to the library, with a progress bar.

    Returns the lines for the files that could not be read and the names of the documents
    added in this session (both kept across reruns).
    """
    files = st.session_state.get("uploads") or []
    done: dict[str, tuple[str, str]] = st.session_state.setdefault("_uploads_done", {})
    new = [f for f in files if f.file_id not in done]
    if new:
        bar = st.progress(0.0, text="正在读取 Reading documents…")
        with Library(folder) as library:
            for k, f in enumerate(new, 1):
                result = library.add_bytes(f.name, f.getvalue())
                if result.failed:
                    done[f.file_id] = ("error", f"{f.name}: {result.failed[0][1]}")
                else:
                    entry = (result.added or result.present)[0]
                    done[f.file_id] = ("added", entry.doc)
                    # the map moves to what was just added, once
                    st.session_state.setdefault("_zoom_to", []).append(entry.doc)
                bar.progress(k / len(new), text=f"正在读取 Reading {f.name} ({k}/{len(new)})")
        bar.empty()
    errors = tuple(text for what, text in done.values() if what == "error")
    added = tuple(dict.fromkeys(text for what, text in done.values() if what == "added"))
    return errors, added


def _boundary_levels(source: Source | None) -> Callable[[str], gpd.GeoDataFrame]:
    """Return boundaries by level: the saved atlas's when it has them, else the gazetteer's."""
    saved = saved_atlas(source) if source is not None else None
    if saved is not None and saved.boundaries:
        return saved.boundary
    from geo.gazetteer import load_gazetteer

    return load_gazetteer().boundaries


@st.cache_resource(show_spinner=False)
def boundaries(source: Source | None, provinces: tuple[str, ...], base_url: str) -> FeatureStore:
    """Province outlines of China and county outlines of the given provinces, simplified.

    From the saved atlas when boundaries were saved with it, else from the gazetteer;
    published once as a file the browser fetches (the map script stays small).
    """
    level = _boundary_levels(source)
    province = basemaps.simplify_boundaries(level("province"), tolerance=0.05)
    county = level("county")
    county = county[county["adcode"].astype(str).str[:2].isin(provinces)]
    county = basemaps.simplify_boundaries(county, tolerance=0.02)
    features = basemaps.boundary_features(county, weight=0.6, prefix="boundary-county")
    features += basemaps.boundary_features(province, weight=1.6, prefix="boundary-province")
    return publish(features, folder=APP_DIR / "static" / assets.ASSET_DIR, base_url=base_url)


@st.cache_resource(show_spinner=False)
def place_names(
    source: Source | None, provinces: tuple[str, ...]
) -> list[tuple[float, float, str, int]]:
    """Return the names for the map without tiles: prefectures always, counties zoomed in.

    Counties of the main provinces only; from the saved atlas's boundaries when it has
    them, else from the gazetteer.
    """
    level = _boundary_levels(source)
    labels = []
    for name, zoom in (("prefecture", 0), ("county", basemaps.COUNTY_LABEL_ZOOM)):
        try:
            frame = level(name)
        except DocumentError:  # a saved atlas without this level of boundaries
            continue
        if name == "county":
            frame = frame[frame["adcode"].astype(str).str[:2].isin(provinces)]
        labels += basemaps.place_labels(frame, min_zoom=zoom)
    return labels


def _uploads() -> tuple[Upload, ...]:
    files = st.session_state.get("uploads") or []
    return tuple(sorted((f.name, f.getvalue()) for f in files))


def _keep_choices(key: str, options: list[str]) -> None:
    """Start a multiselect with every option; keep choices when the options change.

    After an upload, the user's choices stay and the options that are new are selected.
    """
    seen = f"_{key}_options"
    previous = st.session_state.get(seen)
    if key not in st.session_state:
        st.session_state[key] = list(options)
    elif previous is not None and previous != options:
        chosen = [o for o in st.session_state[key] if o in options]
        st.session_state[key] = chosen + [o for o in options if o not in previous]
    st.session_state[seen] = list(options)


def _keep_choice(key: str, options: dict[str, str]) -> None:
    """Clear a selectbox whose choice is no longer an option."""
    if st.session_state.get(key) is not None and st.session_state[key] not in options:
        st.session_state[key] = None


def document_titles(loaded: Loaded) -> dict[str, str]:
    """Return the titles of the documents: the library's, the manifest's for a saved atlas."""
    if not loaded.entries:
        return seeds.document_titles()
    return {e.doc: e.title for e in loaded.entries}


def _document_labels(docs: Sequence[str], titles: dict[str, str]) -> dict[str, str]:
    """Label each document, all labels different.

    Streamlit tells a multiselect's options apart by their labels: two documents shown
    alike (same title start, same file name start) would be chosen and dropped together,
    so that changing another filter silently drops documents.
    """
    labels = {d: f"{titles[d][:28]}… ({d[:3]})" if d in titles else d for d in docs}
    seen: dict[str, int] = {}
    for label in labels.values():
        seen[label] = seen.get(label, 0) + 1
    return {d: (f"{titles.get(d, d)[:28]}… ({d})" if seen[label] > 1 else label)
            for d, label in labels.items()}


def _from_url(keys: tuple[str, ...]) -> None:
    """Start a new session's widgets from the URL (a shared link opens the same view)."""
    if st.session_state.get("_url_read"):
        return
    st.session_state["_url_read"] = True
    for key in keys:
        value = st.query_params.get(key)
        if value:
            st.session_state[key] = value


def _to_url(values: dict[str, str | None]) -> None:
    """Keep the choices in the URL; a cleared choice leaves it."""
    for key, value in values.items():
        if value:
            st.query_params[key] = value
        elif key in st.query_params:
            del st.query_params[key]


def sidebar(loaded: Loaded) -> tuple[views.Selection, str]:
    """Draw the controls; return the selection and the basemap name."""
    bar = st.sidebar
    bar.title("planatlas")
    _from_url(("circle", "city", "search"))
    docs = options(loaded, "document")
    titles = document_titles(loaded)
    _keep_choices("documents", docs)
    chosen_docs = bar.multiselect(
        "文件 Documents",
        docs,
        format_func=_document_labels(docs, titles).__getitem__,
        key="documents",
    )
    kinds = options(loaded, "kind")
    _keep_choices("kinds", kinds)
    chosen_kinds = bar.multiselect("类型 Kinds", kinds, format_func=kind_label, key="kinds")
    statuses = options(loaded, "status")
    _keep_choices("statuses", statuses)
    chosen_statuses = bar.multiselect(
        "状态 Status", statuses, format_func=status_label, key="statuses"
    )
    circles = options(loaded, "circle")
    _keep_choice("circle", circles)
    circle = bar.selectbox(
        "都市圈 Metropolitan circle",
        [None, *circles],
        format_func=lambda c: "全部 all" if c is None else circles[c],
        key="circle",
    )
    cities = options(loaded, "city")
    _keep_choice("city", cities)
    city = bar.selectbox(
        "城市 City",
        [None, *cities],
        format_func=lambda c: "— 搜索 search —" if c is None else cities[c],
        key="city",
    )
    search = bar.text_input("搜索项目 Search projects", key="search", placeholder="名称 name")
    show_ties = bar.toggle("显示联系 Show ties", value=False, key="ties")
    levels = {"prefecture": "地级市 prefectures", "county": "市与区县 cities and counties",
              "province": "省级 provinces"}
    tie_level = bar.selectbox(
        "联系网络 Tie network", list(levels), format_func=levels.__getitem__,
        key="tie_level", disabled=not show_ties,
    )  # fmt: skip
    co_membership = bar.toggle(
        "共属同一区域 Co-membership ties", value=False, key="co_membership",
        disabled=not show_ties, help="Ties that only a shared area (a cluster) makes.",
    )  # fmt: skip
    names = basemaps.available_basemaps()
    # the choice is kept in the URL, so a reload (or a shared link) keeps it
    remembered = st.query_params.get("basemap")
    start = remembered if remembered in names else basemaps.default_basemap()
    basemap = bar.selectbox("底图 Basemap", names, index=names.index(start), key="basemap")
    if basemap != basemaps.default_basemap() or remembered is not None:
        st.query_params["basemap"] = basemap
    if map_is_drawn():  # like the panels under the map: their scripts would delay it
        with bar.expander("帮助 Help"):
            st.markdown(HELP)
        bar.file_uploader(
            "添加文件 Add documents (.txt, .pdf, .docx, .html)",
            type=sorted({suffix.lstrip(".") for suffix in SUFFIXES}),
            accept_multiple_files=True,
            key="uploads",
        )
    _to_url({"circle": circle, "city": city, "search": search})
    selection = views.Selection(
        documents=frozenset(chosen_docs) if set(chosen_docs) != set(docs) else None,
        kinds=frozenset(chosen_kinds) if set(chosen_kinds) != set(kinds) else None,
        statuses=frozenset(chosen_statuses) if set(chosen_statuses) != set(statuses) else None,
        circle=circle,
        city=city,
        ties=show_ties,
        search=search or "",
        tie_level=tie_level or "prefecture",
        co_membership=co_membership,
    )
    return selection, basemap


def upload_report(loaded: Loaded) -> None:
    """Say what the uploaded documents gave, and which could not be read."""
    for error in loaded.errors:
        st.error(f"无法读取 Could not read {error}", icon="⚠️")
    for note in loaded.notes:
        st.info(note)
    if not loaded.added:
        return
    projects = loaded.atlas.projects
    mine = projects["docs"].map(lambda d: bool(set(str(d).split(";")) & set(loaded.added)))
    found = projects[mine]
    unplaced = len(found) - len(project_layers.placed(found))
    st.success(
        f"已添加 added {len(loaded.added)} document(s): {len(found)} project(s) found, "
        f"{unplaced} could not be placed.",
        icon="📄",
    )


def picked_project(shown: views.View) -> str | None:
    """Return the id of the project picked in the table (rows of ``shown.projects``), if any.

    Read before the table is drawn again, so a filter that changed the rows since the
    pick only zooms when the row is still there.
    """
    state = st.session_state.get("table") or {}
    selection = state.get("selection") or {}  # Streamlit's selection state is a mapping
    rows = list(selection.get("rows") or [])
    if not rows or not 0 <= rows[0] < len(shown.projects):
        return None
    return str(shown.projects["id"].iloc[rows[0]])


def map_layers(
    loaded: Loaded, shown: views.View, basemap: str, *, stem: str = "planatlas"
) -> list[folium.FeatureGroup]:
    """Feature groups of the view, shifted to GCJ-02 for AMap tiles."""
    shift = basemaps.BASEMAPS[basemap].gcj02
    display = basemaps.to_gcj02 if shift else None

    titles = document_titles(loaded)
    # popups show titles: a corrected title makes new ones
    titles_key = hash(tuple(sorted(titles.items())))

    def memo(layer: str) -> dict[str, Any]:
        return loaded.memo.setdefault((layer, shift, titles_key), {})

    store = _feature_store(loaded, shift=shift, titles=titles, memo=memo, display=display)

    # areas and lines, then ties, then the places, then the project points on top: a site at
    # a city's seat is clicked, not the city's circle under it
    kinds = options(loaded, "kind")
    points = [k for k in kinds if k in KINDS and KINDS[k].geometry == "point"]
    under = [k for k in kinds if k not in points]
    projects_memo = memo("projects")
    groups = project_layers.project_layers(
        shown.projects, kinds=under, display=display, memo=projects_memo, titles=titles,
        store=store,
    )  # fmt: skip
    keys = [f"projects:{kind}" for kind in kinds] + ["places"]
    co_only = shown.ties["co_membership_only"].astype(bool)
    for key, name, ties in (
        ("ties:co", "共属 co-membership", shown.ties[co_only]),
        ("ties", "联系 ties", shown.ties[~co_only]),
    ):
        if ties.empty:
            continue
        keys.append(key)
        groups.append(
            tie_layers.ties_layer(
                ties, name=name, key=key, show=True, display=display, memo=memo("ties"),
                titles=titles, store=store,
            )  # fmt: skip
        )
    groups.append(
        place_layers.places_layer(
            shown.places, display=display, memo=memo("places"), titles=titles, store=store
        )
    )
    groups += project_layers.project_layers(
        shown.projects, kinds=points, display=display, memo=projects_memo, titles=titles,
        store=store,
    )  # fmt: skip
    if shown.circle is not None:
        groups.insert(0, project_layers.circle_outline(shown.circle, display=display))
    sweep = folium.FeatureGroup(name="sweep")
    # hide what this run does not name (ties switched off); name the map's image
    Sweep(keys, image_name=f"{stem}.png").add_to(sweep)
    groups.append(sweep)
    if shown.picked is not None:
        focus = folium.FeatureGroup(name="picked")
        Focus(shown.picked).add_to(focus)  # its popup opens once drawn
        groups.append(focus)
    return groups


def _feature_store(
    loaded: Loaded,
    *,
    shift: bool,
    titles: dict[str, str],
    memo: Callable[[str], dict[str, Any]],
    display: Any,
) -> FeatureStore:
    """Publish (once per atlas, datum and titles) the features of every project, place, tie.

    A rerun then sends the map only which of them to show.
    """
    key = ("store", shift, hash(tuple(sorted(titles.items()))))
    found = loaded.memo.get(key)
    if found is not None:
        return found  # type: ignore[no-any-return]
    atlas = loaded.atlas
    projects = project_layers.project_features(
        atlas.projects, display=display, memo=memo("projects"), titles=titles
    )
    sizes = tie_layers.strength(loaded.ties)
    places = atlas.places.assign(strength=atlas.places["adcode"].astype(str).map(sizes).fillna(0.0))
    place_layers.places_layer(places, display=display, memo=memo("places"), titles=titles)
    tie_layers.ties_layer(loaded.ties, display=display, memo=memo("ties"), titles=titles)
    features = projects + list(memo("places").values()) + list(memo("ties").values())
    base_url = assets.static_base_url(st.get_option("server.baseUrlPath") or "")
    store = publish(features, folder=APP_DIR / "static" / assets.ASSET_DIR, base_url=base_url)
    loaded.memo[key] = store  # type: ignore[assignment]
    return store


def one_group(groups: Sequence[folium.FeatureGroup]) -> folium.FeatureGroup:
    """Move the layers of ``groups``, in order, into one group handed to the map.

    ``streamlit-folium`` renders every group it is given on its own (a few ms each, every
    rerun); the stored layers only name what to show, so one group does the same work.
    """
    combined = folium.FeatureGroup(name="planatlas")
    for group in groups:
        for child in list(group._children.values()):
            child._parent = None
            combined.add_child(child)
    return combined


def show_map(
    loaded: Loaded, shown: views.View, basemap: str, source: Source | None, *, stem: str
) -> None:
    """Show the map: a fixed base, and this run's feature groups swapped in."""
    atlas = loaded.atlas
    provinces = basemaps.main_provinces(atlas.places["adcode"])
    base_url = assets.static_base_url(st.get_option("server.baseUrlPath") or "")
    index = asset_index()
    tileless = basemaps.BASEMAPS[basemap].boundaries
    base = basemaps.base_map(
        basemap,
        boundaries_store=boundaries(source, provinces, base_url) if tileless else None,
        labels=place_names(source, provinces) if tileless else (),
        legend_kinds=options(loaded, "kind"),
        image_script=assets.vendor_url(IMAGE_SCRIPT, base_url=base_url),
    )
    assets.localize(base, base_url=base_url, index=index)
    layers = one_group(map_layers(loaded, shown, basemap, stem=stem))
    groups = [assets.localize(layers, base_url=base_url, index=index)]
    center, zoom = basemaps.fit_view(shown.focus, height=MAP_HEIGHT)
    value = st_folium(
        base,
        key=MAP_KEY,
        height=MAP_HEIGHT,
        use_container_width=True,
        feature_group_to_add=groups,
        center=center,
        zoom=zoom,
        returned_objects=[],
    )
    if isinstance(value, dict) and value.get("planatlas") == "drawn":
        st.session_state[MAP_DRAWN] = True  # kept: a new basemap does not hide the panels


def map_is_drawn() -> bool:
    """Tell whether the map of this session has drawn once.

    The map's script (``window.planatlas.tell`` in :mod:`layers._stored`) sets the
    component's value once it has drawn, which reruns the app; the panels under the map
    are made from then on. ``streamlit-folium`` keeps that value under :data:`MAP_KEY`
    before the run starts, so the sidebar, drawn before the map, knows it too.
    """
    value = st.session_state.get(MAP_KEY)
    if isinstance(value, dict) and value.get("planatlas") == "drawn":
        st.session_state[MAP_DRAWN] = True
    return bool(st.session_state.get(MAP_DRAWN))


def city_panel(loaded: Loaded, shown: views.View, city: str) -> None:
    """List a chosen city's strongest ties, each with its evidence."""
    name = options(loaded, "city").get(city, city)
    st.subheader(f"{name}: 最强联系 strongest ties")
    ties = shown.city_ties
    if ties is None or ties.empty:
        st.caption("No tie of this city passes the filters.")
        return
    rows = [
        {
            "联系 tie": f"{tie.u_name} — {tie.v_name}",
            "权重 weight": tie.weight,
            "类型 kinds": "、".join(kind_label(k) for k in str(tie.kinds).split(";") if k),
            "依据 evidence": " ｜ ".join(
                f"[{doc}] {sentence}" for doc, sentence in evidence_quotes(tie.evidence)
            ),
        }
        for tie in ties.itertuples()
    ]
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")


def _file_stem(selection: views.Selection, circles: dict[str, str]) -> str:
    """Name downloads after what they hold: planatlas-武汉都市圈-2026-11-27."""
    import datetime as _dt

    parts = ["planatlas"]
    if selection.circle is not None and selection.circle in circles:
        parts.append(circles[selection.circle])
    if selection.city is not None:
        parts.append(str(selection.city))
    parts.append(_dt.date.today().isoformat())
    return "-".join(parts).replace("/", "_")


def downloads(shown: views.View, stem: str) -> None:
    """Download buttons for exactly what is shown.

    The files are made when a button is clicked (a callable per button, bound to this
    run's view), so a filter change does not pay for three exports. The GeoPackage holds
    one layer per geometry family plus the unplaced projects, the places and the ties;
    the GraphML every tie the filters keep, drawn or not.
    """
    projects, graph = shown.projects, shown.graph
    left, middle, right = st.columns(3)
    left.download_button(
        "⬇ GeoJSON",
        data=lambda: export.geojson_bytes(projects),
        file_name=f"{stem}.geojson",
        mime="application/geo+json",
        key="download-geojson",
        on_click="ignore",
        disabled=projects.empty,
    )
    middle.download_button(
        "⬇ GeoPackage",
        data=lambda: export.gpkg_bytes(
            projects, unplaced=shown.unplaced, places=shown.places,
            ties=tie_layers.ties_frame(graph),
        ),
        file_name=f"{stem}.gpkg",
        mime="application/geopackage+sqlite3",
        key="download-gpkg",
        on_click="ignore",
        disabled=projects.empty and shown.unplaced.empty,
    )
    right.download_button(
        "⬇ GraphML (ties)",
        data=lambda: export.graphml_bytes(graph),
        file_name=f"{stem}-ties.graphml",
        mime="application/graphml+xml",
        key="download-graphml",
        on_click="ignore",
        disabled=graph.number_of_edges() == 0,
    )


def main() -> None:
    """Lay out the page."""
    st.set_page_config(page_title="planatlas", page_icon="🗺️", layout="wide")
    try:
        source = atlas_source()
        loaded = load(source)
    except DocumentError as exc:  # a saved atlas that cannot be opened: say so, stop
        st.error(f"无法打开图集 Could not open the atlas: {exc}", icon="⚠️")
        st.stop()
    selection, basemap = sidebar(loaded)
    shown = views.select(loaded.atlas, selection, ties=loaded.ties)
    if st.session_state.get("_zoom_to"):
        shown = views.focus_on_documents(shown, st.session_state.pop("_zoom_to"))
    picked = picked_project(shown)
    if picked is not None:
        shown = views.focus_on_project(shown, picked)

    st.markdown("#### 规划图集 planatlas — 襄阳 · 武汉")
    upload_report(loaded)
    for note in shown.notes:
        st.info(note)
    st.caption(
        f"{len(shown.projects)} projects · {len(shown.places)} places · "
        f"{len(shown.ties)} ties shown · {len(shown.unplaced)} matching projects unplaced"
    )
    stem = _file_stem(selection, options(loaded, "circle"))
    show_map(loaded, shown, basemap, source, stem=stem)
    if not map_is_drawn():  # the map first; the rest when it says it has drawn
        st.caption("正在绘制地图 Drawing the map…")
        return
    downloads(shown, stem)
    if selection.city is not None:
        city_panel(loaded, shown, selection.city)
    left, middle, right = st.columns(3)
    by_kind = views.counts(shown.projects, "kind", kind_label)
    left.html(charts.bars_html(by_kind, title="类型 kinds"))
    middle.html(
        charts.bars_html(
            views.counts(shown.projects, "status", status_label), title="状态 status",
            color="#e6550d",
        )  # fmt: skip
    )
    right.html(  # the target years, a timeline in year order
        charts.bars_html(views.years(shown.projects), title="目标年 target years",
                         color="#31a354", limit=40)
    )
    rows = views.table(shown.projects)
    more = len(rows) - TABLE_ROWS
    st.caption(
        "选择一行，地图移到该项目 Pick a row: the map zooms to the project."
        + (f" Listing the first {TABLE_ROWS} of {len(rows)}: narrow the filters or search "
           "to see the others; the downloads hold them all." if more > 0 else "")
    )
    # a table of thousands of rows is most of what a filter change sends and draws
    st.dataframe(
        rows.head(TABLE_ROWS), hide_index=True, width="stretch", key="table",
        on_select="rerun", selection_mode="single-row",
    )  # fmt: skip
    if source is None:
        library_panel(loaded.entries)
    if not shown.unplaced.empty:
        with st.expander(f"未定位 Unplaced ({len(shown.unplaced)})"):
            st.dataframe(
                views.table(shown.unplaced).assign(reason=shown.unplaced["reason"].to_numpy()),
                hide_index=True,
                width="stretch",
            )


def library_panel(entries: Sequence[Entry]) -> None:
    """Show the documents of the library: correct their metadata, remove them.

    The library is opened only to write a correction or a removal.
    """
    with st.expander("文库 Library: documents, titles, removal"):
        table = pd.DataFrame(
            [
                {"id": e.id, "title": e.title, "date": e.date, "jurisdiction": e.jurisdiction,
                 "doc": e.doc, "format": e.format, "projects": e.projects}
                for e in entries
            ]
        )
        edited = st.data_editor(
            table,
            key="library_editor",
            hide_index=True,
            width="stretch",
            disabled=["id", "doc", "format", "projects"],
        )
        changed = False
        for before, after in zip(
            table.to_dict("records"), edited.to_dict("records"), strict=True
        ):
            fields = {k: str(after[k]) for k in ("title", "date", "jurisdiction")
                      if str(after[k]) != str(before[k])}
            if fields:
                with Library(library_dir()) as library:
                    library.update(before["id"], **fields)
                changed = True
        titles = {e.id: f"{e.title[:30]} ({e.doc})" for e in entries}
        doomed = st.multiselect(
            "删除文件 Remove documents", list(titles), format_func=titles.__getitem__,
            key="library_remove",
        )
        if st.button("删除 Remove", key="library_remove_button", disabled=not doomed):
            with Library(library_dir()) as library:
                library.remove(doomed)
            st.session_state.pop("library_remove", None)
            changed = True
    if changed:
        st.rerun()


def timed_main() -> None:
    """Run :func:`main`, logging how long the script run took (read by the app benchmark)."""
    started = time.perf_counter()
    try:
        main()
    finally:  # a rerun or st.stop ends a run with an exception: timed too
        log.info("script run %.3f s", time.perf_counter() - started)


timed_main()

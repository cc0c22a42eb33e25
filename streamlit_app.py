"""planatlas app: what Chinese regional plans say will be built, on a map.

Thin on purpose: read the sidebar, ask ``geo`` for the atlas and ``layers`` for the view,
the map layers and the downloads, and show them. Run with ``streamlit run streamlit_app.py``.

Speed: the atlas is built once per set of documents (``st.cache_resource``); the base map
is built the same way on every run, so ``streamlit-folium`` keeps it mounted and a filter
change only swaps the feature groups (``feature_group_to_add``). Offline: the map's
Leaflet files are copied from an installed package into ``static/`` and served by
Streamlit itself (``server.enableStaticServing``); nothing but tiles comes from elsewhere.

Set ``PLANATLAS_APP_FIXTURE=1`` to show the small hand-made atlas of the tests instead of
the seeds, ``PLANATLAS_TIANDITU_KEY`` to offer Tianditu tiles, and ``PLANATLAS_BASEMAP``
(``none``, ``amap``, ``cartodb``...) to pick the basemap a session starts with.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import folium
import geopandas as gpd
import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from layers import assets, basemaps, export
from layers import places as place_layers
from layers import projects as project_layers
from layers import ties as tie_layers
from layers import view as views
from layers.styles import kind_label, status_label

APP_DIR = Path(__file__).resolve().parent
FIXTURE_ENV = "PLANATLAS_APP_FIXTURE"
MAP_KEY = "planatlas-map"
MAP_HEIGHT = 620

Upload = tuple[str, bytes]


def fixture_mode() -> bool:
    """Whether the app shows the test fixture instead of the seeds."""
    return os.environ.get(FIXTURE_ENV, "") == "1"


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
    memo: dict[tuple[str, bool], dict[str, Any]] = field(default_factory=dict)


@st.cache_resource(show_spinner=False)
def asset_index() -> dict[str, str]:
    """Copy the map's JS/CSS into ./static once per server; URL → served path."""
    assets.install_assets(APP_DIR / "static")
    return assets.asset_index(APP_DIR / "static")


def _read_uploads(uploads: tuple[Upload, ...]) -> tuple[list[Any], list[str]]:
    from geo._errors import DocumentError
    from geo.text import document_from_bytes

    documents, errors = [], []
    for name, data in uploads:
        try:
            documents.append(document_from_bytes(data, name=name))
        except DocumentError as exc:
            errors.append(f"{name}: {exc}")
    return documents, errors


@st.cache_resource(show_spinner="正在构建图集 Building the atlas…", max_entries=8)
def load(uploads: tuple[Upload, ...], fixture: bool) -> Loaded:
    """Build (once) the atlas of the seeds plus the uploaded documents."""
    documents, errors = _read_uploads(uploads) if uploads else ([], [])
    notes = []
    if fixture:
        from tests.app_fixtures import fixture_atlas

        atlas = fixture_atlas()
        if documents:
            notes.append(
                f"fixture mode: {len(documents)} document(s) read but not mapped "
                f"(unset {FIXTURE_ENV} to map them)"
            )
            documents = []
    else:
        from geo.atlas import SEEDS, build

        # Uploads join the seeds (build(None, extra_documents=...) maps the uploads alone).
        atlas = build(sorted(Path(SEEDS).glob("*.txt")), extra_documents=documents)
    added = tuple(doc.name for doc in documents)
    ties = tie_layers.ties_frame(atlas.graph)
    return Loaded(atlas, ties, tuple(errors), added, tuple(notes))


@st.cache_resource(show_spinner=False)
def boundaries(fixture: bool, provinces: tuple[str, ...]) -> list[tuple[gpd.GeoDataFrame, float]]:
    """Province outlines of China and county outlines of the given provinces, simplified."""
    if fixture:
        from tests.app_fixtures import fixture_boundaries

        level = fixture_boundaries
    else:
        from geo.gazetteer import load_gazetteer

        level = load_gazetteer().boundaries
    province = basemaps.simplify_boundaries(level("province"), tolerance=0.05)
    county = level("county")
    county = county[county["adcode"].astype(str).str[:2].isin(provinces)]
    county = basemaps.simplify_boundaries(county, tolerance=0.02)
    return [(county, 0.6), (province, 1.6)]


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


@st.cache_data(show_spinner=False)
def document_titles() -> dict[str, str]:
    """Titles of the seed documents (``seeds/manifest.json``), by file name."""
    path = APP_DIR / "seeds" / "manifest.json"
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return {}
    return {
        str(name): str(entry.get("title", name))
        for name, entry in manifest.items()
        if isinstance(entry, dict)
    }


def sidebar(loaded: Loaded) -> tuple[views.Selection, str]:
    """Draw the controls; return the selection and the basemap name."""
    atlas = loaded.atlas
    bar = st.sidebar
    bar.title("planatlas")
    docs = views.document_options(atlas)
    titles = document_titles()
    _keep_choices("documents", docs)
    chosen_docs = bar.multiselect(
        "文件 Documents",
        docs,
        format_func=lambda d: f"{titles[d][:28]}… ({d[:3]})" if d in titles else d,
        key="documents",
    )
    kinds = views.kind_options(atlas)
    _keep_choices("kinds", kinds)
    chosen_kinds = bar.multiselect("类型 Kinds", kinds, format_func=kind_label, key="kinds")
    statuses = views.status_options(atlas)
    _keep_choices("statuses", statuses)
    chosen_statuses = bar.multiselect(
        "状态 Status", statuses, format_func=status_label, key="statuses"
    )
    circles = views.circle_options(atlas)
    _keep_choice("circle", circles)
    circle = bar.selectbox(
        "都市圈 Metropolitan circle",
        [None, *circles],
        format_func=lambda c: "全部 all" if c is None else circles[c],
        key="circle",
    )
    cities = views.city_options(atlas)
    _keep_choice("city", cities)
    city = bar.selectbox(
        "城市 City",
        [None, *cities],
        format_func=lambda c: "— 搜索 search —" if c is None else cities[c],
        key="city",
    )
    show_ties = bar.toggle("显示联系 Show ties", value=False, key="ties")
    names = basemaps.available_basemaps()
    basemap = bar.selectbox(
        "底图 Basemap", names, index=names.index(basemaps.default_basemap()), key="basemap"
    )
    bar.file_uploader(
        "添加文件 Add documents (.txt, UTF-8 or GB18030)",
        type=["txt"],
        accept_multiple_files=True,
        key="uploads",
    )
    selection = views.Selection(
        documents=frozenset(chosen_docs) if set(chosen_docs) != set(docs) else None,
        kinds=frozenset(chosen_kinds) if set(chosen_kinds) != set(kinds) else None,
        statuses=frozenset(chosen_statuses) if set(chosen_statuses) != set(statuses) else None,
        circle=circle,
        city=city,
        ties=show_ties,
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


def map_layers(loaded: Loaded, shown: views.View, basemap: str) -> list[folium.FeatureGroup]:
    """Feature groups of the view, shifted to GCJ-02 for AMap tiles."""
    shift = basemaps.BASEMAPS[basemap].gcj02
    display = basemaps.to_gcj02 if shift else None

    def memo(layer: str) -> dict[str, Any]:
        return loaded.memo.setdefault((layer, shift), {})

    groups = project_layers.project_layers(shown.projects, display=display, memo=memo("projects"))
    if not shown.ties.empty:
        ties = tie_layers.ties_layer(shown.ties, show=True, display=display, memo=memo("ties"))
        groups.insert(0, ties)
    groups.append(place_layers.places_layer(shown.places, display=display, memo=memo("places")))
    return groups


def show_map(loaded: Loaded, shown: views.View, basemap: str) -> None:
    """Show the map: a fixed base, and this run's feature groups swapped in."""
    atlas = loaded.atlas
    provinces = basemaps.main_provinces(atlas.places["adcode"])
    base = basemaps.base_map(
        basemap,
        boundaries=boundaries(fixture_mode(), provinces)
        if basemaps.BASEMAPS[basemap].boundaries
        else (),
        legend_kinds=views.kind_options(atlas),
    )
    base_url = assets.static_base_url(st.get_option("server.baseUrlPath") or "")
    index = asset_index()
    assets.localize(base, base_url=base_url, index=index)
    groups = [
        assets.localize(g, base_url=base_url, index=index)
        for g in map_layers(loaded, shown, basemap)
    ]
    center, zoom = basemaps.fit_view(shown.focus, height=MAP_HEIGHT)
    st_folium(
        base,
        key=MAP_KEY,
        height=MAP_HEIGHT,
        use_container_width=True,
        feature_group_to_add=groups,
        center=center,
        zoom=zoom,
        returned_objects=[],
    )


def city_panel(loaded: Loaded, shown: views.View, city: str) -> None:
    """List a chosen city's strongest ties, each with its evidence."""
    name = views.city_options(loaded.atlas).get(city, city)
    st.subheader(f"{name}: 最强联系 strongest ties")
    ties = shown.city_ties
    if ties is None or ties.empty:
        st.caption("No tie of this city passes the filters.")
        return
    rows = []
    for tie in ties.itertuples():
        evidence = _evidence(tie.evidence)
        rows.append(
            {
                "联系 tie": f"{tie.u_name} — {tie.v_name}",
                "权重 weight": tie.weight,
                "类型 kinds": "、".join(kind_label(k) for k in str(tie.kinds).split(";") if k),
                "依据 evidence": " ｜ ".join(f"[{doc}] {sentence}" for doc, sentence in evidence),
            }
        )
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")


def _evidence(value: str) -> list[tuple[str, str]]:
    try:
        items = json.loads(value)
    except (TypeError, json.JSONDecodeError):
        return []
    return [
        (str(i.get("doc", "")), str(i.get("sentence", ""))) for i in items if isinstance(i, dict)
    ]


def downloads(shown: views.View) -> None:
    """Download buttons for exactly what is shown.

    The files are made when a button is clicked (a callable per button, bound to this
    run's view), so a filter change does not pay for three exports.
    """
    projects, graph = shown.projects, shown.graph
    left, middle, right = st.columns(3)
    left.download_button(
        "⬇ GeoJSON",
        data=lambda: export.geojson_bytes(projects),
        file_name="planatlas.geojson",
        mime="application/geo+json",
        key="download-geojson",
        on_click="ignore",
        disabled=projects.empty,
    )
    middle.download_button(
        "⬇ GeoPackage",
        data=lambda: export.gpkg_bytes(projects),
        file_name="planatlas.gpkg",
        mime="application/geopackage+sqlite3",
        key="download-gpkg",
        on_click="ignore",
        disabled=projects.empty,
    )
    right.download_button(
        "⬇ GraphML (ties)",
        data=lambda: export.graphml_bytes(graph),
        file_name="planatlas-ties.graphml",
        mime="application/graphml+xml",
        key="download-graphml",
        on_click="ignore",
        disabled=graph.number_of_edges() == 0,
    )


def main() -> None:
    """Lay out the page."""
    st.set_page_config(page_title="planatlas", page_icon="🗺️", layout="wide")
    loaded = load(_uploads(), fixture_mode())
    selection, basemap = sidebar(loaded)
    shown = views.select(loaded.atlas, selection, ties=loaded.ties)

    st.markdown("#### 规划图集 planatlas — 襄阳 · 武汉")
    upload_report(loaded)
    for note in shown.notes:
        st.info(note)
    st.caption(
        f"{len(shown.projects)} projects · {len(shown.places)} places · "
        f"{len(shown.ties)} ties shown · {len(shown.unplaced)} matching projects unplaced"
    )
    show_map(loaded, shown, basemap)
    downloads(shown)
    if selection.city is not None:
        city_panel(loaded, shown, selection.city)
    st.dataframe(views.table(shown.projects), hide_index=True, width="stretch", key="table")
    if not shown.unplaced.empty:
        with st.expander(f"未定位 Unplaced ({len(shown.unplaced)})"):
            st.dataframe(
                views.table(shown.unplaced).assign(reason=shown.unplaced["reason"].to_numpy()),
                hide_index=True,
                width="stretch",
            )


main()

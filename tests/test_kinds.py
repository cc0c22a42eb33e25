"""The one vocabulary: every kind, status and kind of tie is known to every part that uses it."""

from __future__ import annotations

import html
import re

import pytest

from geo import kinds
from geo.projects import KIND_TERMS
from geo.projects.status import STATUS_OF_VERB
from geo.ties import KIND_WEIGHTS
from layers import styles


@pytest.mark.parametrize("kind", list(kinds.KINDS.values()), ids=lambda k: k.id)
def test_every_kind_has_a_style_a_label_and_type_words(kind: kinds.Kind) -> None:
    assert kind.style in styles.PALETTE
    style = styles.KIND_STYLES[kind.id]
    assert style.label == kind.label == f"{kind.zh} {kind.en}"
    assert re.fullmatch(r"#[0-9a-f]{6}", style.color)
    assert style.shape == kind.geometry
    assert f"{html.escape(kind.label)}</div>" in styles.legend_html([kind.id])
    assert re.compile(KIND_TERMS[kind.id]).pattern  # the rules can name it


def test_the_tables_agree() -> None:
    assert set(KIND_TERMS) == set(kinds.KINDS)
    assert set(styles.KIND_STYLES) == set(kinds.KINDS)
    assert set(styles.KIND_ORDER) == set(kinds.KINDS)
    assert tuple(KIND_WEIGHTS) == tuple(kinds.TIE_KINDS)
    assert set(STATUS_OF_VERB.values()) <= set(kinds.STATUSES)
    assert set(styles.STATUS_LABELS) == set(kinds.STATUSES)
    assert kinds.LINE_KINDS | kinds.AREA_KINDS | kinds.POINT_KINDS == set(kinds.KINDS)
    assert not (kinds.LINE_KINDS & kinds.AREA_KINDS or kinds.LINE_KINDS & kinds.POINT_KINDS)


def test_draw_order_puts_areas_under_lines_under_points() -> None:
    shapes = [kinds.KINDS[k].geometry for k in styles.KIND_ORDER]
    assert shapes == sorted(shapes, key=["area", "line", "point"].index)
    assert styles.KIND_ORDER == kinds.KIND_IDS


@pytest.mark.parametrize(
    ("value", "label"),
    [
        ("railway", "铁路 railway"),
        ("co_membership", "同属 co-membership"),
        ("spaceport", "spaceport"),
    ],
)
def test_kind_label(value: str, label: str) -> None:
    assert kinds.kind_label(value) == label
    assert styles.kind_label is kinds.kind_label  # the map reads the one vocabulary


def test_status_labels() -> None:
    assert [kinds.status_label(s) for s in kinds.STATUS_IDS] == [
        "规划 planned", "研究 study", "在建 under construction", "改造 upgrade", "建成 completed",
        "其他 other",
    ]
    assert kinds.status_label("unknown") == "unknown"


def test_roles_in_the_tie_graph() -> None:
    assert kinds.MEMBER_KINDS == {"metro_circle", "corridor"}
    assert "bridge" in kinds.ROUTE_KINDS and "bridge" in kinds.POINT_KINDS
    assert {"expressway", "railway", "pipeline"} <= kinds.ROUTE_KINDS
    assert not kinds.ROUTE_KINDS & kinds.MEMBER_KINDS

"""The exploration notebook runs top to bottom, offline, on the venv's own Python."""

from __future__ import annotations

import json
import sys
from pathlib import Path

# ipykernel and matplotlib are used by the kernel, not here: imported so a missing one
# fails this module loudly instead of failing inside the notebook
import ipykernel  # noqa: F401
import matplotlib  # noqa: F401
import nbclient
import nbformat
import pytest

from geo.atlas import build
from geo.circles import find_circle, in_circle

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "explore.ipynb"


@pytest.fixture
def kernel_here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A ``python3`` kernel spec that runs this interpreter (the venv's), found first."""
    spec = tmp_path / "kernels" / "python3"
    spec.mkdir(parents=True)
    argv = [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    (spec / "kernel.json").write_text(
        json.dumps({"argv": argv, "display_name": "planatlas", "language": "python"}),
        encoding="utf-8",
    )
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path))
    # importing streamlit (other tests do) sets MPLBACKEND=Agg, which the kernel inherits
    monkeypatch.delenv("MPLBACKEND", raising=False)
    return "python3"


def test_notebook_runs_top_to_bottom(kernel_here: str) -> None:
    nb = nbformat.read(NOTEBOOK, as_version=4)
    client = nbclient.NotebookClient(
        nb,
        kernel_name=kernel_here,
        timeout=600,
        resources={"metadata": {"path": str(ROOT)}},  # the kernel's working folder
    )
    client.execute()  # raises CellExecutionError, with the cell, if any cell fails

    outputs = [o for cell in nb.cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    text = "".join(
        o.get("text", "") + o.get("data", {}).get("text/plain", "") for o in outputs
    )
    # the notebook's circles are the CLI's and the app's: the same projects lie in them
    atlas = build()
    for name in ("襄阳都市圈", "武汉都市圈"):
        circle = find_circle(atlas.projects, name)
        inside = int(in_circle(atlas.projects, circle).sum()) - 1  # the circle itself
        assert f"{name}: {len(circle.members)} members" in text
        assert f"{name}: {inside} projects" in text
    images = [o for o in outputs if "image/png" in o.get("data", {})]
    assert len(images) >= 2  # the circle maps and the community map
    warnings = [o.text for o in outputs if o.get("name") == "stderr"]
    assert not warnings, warnings

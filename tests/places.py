"""What the recogniser finds in a text, for the tests of places."""

from __future__ import annotations

from geo.mentions import find_mentions

__all__ = ["adcodes", "check"]


def adcodes(text: str) -> set[str]:
    """Return the adcodes of every place `find_mentions` reads in `text`."""
    return {u.adcode for m in find_mentions(text) for u in m.units}


def check(text: str, want: set[str], never: set[str]) -> None:
    """Assert `text` names every place of `want` and none of `never`."""
    got = adcodes(text)
    assert want <= got, f"missed {sorted(want - got)} in {text!r}"
    assert not (never & got), f"false {sorted(never & got)} in {text!r}"

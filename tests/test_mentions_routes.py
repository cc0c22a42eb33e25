"""Compound abbreviations of routes: compass ends, lists with routes written out.

Sentences are shortened from plan texts of the corpus (Henan, Shandong, Guangdong,
Shenzhen); each case says which units must be found and which must not.
"""

from __future__ import annotations

import pytest

from geo.mentions import find_mentions


def adcodes(text: str) -> set[str]:
    return {u.adcode for m in find_mentions(text) for u in m.units}


# a final compass character is a stop when it reads as one close to the stop before
# (周驻南 = 周口—驻马店—南阳), else the section of the route it marks (广韶北, 深汕西)
COMPASS_ENDS = [
    ("周驻南高速、息邢高速、上罗高速加快建设", {"411600", "411700", "411300"}, set()),
    ("推进广惠、广深、广韶北等高速公路繁忙路段扩容提质", {"440100", "440200"}, {"450500"}),
    ("加快广深、广澳、广昆、京珠南高速扩容", set(), {"450100", "360100", "320100"}),
    ("建成投用深汕通港大道、深汕西高速", {"440300", "441500"}, {"610100"}),
]


@pytest.mark.parametrize(("text", "want", "never"), COMPASS_ENDS)
def test_a_compass_end_is_a_stop_only_close_by(text: str, want: set[str], never: set[str]) -> None:
    got = adcodes(text)
    assert want <= got, f"missed {sorted(want - got)} in {text!r}"
    assert not got & never, f"read {sorted(got & never)} in {text!r}"


# a route written out (日照至五莲) is an item of a list of compounds sharing one cue
LISTS = [
    (
        "争取提前启动聊邯长、莱临、德商、日照至五莲高铁前期工作",
        {"371500", "130400", "140400", "371400", "411400", "371100", "371121"},
    ),
]


@pytest.mark.parametrize(("text", "want"), LISTS)
def test_a_route_written_out_is_an_item_of_the_list(text: str, want: set[str]) -> None:
    got = adcodes(text)
    assert want <= got, f"missed {sorted(want - got)} in {text!r}"

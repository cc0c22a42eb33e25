"""Find the admin units a Chinese plan text names.

The recogniser runs four named pieces over one text:

1. **Scanner** (:mod:`geo.mentions.scanner`): every span that is a full, short or former
   name of the gazetteer, leftmost-longest (襄阳 wins over 阳高 in 襄阳高新区).
2. **Not-a-name checks** (:mod:`geo.mentions.checks`): idioms, everyday words around the
   span, landform and river words, school names far from the plan's places.
3. **Context** (:mod:`geo.mentions.context`): anchors (distinctive names) are accepted;
   every other span is read from the places around it (荆州公安, 监利至华容, 华容县
   beside 监利, not 华容区).
4. **Compound reader** (:mod:`geo.mentions.compounds`): runs of one-character
   abbreviations before a cue or in quotes (襄十随神, 成渝双城, 贵广高铁, 雄商、津潍等
   高铁), each character's candidates drawn from the whole country.

"Sentence" is a sentence of :func:`geo.text.split_sentences` (the project's one splitter:
clauses after ； are sentences of their own), or of the ``sentences`` a caller passes
(:attr:`geo.text.Document.sentences`, which saves splitting again).  The word lists the
passes use are data files of ``geo/data/``; every weight and threshold is a named field of
:class:`geo.mention_weights.MentionWeights`.

Offsets are ``str`` indices of the text given, so ``text[m.start:m.end] == m.text``.
"""

from __future__ import annotations

import bisect
import logging
import weakref
from collections.abc import Sequence
from dataclasses import dataclass

from ..gazetteer import Gazetteer, Unit, load_gazetteer
from ..mention_weights import WEIGHTS, MentionWeights
from ..text import Sentence, split_sentences
from ._common import CITY_HOMOGRAPHS, Sentences, Span
from .checks import NameChecks
from .compounds import CompoundReader
from .context import ContextReader
from .scanner import Scanner

__all__ = ["CITY_HOMOGRAPHS", "Mention", "Recogniser", "find_mentions", "get_recogniser"]

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Mention:
    """A span of text that names one or more admin units.

    ``units`` are in text order; a compound such as 襄十随神 names four.
    ``kind`` is ``"name"`` (full or former name), ``"short"``, ``"abbreviation"``,
    ``"expansion"`` (宜(昌)) or ``"route"`` (汉十 in 汉十高速).
    """

    start: int
    end: int
    text: str
    units: tuple[Unit, ...]
    kind: str

    def to_dict(self, doc: str) -> dict[str, object]:
        """Return the JSON Lines record of the ``mentions`` command."""
        return {
            "doc": doc,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "places": [u.to_dict() for u in self.units],
        }


class Recogniser:
    """Place-mention recogniser over one gazetteer (build once, call many times).

    Attributes
    ----------
    scanner, checks, context, compounds
        The four pieces, run in that order by :meth:`find`.
    """

    def __init__(self, gazetteer: Gazetteer, *, weights: MentionWeights = WEIGHTS) -> None:
        self.gaz = gazetteer
        self.weights = weights
        self.units = gazetteer.units
        self.scanner = Scanner(gazetteer)
        self.checks = NameChecks(gazetteer, weights)
        self.context = ContextReader(gazetteer, weights, self.checks)
        self.compounds = CompoundReader(gazetteer, weights, self.checks)

    def find(
        self,
        text: str,
        *,
        clean: str | None = None,
        sentences: Sequence[Sentence] | None = None,
    ) -> list[Mention]:
        """Return the place mentions of ``text`` sorted by start.

        Parameters
        ----------
        text
            The decoded document text; offsets index it.
        clean
            The same text with markup and mojibake masked by spaces (same length); the
            recogniser reads this one when given.
        sentences
            The sentences of the text read (:attr:`geo.text.Document.sentences`), which
            bound the context of a name; split with :func:`geo.text.split_sentences`
            when not given.

        Returns
        -------
        list of Mention
            Sorted by start, non-overlapping.

        Raises
        ------
        ValueError
            If ``clean`` is not as long as ``text``.
        """
        src = text if clean is None else clean
        if len(src) != len(text):
            raise ValueError(
                f"clean text has length {len(src)} but text has {len(text)}: "
                "pass the masked text produced by geo.text.clean_text"
            )
        if not src:
            return []
        bounds = Sentences(split_sentences(src) if sentences is None else sentences)
        spans, hidden = self.scanner.scan_with_hidden(src)
        # the context reads spans in place: a name hidden by an overlap is weighed
        # against the names read around it, and the text read again when one wins
        pristine = (
            [Span(s.start, s.end, s.form, s.codes, kind=s.kind) for s in spans] if hidden else []
        )
        accepted = self.context.resolve(src, spans, bounds)
        if hidden:
            settled = self.scanner.settle(pristine, hidden, accepted, bounds, self.weights)
            if settled is not None:
                accepted = self._read_again(src, accepted, *settled, bounds)
        accepted = self.compounds.read(src, accepted, bounds)
        accepted.sort(key=lambda s: s.start)
        accepted = self.checks.drop_far_institutions(src, accepted)
        return [
            Mention(s.start, s.end, text[s.start : s.end], s.units, s.kind)
            for s in accepted
            if s.units
        ]


    def _read_again(
        self,
        src: str,
        accepted: list[Span],
        spans: list[Span],
        where: list[tuple[int, int]],
        bounds: Sentences,
    ) -> list[Span]:
        """Return ``accepted`` with the sentences ``where`` read again from ``spans``.

        Only the names within the context window of those sentences are read again (a
        long text is not read twice for one overlap); the names of the sentences
        themselves replace the first reading's.
        """
        window = self.weights.window
        starts = [s.start for s in spans]
        out = [a for a in accepted if not any(lo <= a.start < hi for lo, hi in where)]
        for lo, hi in where:
            i = bisect.bisect_left(starts, lo - window)
            j = bisect.bisect_left(starts, hi + window)
            again = self.context.resolve(src, spans[i:j], bounds)
            out.extend(a for a in again if lo <= a.start < hi)
        out.sort(key=lambda s: s.start)
        return out


_RECOGNISERS: weakref.WeakKeyDictionary[Gazetteer, Recogniser] = weakref.WeakKeyDictionary()


def get_recogniser(gazetteer: Gazetteer | None = None) -> Recogniser:
    """Return the recogniser over ``gazetteer`` (default: the cached one), built once."""
    gaz = load_gazetteer() if gazetteer is None else gazetteer
    rec = _RECOGNISERS.get(gaz)
    if rec is None:
        rec = _RECOGNISERS[gaz] = Recogniser(gaz)
    return rec


def find_mentions(
    text: str,
    *,
    clean: str | None = None,
    gazetteer: Gazetteer | None = None,
    sentences: Sequence[Sentence] | None = None,
) -> list[Mention]:
    """Find the admin units ``text`` names.

    Parameters
    ----------
    text
        Decoded text; returned offsets index it.
    clean
        Optional same-length masked text (see :func:`geo.text.clean_text`).
    gazetteer
        A gazetteer other than the default one.
    sentences
        The sentences of the text (:attr:`geo.text.Document.sentences`); split with
        :func:`geo.text.split_sentences` when not given.

    Returns
    -------
    list of Mention
        Sorted by start, non-overlapping.

    Examples
    --------
    >>> [u.name for m in find_mentions("加快建设襄阳至南漳高速公路") for u in m.units]
    ['襄阳市', '南漳县']
    """
    return get_recogniser(gazetteer).find(text, clean=clean, sentences=sentences)

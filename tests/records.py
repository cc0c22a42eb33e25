"""Project records made by hand, for the tests of placing."""

from __future__ import annotations

from geo.projects import Project

__all__ = ["record"]


def record(name: str, kind: str = "port", places: tuple[str, ...] = (), *, sentence: str = "",
           doc: str = "a.txt") -> Project:
    """Return a record of `name` as its own sentence (推进…建设) would give it."""
    sentence = sentence or f"推进{name}建设。"
    start = sentence.index(name)
    return Project(
        id=f"{kind}-x", name=name, kind=kind, places=places, doc=doc, start=start,
        end=start + len(name), sentence=sentence, sent_start=0, status="construction",
        verb="建设", target_year="",
        reason="" if places else "names no admin unit of the gazetteer",
    )

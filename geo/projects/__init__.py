"""Typed project records from sentences and the place mentions in them.

Three parts, one job each:

:mod:`geo.projects.grammar`
    the rules that read projects: type words, clauses, list items, names, places;
:mod:`geo.projects.status`
    status and target year, from the verbs and years around a project;
:mod:`geo.projects.records`
    the :class:`Project` record, and which records name the same project.

The kinds of project are :data:`geo.kinds.KINDS`.
"""

from .grammar import KIND_TERMS, extract_projects
from .records import MentionLike, Project, group_id, merge_key, merge_projects
from .status import target_year_of

__all__ = [
    "KIND_TERMS",
    "MentionLike",
    "Project",
    "extract_projects",
    "group_id",
    "merge_key",
    "merge_projects",
    "target_year_of",
]

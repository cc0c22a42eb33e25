"""Typed errors of planatlas; the CLI turns each into one line on stderr."""

__all__ = [
    "CRSError",
    "DocumentError",
    "ExportError",
    "GazetteerError",
    "PlanatlasError",
    "SelectionError",
]


class PlanatlasError(Exception):
    """Base class of every error planatlas raises on bad input or data."""


class DocumentError(PlanatlasError, ValueError):
    """A document cannot be read: missing, empty, binary or undecodable."""


class GazetteerError(PlanatlasError, RuntimeError):
    """The gazetteer cannot be built or loaded from its sources."""


class ExportError(PlanatlasError, ValueError):
    """An export was asked for in a form that cannot be written."""


class CRSError(PlanatlasError, ValueError):
    """A frame has no coordinate reference system, so its coordinates cannot be trusted."""


class SelectionError(PlanatlasError, LookupError):
    """A filter names something the atlas does not hold: a kind, a circle, a document."""

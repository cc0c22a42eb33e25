"""Typed errors of planatlas; the CLI turns each into one line on stderr."""

__all__ = ["PlanatlasError", "DocumentError", "GazetteerError", "ExportError"]


class PlanatlasError(Exception):
    """Base class of every error planatlas raises on bad input or data."""


class DocumentError(PlanatlasError, ValueError):
    """A document cannot be read: missing, empty, binary or undecodable."""


class GazetteerError(PlanatlasError, RuntimeError):
    """The gazetteer cannot be built or loaded from its sources."""


class ExportError(PlanatlasError, ValueError):
    """An export was asked for in a form that cannot be written."""

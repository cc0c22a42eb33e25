"""planatlas: places, projects and city ties from Chinese regional plans."""

__version__ = "0.1.0"

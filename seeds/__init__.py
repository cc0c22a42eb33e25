"""The plan documents planatlas maps by default, installed as the package ``geo._seeds``.

This folder holds data only: ``pyproject.toml`` maps it into the ``geo`` package
(``[tool.setuptools.package-dir]``) so the files ship in wheels and editable installs
alike. Read them through :mod:`geo.seeds`, never by a path relative to the source tree.
"""

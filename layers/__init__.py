"""Folium layers of the planatlas app: styles, popups, basemaps, offline assets, views.

Layer builders take GeoDataFrames of a ``geo.atlas.Atlas`` and return ``folium``
FeatureGroups; they never save or display anything.
"""

from . import assets as assets
from . import basemaps as basemaps
from . import charts as charts
from . import export as export
from . import places as places
from . import popups as popups
from . import projects as projects
from . import styles as styles
from . import ties as ties
from . import view as view

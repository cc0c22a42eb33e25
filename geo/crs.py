"""The one coordinate reference system of planatlas, and the check at every frame boundary.

Coordinates are WGS-84 longitude/latitude everywhere (shapely x = lon, y = lat); GCJ-02
appears only at display time on AMap/Gaode tiles (:func:`layers.basemaps.to_gcj02`).
A frame that says no CRS is refused rather than assumed to be lon/lat: a frame in a
projected CRS with its CRS dropped would otherwise land in the wrong place silently.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._errors import CRSError

if TYPE_CHECKING:
    import geopandas as gpd

__all__ = ["CRS", "to_wgs84"]

#: WGS-84 longitude/latitude, the CRS of every frame, file and graph planatlas makes.
CRS = "EPSG:4326"


def to_wgs84(gdf: gpd.GeoDataFrame, *, name: str = "frame") -> gpd.GeoDataFrame:
    """Return `gdf` in :data:`CRS`: itself when it is already there, else reprojected.

    Parameters
    ----------
    gdf
        A GeoDataFrame with a CRS; not modified.
    name
        What to call it in the error message.

    Returns
    -------
    geopandas.GeoDataFrame
        `gdf` itself, or a reprojected copy.

    Raises
    ------
    CRSError
        If `gdf` has no CRS.

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely.geometry import Point
    >>> to_wgs84(gpd.GeoDataFrame(geometry=[Point(112.1, 32.0)], crs=4326)).crs.to_string()
    'EPSG:4326'
    >>> to_wgs84(gpd.GeoDataFrame(geometry=[Point(112.1, 32.0)]), name="projects")
    Traceback (most recent call last):
    ...
    geo._errors.CRSError: projects has no CRS; if its coordinates are lon/lat (WGS-84), ...
    """
    if gdf.crs is None:
        msg = (
            f"{name} has no CRS; if its coordinates are lon/lat (WGS-84), set it with "
            f"frame.set_crs({CRS!r}), else set the CRS they are in"
        )
        raise CRSError(msg)
    if gdf.crs.equals(CRS):
        return gdf
    return gdf.to_crs(CRS)

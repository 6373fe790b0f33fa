"""Reference WGS84 positions for British National Grid references, from PROJ (pyproj) with the
OSGB36 -> WGS84 Helmert shift (the same 7 parameters the OS publishes; no grid file), written to
test/geo/osgb-expectations.json for test/geo/osgb.test.ts. Run: /usr/bin/python3 test/reference/osgb_expectations.py (Debian python3-pyproj)."""
import json
import os
from pyproj import Transformer

# BNG with the OS Helmert parameters spelled out, so PROJ uses no grid file that one machine has and another not.
BNG = ("+proj=tmerc +lat_0=49 +lon_0=-2 +k=0.9996012717 +x_0=400000 +y_0=-100000 +ellps=airy "
       "+towgs84=446.448,-125.157,542.06,0.1502,0.247,0.8421,-20.4894 +units=m +no_defs")
POINTS = [
    (651409.903, 313177.270),  # the OS guide's worked example (Caister water tower)
    (529090, 179645),  # central London
    (334000, 390000),  # Manchester
    (325800, 673800),  # Edinburgh
    (146900, 29800),  # Penzance
    (465000, 1150000),  # Shetland
    (333000, 375000),  # Stockport
    (0, 0),  # the grid's false origin, off the Scillies
]

t = Transformer.from_crs(BNG, "EPSG:4326", always_xy=True)
out = []
for e, n in POINTS:
    lon, lat = t.transform(e, n)
    out.append({"easting": e, "northing": n, "lat": lat, "lon": lon})
path = os.path.join(os.path.dirname(__file__), "..", "geo", "osgb-expectations.json")
with open(path, "w") as f:
    json.dump(out, f, indent=1)
    f.write("\n")
print(f"wrote {len(out)} points to {os.path.normpath(path)}")

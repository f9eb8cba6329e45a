"""The base map and the fitted projection: towns land in their own département."""

import pytest

from coordination.dashboard.geo import _rings, base_map, region_outlines


def _inside(point: tuple[float, float], d: str) -> bool:
    """Even-odd ray casting over every ring of a path."""
    x, y = point
    inside = False
    for ring in _rings(d):
        for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True):
            if (y0 > y) != (y1 > y) and x < (x1 - x0) * (y - y0) / (y1 - y0) + x0:
                inside = not inside
    return inside


@pytest.mark.parametrize(
    ("town", "latitude", "longitude", "code"),
    [
        ("Pithiviers", 48.172, 2.252, "45"),
        ("Saint-Quentin", 49.847, 3.287, "02"),
        ("Albert", 50.002, 2.652, "80"),
        ("Strasbourg", 48.583, 7.746, "67"),
        ("Brest", 48.390, -4.486, "29"),
        ("Toulouse", 43.604, 1.444, "31"),
        ("Marseille", 43.296, 5.370, "13"),
        ("Lille", 50.630, 3.057, "59"),
        ("Clermont-Ferrand", 45.778, 3.082, "63"),
        ("Ajaccio", 41.927, 8.737, "2A"),
    ],
)
def test_projection_places_towns_in_their_departement(town, latitude, longitude, code):
    shapes = {shape.code: shape for shape in base_map().shapes}

    point = base_map().project(latitude, longitude)

    assert point is not None, town
    assert _inside(point, shapes[code].d), (town, point)


def test_projection_leaves_overseas_and_missing_positions_off_the_map():
    assert base_map().project(-20.88, 55.45) is None  # La Réunion
    assert base_map().project(16.24, -61.53) is None  # Guadeloupe
    assert base_map().project(None, 2.3) is None


def test_base_map_has_the_96_metropolitan_departements_and_13_regions():
    assert len(base_map().shapes) == 96
    assert sorted(region_outlines()) == [
        "11", "24", "27", "28", "32", "44", "52", "53", "75", "76", "84", "93", "94",
    ]  # fmt: skip

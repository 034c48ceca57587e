// Maps without a tile server: the twelve regions' outlines (console/regions.json, the
// data the intake checks a point against) drawn as SVG in Web Mercator, the projection
// of map tiles, so that a deployment may lay a tile layer under them (`config.json`'s
// `tiles`); without one, the outlines alone. A click places a point; the region
// follows from it.
import { settings } from "./config.js";

const SVG = "http://www.w3.org/2000/svg";
const BASE_ZOOM = 6; // SVG units are pixels of the world at this tile zoom
const WORLD = 256 * 2 ** BASE_ZOOM;
const KM_PER_DEGREE = 111.195;
const MOROCCO = { west: -17.5, east: -0.9, south: 20.5, north: 36.2 };
const MOST_TILES = 64;

let outlines = null;

export async function regions() {
  outlines ??= await (await fetch("regions.json")).json();
  return outlines;
}

function s(tag, attributes = {}, ...children) {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  element.append(...children);
  return element;
}

const radians = (degrees) => (degrees * Math.PI) / 180;
const x = (lon) => ((lon + 180) / 360) * WORLD;
const y = (lat) => ((1 - Math.log(Math.tan(radians(lat)) + 1 / Math.cos(radians(lat))) / Math.PI) / 2) * WORLD;
const lonOf = (px) => (px / WORLD) * 360 - 180;
const latOf = (py) => (Math.atan(Math.sinh(Math.PI * (1 - (2 * py) / WORLD))) * 180) / Math.PI;

/// Even-odd rule over every ring, as the intake counts.
function inside(polygons, lat, lon) {
  let inside = false;
  for (const rings of polygons) {
    for (const ring of rings) {
      for (let i = 1; i < ring.length; i++) {
        const [x1, y1] = ring[i - 1];
        const [x2, y2] = ring[i];
        if ((y1 > lat) !== (y2 > lat) && lon < x1 + ((lat - y1) * (x2 - x1)) / (y2 - y1)) inside = !inside;
      }
    }
  }
  return inside;
}

/// The region a point lies in, or `null` (the sea, another country).
export function regionOf(all, lat, lon) {
  return Object.keys(all).find((code) => inside(all[code].polygons, lat, lon)) ?? null;
}

/// The tiles that cover what the map shows (the view, centred in the box with bands
/// beside it when their shapes differ) at the zoom closest to the screen's pixels.
function tilesFor(view, box, tiles) {
  const scale = Math.min(box.width / view.width, box.height / view.height) || 1; // px per unit
  const [width, height] = [box.width / scale, box.height / scale];
  const [left, top] = [view.x - (width - view.width) / 2, view.y - (height - view.height) / 2];
  const zoom = Math.max(0, Math.min(tiles.max_zoom ?? 18, Math.round(BASE_ZOOM + Math.log2(scale))));
  const size = 256 * 2 ** (BASE_ZOOM - zoom);
  const count = 2 ** zoom;
  const first = [Math.floor(left / size), Math.floor(top / size)];
  const last = [Math.floor((left + width) / size), Math.floor((top + height) / size)];
  const images = [];
  for (let ty = Math.max(0, first[1]); ty <= Math.min(count - 1, last[1]); ty++) {
    for (let tx = Math.max(0, first[0]); tx <= Math.min(count - 1, last[0]); tx++) {
      const href = tiles.url.replace("{z}", zoom).replace("{x}", tx).replace("{y}", ty);
      images.push(s("image", { href, x: tx * size, y: ty * size, width: size, height: size, class: "tile" }));
    }
  }
  return images.length <= MOST_TILES ? images : [];
}

/// The map: `label` names it for screen readers; `onpick(lat, lon)` is called on a click
/// when given. `mark(lat, lon, circles)` shows a point and circles (radii in km, the
/// first drawn solid), `select(...codes)` regions, `zoom(code)` one region (none: the
/// country), `frame(lat, lon, km)` a circle. Returns `{element, …}`; `element` holds
/// the map and, with a tile layer, its attribution.
export async function drawMap(all, { label, onpick }) {
  const { tiles } = await settings();
  const paths = {};
  const group = s("g");
  for (const [code, { name, polygons }] of Object.entries(all)) {
    const d = polygons.flat().map((ring) =>
      `M${ring.map(([lon, lat]) => `${x(lon).toFixed(1)} ${y(lat).toFixed(1)}`).join("L")}Z`).join("");
    paths[code] = s("path", { d, class: "region", "fill-rule": "evenodd" }, s("title", {}, `${code} ${name}`));
    group.append(paths[code]);
  }
  const layer = s("g", { class: "tiles" });
  const marks = s("g", { class: "marks" });
  const svg = s("svg", { class: tiles ? "map with-tiles" : "map", role: "img", "aria-label": label }, layer, group, marks);
  const element = document.createElement("div");
  element.className = "map-box";
  element.append(svg);
  if (tiles?.attribution) {
    const credit = document.createElement("p");
    credit.className = "attribution";
    credit.textContent = tiles.attribution;
    element.append(credit);
  }
  const screen = () => ({ width: svg.clientWidth || 512, height: svg.clientHeight || 512 });
  const view = (west, north, east, south) => {
    const [left, top] = [x(west), y(north)];
    svg.setAttribute("viewBox", `${left} ${top} ${x(east) - left} ${y(south) - top}`);
    if (tiles) layer.replaceChildren(...tilesFor(svg.viewBox.baseVal, screen(), tiles));
  };
  const country = () => view(MOROCCO.west, MOROCCO.north, MOROCCO.east, MOROCCO.south);
  country();
  // The tiles are chosen for the map's width on screen, known once it is in the page.
  if (tiles) new ResizeObserver(() => layer.replaceChildren(...tilesFor(svg.viewBox.baseVal, screen(), tiles))).observe(svg);
  // The point keeps its size on screen whatever the zoom.
  const dot = () => svg.viewBox.baseVal.width / 100;
  if (onpick) {
    svg.classList.add("pickable");
    svg.addEventListener("click", (event) => {
      const point = new DOMPoint(event.clientX, event.clientY).matrixTransform(svg.getScreenCTM().inverse());
      onpick(Math.round(latOf(point.y) * 1e4) / 1e4, Math.round(lonOf(point.x) * 1e4) / 1e4);
    });
  }
  // A circle of `km` is a circle in this projection, `1 / cos(lat)` larger.
  const radius = (lat, km) => ((km / KM_PER_DEGREE) * (WORLD / 360)) / Math.cos(radians(lat));
  return {
    element,
    svg,
    select(...codes) {
      for (const [key, path] of Object.entries(paths)) path.classList.toggle("selected", codes.includes(key));
    },
    mark(lat, lon, circles = []) {
      marks.replaceChildren();
      if (!Number.isFinite(lat) || !Number.isFinite(lon)) return;
      circles.forEach((km, index) => {
        marks.append(s("circle", { cx: x(lon), cy: y(lat), r: radius(lat, km), class: index ? "circle next" : "circle" }));
      });
      marks.append(s("circle", { cx: x(lon), cy: y(lat), r: dot(), class: "point" }));
    },
    frame(lat, lon, km) {
      const r = radius(lat, km) * 1.3;
      view(lonOf(x(lon) - r), latOf(y(lat) - r), lonOf(x(lon) + r), latOf(y(lat) + r));
    },
    zoom(code) {
      if (!code || !all[code]) {
        country();
        return;
      }
      const points = all[code].polygons.flat(2);
      const lons = points.map(([lon]) => lon);
      const lats = points.map(([, lat]) => lat);
      const [west, east, south, north] = [Math.min(...lons), Math.max(...lons), Math.min(...lats), Math.max(...lats)];
      const pad = Math.max(east - west, north - south) / 10;
      view(west - pad, north + pad, east + pad, south - pad);
    },
  };
}

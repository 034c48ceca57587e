// Maps without a tile server: the twelve regions' outlines (console/regions.json, the
// data the intake checks a point against) drawn as SVG, an equirectangular projection
// around Morocco's middle latitude. A click places a point; the region follows from it.

const SVG = "http://www.w3.org/2000/svg";
const SCALE = 40; // SVG units per degree of latitude
const WEST = -17.5;
const NORTH = 36.2;
const SQUASH = Math.cos((29 * Math.PI) / 180); // a degree of longitude, in latitude's
const KM_PER_DEGREE = 111.195;

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

const x = (lon) => (lon - WEST) * SQUASH * SCALE;
const y = (lat) => (NORTH - lat) * SCALE;

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

/// The map: `label` names it for screen readers; `onpick(lat, lon)` is called on a click
/// when given. `mark(lat, lon, circles)` shows a point and circles (radii in km, the
/// first drawn solid), `select(...codes)` regions, `zoom(code)` one region, `frame(lat, lon, km)` a circle.
export function drawMap(all, { label, onpick }) {
  const paths = {};
  const group = s("g");
  for (const [code, { name, polygons }] of Object.entries(all)) {
    const d = polygons.flat().map((ring) =>
      `M${ring.map(([lon, lat]) => `${x(lon).toFixed(1)} ${y(lat).toFixed(1)}`).join("L")}Z`).join("");
    paths[code] = s("path", { d, class: "region", "fill-rule": "evenodd" }, s("title", {}, `${code} ${name}`));
    group.append(paths[code]);
  }
  const marks = s("g", { class: "marks" });
  const whole = `0 0 ${x(-0.9).toFixed(0)} ${y(20.5).toFixed(0)}`;
  const svg = s("svg", { viewBox: whole, class: "map", role: "img", "aria-label": label }, group, marks);
  // The point keeps its size on screen whatever the zoom.
  const dot = () => svg.viewBox.baseVal.width / 100;
  if (onpick) {
    svg.classList.add("pickable");
    svg.addEventListener("click", (event) => {
      const point = new DOMPoint(event.clientX, event.clientY).matrixTransform(svg.getScreenCTM().inverse());
      const lon = point.x / (SQUASH * SCALE) + WEST;
      const lat = NORTH - point.y / SCALE;
      onpick(Math.round(lat * 1e4) / 1e4, Math.round(lon * 1e4) / 1e4);
    });
  }
  return {
    element: svg,
    select(...codes) {
      for (const [key, path] of Object.entries(paths)) path.classList.toggle("selected", codes.includes(key));
    },
    mark(lat, lon, circles = []) {
      marks.replaceChildren();
      if (!Number.isFinite(lat) || !Number.isFinite(lon)) return;
      circles.forEach((km, index) => {
        const ry = (km / KM_PER_DEGREE) * SCALE;
        const rx = ry * SQUASH / Math.cos((lat * Math.PI) / 180);
        marks.append(s("ellipse", { cx: x(lon), cy: y(lat), rx, ry, class: index ? "circle next" : "circle" }));
      });
      marks.append(s("circle", { cx: x(lon), cy: y(lat), r: dot(), class: "point" }));
    },
    /// Frames a circle of `km` around a point, with room around it.
    frame(lat, lon, km) {
      const ry = (km / KM_PER_DEGREE) * SCALE * 1.3;
      const rx = ry * SQUASH / Math.cos((lat * Math.PI) / 180);
      const r = Math.max(rx, ry);
      svg.setAttribute("viewBox", `${x(lon) - r} ${y(lat) - r} ${2 * r} ${2 * r}`);
    },
    /// Zooms to a region (a tenth of its size around it), for a finer click; no code:
    /// the whole country.
    zoom(code) {
      if (!code || !all[code]) {
        svg.setAttribute("viewBox", whole);
        return;
      }
      const points = all[code].polygons.flat(2);
      const xs = points.map(([lon]) => x(lon));
      const ys = points.map(([, lat]) => y(lat));
      const [left, top] = [Math.min(...xs), Math.min(...ys)];
      const [width, height] = [Math.max(...xs) - left, Math.max(...ys) - top];
      const pad = Math.max(width, height) / 10;
      svg.setAttribute("viewBox", `${left - pad} ${top - pad} ${width + 2 * pad} ${height + 2 * pad}`);
    },
  };
}

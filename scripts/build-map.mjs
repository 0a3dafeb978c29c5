// Build static/img/world-land.svg, the map's land outline, from Natural Earth's 1:110m land
// (npm world-atlas, public domain data) with topojson-client. Run after changing the projection:
//     npm ci && npm run build-map
// The projection (equirectangular, cropped to the inhabited latitudes) must match
// partnerships/map.py, which places the partners on top; a test compares the two.
import { readFileSync, writeFileSync } from "node:fs";
import { feature } from "topojson-client";

const WIDTH = 1000; // pixels for 360 degrees of longitude
const NORTH = 84; // latitudes shown: 84 N ...
const SOUTH = -58; // ... to 58 S (Antarctica and the Arctic Ocean are left out)
const scale = WIDTH / 360;
const height = Math.round((NORTH - SOUTH) * scale);

const topology = JSON.parse(
  readFileSync(new URL("../node_modules/world-atlas/land-110m.json", import.meta.url)),
);
const land = feature(topology, topology.objects.land);

const project = ([lon, lat]) => [Math.round((lon + 180) * scale), Math.round((NORTH - lat) * scale)];

const rings = [];
for (const f of land.features) {
  const polygons = f.geometry.type === "Polygon" ? [f.geometry.coordinates] : f.geometry.coordinates;
  for (const polygon of polygons) {
    for (const ring of polygon) {
      if (ring.every(([, lat]) => lat < SOUTH)) continue;
      const points = [];
      for (const point of ring.map(project)) {
        const last = points[points.length - 1];
        if (!last || last[0] !== point[0] || last[1] !== point[1]) points.push(point);
      }
      if (points.length >= 3) rings.push("M" + points.map((p) => p.join(" ")).join(" ") + "Z");
    }
  }
}

const svg =
  `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${height}">` +
  `<!-- Land: Natural Earth 1:110m (public domain) via npm world-atlas. -->` +
  `<path fill="#c9d3df" d="${rings.join("")}"/></svg>\n`;
writeFileSync(new URL("../static/img/world-land.svg", import.meta.url), svg);
console.log(`static/img/world-land.svg: ${WIDTH}x${height}, ${rings.length} rings, ${svg.length} bytes`);

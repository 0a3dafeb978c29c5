// Build static/img/world-land.svg, the map's land outline, from Natural Earth's 1:110m land
// (npm world-atlas; Natural Earth data is in the public domain), drawn with d3-geo so that
// shapes crossing the antimeridian are cut correctly. Run after changing the projection:
//     npm ci && npm run build-map
// The projection (equirectangular, cropped to the inhabited latitudes) must match
// partnerships/map.py, which places the partners on top; a test compares the two.
import { readFileSync, writeFileSync } from "node:fs";
import { geoEquirectangular, geoPath } from "d3-geo";
import { feature } from "topojson-client";

const WIDTH = 1000; // pixels for 360 degrees of longitude
const NORTH = 84; // latitudes shown: 84 N ...
const SOUTH = -58; // ... to 58 S (most of Antarctica and the Arctic Ocean are left out)
const perDegree = WIDTH / 360;
const height = Math.round((NORTH - SOUTH) * perDegree);

const topology = JSON.parse(
  readFileSync(new URL("../node_modules/world-atlas/land-110m.json", import.meta.url)),
);
const land = feature(topology, topology.objects.land);

const projection = geoEquirectangular()
  .scale(WIDTH / (2 * Math.PI))
  .translate([WIDTH / 2, NORTH * perDegree])
  .clipExtent([
    [0, 0],
    [WIDTH, height],
  ]);
const path = geoPath(projection).digits(0);

const svg =
  `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${height}">` +
  `<!-- Land: Natural Earth 1:110m (public domain) via npm world-atlas. -->` +
  `<path fill="#c9d3df" d="${path(land)}"/></svg>\n`;
writeFileSync(new URL("../static/img/world-land.svg", import.meta.url), svg);
console.log(`static/img/world-land.svg: ${WIDTH}x${height}, ${svg.length} bytes`);

// The base map shared by the finder and the workbench: the county's own
// township polygons and names (offline), village outlines from the product's
// own vector tiles and village names when zoomed in, and, only when the
// operator configured one, an XYZ raster layer underneath.

import { t } from "./common.js";

/**
 * basemap adds the optional configured tile layer, the township polygons
 * (not interactive, so they take no keyboard stops) and the attribution.
 */
export function basemap(map, config, towns, opts = {}) {
  map.attributionControl.setPrefix(false);
  const tiles = config && config.base_map && config.base_map.url;
  if (tiles) {
    L.tileLayer(tiles, { attribution: config.base_map.attribution, maxZoom: 18, subdomains: "abc" }).addTo(map);
  }
  map.attributionControl.addAttribution(t("乡镇、村界线为示意", "township and village boundaries illustrative"));
  if (opts.polygons === false) return null;
  return L.geoJSON(towns, {
    interactive: false,
    style: {
      color: "#6b7c8c", weight: 1.2, fillColor: tiles ? "#ffffff" : "#eef3ea", fillOpacity: tiles ? 0.15 : 0.9,
    },
  }).addTo(map);
}

function label(r, cls) {
  return L.marker([r.centroid[1], r.centroid[0]], {
    icon: L.divIcon({ className: `label ${cls}`, html: "<span></span>", iconSize: [0, 0] }),
    interactive: false, keyboard: false,
  }).on("add", (e) => {
    e.target.getElement().firstChild.textContent = r.name_zh;
  });
}

/**
 * addLabels names the townships from zoom 9 and the villages from zoom 13;
 * a name that would overlap one already placed (larger places first) is
 * left out until zooming in makes room for it.
 */
export function addLabels(map, townships, villages, opts = {}) {
  const townZoom = opts.townZoom ?? 9, villageZoom = opts.villageZoom ?? 13;
  const bySize = (a, b) => (b.population || 0) - (a.population || 0);
  const towns = L.layerGroup([...townships].sort(bySize).map((r) => label(r, "town")));
  const vills = L.layerGroup([...villages].sort(bySize).map((r) => label(r, "village")));
  let outlines = null;
  const declutter = () => {
    const placed = [];
    for (const group of [towns, vills]) {
      if (!map.hasLayer(group)) continue;
      for (const m of group.getLayers()) {
        const span = m.getElement() && m.getElement().firstChild;
        if (!span) continue;
        span.style.visibility = "";
        const r = span.getBoundingClientRect();
        const hit = placed.some((p) => r.left < p.right + 2 && r.right > p.left - 2 && r.top < p.bottom && r.bottom > p.top);
        if (hit) span.style.visibility = "hidden";
        else placed.push(r);
      }
    }
  };
  const update = () => {
    const z = map.getZoom();
    if (opts.villageOutlines && z >= villageZoom - 1 && !outlines) {
      outlines = villageOutlines(map);
    }
    if (z >= townZoom && z < villageZoom + 1) towns.addTo(map);
    else towns.remove();
    if (z >= villageZoom) vills.addTo(map);
    else vills.remove();
    declutter();
  };
  map.on("zoomend", update);
  map.on("resize", declutter);
  update();
  return { towns, vills };
}

const OUTLINE = { color: "#7f91a1", weight: 1, dashArray: "3 3", fill: false };

function loadScript(src) {
  return new Promise((resolve, reject) => {
    const s = document.createElement("script");
    s.src = src;
    s.onload = resolve;
    s.onerror = () => reject(new Error(`${src} did not load`));
    document.head.append(s);
  });
}

/**
 * villageOutlines draws the village boundaries from this server's vector
 * tiles (only the tiles in view are fetched), with the vector-tile library
 * loaded when first needed; without the library it falls back to the
 * villages' GeoJSON.
 */
async function villageOutlines(map) {
  try {
    if (!(L.vectorGrid && L.vectorGrid.protobuf)) await loadScript("/vendor/leaflet.vectorgrid/Leaflet.VectorGrid.bundled.min.js");
    return L.vectorGrid.protobuf("/tiles/villages/{z}/{x}/{y}.mvt", {
      vectorTileLayerStyles: { villages: OUTLINE },
      interactive: false, maxNativeZoom: 16, pane: "overlayPane", attribution: "",
    }).addTo(map);
  } catch {
    const fc = await fetch("/api/v1/regions.geojson?level=village").then((r) => r.json());
    return L.geoJSON(fc, { interactive: false, style: OUTLINE }).addTo(map);
  }
}

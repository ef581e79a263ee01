// The public map: where is the nearest childcare centre or mother-and-baby
// room? Everything comes from this server's own API; there are no map tiles
// from elsewhere, so the township boundaries are the base map.

const $ = (sel) => document.querySelector(sel);
const state = { kind: "childcare", here: null, map: null, layer: null, marker: null };

async function getJSON(url) {
  const res = await fetch(url);
  if (!res.ok) {
    const problem = await res.json().catch(() => ({}));
    throw new Error(problem.detail || res.statusText);
  }
  return res.json();
}

function fmtDistance(m) {
  return m < 1000 ? `${Math.round(m)} 米` : `${(m / 1000).toFixed(1)} 公里`;
}

function describe(f) {
  if (f.kind === "childcare") {
    const tag = f.inclusive ? "普惠 inclusive" : "非普惠";
    return `${f.approved_slots} 个托位 slots · ${tag} · 月费 ¥${f.monthly_fee_yuan}`;
  }
  return `${"★".repeat(f.star)}${"☆".repeat(3 - f.star)} · ${f.opening_hours}`;
}

function showResults(items) {
  const ol = $("#results");
  ol.replaceChildren();
  for (const f of items) {
    const li = document.createElement("li");
    li.dataset.id = f.id;
    const name = document.createElement("strong");
    name.textContent = f.name_zh;
    const dist = document.createElement("span");
    dist.className = "distance";
    dist.textContent = fmtDistance(f.distance_m);
    const info = document.createElement("div");
    info.className = "info";
    info.textContent = describe(f);
    const addr = document.createElement("div");
    addr.className = "addr";
    addr.textContent = f.address + (f.phone ? ` · ☎ ${f.phone}` : "");
    const go = document.createElement("a");
    go.href = f.directions_url;
    go.textContent = "导航 Directions";
    go.rel = "noopener";
    li.append(name, dist, info, addr, go);
    li.addEventListener("click", (e) => {
      if (e.target !== go) state.map.setView([f.lat, f.lon], 15);
    });
    ol.append(li);
  }
}

async function search() {
  if (!state.here) return;
  const [lon, lat] = state.here;
  $("#status").textContent = "正在查找… searching";
  try {
    const page = await getJSON(`/api/v1/facilities?near=${lon.toFixed(6)},${lat.toFixed(6)}&kind=${state.kind}&limit=5`);
    showResults(page.items);
    $("#status").textContent = page.items.length
      ? `最近的 ${page.items.length} 处（共 ${page.number_matched} 处）· nearest ${page.items.length} of ${page.number_matched}`
      : "附近没有找到 · none found";
  } catch (err) {
    $("#status").textContent = `出错了 error: ${err.message}`;
  }
}

function setHere(lon, lat) {
  state.here = [lon, lat];
  if (state.marker) state.marker.remove();
  state.marker = L.marker([lat, lon], { title: "我的位置 you are here" }).addTo(state.map);
  search();
}

async function drawFacilities() {
  if (state.layer) state.layer.remove();
  const fc = await getJSON(`/api/v1/facilities.geojson?kind=${state.kind}`);
  const colour = state.kind === "childcare" ? "#1565c0" : "#c2185b";
  state.layer = L.geoJSON(fc, {
    pointToLayer: (feature, latlng) =>
      L.circleMarker(latlng, { radius: 6, color: "#fff", weight: 1.5, fillColor: colour, fillOpacity: 0.9 }),
    onEachFeature: (feature, layer) => {
      const p = feature.properties;
      layer.bindPopup(`<strong></strong><br><span></span>`);
      layer.on("popupopen", (e) => {
        const el = e.popup.getElement();
        el.querySelector("strong").textContent = p.name_zh;
        el.querySelector("span").textContent = describe(p);
      });
    },
  }).addTo(state.map);
}

async function main() {
  if (typeof L === "undefined") {
    $("#status").textContent = "地图库未安装：运行 make assets · map library missing: run make assets";
    return;
  }
  state.map = L.map("map", { zoomControl: true, attributionControl: true });
  state.map.attributionControl.setPrefix("Leaflet");
  const [dataset, towns] = await Promise.all([
    getJSON("/api/v1/dataset"),
    getJSON("/api/v1/regions.geojson?level=township"),
  ]);
  if (dataset.sample) {
    $("#sample").hidden = false;
    $("#sample").textContent = `${dataset.notice_zh} ${dataset.notice}`;
  }
  $("#footer").textContent = `数据版本 dataset ${dataset.version} · ${dataset.title_zh} · ${dataset.licence}`;
  const outline = L.geoJSON(towns, {
    style: { color: "#5d6d7e", weight: 1, fillColor: "#eef3ea", fillOpacity: 0.9 },
    onEachFeature: (feature, layer) => {
      layer.bindTooltip(feature.properties.name_zh, { permanent: false, direction: "center" });
    },
  }).addTo(state.map);
  state.map.attributionControl.addAttribution("边界为示意 illustrative boundaries");
  state.map.fitBounds(outline.getBounds());
  await drawFacilities();
  state.map.on("click", (e) => setHere(e.latlng.lng, e.latlng.lat));

  for (const btn of document.querySelectorAll(".kinds button")) {
    btn.addEventListener("click", async () => {
      state.kind = btn.dataset.kind;
      for (const b of document.querySelectorAll(".kinds button")) {
        b.setAttribute("aria-pressed", String(b === btn));
      }
      await drawFacilities();
      search();
    });
  }
  $("#locate").addEventListener("click", () => {
    if (!navigator.geolocation) {
      $("#status").textContent = "此浏览器不能定位，请点击地图 · no geolocation: tap the map";
      return;
    }
    navigator.geolocation.getCurrentPosition(
      (pos) => setHere(pos.coords.longitude, pos.coords.latitude),
      () => ($("#status").textContent = "无法定位，请点击地图 · location unavailable: tap the map"),
    );
  });
  const params = new URLSearchParams(location.search);
  if (params.has("near")) {
    const [lon, lat] = params.get("near").split(",").map(Number);
    if (Number.isFinite(lon) && Number.isFinite(lat)) setHere(lon, lat);
  }
  document.body.dataset.ready = "true";
}

main().catch((err) => {
  $("#status").textContent = `出错了 error: ${err.message}`;
});

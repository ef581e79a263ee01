// The finder: where is the nearest childcare centre or mother-and-baby room,
// is there a free place, when is it open, how do I get there? Everything
// comes from this server's API; the county's own polygons and names are the
// base map, unless the operator configured a tile layer (/config.json).

import { $, $$, t, lang, el, num, getJSON, setParams, initPage, fail } from "./common.js";
import { addLabels, basemap } from "./mapkit.js";

const LIMIT = 5;
const state = {
  kind: "childcare",
  here: null, // [lon, lat]
  hereLabel: "",
  filters: { class: "", inclusive: false, star: "", open: false },
  facilities: [], // GeoJSON features of every open facility
  towns: null, // township polygons
  places: [], // search entries
  results: [],
  map: null,
  bg: null,
  numbered: null,
  hereMarker: null,
  fitTarget: null,
};

const CLASSES = {
  infant: ["乳儿班（6–12个月）", "infants (6–12 months)"],
  toddler_small: ["托小班（12–24个月）", "younger toddlers (12–24 months)"],
  toddler_large: ["托大班（24–36个月）", "older toddlers (24–36 months)"],
  mixed: ["混合班（18–36个月）", "mixed ages (18–36 months)"],
};
const AMENITIES = {
  changing_table: ["护理台", "changing table"],
  nursing_chair: ["哺乳椅", "nursing chair"],
  sink: ["洗手池", "sink"],
  hand_sanitiser: ["洗手液", "hand sanitiser"],
  call_button: ["呼叫按钮", "call button"],
  door_lock: ["可锁门", "lockable door"],
  fridge: ["冰箱", "fridge"],
  microwave: ["微波炉", "microwave"],
  diaper_bin: ["尿布桶", "nappy bin"],
  outlet: ["电源插座", "power socket"],
};
const VENUES = {
  hospital: ["医院", "hospital"], workplace: ["单位", "workplace"], public_place: ["公共场所", "public place"],
  mall: ["商场", "shopping centre"], station: ["车站", "station"],
};
const STARS = ["", "一星级", "二星级", "三星级"];
const tr = (pair) => (pair ? t(pair[0], pair[1]) : "");

export function distanceText(m) {
  return m < 1000 ? `${Math.round(m)} ${t("米", "m")}` : `${(m / 1000).toFixed(m < 10000 ? 1 : 0)} ${t("公里", "km")}`;
}

// Opening hours come as "周一至周五 07:30-17:30" or "每日 06:30-21:30".
const DAYS = { "周一至周五": [1, 5, "Mon–Fri"], "周一至周六": [1, 6, "Mon–Sat"], "每日": [0, 6, "daily"] };
function parseHours(s) {
  const m = /^(\S+)\s+(\d\d):(\d\d)-(\d\d):(\d\d)$/.exec(s || "");
  if (!m || !DAYS[m[1]]) return null;
  const [d0, d1, en] = DAYS[m[1]];
  return { d0, d1, en, from: +m[2] * 60 + +m[3], to: +m[4] * 60 + +m[5], time: `${m[2]}:${m[3]}–${m[4]}:${m[5]}` };
}
function hoursText(s) {
  const h = parseHours(s);
  if (!h) return s || "";
  return lang === "en" ? `${h.en} ${h.time}` : s.replace("-", "–");
}
/** openNow says whether the hours include the present moment in China Standard Time. */
function openNow(s) {
  const h = parseHours(s);
  if (!h) return false;
  const parts = new Intl.DateTimeFormat("en-GB", {
    timeZone: "Asia/Shanghai", weekday: "short", hour: "2-digit", minute: "2-digit", hourCycle: "h23",
  }).formatToParts(new Date());
  const get = (type) => parts.find((p) => p.type === type).value;
  const day = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"].indexOf(get("weekday"));
  const min = +get("hour") * 60 + +get("minute");
  const dayOK = h.d0 === 0 && h.d1 === 6 ? true : day >= h.d0 && day <= h.d1;
  return dayOK && min >= h.from && min < h.to;
}

function sum(counts) {
  return counts ? Object.values(counts).reduce((a, b) => a + b, 0) : 0;
}

/** facts returns the lines that describe a facility, for the list and the popup. */
function facts(f) {
  const lines = [];
  if (f.kind === "childcare") {
    const free = (f.approved_slots || 0) - sum(f.enrolled);
    lines.push(el("p", { class: free > 0 ? "free" : "full" },
      free > 0
        ? t(`有空位 ${free} 个（共 ${f.approved_slots} 个托位）`, `${free} free place${free === 1 ? "" : "s"} of ${f.approved_slots}`)
        : t(`满员（${f.approved_slots} 个托位已满）`, `Full (all ${f.approved_slots} places taken)`)));
    const classes = Object.entries(f.slots || {}).filter(([, n]) => n > 0)
      .map(([c, n]) => `${tr(CLASSES[c])} ${n}`);
    if (classes.length) lines.push(el("p", {}, `${t("班型", "Classes")}: ${classes.join(t("，", ", "))}`));
    lines.push(el("p", {},
      el("span", { class: f.inclusive ? "tag inc" : "tag" }, f.inclusive ? t("普惠", "inclusive (subsidised)") : t("非普惠", "not inclusive")),
      " ", f.monthly_fee_yuan != null ? t(`月费 ¥${num(f.monthly_fee_yuan)}`, `¥${num(f.monthly_fee_yuan)} a month`) : ""));
  } else {
    const s = f.star || 0;
    lines.push(el("p", {},
      el("span", { class: "stars", "aria-hidden": "true" }, "★".repeat(s) + "☆".repeat(3 - s)), " ",
      el("span", {}, t(`${STARS[s] || "未评星"}（最高三星）`, `${s} of 3 stars`)),
      f.venue_type ? ` · ${tr(VENUES[f.venue_type])}` : ""));
    if (f.amenities && f.amenities.length) {
      lines.push(el("p", {}, `${t("设施", "Has")}: ${f.amenities.map((a) => tr(AMENITIES[a]) || a).join(t("、", ", "))}`));
    }
    lines.push(el("p", { class: f.accessible ? "" : "warn" },
      f.accessible ? t("♿ 无障碍，可推婴儿车进入", "♿ Step-free access") : t("有台阶，无无障碍通道", "Not step-free")));
  }
  if (f.opening_hours) {
    const open = openNow(f.opening_hours);
    lines.push(el("p", {}, `${t("开放", "Open")}: ${hoursText(f.opening_hours)} `,
      el("span", { class: open ? "tag open" : "tag" }, open ? t("现在开放", "open now") : t("现在关闭", "closed now"))));
  }
  lines.push(el("p", { class: "addr" }, f.address));
  const actions = el("p", { class: "actions" });
  if (f.phone) actions.append(el("a", { href: `tel:${f.phone.replace(/[^0-9+]/g, "")}` }, `☎ ${f.phone}`));
  if (f.directions_url) {
    actions.append(el("a", { href: f.directions_url, target: "_blank", rel: "noopener noreferrer" },
      t("路线（高德，新窗口）", "Route (Amap, new tab)")));
  }
  lines.push(actions);
  return lines;
}

function popupContent(f) {
  return el("div", { class: "pop" },
    el("strong", {}, f.name_zh),
    f.distance_m != null ? el("span", { class: "distance" }, " · " + distanceText(f.distance_m)) : "",
    ...facts(f));
}

// ---- the map ----------------------------------------------------------

function inRing(pt, ring) {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i], [xj, yj] = ring[j];
    if (yi > pt[1] !== yj > pt[1] && pt[0] < ((xj - xi) * (pt[1] - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}
/** townshipAt returns the township whose polygon holds [lon, lat], or null outside the county. */
function townshipAt(pt) {
  for (const f of state.towns.features) {
    const g = f.geometry;
    const polys = g.type === "Polygon" ? [g.coordinates] : g.coordinates;
    for (const p of polys) {
      if (inRing(pt, p[0]) && !p.slice(1).some((h) => inRing(pt, h))) return f.properties;
    }
  }
  return null;
}

function matchesFilters(p) {
  const fl = state.filters;
  if (p.kind !== state.kind) return false;
  if (p.kind === "childcare") {
    if (fl.class && !(p.slots && p.slots[fl.class] > 0)) return false;
    if (fl.inclusive && !p.inclusive) return false;
  } else if (fl.star && (p.star || 0) < +fl.star) return false;
  if (fl.open && !openNow(p.opening_hours)) return false;
  return true;
}

function drawBackground() {
  if (state.bg) state.bg.remove();
  const colour = state.kind === "childcare" ? "#1565c0" : "#ad1457";
  state.bg = L.layerGroup();
  for (const f of state.facilities) {
    const p = f.properties;
    if (!matchesFilters(p)) continue;
    L.circleMarker([p.lat, p.lon], { radius: 5, color: "#fff", weight: 1.5, fillColor: colour, fillOpacity: 0.9 })
      .bindPopup(() => popupContent(p), { maxWidth: 280, minWidth: 220 })
      .addTo(state.bg);
  }
  state.bg.addTo(state.map);
}

function fit() {
  const m = state.map;
  if (state.fitTarget) m.fitBounds(state.fitTarget, { padding: [36, 36], maxZoom: 14, animate: false });
}

// ---- searching ----------------------------------------------------------

function buildPlaces(towns, villages) {
  const townName = Object.fromEntries(towns.map((r) => [r.code, r.name_zh]));
  const places = [];
  for (const r of towns) places.push({ label: r.name_zh, sub: t("乡镇", "township"), lon: r.centroid[0], lat: r.centroid[1], text: r.name_zh });
  for (const r of villages) {
    const town = townName[r.parent_code] || "";
    places.push({ label: r.name_zh, sub: `${t("村社区", "village")} · ${town}`, lon: r.centroid[0], lat: r.centroid[1], text: town + r.name_zh });
  }
  for (const f of state.facilities) {
    const p = f.properties;
    places.push({
      label: p.name_zh, sub: p.kind === "childcare" ? t("托育机构", "childcare") : t("母婴室", "baby room"),
      lon: p.lon, lat: p.lat, text: p.name_zh + p.address, kind: p.kind, address: p.address,
    });
  }
  return places;
}

function findPlaces(q) {
  q = q.trim().replace(/\s+/g, "");
  if (!q) return [];
  const hits = state.places.filter((p) => p.text.includes(q));
  // Names that start with the query first, then shorter names.
  hits.sort((a, b) => (b.label.startsWith(q) - a.label.startsWith(q)) || a.label.length - b.label.length);
  return hits.slice(0, 8);
}

function showMatches() {
  const ul = $("#matches");
  const q = $("#q").value;
  const hits = findPlaces(q);
  ul.replaceChildren(...hits.map((p) => el("li", {}, el("button", {
    type: "button",
    onclick: () => choose(p),
  }, el("span", {}, p.label), el("small", {}, p.sub + (p.address && !p.label.includes(q) ? ` · ${p.address}` : ""))))));
  if (q.trim() && !hits.length) ul.append(el("li", { class: "hint" }, t("没有找到这个地方", "No place by that name")));
}

function choose(p) {
  $("#matches").replaceChildren();
  $("#q").value = p.label;
  if (p.kind && p.kind !== state.kind) setKind(p.kind, false);
  setHere(p.lon, p.lat, p.label, { focus: true, facility: !!p.kind }).catch(fail);
}

// ---- near a place -------------------------------------------------------

async function setHere(lon, lat, label, opts = {}) {
  state.here = [lon, lat];
  state.hereLabel = label || "";
  if (state.hereMarker) state.hereMarker.remove();
  state.hereMarker = L.marker([lat, lon], {
    icon: L.divIcon({ className: "here", html: "<span></span>", iconSize: [22, 22] }),
    keyboard: false, interactive: false, zIndexOffset: 900,
  }).addTo(state.map);
  writeAddress();
  await list(opts);
}

function writeAddress() {
  const f = state.filters;
  setParams({
    near: state.here ? `${state.here[0].toFixed(5)},${state.here[1].toFixed(5)}` : "",
    kind: state.kind === "childcare" ? "" : state.kind,
    class: state.kind === "childcare" ? f.class : "",
    inclusive: state.kind === "childcare" && f.inclusive ? "true" : "",
    star: state.kind === "nursing_room" ? f.star : "",
    open: f.open ? "now" : "",
  });
}

async function list(opts = {}) {
  if (!state.here) return;
  const [lon, lat] = state.here;
  const f = state.filters;
  const q = new URLSearchParams({ near: `${lon.toFixed(6)},${lat.toFixed(6)}`, kind: state.kind, limit: f.open ? "100" : String(LIMIT) });
  if (state.kind === "childcare") {
    if (f.class) q.set("class", f.class);
    if (f.inclusive) q.set("inclusive", "true");
  } else if (f.star) q.set("star_min", f.star);
  $("#status").textContent = t("正在查找…", "Searching…");
  document.body.dataset.results = "loading";
  const page = await getJSON(`/api/v1/facilities?${q}`);
  let items = page.items;
  if (f.open) items = items.filter((it) => openNow(it.opening_hours));
  items = items.slice(0, LIMIT);
  state.results = items;
  renderResults(items);

  const town = townshipAt([lon, lat]);
  const what = state.kind === "childcare" ? t("托育机构", "childcare centres") : t("母婴室", "mother-and-baby rooms");
  const where = state.hereLabel || (town ? town.name_zh : "");
  const status = [];
  if (!town) {
    status.push(el("strong", { class: "outside" }, t(
      "这个位置不在本县内，本站只收录本县的机构。",
      "This place is outside the county; only the county's centres are listed here.")));
    if (items.length) status.push(" " + t(`最近的在 ${distanceText(items[0].distance_m)} 外。`, `The nearest is ${distanceText(items[0].distance_m)} away.`));
  }
  status.push(" " + (items.length
    ? t(`离${where || "所选位置"}最近的 ${items.length} 处${what}（共 ${page.number_matched} 处）。`,
      `The ${items.length} ${what} nearest ${where || "the chosen place"} (of ${page.number_matched}).`)
    : t(`没有符合条件的${what}，请放宽筛选。`, `No ${what} match: loosen the filters.`)));
  $("#status").replaceChildren(...status);

  // Fit the map to the person and the results, and bring the list into view.
  const pts = [[lat, lon], ...items.map((it) => [it.lat, it.lon])];
  state.fitTarget = L.latLngBounds(pts);
  fit();
  document.body.dataset.results = String(items.length);
  if (opts.facility) {
    // A centre chosen by name: it is the one at the chosen point.
    const first = $("#results li");
    if (first && +first.dataset.distance < 1) first.classList.add("current");
  }
  if (opts.focus) {
    $("#results-head").focus({ preventScroll: true });
    $("#results-head").scrollIntoView({ block: "start" });
  } else if (opts.scroll) {
    const first = $("#results li");
    if (first) first.scrollIntoView({ block: "nearest" });
  }
}

function renderResults(items) {
  if (state.numbered) state.numbered.remove();
  state.numbered = L.layerGroup().addTo(state.map);
  const ol = $("#results");
  ol.replaceChildren();
  items.forEach((f, i) => {
    const n = i + 1;
    const marker = L.marker([f.lat, f.lon], {
      icon: L.divIcon({ className: `num ${f.kind}`, html: `<span>${n}</span>`, iconSize: [26, 26] }),
      keyboard: false, zIndexOffset: 1000 + (LIMIT - i), title: `${n}. ${f.name_zh}`, alt: `${n}. ${f.name_zh}`,
    }).bindPopup(() => popupContent(f), { maxWidth: 280, minWidth: 220, autoPanPadding: [20, 20] })
      .addTo(state.numbered);
    const li = el("li", { id: `r-${f.id}`, "data-id": f.id, "data-distance": f.distance_m },
      el("div", { class: "head" },
        el("span", { class: "n", "aria-hidden": "true" }, n),
        el("h3", {}, f.name_zh),
        el("span", { class: "distance" }, distanceText(f.distance_m))),
      ...facts(f),
      el("button", {
        type: "button", class: "show",
        onclick: () => {
          state.map.setView([f.lat, f.lon], Math.max(state.map.getZoom(), 14));
          marker.openPopup();
          $("#map").scrollIntoView({ block: "nearest" });
        },
      }, t(`在地图上看第 ${n} 处`, `Show no. ${n} on the map`)));
    marker.on("click", () => {
      for (const o of $$("#results li")) o.classList.toggle("current", o === li);
      li.scrollIntoView({ block: "nearest" });
    });
    ol.append(li);
  });
}

// ---- controls -----------------------------------------------------------

function setKind(kind, relist = true) {
  state.kind = kind;
  for (const b of $$(".kinds button")) b.setAttribute("aria-pressed", String(b.dataset.kind === kind));
  document.body.dataset.kind = kind;
  drawBackground();
  writeAddress();
  if (relist) list().catch(fail);
}

function readFilters() {
  state.filters = {
    class: $("#f-class").value,
    inclusive: $("#f-inclusive").checked,
    star: $("#f-star").value,
    open: $("#f-open").checked,
  };
  drawBackground();
  writeAddress();
  list().catch(fail);
}

function locate() {
  if (!navigator.geolocation) {
    $("#status").textContent = t("此浏览器不能定位，请搜索或点地图。", "This browser cannot locate you: search or tap the map.");
    return;
  }
  $("#status").textContent = t("正在定位（需要您同意）…", "Locating (your browser will ask)…");
  navigator.geolocation.getCurrentPosition(
    (pos) => setHere(pos.coords.longitude, pos.coords.latitude, t("您", "you"), { focus: true }).catch(fail),
    () => ($("#status").textContent = t("无法定位，请搜索或点地图。", "Could not locate you: search or tap the map.")),
    { enableHighAccuracy: true, timeout: 10000, maximumAge: 60000 },
  );
}

async function main() {
  const params = new URLSearchParams(location.search);
  const datasetP = initPage();
  if (typeof L === "undefined") {
    $("#status").textContent = t("地图库未安装：运行 make assets", "Map library missing: run make assets");
    return;
  }
  const [, towns, townList, villages, facilities, config] = await Promise.all([
    datasetP,
    getJSON("/api/v1/regions.geojson?level=township"),
    getJSON("/api/v1/regions?level=township"),
    getJSON("/api/v1/regions?level=village"),
    getJSON("/api/v1/facilities.geojson"),
    getJSON("/config.json"),
  ]);
  state.towns = towns;
  state.facilities = facilities.features;
  state.places = buildPlaces(townList.items, villages.items);

  const map = (state.map = L.map("map", { zoomSnap: 0.25 }));
  basemap(map, config, towns);
  addLabels(map, townList.items, villages.items, { villageOutlines: true });
  state.fitTarget = L.geoJSON(towns).getBounds();
  map.fitBounds(state.fitTarget, { padding: [6, 6] });

  state.kind = params.get("kind") === "nursing_room" ? "nursing_room" : "childcare";
  $("#f-class").value = CLASSES[params.get("class")] ? params.get("class") : "";
  $("#f-inclusive").checked = params.get("inclusive") === "true";
  $("#f-star").value = ["2", "3"].includes(params.get("star")) ? params.get("star") : "";
  $("#f-open").checked = params.get("open") === "now";
  if ($("#f-class").value || $("#f-inclusive").checked || $("#f-star").value || $("#f-open").checked) $("#filters").open = true;
  state.filters = { class: $("#f-class").value, inclusive: $("#f-inclusive").checked, star: $("#f-star").value, open: $("#f-open").checked };
  for (const b of $$(".kinds button")) b.setAttribute("aria-pressed", String(b.dataset.kind === state.kind));
  document.body.dataset.kind = state.kind;
  drawBackground();

  map.on("click", (e) => setHere(e.latlng.lng, e.latlng.lat, "", { scroll: true }).catch(fail));
  for (const b of $$(".kinds button")) b.addEventListener("click", () => setKind(b.dataset.kind));
  for (const id of ["#f-class", "#f-inclusive", "#f-star", "#f-open"]) $(id).addEventListener("change", readFilters);
  $("#locate").addEventListener("click", locate);
  $("#q").addEventListener("input", showMatches);
  $("#search").addEventListener("submit", (e) => {
    e.preventDefault();
    const first = findPlaces($("#q").value)[0];
    if (first) choose(first);
    else showMatches();
  });
  let resizeTimer;
  window.addEventListener("resize", () => {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(() => { map.invalidateSize(); fit(); }, 150);
  });

  const near = (params.get("near") || "").split(",").map(Number);
  if (near.length === 2 && near.every(Number.isFinite)) {
    await setHere(near[0], near[1], "");
  } else if (params.has("near")) {
    $("#status").textContent = t("地址中的位置无效，应为“经度,纬度”。", "The place in the address is not valid: it should be lon,lat.");
  } else {
    writeAddress();
  }
  document.body.dataset.ready = "true";
}

main().catch(fail);

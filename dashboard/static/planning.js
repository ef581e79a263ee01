// The planners' workbench: every township (or village) coloured by its
// childcare slots per 1,000 residents against the target that applies to it,
// a complete sortable table with downloads, a panel per region with its trend,
// and where new slots would reach the most children.

import { $, $$, t, lang, el, num, getJSON, setParams, initPage, fail, sparkline } from "./common.js";
import { addLabels, basemap } from "./mapkit.js";

const state = {
  level: "township", year: null, region: "", sort: "gap_slots", dir: "desc",
  items: [], byCode: {}, townName: {}, fc: null,
  map: null, layer: null, centres: null, marks: null, labels: null, years: [],
};

// A diverging scale centred on the target (share of the target reached),
// from ColorBrewer's PuOr, which people with the common colour-vision
// deficiencies can tell apart; "no data" is a neutral grey.
const CLASSES = [
  { max: 0.5, colour: "#b35806", zh: "不到目标的一半", en: "under half the target" },
  { max: 0.8, colour: "#f1a340", zh: "目标的 50–80%", en: "50–80% of the target" },
  { max: 1, colour: "#fee0b6", zh: "目标的 80–100%", en: "80–100% of the target" },
  { max: 1.5, colour: "#d8daeb", zh: "达标（至 150%）", en: "met (up to 150%)" },
  { max: 2, colour: "#998ec3", zh: "目标的 150–200%", en: "150–200% of the target" },
  { max: Infinity, colour: "#542788", zh: "目标的 2 倍以上", en: "over twice the target" },
];
const NO_DATA = "#8c8c8c";

function share(p) {
  return p.slots_per_1000 === null || p.slots_per_1000 === undefined || !p.population ? null : p.slots_per_1000 / p.target_per_1000;
}
function colour(p) {
  const r = share(p);
  if (r === null) return NO_DATA;
  return CLASSES.find((c) => r < c.max).colour;
}

function legend() {
  const c = L.control({ position: "bottomright" });
  // Folded on phones, where it would hide half the map.
  c.onAdd = () => el("details", { class: "legend", open: matchMedia("(min-width: 760px)").matches },
    el("summary", {}, t("每千人托位 ÷ 目标", "Slots per 1,000 ÷ target")),
    ...CLASSES.map((k) => el("span", {}, el("i", { style: `background:${k.colour}` }), t(k.zh, k.en))),
    el("span", {}, el("i", { style: `background:${NO_DATA}` }), t("无数据（无常住人口）", "no data (no residents)")),
    el("span", {}, el("i", { style: "background:#fff;border:2px dashed #222" }), t("新建社区（目标 10‰）", "new community (target 10 per 1,000)")),
    el("span", {}, el("i", { style: "background:#263238;border-radius:50%;width:.6rem;height:.6rem;margin:0 .5rem 0 .15rem" }), t("现有托育机构", "existing centre")));
  return c;
}

const COLUMNS = [
  { key: "name_zh", zh: "地区", en: "Region", text: true },
  { key: "population", zh: "常住人口", en: "Population" },
  { key: "children_under_3", zh: "3岁以下", en: "Under 3" },
  { key: "needed_slots", zh: "应有托位", en: "Needed" },
  { key: "slots", zh: "现有托位", en: "Current" },
  { key: "gap_slots", zh: "缺口", en: "Gap" },
  { key: "slots_per_1000", zh: "每千人", en: "Per 1,000" },
  { key: "target_per_1000", zh: "目标", en: "Target" },
  { key: "met", zh: "达标", en: "Met" },
  { key: "construction_subsidy_yuan", zh: "建设补助 ¥", en: "Construction ¥" },
  { key: "operating_subsidy_yuan_per_year", zh: "年运营补助 ¥", en: "Operating ¥/year" },
];

function regionName(p) {
  return p.name_zh;
}

function drawTable() {
  const head = $("#gaps thead tr");
  head.replaceChildren(...COLUMNS.map((c) => {
    const th = el("th", { scope: "col" }, el("button", {
      type: "button",
      onclick: () => {
        state.dir = state.sort === c.key ? (state.dir === "desc" ? "asc" : "desc") : c.text ? "asc" : "desc";
        state.sort = c.key;
        drawTable();
        writeAddress();
      },
    }, t(c.zh, c.en)));
    if (state.sort === c.key) th.setAttribute("aria-sort", state.dir === "asc" ? "ascending" : "descending");
    return th;
  }));
  const k = state.sort, sign = state.dir === "asc" ? 1 : -1;
  const rows = [...state.items].sort((a, b) => {
    const x = a[k], y = b[k];
    if (x === null || x === undefined) return 1;
    if (y === null || y === undefined) return -1;
    const c = typeof x === "string" ? x.localeCompare(y, "zh-CN") : Number(x) - Number(y);
    return c * sign || a.code.localeCompare(b.code);
  });
  const tbody = $("#gaps tbody");
  tbody.replaceChildren(...rows.map((p) => el("tr", { "data-code": p.code, class: p.code === state.region ? "current" : "" },
    el("th", { scope: "row" },
      el("button", { type: "button", onclick: () => select(p.code, true) }, regionName(p)),
      state.level === "village" ? el("small", { class: "hint" }, " " + (state.townName[p.parent_code] || "")) : "",
      p.new_community ? el("span", { class: "tag", title: t("新建社区按每千人10个托位衡量", "new communities are measured against 10 per 1,000") }, t(" 新建", " new")) : ""),
    el("td", {}, num(p.population)),
    el("td", {}, num(p.children_under_3)),
    el("td", {}, num(p.needed_slots)),
    el("td", {}, num(p.slots)),
    el("td", { class: p.gap_slots > 0 ? "gap-cell" : "" }, num(p.gap_slots)),
    el("td", {}, num(p.slots_per_1000, 2)),
    el("td", {}, num(p.target_per_1000)),
    el("td", {}, share(p) === null ? t("无数据", "no data") : p.met ? t("是", "yes") : t("否", "no")),
    el("td", {}, num(p.construction_subsidy_yuan)),
    el("td", {}, num(p.operating_subsidy_yuan_per_year)),
  )));
  const short = state.items.filter((p) => p.gap_slots > 0).length;
  $("#table-summary").textContent = $("#caption").textContent = t(
    `全部 ${state.items.length} 个${state.level === "village" ? "村社区" : "乡镇"}（${state.year} 年），其中 ${short} 个未达标。点列名排序。`,
    `All ${state.items.length} ${state.level === "village" ? "villages" : "townships"} (${state.year}); ${short} short of their target. Sort by a column's name.`);
}

function drawMap() {
  if (state.layer) state.layer.remove();
  state.layer = L.geoJSON(state.fc, {
    style: (f) => ({
      color: f.properties.new_community ? "#111" : "#37474f",
      weight: f.properties.new_community ? 2.5 : 0.8,
      dashArray: f.properties.new_community ? "5 4" : null,
      fillColor: colour(f.properties), fillOpacity: 0.85,
    }),
    onEachFeature: (f, layer) => layer.on("click", () => select(f.properties.code, false)),
  }).addTo(state.map);
  if (state.centres) state.centres.bringToFront();
}

// loadCoverage fetches the level's regions and the county's figures for a
// year (the dataset's reference date when year is null).
function loadCoverage(level, year) {
  const asOf = year ? `&as_of=${year}-12-31` : "";
  return Promise.all([
    getJSON(`/api/v1/coverage.geojson?level=${level}${asOf}`),
    getJSON(`/api/v1/coverage?level=county${asOf}`),
  ]);
}

async function draw(prefetched) {
  $("#status").textContent = t("载入中…", "Loading…");
  const asOf = `${state.year}-12-31`;
  const [fc, county] = await (prefetched || loadCoverage(state.level, state.year));
  state.fc = fc;
  state.items = fc.features.map((f) => f.properties);
  state.byCode = Object.fromEntries(state.items.map((p) => [p.code, p]));
  drawMap();
  drawTable();
  const c = county.items[0];
  $("#headline").textContent = t(
    `${c.name_zh} ${state.year} 年：${num(c.slots)} 个托位，每千人 ${num(c.slots_per_1000, 2)} 个（目标 ${c.target_per_1000}，${c.met ? "已达标" : "未达标"}）；各乡镇合计还缺 ${num(c.gap_slots_in_parts)} 个托位。`,
    `${c.name_zh} ${state.year}: ${num(c.slots)} slots, ${num(c.slots_per_1000, 2)} per 1,000 (target ${c.target_per_1000}, ${c.met ? "met" : "not met"}); the townships are short of ${num(c.gap_slots_in_parts)} slots in all.`);
  $("#downloads").replaceChildren(
    `${t("下载本视图", "Download this view")}: `,
    el("a", { href: `/api/v1/coverage.csv?level=${state.level}&as_of=${asOf}`, download: "" }, "CSV"),
    el("a", { href: `/api/v1/coverage.geojson?level=${state.level}&as_of=${asOf}`, download: "" }, "GeoJSON"));
  $("#status").textContent = "";
  if (state.region && !state.byCode[state.region]) {
    // A village's panel stays open at the township level as its township.
    const code = state.region.slice(0, state.level === "township" ? 9 : 12);
    if (state.byCode[code]) state.region = code;
    else {
      $("#status").textContent = t(`没有编码为 ${state.region} 的${state.level === "village" ? "村社区" : "乡镇"}。`,
        `No ${state.level} has the code ${state.region}.`);
      state.region = "";
      writeAddress();
    }
  }
  await showRegion();
}

function select(code, fromTable) {
  state.region = code;
  for (const tr of $$("#gaps tbody tr")) tr.classList.toggle("current", tr.dataset.code === code);
  writeAddress();
  showRegion({ zoom: true }).catch(fail);
  if (fromTable) $("#region").scrollIntoView({ block: "nearest" });
}

async function showRegion(opts = {}) {
  const box = $("#region");
  const p = state.byCode[state.region];
  if (!p) {
    box.replaceChildren();
    return;
  }
  const [series, centres] = await Promise.all([
    getJSON(`/api/v1/coverage/series?region=${p.code}`),
    getJSON(`/api/v1/facilities?region=${p.code}&kind=childcare&limit=100`),
  ]);
  const r = share(p);
  const status = r === null ? ["nodata", t("无数据", "no data")] : p.met ? ["met", t("达标", "met")] : ["short", t(`未达标，缺 ${p.gap_slots} 个托位`, `short by ${p.gap_slots} slots`)];
  const fig = (zh, en, v) => el("div", {}, el("dt", {}, t(zh, en)), el("dd", {}, v));
  const town = p.level === "village" ? state.townName[p.parent_code] : "";
  const trend = series.years.map((y) => ({ year: y.population_year, value: y.slots_per_1000 }));
  const last = trend[trend.length - 1];
  box.replaceChildren(
    el("h2", { id: "region-name" }, p.name_zh, " ", el("span", { class: `badge ${status[0]}` }, status[1])),
    town ? el("p", { class: "hint" }, `${t("所属乡镇", "Township")}: `,
      el("button", {
        type: "button", class: "linkish",
        onclick: () => {
          state.level = "township";
          state.region = p.parent_code;
          pressLevel();
          writeAddress();
          draw().then(() => showRegion({ zoom: true })).catch(fail);
        },
      }, town)) : "",
    p.new_community ? el("p", {}, t("新建社区：按每千人 10 个托位衡量。", "A new community: measured against 10 slots per 1,000 residents.")) : "",
    el("dl", { class: "figures" },
      fig("常住人口", "Population", num(p.population)),
      fig("3岁以下儿童", "Children under 3", num(p.children_under_3)),
      fig("现有托位", "Current slots", num(p.slots)),
      fig("普惠托位", "Inclusive slots", num(p.slots_inclusive)),
      fig("每千人托位", "Slots per 1,000", num(p.slots_per_1000, 2)),
      fig("目标", "Target", num(p.target_per_1000)),
      fig("应有托位", "Needed", num(p.needed_slots)),
      fig("缺口", "Gap", num(p.gap_slots)),
      fig("托育机构", "Centres", num(p.centres)),
      fig("补缺口建设补助", "Construction subsidy", `¥${num(p.construction_subsidy_yuan)}`),
      fig("每年运营补助", "Operating subsidy a year", `¥${num(p.operating_subsidy_yuan_per_year)}`)),
    el("p", { class: "hint" }, t(
      `每千人托位 ${trend[0].year}–${last.year} 年（虚线为目标 ${p.target_per_1000}）`,
      `Slots per 1,000, ${trend[0].year}–${last.year} (dashed: the target, ${p.target_per_1000})`)),
    sparkline(trend, p.target_per_1000, t(
      `${p.name_zh}每千人托位：${trend.map((x) => `${x.year} 年 ${x.value ?? "无数据"}`).join("，")}；目标 ${p.target_per_1000}`,
      `${p.name_zh}, slots per 1,000: ${trend.map((x) => `${x.year} ${x.value ?? "no data"}`).join(", ")}; target ${p.target_per_1000}`)),
    el("h3", {}, t(`现有托育机构（${centres.number_matched}）`, `Centres (${centres.number_matched})`)),
    centres.items.length
      ? el("ul", {}, ...centres.items.map((f) => el("li", {}, `${f.name_zh} · ${t(`${f.approved_slots} 个托位`, `${f.approved_slots} slots`)}${f.inclusive ? t(" · 普惠", " · inclusive") : ""}`)))
      : el("p", {}, t("没有托育机构。", "No childcare centre.")),
  );
  if (opts.zoom) {
    const f = state.fc.features.find((x) => x.properties.code === p.code);
    if (f) state.map.fitBounds(L.geoJSON(f).getBounds(), { padding: [20, 20], maxZoom: 14 });
  }
}

function pressLevel() {
  for (const b of $$(".kinds button")) b.setAttribute("aria-pressed", String(b.dataset.level === state.level));
}

function writeAddress() {
  setParams({
    level: state.level === "township" ? "" : state.level,
    year: state.year === state.years[state.years.length - 1] ? "" : state.year,
    region: state.region,
    sort: state.sort === "gap_slots" ? "" : state.sort,
    dir: state.dir === "desc" ? "" : state.dir,
  });
}

function effect(it) {
  const demand = Math.round(it.covered_demand_slots);
  const where = `${it.township_name_zh}${it.name_zh}`;
  const parts = [t(
    `在${where}新建 ${it.slots} 个托位：附近约 ${demand} 名还没有托位的孩子在它的服务范围内。`,
    `${it.slots} new slots in ${where}: about ${demand} children nearby without a place are within its reach.`)];
  if (it.township_gap_before > 0) {
    parts.push(t(
      `${it.township_name_zh}的缺口从 ${it.township_gap_before} 个降到 ${it.township_gap_after} 个${it.township_met_after ? "，达标" : ""}。`,
      `${it.township_name_zh}'s gap falls from ${it.township_gap_before} to ${it.township_gap_after}${it.township_met_after ? ", meeting its target" : ""}.`));
  } else {
    parts.push(t(
      `${it.township_name_zh}整体已达标，这些托位补的是附近村社区的缺口。`,
      `${it.township_name_zh} as a whole already meets its target; these slots fill the gaps of the villages around the site.`));
  }
  parts.push(t(
    `建设补助 ¥${num(it.construction_subsidy_yuan)}，每年运营补助约 ¥${num(it.operating_subsidy_yuan_per_year)}。`,
    `Construction subsidy ¥${num(it.construction_subsidy_yuan)}; operating subsidy about ¥${num(it.operating_subsidy_yuan_per_year)} a year.`));
  return parts.join(lang === "en" ? " " : "");
}

async function suggest(e) {
  if (e) e.preventDefault();
  const slots = $("#slots").value, size = $("#size").value;
  const ol = $("#suggestions");
  ol.replaceChildren();
  if (state.marks) state.marks.remove();
  const s = await getJSON(`/api/v1/coverage/suggestions?slots=${encodeURIComponent(slots)}&centre_size=${encodeURIComponent(size)}`);
  state.marks = L.layerGroup().addTo(state.map);
  for (const it of s.items) {
    L.marker([it.lat, it.lon], {
      icon: L.divIcon({ className: "num suggestion", html: `<span>${it.rank}</span>`, iconSize: [26, 26] }),
      keyboard: false, interactive: false, zIndexOffset: 1000,
    }).addTo(state.marks);
    ol.append(el("li", { value: it.rank }, el("strong", {}, `${it.township_name_zh} ${it.name_zh}`), " ", effect(it)));
  }
  if (s.items.length) {
    state.map.fitBounds(L.latLngBounds(s.items.map((it) => [it.lat, it.lon])), { padding: [40, 40], maxZoom: 13 });
  }
  const tot = s.total;
  $("#suggest-total").textContent = t(
    `${tot.centres} 处共 ${num(tot.slots)} 个托位，覆盖约 ${num(Math.round(tot.covered_demand_slots))} 名尚无托位的孩子（全县约 ${num(Math.round(tot.unmet_demand_before_slots))} 名）；建设补助 ¥${num(tot.construction_subsidy_yuan)}，每年运营补助约 ¥${num(tot.operating_subsidy_yuan_per_year)}。地图上的紫色方块即建议位置。`,
    `${tot.centres} centres, ${num(tot.slots)} slots, reaching about ${num(Math.round(tot.covered_demand_slots))} of the county's ${num(Math.round(tot.unmet_demand_before_slots))} children without a place; construction ¥${num(tot.construction_subsidy_yuan)}, operating about ¥${num(tot.operating_subsidy_yuan_per_year)} a year. Purple squares on the map mark the sites.`);
  document.body.dataset.suggested = String(s.items.length);
}

async function main() {
  const params = new URLSearchParams(location.search);
  const datasetP = initPage();
  // Without a policy there are no targets: say so rather than measure
  // against another county's.
  const policy = await fetch("/api/v1/policy");
  if (policy.status === 404) {
    $("#status").textContent = t("本数据集没有政策文件，无从对照目标。导入政策文件：shanyu import --kind policy policy.json",
      "This dataset carries no policy, so there are no targets to measure against. Import one: shanyu import --kind policy policy.json");
    document.body.dataset.nopolicy = "true";
    document.body.dataset.ready = "true";
    return;
  }
  if (typeof L === "undefined") {
    $("#status").textContent = t("地图库未安装：运行 make assets", "Map library missing: run make assets");
    return;
  }
  // The coverage is fetched at once, alongside everything else.
  const asked = /^\d{4}$/.test(params.get("year") || "") ? Number(params.get("year")) : null;
  const first = loadCoverage(params.get("level") === "village" ? "village" : "township", asked);
  first.catch(() => {}); // a bad year is reported by draw, below
  const [dataset, towns, villages, centres, config] = await Promise.all([
    datasetP,
    getJSON("/api/v1/regions?level=township"),
    getJSON("/api/v1/regions?level=village"),
    getJSON("/api/v1/facilities.geojson?kind=childcare"),
    getJSON("/config.json"),
  ]);
  state.townName = Object.fromEntries(towns.items.map((r) => [r.code, r.name_zh]));
  state.years = dataset.population_years;
  const year = Number(params.get("year"));
  state.year = state.years.includes(year) ? year : state.years[state.years.length - 1];
  state.level = params.get("level") === "village" ? "village" : "township";
  state.region = /^\d{9}(\d{3})?$/.test(params.get("region") || "") ? params.get("region") : "";
  if (COLUMNS.some((c) => c.key === params.get("sort"))) state.sort = params.get("sort");
  if (params.get("dir") === "asc") state.dir = "asc";
  $("#year").replaceChildren(...state.years.map((y) => el("option", { value: y, selected: y === state.year }, y)));
  pressLevel();

  const map = (state.map = L.map("map", { zoomSnap: 0.25 }));
  basemap(map, config, null, { polygons: false });
  legend().addTo(map);
  state.centres = L.geoJSON(centres, {
    interactive: false,
    pointToLayer: (f, ll) => L.circleMarker(ll, { radius: 3, color: "#fff", weight: 1, fillColor: "#263238", fillOpacity: 1, interactive: false }),
  });
  await draw(state.year === asked || (!asked && state.year === state.years[state.years.length - 1]) ? first : null);
  state.centres.addTo(map);
  state.labels = addLabels(map, towns.items, villages.items, { townZoom: 0, villageZoom: 12 });
  map.fitBounds(state.layer.getBounds(), { padding: [6, 6] });
  if (state.region && state.byCode[state.region]) await showRegion({ zoom: true });
  writeAddress();

  for (const b of $$(".kinds button")) {
    b.addEventListener("click", () => {
      state.level = b.dataset.level;
      pressLevel();
      writeAddress();
      draw().then(writeAddress).catch(fail);
    });
  }
  $("#year").addEventListener("change", () => {
    state.year = Number($("#year").value);
    writeAddress();
    draw().catch(fail);
  });
  $("#suggest").addEventListener("submit", (e) => suggest(e).catch(fail));
  document.body.dataset.ready = "true";
}

main().catch(fail);

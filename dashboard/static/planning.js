// The planners' map: every township (or village) coloured by its childcare
// slots per 1,000 residents against the target that applies to it, the gaps
// and their cost, and where new slots would reach the most children.

const $ = (sel) => document.querySelector(sel);
const state = { level: "township", map: null, layer: null, marks: null, policy: null };
const yuan = new Intl.NumberFormat("zh-CN");

async function getJSON(url) {
  const res = await fetch(url);
  if (!res.ok) {
    const problem = await res.json().catch(() => ({}));
    const first = problem.errors && problem.errors[0];
    throw new Error(first ? `${first.location}: ${first.message}` : problem.detail || res.statusText);
  }
  return res.json();
}

// Share of the target reached, as a colour: red far below, amber below, green met.
function colour(p) {
  if (p.slots_per_1000 === null) return "#bdbdbd";
  const r = p.slots_per_1000 / p.target_per_1000;
  if (r >= 1) return "#2e7d32";
  if (r >= 0.75) return "#f9a825";
  if (r >= 0.4) return "#ef6c00";
  return "#c62828";
}

function legend() {
  const c = L.control({ position: "bottomright" });
  c.onAdd = () => {
    const div = L.DomUtil.create("div", "legend");
    div.innerHTML = [
      ["#2e7d32", "达标 met"], ["#f9a825", "≥ 75%"], ["#ef6c00", "40–75%"], ["#c62828", "< 40%"],
    ].map(([c, t]) => `<span><i style="background:${c}"></i>${t}</span>`).join("");
    return div;
  };
  return c;
}

async function draw() {
  $("#status").textContent = "载入中… loading";
  const fc = await getJSON(`/api/v1/coverage.geojson?level=${state.level}`);
  if (state.layer) state.layer.remove();
  state.layer = L.geoJSON(fc, {
    style: (f) => ({ color: "#37474f", weight: 0.8, fillColor: colour(f.properties), fillOpacity: 0.75 }),
    onEachFeature: (f, layer) => {
      const p = f.properties;
      layer.bindTooltip(
        `${p.name_zh}: ${p.slots_per_1000 ?? "—"} / ${p.target_per_1000} · 缺口 gap ${p.gap_slots}`,
        { sticky: true });
    },
  }).addTo(state.map);
  if (!state.fitted) {
    state.map.fitBounds(state.layer.getBounds());
    state.fitted = true;
  }
  const items = fc.features.map((f) => f.properties);
  const rows = items.filter((p) => p.gap_slots > 0).sort((a, b) => b.gap_slots - a.gap_slots);
  const tbody = $("#gaps tbody");
  tbody.replaceChildren();
  for (const p of rows.slice(0, 25)) {
    const tr = document.createElement("tr");
    for (const v of [
      p.name_zh + (p.new_community ? " (新建社区)" : ""),
      p.slots_per_1000 ?? "—", p.target_per_1000, p.gap_slots, yuan.format(p.construction_subsidy_yuan),
    ]) {
      const td = document.createElement("td");
      td.textContent = v;
      tr.append(td);
    }
    tbody.append(tr);
  }
  $("#status").textContent = `${rows.length} 个地区未达标 · ${rows.length} regions short of their target`;
}

// perSlotYuan is the policy's one-off construction subsidy per new slot.
function perSlotYuan() {
  const rule = (state.policy.money || []).find((m) => m.id === "construction_subsidy_per_slot");
  return rule && rule.amount_yuan ? rule.amount_yuan : 0;
}

// loadPolicy reads the dataset's policy; null when it carries none (404).
async function loadPolicy() {
  const res = await fetch("/api/v1/policy");
  if (res.status === 404) return null;
  if (!res.ok) throw new Error(`GET /api/v1/policy: ${res.status}`);
  return res.json();
}

async function headline() {
  const county = (await getJSON("/api/v1/coverage?level=county")).items[0];
  $("#headline").textContent =
    `${county.name_zh} ${county.as_of}: ${county.slots} 个托位，每千人 ${county.slots_per_1000}（目标 ${county.target_per_1000}）；` +
    `各乡镇合计缺口 ${county.gap_slots_in_parts} 个，建设补助约 ¥${yuan.format(county.gap_slots_in_parts * perSlotYuan())} · ` +
    `${county.slots} slots, ${county.slots_per_1000} per 1,000 (target ${county.target_per_1000}); townships short by ${county.gap_slots_in_parts} in all.`;
}

async function suggest(e) {
  e.preventDefault();
  const slots = $("#slots").value, size = $("#size").value;
  const ol = $("#suggestions");
  ol.replaceChildren();
  if (state.marks) state.marks.remove();
  try {
    const s = await getJSON(`/api/v1/coverage/suggestions?slots=${slots}&centre_size=${size}`);
    state.marks = L.layerGroup().addTo(state.map);
    for (const it of s.items) {
      L.circleMarker([it.lat, it.lon], { radius: 9, color: "#fff", weight: 2, fillColor: "#6a1b9a", fillOpacity: 1 })
        .bindTooltip(`#${it.rank} ${it.name_zh}: +${it.slots}`, { direction: "right" })
        .addTo(state.marks);
      const li = document.createElement("li");
      li.textContent = `${it.township_name_zh}${it.name_zh}：+${it.slots} 托位，覆盖需求 ${it.covered_demand_slots}，` +
        `乡镇缺口 ${it.township_gap_before}→${it.township_gap_after}，建设补助 ¥${yuan.format(it.construction_subsidy_yuan)}`;
      ol.append(li);
    }
    $("#status").textContent = `共 ${s.total.centres} 处、${s.total.slots} 个托位；覆盖未满足需求 ${s.total.covered_demand_slots}` +
      `（全县 ${s.total.unmet_demand_before_slots}）· ${s.total.centres} centres cover ${s.total.covered_demand_slots} of ${s.total.unmet_demand_before_slots} unmet`;
  } catch (err) {
    $("#status").textContent = `出错了 error: ${err.message}`;
  }
}

async function main() {
  if (typeof L === "undefined") {
    $("#status").textContent = "地图库未安装：运行 make assets · map library missing: run make assets";
    return;
  }
  state.map = L.map("map");
  state.map.attributionControl.setPrefix("Leaflet");
  state.map.attributionControl.addAttribution("边界为示意 illustrative boundaries");
  legend().addTo(state.map);
  const dataset = await getJSON("/api/v1/dataset");
  if (dataset.sample) {
    $("#sample").hidden = false;
    $("#sample").textContent = `${dataset.notice_zh} ${dataset.notice}`;
  }
  state.policy = await loadPolicy();
  if (!state.policy) {
    $("#headline").textContent = "本数据集没有政策文件，无从对照目标 · This dataset carries no policy: there are no targets to measure against.";
    $("#status").textContent = "导入政策文件：shanyu import --kind policy policy.json · import one with shanyu import --kind policy";
    $("#footer").textContent = `数据版本 dataset ${dataset.version} · GET /api/v1/policy: 404`;
    document.body.dataset.ready = "true";
    return;
  }
  const target = state.policy.targets.find((t) => t.id === "childcare_slots_per_1000");
  $("#footer").textContent = `数据版本 dataset ${dataset.version} · 目标见《${state.policy.title_zh}》${target ? target.clause : ""} · GET /api/v1/coverage`;
  await Promise.all([headline(), draw()]);
  for (const btn of document.querySelectorAll(".kinds button")) {
    btn.addEventListener("click", async () => {
      state.level = btn.dataset.level;
      for (const b of document.querySelectorAll(".kinds button")) b.setAttribute("aria-pressed", String(b === btn));
      await draw();
    });
  }
  $("#suggest").addEventListener("submit", suggest);
  document.body.dataset.ready = "true";
}

main().catch((err) => {
  $("#status").textContent = `出错了 error: ${err.message}`;
});

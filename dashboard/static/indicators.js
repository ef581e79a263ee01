// The scorecard for readers: every target of the policy with its latest
// value, target line, deadline and status, and the published indicators by
// region, where a hidden (suppressed) value is a gap with its reason, never
// a zero.

import { $, t, el, num, getJSON, setParams, initPage, fail, sparkline } from "./common.js";

const STATUS = {
  met: ["已达标", "met"],
  on_track: ["按趋势可按期达标", "on track"],
  off_track: ["未达标", "off track"],
  not_measurable: ["无法衡量", "not measurable"],
};
const REASONS = {
  "the deadline has come and the target is not reached": "期限已到，目标未达到",
  "a standing rule, not met": "长期标准，尚未达到",
  "the latest value reaches the target": "最新值已达到目标",
  "no data": "没有数据",
  "it has risen, as the policy asks": "已按政策要求上升",
  "it is not rising; the policy asks that it rise": "没有上升，而政策要求上升",
  "the policy sets no number for it": "政策没有规定具体数值",
};
// The API's units are English; these are their Chinese.
const UNITS = {
  "births": "人", "deaths": "人", "families": "户", "yuan": "元", "percent": "%", "percent of births": "%（占出生人口）",
  "per 1,000": "‰", "per 1,000 residents": "‰（每千人）", "per 100": "每百人", "children per woman": "个孩子/每名妇女",
  "slots per 1,000 residents": "个托位/每千人", "paediatricians per 1,000 children aged 0–14": "名儿科医师/每千名0–14岁儿童",
  "dependants per 100 residents aged 15–64": "每百名15–64岁人口负担的人数", "workers per administrative village": "名/每个行政村",
};
const NOTES = {
  "the lowest of the newly built communities": "取新建社区中最低的一个",
  "the data hold no record of population-health workers": "数据中没有人口健康专干的记录",
};
const unit = (u) => t(UNITS[u] || u, u);
const LEVELS = { county: ["县", "county"], township: ["乡镇", "township"], village: ["村社区", "village"] };

const state = { indicators: [], indicator: "", level: "", names: {} };

function cards(score) {
  const ul = $("#cards");
  ul.replaceChildren(...score.items.map((it) => {
    const st = STATUS[it.status] || [it.status, it.status];
    const series = it.series || [];
    const name = t(it.name_zh, it.name_en);
    const target = it.target ?? null;
    return el("li", { "data-target": it.target_id, "data-status": it.status },
      el("h3", {}, name, el("small", { class: "hint" }, ` ${it.clause || ""}`)),
      el("p", {}, el("span", { class: "value" }, it.latest ?? "–"), " ",
        it.latest_year ? t(`（${it.latest_year} 年）`, `(${it.latest_year})`) : "", " ", el("span", { class: "hint" }, unit(it.unit))),
      el("p", {}, target !== null
        ? t(`目标 ${target}`, `Target ${target}`)
        : it.direction === "up" ? t("目标：上升", "Target: rise") : t("未规定数值", "No number set"),
      it.deadline ? t(`，期限 ${it.deadline} 年`, `, by ${it.deadline}`) : t("，长期标准", ", a standing rule")),
      el("p", {}, el("span", { class: `badge ${it.status}` }, t(st[0], st[1])), " ",
        t(REASONS[it.reason] || it.reason || "", it.reason || "")),
      series.length
        ? sparkline(series, target, t(
          `${it.name_zh}：${series.map((p) => `${p.year} 年 ${p.value ?? "无数据"}`).join("，")}${target !== null ? `；目标 ${target}` : ""}`,
          `${it.name_en}: ${series.map((p) => `${p.year} ${p.value ?? "no data"}`).join(", ")}${target !== null ? `; target ${target}` : ""}`))
        : el("p", { class: "hint" }, t("没有历年数据。", "No values over time.")),
      it.note ? el("p", { class: "hint" }, t(NOTES[it.note] || it.note, it.note)) : "");
  }));
  $("#scorecard-method").textContent = `${t("判断方法", "How the status is decided")}: ${score.method}`;
}

async function table() {
  const ind = state.indicators.find((i) => i.id === state.indicator);
  const d = await getJSON(`/api/v1/indicators/${ind.id}?level=${state.level}`);
  // Columns: periods (and the breakdown, when there is one); rows: regions.
  const cols = [], colKey = (v) => `${v.period}${v.breakdown ? " · " + v.breakdown : ""}`;
  const rows = new Map();
  for (const v of d.values) {
    const k = colKey(v);
    if (!cols.includes(k)) cols.push(k);
    if (!rows.has(v.region)) rows.set(v.region, {});
    rows.get(v.region)[k] = v;
  }
  let suppressed = 0;
  $("#values thead").replaceChildren(el("tr", {},
    el("th", { scope: "col" }, t("地区", "Region")),
    ...cols.map((c) => el("th", { scope: "col" }, c))));
  $("#values tbody").replaceChildren(...[...rows].map(([code, vals]) => el("tr", {},
    el("th", { scope: "row" }, state.names[code] || code),
    ...cols.map((c) => {
      const v = vals[c];
      if (!v) return el("td", {}, "");
      if (v.status === "suppressed") {
        suppressed++;
        return el("td", { class: "suppressed", "data-status": "suppressed" }, t("已隐藏*", "hidden*"));
      }
      return el("td", {}, num(v.value));
    }))));
  $("#values-caption").textContent = t(
    `${ind.name_zh}（${unit(ind.unit)}），按${LEVELS[state.level][0]}；${rows.size} 个地区，${suppressed} 个数值已隐藏。`,
    `${ind.name_en} (${ind.unit}), by ${LEVELS[state.level][1]}; ${rows.size} regions, ${suppressed} values hidden.`);
  $("#suppressed-note").textContent = suppressed
    ? `* ${t("已隐藏：", "Hidden: ")}${t(state.whatZh, [ind.what_is_suppressed, state.whatEn].filter(Boolean).join(" "))}`
    : "";
  const href = `/api/v1/indicators/${ind.id}?level=${state.level}`;
  $("#ind-downloads").replaceChildren(`${t("下载本表", "Download this table")}: `,
    el("a", { href: href.replace("?", ".csv?") }, "CSV"), " · ", el("a", { href }, "JSON"), " · ",
    el("a", { href: "/api/v1/indicators" }, t("全部指标说明 (JSON)", "all indicators described (JSON)")));
  setParams({ indicator: ind.id === state.indicators[0].id ? "" : ind.id, level: state.level === "county" ? "" : state.level });
  document.body.dataset.table = `${ind.id}/${state.level}`;
}

function levels() {
  const ind = state.indicators.find((i) => i.id === state.indicator);
  if (!ind.levels.includes(state.level)) state.level = ind.levels.includes("township") ? "township" : ind.levels[0];
  $("#level").replaceChildren(...ind.levels.map((l) => el("option", { value: l, selected: l === state.level }, t(...LEVELS[l]))));
}

async function main() {
  const params = new URLSearchParams(location.search);
  const [dataset, score, list, policy, towns, villages] = await Promise.all([
    initPage(),
    getJSON("/api/v1/scorecard"),
    getJSON("/api/v1/indicators"),
    getJSON("/api/v1/policy"),
    getJSON("/api/v1/regions?level=township"),
    getJSON("/api/v1/regions?level=village"),
  ]);
  $("#policy").textContent = t(
    `《${policy.source_zh}》（${policy.issued}）中的目标；数据截至 ${dataset.reference_date}。`,
    `The targets of the ${policy.source_en} (${policy.issued}); data as of ${dataset.reference_date}.`);
  cards(score);
  const count = (st) => score.items.filter((it) => it.status === st).length;
  $("#policy").append(" ", el("strong", { id: "tally" }, t(
    `${score.items.length} 项目标：${count("met")} 项已达标，${count("on_track")} 项按趋势可按期达标，${count("off_track")} 项未达标，${count("not_measurable")} 项无法衡量。`,
    `${score.items.length} targets: ${count("met")} met, ${count("on_track")} on track, ${count("off_track")} off track, ${count("not_measurable")} not measurable.`)));
  state.names[dataset.county_code] = t("全县", "whole county");
  for (const r of [...towns.items, ...villages.items]) state.names[r.code] = r.name_zh;
  state.indicators = list.items;
  const [en, zh] = splitSentence(list.what_suppressed_means);
  state.whatEn = en;
  state.whatZh = zh || en;
  const [sEn, sZh] = splitSentence(list.sentence);
  $("#method").replaceChildren(
    el("p", {}, el("strong", {}, t("方法", "Method")), ` ${list.method}（T = ${list.t}）: `, t(sZh || sEn, sEn)),
    el("p", { class: "hint" }, t(
      `发布前经过审计（编号 ${list.audit.id}，${list.audit.pass ? "通过" : "未通过"}${list.audit.relations ? `，核查了数值之间的 ${list.audit.relations} 条关系` : ""}）：${list.audit.cells} 个数值中隐藏了 ${list.audit.suppressed} 个。`,
      `Audited before publication (audit ${list.audit.id}, ${list.audit.pass ? "passed" : "failed"}${list.audit.relations ? `, over ${list.audit.relations} relations between the figures` : ""}): ${list.audit.suppressed} of ${list.audit.cells} values hidden.`)));
  $("#indicator").replaceChildren(...list.items.map((i) => el("option", { value: i.id }, t(i.name_zh, i.name_en))));
  state.indicator = list.items.some((i) => i.id === params.get("indicator")) ? params.get("indicator") : list.items[0].id;
  $("#indicator").value = state.indicator;
  state.level = LEVELS[params.get("level")] ? params.get("level") : "township";
  levels();
  await table();
  $("#indicator").addEventListener("change", () => {
    state.indicator = $("#indicator").value;
    levels();
    table().catch(fail);
  });
  $("#level").addEventListener("change", () => {
    state.level = $("#level").value;
    table().catch(fail);
  });
  document.body.dataset.ready = "true";
}

// splitSentence splits the API's "English. 中文。" sentences into their two languages.
function splitSentence(s) {
  const i = s.search(/[\u4e00-\u9fff「]/);
  return i < 0 ? [s, ""] : [s.slice(0, i).trim(), s.slice(i).trim()];
}

main().catch(fail);

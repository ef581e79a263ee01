// The data page: every download, the licence, the sources, the dataset
// version to cite, and the sample notice in full.

import { $, t, el, getJSON, initPage, fail } from "./common.js";

const LEVELS = [["county", "全县", "county"], ["township", "乡镇", "townships"], ["village", "村社区", "villages"]];

function group(title, items) {
  return [el("h3", {}, title), el("ul", { class: "files" }, ...items.map(([label, href, fmt]) =>
    el("li", {}, el("a", { href }, label), " ", el("span", { class: "hint" }, fmt))))];
}

async function main() {
  const [dataset, indicators] = await Promise.all([initPage(), getJSON("/api/v1/indicators")]);
  $("#sample-full").textContent = dataset.sample
    ? t(dataset.notice_zh, dataset.notice)
    : t("本数据为正式发布的数据。", "This is the published dataset.");
  const cite = `${t(dataset.title_zh, dataset.title)}, ${t("版本", "version")} ${dataset.version}, ${t("截至", "as of")} ${dataset.reference_date}. shanyu ${dataset.api_version}. ${location.origin}/api/v1/dataset`;
  $("#about").replaceChildren(
    el("dt", {}, t("名称", "Title")), el("dd", {}, t(dataset.title_zh, dataset.title)),
    el("dt", {}, t("引用时请注明版本", "Version to cite")), el("dd", {}, el("code", { id: "version" }, dataset.version)),
    el("dt", {}, t("引用格式", "Citation")), el("dd", {}, el("code", { id: "citation" }, cite)),
    el("dt", {}, t("数据截至", "As of")), el("dd", {}, dataset.reference_date),
    el("dt", {}, t("数据许可", "Data licence")), el("dd", { id: "licence" }, dataset.licence),
    dataset.code_licence ? el("dt", {}, t("代码许可", "Code licence")) : "",
    dataset.code_licence ? el("dd", {}, el("a", { href: "/docs/licence" }, dataset.code_licence)) : "",
    el("dt", {}, t("来源", "Sources")), el("dd", {}, el("ul", { class: "files" },
      ...dataset.sources.map((s) => el("li", {}, `${s.name} — ${s.what} (${s.licence})`)))),
    dataset.generator ? el("dt", {}, t("生成程序", "Generator")) : "",
    dataset.generator ? el("dd", {}, `${dataset.generator.name} ${dataset.generator.version}, seed ${dataset.generator.seed}`) : "");
  const fac = [["", t("全部设施", "all facilities")], ["childcare", t("托育机构", "childcare centres")], ["nursing_room", t("母婴室", "mother-and-baby rooms")]];
  $("#downloads").replaceChildren(
    ...group(t("设施", "Facilities"), fac.flatMap(([k, name]) => [
      [`${name} CSV`, `/api/v1/facilities.csv${k ? "?kind=" + k : ""}`, "text/csv"],
      [`${name} GeoJSON`, `/api/v1/facilities.geojson${k ? "?kind=" + k : ""}`, "application/geo+json"],
    ])),
    ...group(t("区划边界与人口", "Boundaries and population"), LEVELS.map(([l, zh, en]) =>
      [`${t(zh, en)} GeoJSON`, `/api/v1/regions.geojson?level=${l}`, "application/geo+json"])),
    ...group(t("托位覆盖与缺口", "Childcare coverage and gaps"), LEVELS.flatMap(([l, zh, en]) => [
      [`${t(zh, en)} CSV`, `/api/v1/coverage.csv?level=${l}`, "text/csv"],
      [`${t(zh, en)} GeoJSON`, `/api/v1/coverage.geojson?level=${l}`, "application/geo+json"],
    ])),
    ...group(t("政策、目标与指标", "Policy, targets and indicators"), [
      [t("政策目标与补助规则", "The policy's targets and money rules"), "/api/v1/policy", "JSON"],
      [t("目标完成情况", "Scorecard"), "/api/v1/scorecard", "JSON"],
      [t("指标说明", "Indicators described"), "/api/v1/indicators", "JSON"],
      ...indicators.items.map((i) => [t(i.name_zh, i.name_en), `/api/v1/indicators/${i.id}?level=${i.levels[i.levels.length - 1]}`, "JSON"]),
    ]),
    ...group("API", [
      ["OpenAPI 3.1 (YAML)", "/openapi.yaml", "application/yaml"],
      ["OpenAPI 3.1 (JSON)", "/openapi.json", "application/json"],
      [t("API 文档", "API reference"), "/docs", "HTML"],
      [t("参考文档", "Reference pages"), "/docs/pages", "HTML"],
      [t("数据集说明", "Dataset description"), "/api/v1/dataset", "JSON"],
    ]),
  );
  document.body.dataset.ready = "true";
}

main().catch(fail);

// The data page: every download, the licence, the sources, the dataset
// version to cite, and the sample notice in full.

import { $, t, el, getJSON, initPage, fail } from "./common.js";

const LEVELS = [["county", "全县", "county"], ["township", "乡镇", "townships"], ["village", "村社区", "villages"]];

function group(title, items) {
  return [el("h3", {}, title), el("ul", { class: "files" }, ...items.map(([label, href, fmt]) =>
    el("li", {}, el("a", { href }, label), " ", el("span", { class: "hint" }, fmt))))];
}

async function main() {
  const [dataset, indicators, versions] = await Promise.all([
    initPage(), getJSON("/api/v1/indicators"),
    getJSON("/api/v1/dataset/versions").catch(() => null), // older servers have no version list
  ]);
  $("#sample-full").textContent = dataset.sample
    ? t(dataset.notice_zh, dataset.notice)
    : t("本数据为正式发布的数据。", "This is the published dataset.");
  const current = versions && versions.versions.find((v) => v.current);
  const cite = current ? current.cite : `${dataset.title}. Dataset version ${dataset.version} (${dataset.reference_date}). ${location.origin}/api/v1/dataset.`;
  $("#about").replaceChildren(
    el("dt", {}, t("名称", "Title")), el("dd", {}, t(dataset.title_zh, dataset.title)),
    el("dt", {}, t("引用时请注明版本", "Version to cite")), el("dd", {}, el("code", { id: "version" }, dataset.version)),
    el("dt", {}, t("引用格式", "Citation")), el("dd", {}, el("code", { id: "citation" }, cite)),
    versions ? el("dd", { class: "hint" }, t("引用时请注明数据版本、下载的网址和日期。", versions.how_to_cite)) : "",
    versions && versions.versions.length > 1 ? el("dd", {}, t(`共发布过 ${versions.versions.length} 个版本：`, `${versions.versions.length} versions published: `),
      el("a", { href: "/api/v1/dataset/versions" }, t("版本列表", "the list"))) : "",
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
    ...group(t("整套数据", "Everything at once"), [
      [t("数据包（Frictionless Data Package，列出全部批量文件）", "Data Package (Frictionless: every bulk file, described)"), "/api/v1/datapackage.json", "JSON"],
      [t("目录条目（DCAT-AP）", "Catalogue entry (DCAT-AP)"), "/api/v1/catalogue.jsonld", "JSON-LD"],
      [t("已发布的数据版本", "Dataset versions published"), "/api/v1/dataset/versions", "JSON"],
    ]),
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
      ...indicators.items.map((i) => [t(i.name_zh, i.name_en), `/api/v1/indicators/${i.id}.csv?level=${i.levels[i.levels.length - 1]}`, "CSV"]),
    ]),
    ...group(t("地图服务", "Map services"), [
      ["OGC API – Features", "/ogc", "JSON"],
      ...[["childcare", "托育机构", "childcare centres"], ["nursing_rooms", "母婴室", "mother-and-baby rooms"],
        ["townships", "乡镇", "townships"], ["villages", "村社区", "villages"],
        ["coverage_townships", "乡镇托位覆盖", "township coverage"], ["coverage_villages", "村社区托位覆盖", "village coverage"]]
        .map(([id, zh, en]) => [`${t(zh, en)} ${t("矢量瓦片", "vector tiles")} (TileJSON)`, `/tiles/${id}/tilejson.json`, "JSON"]),
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

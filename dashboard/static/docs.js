// The API reference: a light, readable list of every operation drawn from
// this server's own /openapi.json, and, on request, the interactive Swagger
// UI (a large library, so it loads only when asked for). validatorUrl is off
// so nothing is sent to another origin.

import { $, t, el, getJSON, initPage, fail } from "./common.js";

function operations(doc) {
  const byTag = new Map((doc.tags || []).map((tg) => [tg.name, { tag: tg, ops: [] }]));
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      const tag = (op.tags && op.tags[0]) || "";
      if (!byTag.has(tag)) byTag.set(tag, { tag: { name: tag }, ops: [] });
      byTag.get(tag).ops.push({ path, method, op });
    }
  }
  return [...byTag.values()].filter((g) => g.ops.length);
}

function render(doc) {
  $("#ops").replaceChildren(...operations(doc).map(({ tag, ops }) => el("section", {},
    el("h2", {}, tag.name),
    tag.description ? el("p", { class: "hint" }, tag.description) : "",
    ...ops.map(({ path, method, op }) => el("details", { class: "op" },
      el("summary", {}, el("code", {}, `${method.toUpperCase()} ${path}`), " ", op.summary || ""),
      op.description ? el("p", {}, op.description) : "",
      (op.parameters || []).length ? el("table", { class: "data" },
        el("caption", {}, t("参数", "Parameters")),
        el("thead", {}, el("tr", {}, el("th", { scope: "col" }, t("名称", "Name")), el("th", { scope: "col" }, t("位置", "In")), el("th", { scope: "col" }, t("说明", "Description")))),
        el("tbody", {}, ...op.parameters.map((p) => el("tr", {},
          el("th", { scope: "row" }, el("code", {}, p.name), p.required ? t(" （必填）", " (required)") : ""),
          el("td", {}, p.in),
          el("td", { class: "wrap" }, p.description || ""))))) : "",
      method === "get" && !path.includes("{") && !(op.parameters || []).some((p) => p.required)
        ? el("p", {}, el("a", { href: path }, t("在浏览器中打开", "Open in the browser")))
        : "")))));
}

function loadSwagger() {
  $("#try").disabled = true;
  const css = el("link", { rel: "stylesheet", href: "/vendor/swagger-ui/swagger-ui.css" });
  const js = el("script", { src: "/vendor/swagger-ui/swagger-ui-bundle.js" });
  js.addEventListener("load", () => {
    $("#ops").hidden = true;
    SwaggerUIBundle({
      url: "/openapi.json",
      dom_id: "#swagger-ui",
      validatorUrl: null,
      deepLinking: true,
      tryItOutEnabled: true,
      defaultModelsExpandDepth: 0,
      // The page's own header holds its one h1; the viewer's title is a level below.
      onComplete: () => {
        for (const h of document.querySelectorAll("#swagger-ui h1")) {
          h.setAttribute("role", "heading");
          h.setAttribute("aria-level", "2");
        }
      },
    });
  });
  js.addEventListener("error", () => ($("#missing").hidden = false));
  document.head.append(css, js);
}

async function main() {
  const [, doc] = await Promise.all([initPage(), getJSON("/openapi.json")]);
  render(doc);
  $("#try").addEventListener("click", loadSwagger);
  if (location.hash.startsWith("#/")) loadSwagger(); // a deep link into the viewer
  document.body.dataset.ready = "true";
}

main().catch(fail);

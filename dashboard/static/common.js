// What every page shares: the language (zh by default, ?lang=en in the
// address), the header's links, the sample notice, the footer, fetching from
// this server's API, and writing the view into the address.

export const lang = new URLSearchParams(location.search).get("lang") === "en" ? "en" : "zh";

/** t returns the text in the page's language. */
export const t = (zh, en) => (lang === "en" ? en : zh);

export const $ = (sel, root = document) => root.querySelector(sel);
export const $$ = (sel, root = document) => [...root.querySelectorAll(sel)];

const numberFmt = new Intl.NumberFormat(lang === "en" ? "en-GB" : "zh-CN");
/** num formats a number with the language's grouping; null becomes an en dash. */
export const num = (v, digits) =>
  v === null || v === undefined ? "–" : numberFmt.format(digits === undefined ? v : Number(v.toFixed(digits)));

/** el builds an element with properties and children (strings become text). */
export function el(tag, props = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === "class") e.className = v;
    else if (k === "text") e.textContent = v;
    else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else if (k in e && typeof v !== "string") e[k] = v;
    else e.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return e;
}

/** getJSON fetches from this origin and turns a problem into an Error with its detail. */
export async function getJSON(url) {
  const res = await fetch(url);
  if (!res.ok) {
    const problem = await res.json().catch(() => ({}));
    const first = problem.errors && problem.errors[0];
    throw new Error(first ? `${first.location}: ${first.message}` : problem.detail || res.statusText);
  }
  return res.json();
}

/** withLang adds ?lang=en to a same-origin link when the page is in English. */
export function withLang(href) {
  if (lang !== "en") return href;
  const u = new URL(href, location.href);
  u.searchParams.set("lang", "en");
  return u.pathname + u.search + u.hash;
}

/**
 * setParams writes the view into the address (replacing, not adding, a
 * history entry) and keeps the language switch pointing at the same view.
 */
export function setParams(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== "") q.set(k, v);
  if (lang === "en") q.set("lang", "en");
  const s = q.toString();
  history.replaceState(null, "", location.pathname + (s ? "?" + s : ""));
  langLink();
}

function langLink() {
  const a = $("#lang");
  if (!a) return;
  const q = new URLSearchParams(location.search);
  if (lang === "en") q.delete("lang");
  else q.set("lang", "en");
  const s = q.toString();
  a.href = location.pathname + (s ? "?" + s : "");
}

/** translate swaps the static Chinese text of the page for its English. */
function translate() {
  document.documentElement.lang = lang === "en" ? "en" : "zh-CN";
  if (lang !== "en") return;
  for (const e of $$("[data-en]")) e.textContent = e.dataset.en;
  for (const e of $$("[data-en-label]")) e.setAttribute("aria-label", e.dataset.enLabel);
  for (const e of $$("[data-en-placeholder]")) e.setAttribute("placeholder", e.dataset.enPlaceholder);
  for (const e of $$("[data-en-title]")) e.setAttribute("title", e.dataset.enTitle);
  const title = $("meta[name=title-en]");
  if (title) document.title = title.content;
  const a = $("#lang");
  if (a) {
    a.textContent = "中文";
    a.lang = "zh-CN";
    a.hreflang = "zh-CN";
  }
}

/**
 * initPage translates the page, points the header's and footer's links at
 * the same language, and fills the sample notice from the dataset, which it
 * returns.
 */
export async function initPage() {
  translate();
  langLink();
  for (const a of $$("header nav a, footer a.keep-lang")) a.href = withLang(a.getAttribute("href"));
  const dataset = await getJSON("/api/v1/dataset");
  const notice = $("#sample");
  if (notice) {
    if (dataset.sample) {
      $("#sample-text").textContent = `${t(dataset.notice_zh, dataset.notice)} ${t(
        `数据版本 ${dataset.version}，截至 ${dataset.reference_date}。`, `Dataset version ${dataset.version}, as of ${dataset.reference_date}.`)}`;
    } else {
      notice.hidden = true;
    }
  }
  return dataset;
}

/** fail shows an error in the page's status line. */
export function fail(err) {
  const s = $("#status");
  if (s) s.textContent = `${t("出错了", "Something went wrong")}: ${err.message}`;
  document.body.dataset.error = "true";
}

/**
 * sparkline draws a small SVG chart of series ({year, value}) with a dashed
 * target line; values that are null are gaps. It returns the SVG element,
 * described by label for screen readers.
 */
export function sparkline(series, target, label, opts = {}) {
  const w = opts.width || 240, h = opts.height || 70, pad = 6, left = 30, bottom = 14;
  const ns = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("viewBox", `0 0 ${w} ${h}`);
  svg.setAttribute("class", "spark");
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", label);
  const vals = series.map((p) => p.value).filter((v) => v !== null && v !== undefined);
  if (target !== null && target !== undefined) vals.push(target);
  if (!vals.length || !series.length) return svg;
  let lo = Math.min(...vals), hi = Math.max(...vals);
  if (lo === hi) { lo -= 1; hi += 1; }
  const span = hi - lo; lo -= span * 0.1; hi += span * 0.1;
  const x0 = series[0].year, x1 = series[series.length - 1].year;
  const x = (yr) => left + (x1 === x0 ? (w - left - pad) / 2 : ((yr - x0) / (x1 - x0)) * (w - left - pad));
  const y = (v) => pad + (1 - (v - lo) / (hi - lo)) * (h - pad - bottom);
  const add = (tag, attrs, text) => {
    const e = document.createElementNS(ns, tag);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
    if (text !== undefined) e.textContent = text;
    svg.append(e);
    return e;
  };
  const digits = span >= 20 ? 0 : span >= 2 ? 1 : 2;
  const fmt = (v) => +v.toFixed(digits);
  add("text", { x: left - 4, y: y(hi - span * 0.1) + 4, "text-anchor": "end", class: "axis" }, fmt(hi - span * 0.1));
  add("text", { x: left - 4, y: y(lo + span * 0.1) + 4, "text-anchor": "end", class: "axis" }, fmt(lo + span * 0.1));
  add("text", { x: x(x0), y: h - 2, "text-anchor": "start", class: "axis" }, x0);
  if (x1 !== x0) add("text", { x: x(x1), y: h - 2, "text-anchor": "end", class: "axis" }, x1);
  if (target !== null && target !== undefined) {
    add("line", { x1: left, x2: w - pad, y1: y(target), y2: y(target), class: "target" });
  }
  let d = "", pen = false;
  for (const p of series) {
    if (p.value === null || p.value === undefined) { pen = false; continue; }
    d += `${pen ? "L" : "M"}${x(p.year).toFixed(1)},${y(p.value).toFixed(1)}`;
    pen = true;
  }
  add("path", { d, class: "line" });
  for (const p of series) {
    if (p.value === null || p.value === undefined) continue;
    add("circle", { cx: x(p.year), cy: y(p.value), r: 2.5, class: "dot" });
  }
  return svg;
}

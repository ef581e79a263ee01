// What my family can get: a form whose answer comes from POST
// /api/v1/benefits. The family's facts go in the request body only: never
// in the address, never in storage, and the form has no names to submit.

import { initPage } from "/common.js";

const $ = (sel) => document.querySelector(sel);
const yuan = new Intl.NumberFormat("zh-CN");
const money = (v) => `¥${yuan.format(v)}`;
const orderZh = ["", "一孩", "二孩", "三孩", "四孩", "五孩", "六孩"];
const ordinal = (n) => `${n}${n % 10 === 1 && n !== 11 ? "st" : n % 10 === 2 && n !== 12 ? "nd" : n % 10 === 3 && n !== 13 ? "rd" : "th"}`;

// today is the date in China Standard Time, as the API counts it.
function today() {
  return new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 10);
}

// el builds an element with text (never HTML) and children.
function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "class") e.className = v;
    else if (k === "text") e.textContent = v;
    else e.setAttribute(k, v);
  }
  for (const c of children) e.append(c);
  return e;
}

function bilingual(b, cls = "") {
  return el("p", { class: `bi ${cls}` }, el("span", { text: b.zh }), el("br"), el("span", { lang: "en", text: b.en }));
}

function addChild(date = "", order = "") {
  const list = $("#children");
  const n = list.children.length;
  if (n >= 10) return;
  const input = el("input", { type: "date", required: "", max: today(), "aria-label": "出生日期 birth date", class: "birth" });
  input.value = date;
  const select = el("select", { "aria-label": "孩次 birth order", class: "order" });
  for (let i = 1; i <= 6; i++) select.append(el("option", { value: String(i), text: `${orderZh[i]} · ${ordinal(i)}` }));
  select.value = String(order || Math.min(n + 1, 6));
  const remove = el("button", { type: "button", class: "remove", "aria-label": "删除 remove", text: "✕" });
  remove.addEventListener("click", () => li.remove());
  const li = el("li", {},
    el("label", {}, el("span", { text: "出生日期 " }), el("span", { lang: "en", text: "born" }), input),
    el("label", {}, el("span", { text: "孩次 " }), el("span", { lang: "en", text: "order" }), select),
    remove);
  list.append(li);
}

// body reads the form into the API's request.
function body() {
  const children = [...document.querySelectorAll("#children li")].map((li) => ({
    birth_date: li.querySelector(".birth").value,
    order: Number(li.querySelector(".order").value),
  }));
  const req = { children, fund_depositors: Number(document.querySelector('input[name="depositors"]:checked').value) };
  if ($("#pregnant").value) req.pregnant_with_order = Number($("#pregnant").value);
  if ($("#as-of").value) req.as_of = $("#as-of").value;
  return req;
}

// describe turns a problem's location into words on the form.
function describe(location) {
  const m = /^body\.children\[(\d+)\]\.?(\w*)/.exec(location || "");
  if (m) return `第${Number(m[1]) + 1}个填写的孩子 · child ${Number(m[1]) + 1}${m[2] ? ` (${m[2]})` : ""}`;
  return { "body.as_of": "截至日期 · as of", "body.pregnant_with_order": "怀孕 · pregnancy", "body.fund_depositors": "公积金 · provident fund" }[location] || location;
}

function showProblem(problem) {
  const box = $("#error");
  box.replaceChildren(el("strong", { text: "请修改 · Please fix" }));
  const list = el("ul");
  for (const e of problem.errors || [{ message: problem.detail || problem.title }]) {
    list.append(el("li", {}, el("b", { text: `${describe(e.location)}: ` }), e.message));
  }
  box.append(list);
  box.hidden = false;
}

const MONTH = /^(\d{4})-(\d{2})$/;
const monthIndex = (s) => {
  const m = MONTH.exec(s);
  return Number(m[1]) * 12 + Number(m[2]) - 1;
};

// timeline draws each monthly allowance as a bar from its first to its last
// month, the part due by as_of darker, the trial's certain end marked.
function timeline(ans) {
  const rows = ans.items.filter((it) => it.kind === "monthly" && it.eligible);
  const box = $("#timeline");
  box.replaceChildren();
  if (!rows.length) {
    box.append(el("p", { class: "hint", text: "没有按月发放的补贴 · no monthly payments" }));
    return;
  }
  box.append(el("p", { class: "legend-line" },
    el("i", { style: "background:#1565c0" }), `截至 ${ans.as_of} 已到期 due`,
    el("i", { style: "background:#90caf9" }), "之后 still to come"));
  const start = Math.min(...rows.map((r) => monthIndex(r.first_month)));
  const end = Math.max(...rows.map((r) => monthIndex(r.last_month))) + 1;
  const pct = (m) => `${(100 * (Math.min(Math.max(m, start), end) - start)) / (end - start)}%`;
  const asOf = monthIndex(ans.as_of.slice(0, 7)) + 1;
  for (const r of rows) {
    const first = monthIndex(r.first_month);
    const bar = el("div", { class: "bar", title: `${r.first_month} – ${r.last_month}` });
    bar.style.left = pct(first);
    bar.style.width = `calc(${pct(monthIndex(r.last_month) + 1)} - ${pct(first)})`;
    const due = el("div", { class: "due" });
    due.style.width = `${(100 * r.due_yuan) / r.total_yuan}%`;
    bar.append(due);
    box.append(el("div", { class: "row" },
      el("div", { class: "label" },
        el("span", { text: `${orderZh[r.child_order] || ordinal(r.child_order)} ${money(r.monthly_yuan)}/月 × ${r.months}` }),
        el("span", { lang: "en", text: ` · ${ordinal(r.child_order)} child, ${r.first_month} – ${r.last_month}` })),
      el("div", { class: "track" }, bar)));
  }
  const axis = el("div", { class: "axis" });
  for (let y = Math.floor(start / 12) + 1; y * 12 < end; y++) {
    const tick = el("span", { text: String(y) });
    tick.style.left = pct(y * 12);
    axis.append(tick);
  }
  if (asOf > start && asOf < end) {
    // The label hangs off the mark toward the middle, so it never leaves the page.
    const right = (asOf - start) / (end - start) > 0.5;
    const mark = el("span", { class: `now ${right ? "right" : ""}`, text: right ? `${ans.as_of} ▲` : `▲ ${ans.as_of}` });
    mark.style.left = pct(asOf);
    axis.append(mark);
  }
  box.append(axis);
}

function years(ans) {
  const list = $("#years");
  list.replaceChildren();
  const top = Math.max(1, ...ans.allowance_by_year.map((y) => y.yuan));
  for (const y of ans.allowance_by_year) {
    const bar = el("span", { class: "ybar" });
    bar.style.width = `${(100 * y.yuan) / top}%`;
    list.append(el("li", {}, el("span", { class: "year", text: String(y.year) }), bar,
      el("span", { class: "yuan", text: money(y.yuan) })));
  }
}

function amountLine(it) {
  if (it.kind === "monthly" && it.eligible) {
    return `${money(it.monthly_yuan)}/月 monthly · ${it.first_month} – ${it.last_month} · ${it.months} 个月 months · 合计 total ${money(it.total_yuan)} · 已到期 due ${money(it.due_yuan)} · 剩余 remaining ${money(it.remaining_yuan)}`;
  }
  if (it.kind === "one_off" && it.eligible) return `${money(it.amount_yuan)} 一次性 once`;
  if (it.id === "housing_fund_rent" && it.eligible) return `每年上限 yearly ceiling ${money(it.amount_yuan)}`;
  if (it.kind === "ceiling" && it.eligible) return `贷款上限 loan ceiling ${money(it.amount_yuan)}`;
  return "";
}

function items(ans) {
  const list = $("#items");
  list.replaceChildren();
  for (const it of ans.items) {
    const badge = it.kind === "info"
      ? el("span", { class: `badge ${it.eligible ? "info" : "no"}`, text: it.eligible ? "可了解 · for you" : "不适用 · n/a" })
      : el("span", { class: `badge ${it.eligible ? "yes" : "no"}`, text: it.eligible ? "✓ 符合 · eligible" : "✗ 不符合 · not eligible" });
    const li = el("li", { class: it.eligible ? "eligible" : "not", "data-id": it.id },
      el("div", { class: "head" }, el("strong", { text: it.name.zh }), " ", el("span", { lang: "en", text: it.name.en }),
        " ", el("span", { class: "clause", text: `条款 clause ${it.clause}` }), badge),
      bilingual(it.reason));
    const line = amountLine(it);
    if (line) li.append(el("p", { class: "amount", text: line }));
    if (it.kind === "info" && it.eligible) li.append(el("p", {}, el("a", { href: "/", text: "找附近的托育机构 · find a centre near you" })));
    list.append(li);
  }
}

function render(ans) {
  $("#error").hidden = true;
  const t = ans.totals;
  $("#totals").replaceChildren(
    el("div", { class: "big" }, el("span", { text: "可领现金合计 " }), el("span", { lang: "en", text: "cash in all " }),
      el("strong", { id: "total", text: money(t.total_yuan) })),
    el("div", {}, el("span", { text: `截至 ${ans.as_of} 已到期 · due: ` }), el("strong", { id: "due", text: money(t.due_yuan) })),
    el("div", {}, el("span", { text: "之后 · still to come: " }), el("strong", { id: "remaining", text: money(t.remaining_yuan) })));
  const trial = $("#trial");
  trial.hidden = !t.after_trial_yuan;
  trial.textContent = `其中 ${money(t.after_trial_yuan)} 属于 ${ans.validity.certainly_ended_from} 以后，政策一年试行期已结束，能否发放取决于政策是否延续（${ans.validity.clause}）。` +
    ` Of this, ${money(t.after_trial_yuan)} falls from ${ans.validity.certainly_ended_from} on, after the one-year trial: it depends on the policy having been extended.`;
  timeline(ans);
  years(ans);
  items(ans);
  $("#conditions").replaceChildren(...ans.conditions.map((c) =>
    el("li", {}, el("span", { class: "clause", text: c.clause }), bilingual(c.text))));
  $("#validity").replaceChildren(bilingual(ans.validity.text));
  $("#readings").replaceChildren(...ans.readings.flatMap((r) => [
    el("dt", {}, el("span", { class: "clause", text: r.clause }), ` ${r.question.zh} `, el("span", { lang: "en", text: r.question.en })),
    el("dd", {}, bilingual(r.reading)),
  ]));
  $("#notice").replaceChildren(bilingual(ans.notice));
  $("#answer").hidden = false;
  document.body.dataset.answered = "true";
  $("#answer").scrollIntoView({ block: "start" });
}

async function calculate(event) {
  event.preventDefault();
  const button = $("#calculate");
  button.disabled = true;
  try {
    const res = await fetch("/api/v1/benefits", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body()),
      cache: "no-store",
      referrerPolicy: "no-referrer",
    });
    const data = await res.json().catch(() => ({ detail: res.statusText }));
    if (!res.ok) {
      $("#answer").hidden = true;
      showProblem(data);
      return;
    }
    render(data);
  } catch (err) {
    showProblem({ detail: `无法连接 · cannot reach the service: ${err.message}` });
  } finally {
    button.disabled = false;
  }
}

$("#add-child").addEventListener("click", () => addChild());
$("#family").addEventListener("submit", calculate);
$("#as-of").max = "2100-12-31";
initPage().catch(() => {}); // the shared header and the language of its links
addChild();
document.body.dataset.ready = "true";

// Inside the network: sends the drawing to /api/digits/inside and draws every panel it
// gets back; a click on a convolution's map asks /api/digits/explain, a digit under the
// saliency asks /api/digits/saliency.
"use strict";

const $ = id => document.getElementById(id);
window.studio = { insides: 0, inside: null, explains: 0, explained: null, saliency: null };
let image = null, seen = null, busy = false, again = false;
const pad = makePad($("pad"), blob => { image = blob; look(); });

function setStatus(text, error) { $("status").textContent = text; $("status").classList.toggle("error", !!error); }

// POSTs the image to `path`; the answer's JSON, or null after showing the refusal.
async function ask(path) {
  const q = $("choice").value === "" ? "" : (path.includes("?") ? "&" : "?") + "model=" + $("choice").value;
  const response = await fetch(path + q, { method: "POST", body: image });
  const data = await response.json();
  if (!response.ok) { setStatus(data.error, true); return null; }
  setStatus("");
  return data;
}

// One request at a time; a stroke made meanwhile is sent when it returns.
async function look() {
  if (!image) return;
  if (busy) { again = true; return; }
  busy = true;
  const data = await ask("/api/digits/inside");
  busy = false;
  if (data) show(data);
  if (again) { again = false; look(); }
}

function show(data) {
  seen = data.seen;
  classButtons(data.classes);
  grayImage($("seen"), data.seen, data.side);
  $("seen-box").querySelectorAll(".mark").forEach(m => m.remove());
  $("digit").textContent = data.label ?? data.digit;
  drawSaliency(data.saliency);
  const panels = $("panels");
  panels.innerHTML = "";
  for (const p of data.panels) {
    const card = document.createElement("section");
    card.className = "card panel"; card.id = "panel-" + p.id; card.dataset.kind = p.kind;
    const head = document.createElement("div"); head.className = "panel-head";
    const title = document.createElement("h3"); title.textContent = p.title;
    const caption = document.createElement("span"); caption.className = "caption"; caption.textContent = p.caption;
    head.append(title, caption, legend(p.range));
    const body = document.createElement("div");
    card.append(head, body);
    PANELS[p.kind](body, p, (c, y, x) => explain(p.id, c, y, x), data);
    panels.append(card);
  }
  window.studio.inside = data; window.studio.insides += 1;
}

// The gradient drawn over the digit: red where more ink raises the score, blue where it
// lowers it, stronger for larger values; the digit in gray beneath.
function drawSaliency(s) {
  const c = $("saliency"), base = seen && seen.length === s.gradient.length ? seen : null;
  const lo = base ? Math.min(...base) : 0, span = base ? (Math.max(...base) - lo) || 1 : 1;
  const colour = colourScale(s.range), m = Math.max(-s.range[0], s.range[1]) || 1;
  const g = c.getContext("2d"), img = g.createImageData(s.side, s.side);
  s.gradient.forEach((v, i) => {
    const ink = base ? 255 - Math.round((base[i] - lo) / span * 110) : 255;
    const tint = colour(v), t = Math.min(1, Math.abs(v) / m * 1.5);
    img.data.set([...mix([ink, ink, ink], tint, t), 255], 4 * i);
  });
  g.putImageData(img, 0, 0);
  $("saliency-legend").replaceWith(Object.assign(legend(s.range), { id: "saliency-legend" }));
  $("saliency-caption").textContent = `∂(score of ${s.class}) / ∂(each pixel): score ${s.logit.toFixed(3)}`;
  document.querySelectorAll("#classes button").forEach(b => b.classList.toggle("here", +b.dataset.digit === s.class));
  window.studio.saliency = s;
}

async function saliency(digit) {
  if (!image) return;
  const data = await ask("/api/digits/saliency?class=" + digit);
  if (data) drawSaliency(data);
}

// The filter behind map `channel` of panel `panel`, and the sum at pixel (y, x).
async function explain(panel, channel, y, x) {
  const e = await ask(`/api/digits/explain?panel=${panel}&channel=${channel}&y=${y}&x=${x}`);
  if (!e) return;
  document.querySelectorAll(".explain").forEach(n => n.remove());
  document.querySelectorAll(".mark").forEach(m => m.remove());
  const [C, k, kw] = e.filter.shape, [, H, W] = e.input.shape;
  // Where the pixel is, and the window it saw in every map of the input.
  const clicked = $("panel-" + panel).querySelector(`.map[data-channel="${channel}"]`);
  const [, mh, mw] = window.studio.inside.panels[panel].shape;
  mark(clicked, y, x, 1, 1, mh, mw, "pixel");
  const inputs = e.input.panel === null ? [$("seen-box")] : [...$("panel-" + e.input.panel).querySelectorAll(".map")];
  inputs.forEach(box => mark(box, e.window.top, e.window.left, e.window.height, e.window.width, H, W, "window"));

  const card = document.createElement("section"); card.className = "card explain";
  const head = document.createElement("div"); head.className = "panel-head";
  const title = document.createElement("h3");
  title.textContent = `map ${channel}, pixel (${y}, ${x}): z = b + Σ w·x over a ${k}×${kw} window of ${C} input map${C > 1 ? "s" : ""}`;
  head.append(title);
  const sum = document.createElement("div"); sum.className = "sum";
  const f = v => v === null ? "—" : (+v).toPrecision(4);
  sum.textContent = `b = ${f(e.bias)}, Σ of the ${C} terms = ${f(e.sum - e.bias)}, so z = ${f(e.sum)}; ` +
    `the layer computed ${f(e.value)}` + (e.after_relu === null ? "" : `, after ReLU ${f(e.after_relu)}`);
  card.append(head, sum);
  const wColour = colourScale(e.filter.range), inRange = window.studio.inside.panels[e.input.panel]?.range;
  const seenValues = e.patch.filter(v => v !== null);
  const xColour = colourScale(inRange || [Math.min(0, ...seenValues), Math.max(...seenValues)]);
  const size = C === 1 ? 96 : C <= 16 ? 48 : 36;
  const grid = document.createElement("div"); grid.className = "maps terms";
  for (let c = 0; c < C; c++) {
    const cell = document.createElement("div"); cell.className = "term";
    const part = a => a.slice(c * k * kw, (c + 1) * k * kw);
    const pair = document.createElement("div"); pair.className = "pair";
    pair.append(picture(part(e.filter.values), k, kw, wColour, size), picture(part(e.patch), k, kw, xColour, size));
    const t = document.createElement("div"); t.className = "caption"; t.textContent = "Σ w·x = " + f(e.terms[c]);
    cell.append(pair, t); grid.append(cell);
  }
  if (C === 1) grid.append(productTable(e, k, kw));
  const key = document.createElement("div"); key.className = "panel-head";
  const say = document.createElement("span"); say.className = "caption";
  say.textContent = `for each input map: the filter w (left), the window x it saw (right; gray: padding) and their Σ w·x`;
  key.append(say, legend(e.filter.range));
  card.append(key, grid);
  $("panel-" + panel).after(card);
  window.studio.explained = e; window.studio.explains += 1;
}

// For a one-map input, every product w·x of the window.
function productTable(e, k, kw) {
  const table = document.createElement("table"); table.className = "products";
  const f = v => v === null ? "0 (pad)" : (+v).toPrecision(3);
  for (let u = 0; u < k; u++) {
    const row = table.insertRow();
    for (let v = 0; v < kw; v++) {
      const i = u * kw + v;
      row.insertCell().textContent = `${f(e.filter.values[i])} × ${f(e.patch[i])} = ${(+e.products[i]).toPrecision(3)}`;
    }
  }
  return table;
}

function clear() {
  pad.clear(); image = null; seen = null;
  $("digit").textContent = "–"; $("panels").innerHTML = "";
  $("seen").getContext("2d").clearRect(0, 0, 28, 28);
  $("saliency").getContext("2d").clearRect(0, 0, 28, 28);
}

// A button per class, named as the model names them, to ask for that class's saliency.
function classButtons(names) {
  if ($("classes").dataset.names === names.join("|")) return;
  $("classes").dataset.names = names.join("|");
  $("classes").innerHTML = "";
  names.forEach((name, d) => {
    const b = document.createElement("button"); b.className = "secondary digit"; b.textContent = name; b.dataset.digit = d;
    b.addEventListener("click", () => saliency(d));
    $("classes").append(b);
  });
}

async function main() {
  classButtons([...Array(10).keys()].map(String));
  $("clear").addEventListener("click", clear);
  $("file").addEventListener("change", () => { const f = $("file").files[0]; if (f) { image = f; look(); } });
  $("choice").addEventListener("change", look);
  const info = await (await fetch("/api/digits/model")).json();
  for (const m of info.models) $("choice").add(new Option(`${m.network} (${m.path})`, m.id));
  $("model").textContent = info.ready ? `${info.models.length} model${info.models.length > 1 ? "s" : ""} found` : info.message;
  $("model").classList.toggle("error", !info.ready);
  window.studio.models = info.models;
}
main();

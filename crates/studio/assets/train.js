// Live training: a form from /api/lessons, POST /api/train to start, and the run's
// server-sent events drawn as they arrive.
"use strict";

const $ = id => document.getElementById(id);
window.studio = { epochs: 0, running: false, done: null, regions: 0, events: 0 };
let lessons = [], curves = {}, latestRegions = null, pending = false;

function setStatus(text, error) {
  $("status").textContent = text; $("status").classList.toggle("error", !!error);
}

function showFields() {
  const lesson = lessons.find(l => String(l.number) === $("lesson").value);
  $("fields").innerHTML = "";
  for (const f of lesson.fields) {
    const label = document.createElement("label");
    label.htmlFor = "field-" + f.name;
    label.innerHTML = `${f.name} <span class="hint"></span>`;
    label.querySelector(".hint").textContent = "— " + f.help;
    let input;
    if (f.kind === "choice") {
      input = document.createElement("select");
      for (const c of f.choices) input.add(new Option(c, c));
      input.value = f.value;
    } else if (f.kind === "bool") {
      input = document.createElement("input"); input.type = "checkbox"; input.checked = f.value;
    } else {
      input = document.createElement("input"); input.type = "text"; input.value = f.value;
    }
    input.id = "field-" + f.name; input.title = f.allowed; input.dataset.name = f.name;
    $("fields").append(label, input);
  }
  $("seed").value = lesson.seed;
  $("regions-card").hidden = lesson.number !== 1;
}

async function start() {
  const recipe = {};
  for (const input of $("fields").querySelectorAll("[data-name]")) {
    recipe[input.dataset.name] = input.type === "checkbox" ? input.checked : input.value;
  }
  const seed = $("seed").value.trim();
  const body = { lesson: +$("lesson").value, recipe, seed: seed === "" ? null : Number(seed) };
  const response = await fetch("/api/train", { method: "POST", body: JSON.stringify(body), headers: { "Content-Type": "application/json" } });
  const data = await response.json();
  if (!response.ok) setStatus(data.error, true);
}

async function stop() {
  const response = await fetch("/api/train/stop", { method: "POST", body: "{}", headers: { "Content-Type": "application/json" } });
  const data = await response.json();
  // The run may have ended (and said so) before this answer came.
  if (!response.ok) setStatus(data.error, true);
  else if (window.studio.running) setStatus("stopping…");
}

// Redraws at most once a frame, however fast the epochs come.
function redraw() {
  if (pending) return;
  pending = true;
  requestAnimationFrame(() => {
    pending = false;
    const runs = Object.keys(curves);
    const pick = word => runs.flatMap(run => Object.keys(curves[run]).filter(m => m.includes(word)).map(m => ({
      name: runs.length > 1 ? `${m} · ${run}` : m, points: curves[run][m],
    })));
    const losses = pick("loss"), accuracies = pick("accuracy");
    lineChart($("loss"), losses, { title: "loss per epoch", x: "epoch", y: "loss" });
    $("acc-card").hidden = accuracies.length === 0 && runs.length > 0;
    lineChart($("acc"), accuracies, { title: "accuracy per epoch", x: "epoch", y: "accuracy", yRange: [0, 1.02] });
    if (latestRegions) {
      heatmap($("regions"), latestRegions);
      $("regions-caption").textContent = `${latestRegions.run}, after epoch ${latestRegions.epoch}: P(class 1) over the inputs`;
    }
  });
}

function follow() {
  const events = new EventSource("/api/train/events");
  events.addEventListener("open", () => { if (!window.studio.running) setStatus("ready"); });
  events.addEventListener("start", e => {
    const s = JSON.parse(e.data);
    curves = {}; latestRegions = null;
    Object.assign(window.studio, { epochs: 0, running: true, done: null, regions: 0 });
    $("start").disabled = true; $("stop").disabled = false;
    setStatus(`lesson ${s.lesson} (seed ${s.seed}) is training…`);
    redraw();
  });
  events.addEventListener("epoch", e => {
    const r = JSON.parse(e.data);
    const run = curves[r.run] || (curves[r.run] = {});
    for (const [name, value] of Object.entries(r.metrics)) (run[name] || (run[name] = [])).push([r.epoch, value]);
    window.studio.epochs += 1; window.studio.events += 1;
    const shown = Object.entries(r.metrics).map(([n, v]) => `${n} ${v === null ? "—" : v.toFixed(4)}`).join("\n");
    setStatus(`training ${r.run}: epoch ${r.epoch}\n${shown}`);
    redraw();
  });
  events.addEventListener("regions", e => {
    latestRegions = JSON.parse(e.data); window.studio.regions += 1; redraw();
  });
  events.addEventListener("done", e => {
    const d = JSON.parse(e.data);
    Object.assign(window.studio, { running: false, done: d });
    $("start").disabled = false; $("stop").disabled = true;
    if (d.error) setStatus(d.error, true);
    else if (d.stopped) setStatus(`stopped after ${window.studio.epochs} epochs`);
    else setStatus(`finished in ${d.seconds.toFixed(1)} s\n` + Object.entries(d.metrics).map(([n, v]) => `${n} ${v === null ? "—" : (+v).toFixed(4)}`).join("\n")
      + (d.summary ? `\nwritten: ${d.summary}` : ""));
  });
}

async function main() {
  const list = await (await fetch("/api/lessons")).json();
  lessons = list.lessons;
  for (const l of lessons) $("lesson").add(new Option(`${l.number} · ${l.title}`, l.number));
  $("lesson").addEventListener("change", showFields);
  $("start").addEventListener("click", start);
  $("stop").addEventListener("click", stop);
  showFields(); redraw(); follow();
}
main();

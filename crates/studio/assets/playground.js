// The playground: the set-up in the controls and in the address, POST /api/playground/epoch
// for the set-up at an epoch, and what comes back drawn — the network with every neuron's
// output over the plane and its weights, the decision region with the points, the losses.
"use strict";

const $ = id => document.getElementById(id);
const ORANGE = [232, 113, 10], SKY = [47, 111, 219];
window.studio = { answers: 0, answer: null, epoch: 0, running: false, neurons: 0 };
let options = null, setup = null, epoch = 0, losses = { train: [], test: [] };
let generation = 0, running = false, structure = "";

function setStatus(text, error) { $("status").textContent = text; $("status").classList.toggle("error", !!error); }

// The set-up as the address's query (the server checks it and answers the canonical one).
function query() {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(setup)) q.set(k, Array.isArray(v) ? v.join(",") : v);
  return q.toString();
}

// Asks for the set-up at epoch `target`; draws the answer unless the set-up changed since.
async function fetchEpoch(target, address) {
  const mine = generation;
  const body = { setup: address ?? query(), epoch: target, since: losses.train.length };
  const response = await fetch("/api/playground/epoch", {
    method: "POST", body: JSON.stringify(body), headers: { "Content-Type": "application/json" },
  });
  const a = await response.json();
  if (mine !== generation) return false;
  if (!response.ok) { setStatus(a.error, true); pause(); return false; }
  setStatus("");
  apply(a);
  return true;
}

function apply(a) {
  setup = a.setup; epoch = a.epoch;
  for (const k of ["train", "test"]) {
    losses[k].length = a.loss.first;
    losses[k].push(...a.loss[k]);
  }
  history.replaceState(null, "", "?" + a.query);
  showSetup();
  drawNetwork(a.network);
  drawRegion(a.region, a.points);
  drawLosses();
  $("epoch").textContent = epoch;
  Object.assign(window.studio, { answer: a, epoch, losses, answers: window.studio.answers + 1 });
}

// A new set-up: start again from epoch 0.
function change(update) {
  setup = structuredClone(setup);
  update(setup);
  generation += 1;
  losses = { train: [], test: [] };
  epoch = 0;
  if (!running) fetchEpoch(0);
}

async function loop() {
  while (running) {
    const ok = await fetchEpoch(epoch + 1);
    if (!ok && !running) break;
    await new Promise(r => requestAnimationFrame(r));
  }
}
function play() { running = true; window.studio.running = true; $("run").textContent = "Pause"; loop(); }
function pause() { running = false; window.studio.running = false; $("run").textContent = "Run"; }

// The controls show the set-up.
function showSetup() {
  for (const k of ["lr", "activation", "l2", "optimizer", "data"]) $(k).value = String(setup[k]);
  $("batch").value = setup.batch; $("batch-value").textContent = setup.batch;
  $("noise").value = setup.noise; $("noise-value").textContent = setup.noise;
  $("train").value = setup.train; $("train-value").textContent = setup.train + "%";
  if (document.activeElement !== $("seed")) $("seed").value = setup.seed;
  $("layer-count").textContent = `${setup.hidden.length} hidden layer${setup.hidden.length === 1 ? "" : "s"}`;
}

const BOX = 44, GAP = 12, COLUMN = 124, TOP = 34;

// Where neuron `i` of column `c` sits: its top-left corner.
const place = (c, i) => [c * COLUMN, TOP + i * (BOX + GAP)];

// Builds the diagram's boxes when the network's shape changes; fills them on every answer.
function drawNetwork(n) {
  const shape = setup.features.join(",") + "|" + setup.hidden.join(",");
  const columns = 2 + setup.hidden.length;
  const net = $("net");
  if (shape !== structure) {
    structure = shape;
    net.querySelectorAll(".neuron-box, .column-head").forEach(e => e.remove());
    options.features.forEach((f, i) => {
      const on = setup.features.includes(f.name);
      const box = neuronBox(0, i, f.symbol, on ? "feature" : "off", () => toggleFeature(f.name));
      box.id = "feature-" + f.name;
      net.append(box);
    });
    setup.hidden.forEach((width, l) => {
      net.append(columnHead(l + 1, width, l));
      for (let j = 0; j < width; j++) net.append(neuronBox(l + 1, j, "", "neuron"));
    });
    net.append(neuronBox(columns - 1, 0, "output", "neuron"));
    const tallest = Math.max(options.features.length, ...setup.hidden);
    net.style.width = `${(columns - 1) * COLUMN + BOX + 10}px`;
    net.style.height = `${TOP + tallest * (BOX + GAP)}px`;
  }
  // The neurons' pictures: the features in the order chosen, then each layer.
  const boxes = l => [...net.querySelectorAll(`.neuron-box[data-column="${l}"] canvas`)];
  const features = setup.features.map(name => options.features.findIndex(f => f.name === name));
  n.layers.forEach((layer, l) => {
    layer.neurons.forEach((neuron, j) => {
      const canvas = l === 0 ? boxes(0)[features[j]] : boxes(l)[j];
      const palette = l === n.layers.length - 1 ? null : [SKY, ORANGE];
      const colour = palette ? colourScale(neuron.range, palette) : probability;
      const rows = [];
      for (let r = n.steps - 1; r >= 0; r--) rows.push(...neuron.values.slice(r * n.steps, (r + 1) * n.steps));
      paint(canvas, rows, colour);
      canvas.title = `${neuron.label}: from ${neuron.range[0].toPrecision(3)} to ${neuron.range[1].toPrecision(3)}`;
    });
  });
  drawWires(n.weights, features);
  window.studio.neurons = net.querySelectorAll(".neuron-box.neuron canvas").length;
}

function neuronBox(column, i, label, kind, onClick) {
  const box = document.createElement("div"); box.className = "neuron-box " + kind; box.dataset.column = column;
  const [x, y] = place(column, i);
  Object.assign(box.style, { left: `${x}px`, top: `${y}px` });
  const c = document.createElement("canvas"); c.width = c.height = 20;
  box.append(c);
  if (label) { const t = document.createElement("span"); t.textContent = label; box.append(t); }
  if (onClick) box.addEventListener("click", onClick);
  return box;
}

function columnHead(column, width, layer) {
  const head = document.createElement("div"); head.className = "column-head";
  head.style.left = `${column * COLUMN - 14}px`;
  const more = Object.assign(document.createElement("button"), { className: "secondary small", id: `add-neuron-${layer}`, textContent: "+" });
  const less = Object.assign(document.createElement("button"), { className: "secondary small", id: `remove-neuron-${layer}`, textContent: "−" });
  more.addEventListener("click", () => { if (width < options.max_width) change(s => s.hidden[layer] += 1); });
  less.addEventListener("click", () => { if (width > 1) change(s => s.hidden[layer] -= 1); });
  head.append(more, less, ` ${width}`);
  return head;
}

function toggleFeature(name) {
  const on = setup.features.includes(name);
  if (on && setup.features.length === 1) { setStatus("a network needs at least one feature", true); return; }
  change(s => {
    s.features = on ? s.features.filter(f => f !== name) : options.features.map(f => f.name).filter(f => f === name || s.features.includes(f));
  });
}

// The weights as lines from each neuron to the next layer's: orange positive, blue
// negative, as thick as they are large.
function drawWires(weights, features) {
  const net = $("net"), c = $("wires");
  c.width = net.offsetWidth; c.height = net.offsetHeight;
  const g = c.getContext("2d");
  const largest = Math.max(1e-9, ...weights.flatMap(l => l.w.flat().map(Math.abs)));
  weights.forEach((layer, l) => {
    layer.w.forEach((row, j) => row.forEach((w, i) => {
      const from = place(l, l === 0 ? features[i] : i), to = place(l + 1, j);
      g.strokeStyle = w >= 0 ? "rgba(232,113,10,0.75)" : "rgba(47,111,219,0.75)";
      g.lineWidth = 0.4 + 5 * Math.abs(w) / largest;
      g.beginPath(); g.moveTo(from[0] + BOX, from[1] + BOX / 2);
      g.lineTo(to[0], to[1] + BOX / 2); g.stroke();
    }));
  });
}

// P(class 1): blue at 0, white at ½, orange at 1.
function probability(p) {
  return p === null ? GRAY : p < 0.5 ? mix(WHITE, SKY, (0.5 - p) * 2) : mix(WHITE, ORANGE, (p - 0.5) * 2);
}

// The output over the plane (row 0 at the bottom), smoothed, and the points on it.
function drawRegion(r, points) {
  const canvas = $("region"), g = canvas.getContext("2d");
  const small = document.createElement("canvas"); small.width = small.height = r.steps;
  const rows = [];
  for (let row = r.steps - 1; row >= 0; row--) rows.push(...r.values.slice(row * r.steps, (row + 1) * r.steps));
  paint(small, rows, probability);
  g.imageSmoothingEnabled = true;
  g.drawImage(small, 0, 0, canvas.width, canvas.height);
  const at = v => (v + r.extent) / (2 * r.extent);
  const dot = ([a, b, c], test) => {
    g.beginPath(); g.arc(at(a) * canvas.width, (1 - at(b)) * canvas.height, 3.5, 0, 2 * Math.PI);
    g.fillStyle = c === 1 ? "#e8710a" : "#2f6fdb"; g.fill();
    g.strokeStyle = test ? "#000" : "#fff"; g.lineWidth = test ? 1.2 : 1; g.stroke();
  };
  points.train.forEach(p => dot(p, false));
  if ($("show-test").checked) points.test.forEach(p => dot(p, true));
}

function drawLosses() {
  const series = k => losses[k].map((v, e) => [e, v === null ? NaN : v]);
  lineChart($("loss"), [
    { name: "training loss", points: series("train"), color: "#1d2330" },
    { name: "test loss", points: series("test"), color: "#e8710a", dash: [5, 3] },
  ], { x: "epoch", y: "loss" });
  const last = k => losses[k].length ? (+losses[k][losses[k].length - 1]).toFixed(4) : "–";
  $("losses").textContent = `training loss ${last("train")}, test loss ${last("test")}`;
}

function fill(select, values, label = v => v) {
  for (const v of values) select.add(new Option(label(v), typeof v === "object" ? v.name : String(v)));
}

async function main() {
  options = await (await fetch("/api/playground/options")).json();
  fill($("lr"), options.lr); fill($("l2"), options.l2); fill($("data"), options.data);
  fill($("activation"), options.activations);
  fill($("optimizer"), options.optimizers, o => o.label);
  $("batch").min = options.batch[0]; $("batch").max = options.batch[1];
  $("train").min = options.train[0]; $("train").max = options.train[1];
  setup = structuredClone(options.default);
  for (const k of ["lr", "l2"]) $(k).addEventListener("change", () => change(s => s[k] = +$(k).value));
  for (const k of ["activation", "optimizer", "data"]) $(k).addEventListener("change", () => change(s => s[k] = $(k).value));
  for (const k of ["batch", "noise", "train"]) $(k).addEventListener("change", () => change(s => s[k] = +$(k).value));
  $("seed").addEventListener("change", () => change(s => s.seed = $("seed").value.trim()));
  $("add-layer").addEventListener("click", () => { if (setup.hidden.length < options.max_layers) change(s => s.hidden.push(2)); });
  $("remove-layer").addEventListener("click", () => { if (setup.hidden.length > 0) change(s => s.hidden.pop()); });
  $("run").addEventListener("click", () => running ? pause() : play());
  $("step").addEventListener("click", () => { if (!running) fetchEpoch(epoch + 1); });
  $("reset").addEventListener("click", () => change(() => {}));
  $("show-test").addEventListener("change", () => { const a = window.studio.answer; if (a) drawRegion(a.region, a.points); });
  // The address's set-up, checked by the server; a bad one falls back to the default.
  const address = location.search.replace(/^\?/, "");
  if (!(await fetchEpoch(0, address)) && address) {
    const why = $("status").textContent;
    await fetchEpoch(0, options.query);
    setStatus(`the address's set-up was refused (${why}); showing the default`, true);
  }
}
main();

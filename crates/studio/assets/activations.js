// The activation explorer: sends the sliders to /api/activation and draws what comes back.
"use strict";

const $ = id => document.getElementById(id);
window.studio = { draws: 0, curve: null };
let functions = [], inFlight = false, again = false;

function query() {
  const f = functions.find(f => f.name === $("fn").value);
  const q = new URLSearchParams({ name: $("fn").value, w: $("w").value, b: $("b").value });
  $("slope-box").hidden = f.slope === null;
  if (f.slope !== null) q.set("slope", $("slope").value);
  return q;
}

// One request at a time; a slider that moved meanwhile is sent when it returns.
async function update() {
  $("w-value").textContent = (+$("w").value).toFixed(2);
  $("b-value").textContent = (+$("b").value).toFixed(2);
  $("slope-value").textContent = (+$("slope").value).toFixed(2);
  if (inFlight) { again = true; return; }
  inFlight = true;
  try {
    const response = await fetch("/api/activation?" + query());
    const data = await response.json();
    if (!response.ok) throw new Error(data.error);
    draw(data);
    $("status").textContent = ""; $("status").classList.remove("error");
  } catch (e) {
    $("status").textContent = e.message; $("status").classList.add("error");
  }
  inFlight = false;
  if (again) { again = false; update(); }
}

function draw(c) {
  const points = ys => c.x.map((x, i) => [x, ys[i]]);
  lineChart($("chart"), [
    { name: `a = ${c.layer}(w·x + b)`, points: points(c.y) },
    { name: "da/dx  (autograd backward)", points: points(c.dy), dash: [7, 5], color: "#e8710a" },
  ], { x: "x", y: "a", xRange: [-10, 10], title: `w = ${c.w.toFixed(2)}, b = ${c.b.toFixed(2)}` });
  const middle = c.w !== 0 ? (-c.b / c.w).toFixed(2) : "—";
  $("caption").textContent = `${c.layer}: the curve's middle is at x = −b/w = ${middle}`;
  window.studio.curve = c; window.studio.draws += 1;
}

async function main() {
  const list = await (await fetch("/api/activations")).json();
  functions = list.functions;
  for (const f of functions) $("fn").add(new Option(f.layer, f.name));
  $("fn").addEventListener("change", () => {
    const f = functions.find(f => f.name === $("fn").value);
    if (f.slope !== null) $("slope").value = f.slope;
    update();
  });
  for (const id of ["w", "b", "slope"]) $(id).addEventListener("input", update);
  $("reset").addEventListener("click", () => { $("w").value = 1; $("b").value = 0; update(); });
  update();
}
main();

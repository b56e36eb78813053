// Draw a digit: a pad for the mouse or a finger, an upload, and what the server's model
// says, drawn: the 28×28 image it saw and its ten probabilities.
"use strict";

const $ = id => document.getElementById(id);
window.studio = { predictions: 0, prediction: null };
const pad = $("pad"), ink = pad.getContext("2d");

function clear() {
  ink.fillStyle = "#fff"; ink.fillRect(0, 0, pad.width, pad.height);
  $("digit").textContent = "–";
  bars($("bars"), new Array(10).fill(0), -1);
  $("seen").getContext("2d").clearRect(0, 0, 28, 28);
}

async function predict(blob) {
  const response = await fetch("/api/digits/predict", { method: "POST", body: blob });
  const data = await response.json();
  if (!response.ok) { $("status").textContent = data.error; $("status").classList.add("error"); return; }
  $("status").textContent = ""; $("status").classList.remove("error");
  $("digit").textContent = data.digit;
  bars($("bars"), data.probabilities, data.digit);
  grayImage($("seen"), data.seen, data.side);
  window.studio.prediction = data; window.studio.predictions += 1;
}

// Strokes: pointer events cover the mouse, a pen and touch alike.
let last = null;
function at(e) { const r = pad.getBoundingClientRect(); return [(e.clientX - r.left) * pad.width / r.width, (e.clientY - r.top) * pad.height / r.height]; }
pad.addEventListener("pointerdown", e => { pad.setPointerCapture(e.pointerId); last = at(e); line(last, last); });
pad.addEventListener("pointermove", e => { if (!last) return; const p = at(e); line(last, p); last = p; });
const end = () => { if (!last) return; last = null; pad.toBlob(predict, "image/png"); };
pad.addEventListener("pointerup", end);
pad.addEventListener("pointercancel", end);
function line(a, b) {
  ink.strokeStyle = "#000"; ink.lineWidth = 18; ink.lineCap = "round"; ink.lineJoin = "round";
  ink.beginPath(); ink.moveTo(a[0], a[1]); ink.lineTo(b[0], b[1]); ink.stroke();
}

$("clear").addEventListener("click", clear);
$("file").addEventListener("change", () => { const f = $("file").files[0]; if (f) predict(f); });

async function main() {
  clear();
  const info = await (await fetch("/api/digits/model")).json();
  $("model").textContent = info.ready ? `model: ${info.network}, from ${info.path}` : info.message;
  $("model").classList.toggle("error", !info.ready);
}
main();

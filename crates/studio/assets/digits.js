// Draw a digit: a pad for the mouse or a finger, an upload, and what the server's model
// says, drawn: the 28×28 image it saw and its ten probabilities.
"use strict";

const $ = id => document.getElementById(id);
window.studio = { predictions: 0, prediction: null };
const pad = makePad($("pad"), blob => predict(blob));

function clear() {
  pad.clear();
  $("digit").textContent = "–";
  bars($("bars"), new Array(10).fill(0), -1);
  $("seen").getContext("2d").clearRect(0, 0, 28, 28);
}

async function predict(blob) {
  const response = await fetch("/api/digits/predict", { method: "POST", body: blob });
  const data = await response.json();
  if (!response.ok) { $("status").textContent = data.error; $("status").classList.add("error"); return; }
  $("status").textContent = ""; $("status").classList.remove("error");
  $("digit").textContent = data.label ?? data.digit;
  bars($("bars"), data.probabilities, data.digit);
  grayImage($("seen"), data.seen, data.side);
  window.studio.prediction = data; window.studio.predictions += 1;
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

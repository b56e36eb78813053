// A drawing pad for a digit: pointer events cover the mouse, a pen and touch alike.
// makePad(canvas, done) clears the canvas to white and calls done(blob) with a PNG of it
// after each stroke; it returns { clear }.
"use strict";

function makePad(pad, done) {
  const ink = pad.getContext("2d");
  let last = null;
  const at = e => {
    const r = pad.getBoundingClientRect();
    return [(e.clientX - r.left) * pad.width / r.width, (e.clientY - r.top) * pad.height / r.height];
  };
  const line = (a, b) => {
    ink.strokeStyle = "#000"; ink.lineWidth = pad.width / 15.5; ink.lineCap = "round"; ink.lineJoin = "round";
    ink.beginPath(); ink.moveTo(a[0], a[1]); ink.lineTo(b[0], b[1]); ink.stroke();
  };
  const clear = () => { ink.fillStyle = "#fff"; ink.fillRect(0, 0, pad.width, pad.height); };
  pad.addEventListener("pointerdown", e => { pad.setPointerCapture(e.pointerId); last = at(e); line(last, last); });
  pad.addEventListener("pointermove", e => { if (!last) return; const p = at(e); line(last, p); last = p; });
  const end = () => { if (!last) return; last = null; pad.toBlob(done, "image/png"); };
  pad.addEventListener("pointerup", end);
  pad.addEventListener("pointercancel", end);
  clear();
  return { clear };
}

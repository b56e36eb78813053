// The studio's drawing: line charts, a heat map, bars and a gray image on a <canvas>.
// It only draws the numbers the server sent; it computes none of them.
"use strict";

const PALETTE = ["#2f6fdb", "#e8710a", "#1e8e3e", "#d93025", "#9334e6", "#12a4af", "#a50e0e", "#5f6368"];

// Round numbers for the axis: about `count` ticks over [lo, hi].
function ticks(lo, hi, count) {
  const span = hi - lo || 1;
  const raw = span / count;
  const mag = Math.pow(10, Math.floor(Math.log10(raw)));
  const step = [1, 2, 5, 10].map(m => m * mag).find(s => s >= raw);
  const out = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + step * 1e-9; t += step) out.push(+t.toFixed(10));
  return out;
}

function label(t) {
  const a = Math.abs(t);
  return a !== 0 && (a < 1e-3 || a >= 1e5) ? t.toExponential(1) : String(+t.toPrecision(4));
}

// Draws `series` ([{name, points: [[x, y]...], color, dash}]) with axes and a legend.
// `opts`: {title, x, y, xRange: [lo, hi], yRange: [lo, hi]} (ranges default to the data's).
function lineChart(canvas, series, opts) {
  const g = canvas.getContext("2d");
  const W = canvas.width, H = canvas.height;
  const pad = { l: 58, r: 14, t: opts.title ? 30 : 12, b: 42 };
  g.clearRect(0, 0, W, H);
  g.fillStyle = "#fff"; g.fillRect(0, 0, W, H);
  const all = series.flatMap(s => s.points).filter(p => Number.isFinite(p[0]) && Number.isFinite(p[1]));
  let [x0, x1] = opts.xRange || [Math.min(...all.map(p => p[0])), Math.max(...all.map(p => p[0]))];
  let [y0, y1] = opts.yRange || [Math.min(...all.map(p => p[1])), Math.max(...all.map(p => p[1]))];
  if (!all.length && !opts.xRange) [x0, x1] = [0, 1];
  if (!all.length && !opts.yRange) [y0, y1] = [0, 1];
  if (x1 <= x0) x1 = x0 + 1;
  if (y1 <= y0) { y0 -= 0.5; y1 += 0.5; }
  if (!opts.yRange) { const m = (y1 - y0) * 0.06; y0 -= m; y1 += m; }
  const X = x => pad.l + (x - x0) / (x1 - x0) * (W - pad.l - pad.r);
  const Y = y => H - pad.b - (y - y0) / (y1 - y0) * (H - pad.t - pad.b);
  g.font = "12px system-ui, sans-serif";
  g.strokeStyle = "#e6e8ec"; g.fillStyle = "#5b6475"; g.lineWidth = 1;
  g.textAlign = "center"; g.textBaseline = "top";
  for (const t of ticks(x0, x1, 8)) {
    g.beginPath(); g.moveTo(X(t), pad.t); g.lineTo(X(t), H - pad.b); g.stroke();
    g.fillText(label(t), X(t), H - pad.b + 5);
  }
  g.textAlign = "right"; g.textBaseline = "middle";
  for (const t of ticks(y0, y1, 6)) {
    g.beginPath(); g.moveTo(pad.l, Y(t)); g.lineTo(W - pad.r, Y(t)); g.stroke();
    g.fillText(label(t), pad.l - 6, Y(t));
  }
  g.strokeStyle = "#9aa0a6";
  if (x0 < 0 && x1 > 0) { g.beginPath(); g.moveTo(X(0), pad.t); g.lineTo(X(0), H - pad.b); g.stroke(); }
  if (y0 < 0 && y1 > 0) { g.beginPath(); g.moveTo(pad.l, Y(0)); g.lineTo(W - pad.r, Y(0)); g.stroke(); }
  g.strokeRect(pad.l, pad.t, W - pad.l - pad.r, H - pad.t - pad.b);
  g.fillStyle = "#1d2330"; g.textAlign = "center"; g.textBaseline = "alphabetic";
  if (opts.title) { g.font = "600 14px system-ui, sans-serif"; g.fillText(opts.title, W / 2, 19); g.font = "12px system-ui, sans-serif"; }
  if (opts.x) g.fillText(opts.x, (pad.l + W - pad.r) / 2, H - 6);
  if (opts.y) { g.save(); g.translate(14, (pad.t + H - pad.b) / 2); g.rotate(-Math.PI / 2); g.fillText(opts.y, 0, 0); g.restore(); }
  g.save();
  g.beginPath(); g.rect(pad.l, pad.t, W - pad.l - pad.r, H - pad.t - pad.b); g.clip();
  series.forEach((s, i) => {
    g.strokeStyle = s.color || PALETTE[i % PALETTE.length];
    g.lineWidth = s.width || 2; g.setLineDash(s.dash || []);
    g.beginPath();
    let pen = false;
    for (const [x, y] of s.points) {
      if (!Number.isFinite(y)) { pen = false; continue; }
      if (pen) g.lineTo(X(x), Y(y)); else g.moveTo(X(x), Y(y));
      pen = true;
    }
    g.stroke();
  });
  g.restore(); g.setLineDash([]);
  // The legend, top left inside the plot.
  g.textAlign = "left"; g.textBaseline = "middle";
  series.forEach((s, i) => {
    const y = pad.t + 12 + i * 17;
    g.fillStyle = "rgba(255,255,255,.85)"; g.fillRect(pad.l + 6, y - 8, g.measureText(s.name).width + 40, 16);
    g.strokeStyle = s.color || PALETTE[i % PALETTE.length]; g.lineWidth = 2; g.setLineDash(s.dash || []);
    g.beginPath(); g.moveTo(pad.l + 10, y); g.lineTo(pad.l + 32, y); g.stroke(); g.setLineDash([]);
    g.fillStyle = "#1d2330"; g.fillText(s.name, pad.l + 38, y);
  });
}

// Draws a two-input network's P(class 1) over a grid (`r` as the server sends it:
// {range: [lo, hi], steps, outputs (row by row, x₂ rows), points: [[x₁, x₂, class]...]}).
function heatmap(canvas, r) {
  const g = canvas.getContext("2d");
  const W = canvas.width, H = canvas.height, n = r.steps;
  const [lo, hi] = r.range;
  const X = x => (x - lo) / (hi - lo) * W, Y = y => H - (y - lo) / (hi - lo) * H;
  const cell = W / (n - 1);
  for (let row = 0; row < n; row++) for (let col = 0; col < n; col++) {
    const p = r.outputs[row * n + col];
    // Blue for class 0, orange for class 1, white at 0.5.
    const t = Math.max(0, Math.min(1, p));
    const mix = (a, b) => Math.round(a + (b - a) * Math.abs(t - 0.5) * 2);
    const c = t < 0.5 ? [mix(255, 47), mix(255, 111), mix(255, 219)] : [mix(255, 232), mix(255, 113), mix(255, 10)];
    g.fillStyle = `rgb(${c[0]},${c[1]},${c[2]})`;
    g.fillRect(col * cell - cell / 2, H - row * cell - cell / 2, cell + 1, cell + 1);
  }
  for (const [a, b, c] of r.points) {
    g.beginPath(); g.arc(X(a), Y(b), 4.5, 0, 2 * Math.PI);
    g.fillStyle = c === 1 ? "#e8710a" : "#2f6fdb"; g.fill();
    g.strokeStyle = "#fff"; g.lineWidth = 1.5; g.stroke();
  }
}

// Ten bars, one per digit, the `best` one highlighted.
function bars(canvas, probabilities, best) {
  const g = canvas.getContext("2d");
  const W = canvas.width, H = canvas.height, pad = { l: 40, b: 28, t: 14 };
  g.clearRect(0, 0, W, H); g.fillStyle = "#fff"; g.fillRect(0, 0, W, H);
  const w = (W - pad.l) / probabilities.length;
  g.font = "12px system-ui, sans-serif"; g.fillStyle = "#5b6475"; g.textAlign = "right"; g.textBaseline = "middle";
  for (const t of [0, 0.25, 0.5, 0.75, 1]) {
    const y = H - pad.b - t * (H - pad.b - pad.t);
    g.fillText(Math.round(t * 100) + "%", pad.l - 6, y);
    g.strokeStyle = "#e6e8ec"; g.beginPath(); g.moveTo(pad.l, y); g.lineTo(W, y); g.stroke();
  }
  g.textAlign = "center"; g.textBaseline = "top";
  probabilities.forEach((p, d) => {
    const h = p * (H - pad.b - pad.t);
    g.fillStyle = d === best ? "#2f6fdb" : "#aab4c8";
    g.fillRect(pad.l + d * w + 4, H - pad.b - h, w - 8, h);
    g.fillStyle = "#1d2330"; g.fillText(String(d), pad.l + d * w + w / 2, H - pad.b + 6);
  });
}

// A side×side gray image (values as the model saw them), scaled from their min to max.
function grayImage(canvas, values, side) {
  const g = canvas.getContext("2d");
  const img = g.createImageData(side, side);
  const lo = Math.min(...values), hi = Math.max(...values), span = hi - lo || 1;
  values.forEach((v, i) => {
    const c = Math.round((v - lo) / span * 255);
    img.data.set([c, c, c, 255], i * 4);
  });
  g.putImageData(img, 0, 0);
}

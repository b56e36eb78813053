// Drawing for the inside view: colour scales and their legends, and one drawing function
// per kind of panel the server sends (PANELS). It only draws the numbers it is given.
"use strict";

const WHITE = [255, 255, 255], RED = [178, 24, 43], BLUE = [33, 102, 172], GRAY = [200, 200, 200];

function mix(a, b, t) {
  t = Math.max(0, Math.min(1, t));
  return [0, 1, 2].map(i => Math.round(a[i] + (b[i] - a[i]) * t));
}

// The colour of v on [lo, hi]: `negative`–white–`positive` around 0 when the range has
// negative values, else white to `positive`. `null` (a place in the padding) is gray.
function colourScale([lo, hi], [negative, positive] = [BLUE, RED]) {
  if (lo < 0) {
    const m = Math.max(-lo, hi) || 1;
    return v => v === null ? GRAY : v >= 0 ? mix(WHITE, positive, v / m) : mix(WHITE, negative, -v / m);
  }
  const m = hi || 1;
  return v => v === null ? GRAY : mix(WHITE, positive, v / m);
}

// An element showing the scale of [lo, hi]: a colour bar and its ends.
function legend([lo, hi]) {
  const box = document.createElement("div"); box.className = "legend";
  const bar = document.createElement("canvas"); bar.width = 120; bar.height = 10;
  const g = bar.getContext("2d"), colour = colourScale([lo, hi]);
  const from = lo < 0 ? -Math.max(-lo, hi) : 0, to = lo < 0 ? -from : hi;
  for (let i = 0; i < 120; i++) {
    const c = colour(from + (to - from) * (i + 0.5) / 120);
    g.fillStyle = `rgb(${c})`; g.fillRect(i, 0, 1, 10);
  }
  const fmt = v => String(+v.toPrecision(3));
  box.append(fmt(from), bar, fmt(to));
  return box;
}

// Fills `canvas` (width × height pixels) with `values` (row by row) in `colour`.
function paint(canvas, values, colour) {
  const g = canvas.getContext("2d"), img = g.createImageData(canvas.width, canvas.height);
  values.forEach((v, i) => img.data.set([...colour(v), 255], 4 * i));
  g.putImageData(img, 0, 0);
}

// A small picture of `values` (height × width) shown `size` CSS pixels tall, in a box that
// can carry marks (a window, a pixel) on top.
function picture(values, height, width, colour, size) {
  const box = document.createElement("div"); box.className = "map";
  const c = document.createElement("canvas"); c.width = width; c.height = height;
  c.style.width = `${size * width / height}px`; c.style.height = `${size}px`;
  paint(c, values, colour);
  box.append(c);
  return box;
}

// Marks rows [top, top + h) and columns [left, left + w) of a `side`-pixel picture in `box`.
function mark(box, top, left, h, w, rows, cols, kind) {
  const c = box.querySelector("canvas"), sy = c.offsetHeight / rows, sx = c.offsetWidth / cols;
  const m = document.createElement("div"); m.className = "mark " + kind;
  Object.assign(m.style, { top: `${top * sy}px`, left: `${left * sx}px`, height: `${h * sy}px`, width: `${w * sx}px` });
  box.append(m);
}

// `maps`: C pictures of H×W on one scale; a click on one calls onPick(channel, y, x).
function drawMaps(body, p, onPick) {
  const [C, H, W] = p.shape, colour = colourScale(p.range);
  const size = H >= 28 ? 56 : H >= 14 ? 56 : H >= 7 ? 49 : H * Math.floor(48 / H);
  const grid = document.createElement("div"); grid.className = "maps";
  for (let c = 0; c < C; c++) {
    const box = picture(p.values.slice(c * H * W, (c + 1) * H * W), H, W, colour, size);
    box.dataset.channel = c; box.title = `map ${c}`;
    if (p.explain) {
      box.classList.add("pick");
      box.addEventListener("click", e => {
        const r = box.querySelector("canvas").getBoundingClientRect();
        const y = Math.min(H - 1, Math.floor((e.clientY - r.top) / r.height * H));
        const x = Math.min(W - 1, Math.floor((e.clientX - r.left) / r.width * W));
        onPick(c, y, x);
      });
    }
    grid.append(box);
  }
  body.append(grid);
}

// `strip`: one bar per value, up for positive, down for negative.
function drawStrip(body, p) {
  const n = p.values.length, w = Math.max(3, Math.min(8, Math.floor(900 / n)));
  const c = document.createElement("canvas"); c.width = n * w; c.height = 70; c.className = "strip";
  const g = c.getContext("2d"), colour = colourScale(p.range);
  const m = Math.max(Math.abs(p.range[0]), Math.abs(p.range[1])) || 1;
  const zero = p.range[0] < 0 ? 35 : 68, span = p.range[0] < 0 ? 33 : 66;
  g.fillStyle = "#9aa0a6"; g.fillRect(0, zero, c.width, 1);
  p.values.forEach((v, i) => {
    g.fillStyle = `rgb(${colour(v)})`;
    const h = v / m * span;
    g.fillRect(i * w, Math.min(zero, zero - h), w - 1, Math.abs(h));
  });
  body.append(c);
}

// `classes`: a labelled bar per class (logits or probabilities), the largest highlighted;
// the labels are the classes' names the answer gives.
function drawClasses(body, p, onPick, answer) {
  const c = document.createElement("canvas"); c.width = 440; c.height = 172; c.className = "classes";
  const g = c.getContext("2d"), n = p.values.length, w = (c.width - 20) / n;
  const lo = Math.min(0, p.range[0]), hi = Math.max(0, p.range[1]), span = hi - lo || 1;
  const Y = v => 20 + (hi - v) / span * 110;
  const best = p.values.indexOf(Math.max(...p.values));
  g.font = "12px system-ui, sans-serif"; g.textAlign = "center";
  g.fillStyle = "#9aa0a6"; g.fillRect(10, Y(0), c.width - 20, 1);
  p.values.forEach((v, d) => {
    g.fillStyle = d === best ? "#2f6fdb" : "#aab4c8";
    g.fillRect(10 + d * w + 4, Math.min(Y(0), Y(v)), w - 8, Math.abs(Y(v) - Y(0)));
    g.fillStyle = "#1d2330"; g.fillText(answer?.classes?.[d] ?? String(d), 10 + d * w + w / 2, 166);
    g.fillStyle = "#5b6475"; g.fillText((+v).toFixed(2), 10 + d * w + w / 2, v >= 0 ? Y(v) - 3 : Y(v) + 12);
  });
  body.append(c);
}

// How each kind of panel is drawn: PANELS[kind](body, panel, onPick, answer), where
// onPick(channel, y, x) asks what made a pixel. A new kind of model (a transformer's
// attention maps) adds its kind here.
const PANELS = { maps: drawMaps, strip: drawStrip, classes: drawClasses };

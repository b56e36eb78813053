//! The lessons' pictures: line charts, scatter plots over decision regions, and confusion
//! matrices, drawn with `plotters` into a bitmap and written as PNG.
//!
//! Each function renders into memory and then writes the file through [`write_png`], which
//! hands it to the workspace's atomic writer, [`atomic_file::write`]: an interrupted run
//! never leaves half a PNG.
//! Text is not plotters' own: the `text` module (`plot/text.rs`) lays every string out
//! glyph by glyph so letters are evenly spaced, and its `Canvas` is the backend every chart
//! draws on.
//! `tests/plot_snapshots.rs` draws every kind of picture and compares it with a checked-in
//! reference image.

mod text;

use std::io::Write;
use std::ops::Range;
use std::path::{Path, PathBuf};

use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint};
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use plotters::style::{FontStyle, register_font};

use text::Canvas;

/// A picture could not be drawn or written.
#[derive(Debug)]
pub enum PlotError {
    /// plotters could not draw the chart.
    Draw {
        /// The file the chart was for.
        path: PathBuf,
        /// plotters' error.
        source: Box<dyn std::error::Error>,
    },
    /// The drawn pixels could not be encoded as PNG.
    Encode {
        /// The file the picture was for.
        path: PathBuf,
        /// The PNG encoder's error.
        source: image::ImageError,
    },
    /// The PNG could not be written.
    Write(atomic_file::WriteError),
}

impl std::fmt::Display for PlotError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PlotError::Draw { path, source } => {
                write!(f, "{}: cannot draw the chart: {source}", path.display())
            }
            PlotError::Encode { path, source } => {
                write!(f, "{}: cannot encode PNG: {source}", path.display())
            }
            PlotError::Write(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for PlotError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            PlotError::Draw { source, .. } => Some(source.as_ref()),
            PlotError::Encode { source, .. } => Some(source),
            PlotError::Write(e) => Some(e),
        }
    }
}

/// Makes DejaVu Sans (embedded by the `dejavu` crate) plotters' chart font: [`Canvas`]
/// draws and measures the text, but plotters still measures the legend's lines itself, with
/// this font. Registering twice is harmless.
fn ensure_font() {
    let _ = register_font("sans-serif", FontStyle::Normal, dejavu::sans::regular());
}

/// The size of tick labels, legends and the confusion matrix's counts, in pixels.
const LABEL_PX: u32 = 16;

/// DejaVu Sans at `px` pixels (the line from descent to ascent is `px` tall).
///
/// Any size works: [`Canvas`] puts a string's glyphs on one whole-pixel baseline. (plotters'
/// own text rounded each glyph's top row separately, so odd sizes lifted the point of
/// "0.1" a pixel off the baseline; the charts kept to even sizes then, and still use them.)
fn font(px: u32) -> FontDesc<'static> {
    ("sans-serif", px).into_font()
}

/// Writes an RGB buffer of `width × height` pixels as a PNG at `path`, atomically.
/// Panics if `rgb` does not hold `width × height × 3` bytes.
pub fn write_png(path: &Path, width: u32, height: u32, rgb: Vec<u8>) -> Result<PathBuf, PlotError> {
    let image = image::RgbImage::from_raw(width, height, rgb)
        .expect("write_png: the buffer must hold width × height × 3 bytes");
    let mut png = std::io::Cursor::new(Vec::new());
    image
        .write_to(&mut png, image::ImageFormat::Png)
        .map_err(|source| PlotError::Encode {
            path: path.to_path_buf(),
            source,
        })?;
    atomic_file::write(path, |file| file.write_all(png.get_ref())).map_err(PlotError::Write)?;
    Ok(path.to_path_buf())
}

/// Renders with `draw` onto a white `width × height` canvas and writes it to `path`.
fn render(
    path: &Path,
    (width, height): (u32, u32),
    draw: impl FnOnce(
        &DrawingArea<Canvas<'_>, plotters::coord::Shift>,
    ) -> Result<(), Box<dyn std::error::Error>>,
) -> Result<PathBuf, PlotError> {
    ensure_font();
    let mut rgb = vec![255u8; (width * height * 3) as usize];
    {
        let bitmap = BitMapBackend::with_buffer(&mut rgb, (width, height));
        let root = Canvas::new(bitmap).into_drawing_area();
        let drawn = root
            .fill(&WHITE)
            .map_err(|e| e.into())
            .and_then(|_| draw(&root))
            .and_then(|_| root.present().map_err(|e| e.into()));
        drawn.map_err(|source| PlotError::Draw {
            path: path.to_path_buf(),
            source,
        })?;
    }
    write_png(path, width, height, rgb)
}

/// How a [`Series`] is drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    /// Points joined by a line.
    Line,
    /// Unjoined dots.
    Dots,
}

/// One labelled curve of a [`line_chart`].
#[derive(Clone, Debug)]
pub struct Series {
    /// The legend text.
    pub label: String,
    /// `(x, y)` points in order.
    pub points: Vec<(f64, f64)>,
    /// Line or dots.
    pub style: Style,
    /// Plot against the right-hand y-axis instead of the left.
    pub right_axis: bool,
}

impl Series {
    /// A line on the left axis.
    pub fn line(label: &str, points: Vec<(f64, f64)>) -> Series {
        Series {
            label: label.to_string(),
            points,
            style: Style::Line,
            right_axis: false,
        }
    }

    /// Dots on the left axis.
    pub fn dots(label: &str, points: Vec<(f64, f64)>) -> Series {
        Series {
            style: Style::Dots,
            ..Series::line(label, points)
        }
    }

    /// The same series, drawn against the right-hand axis.
    pub fn on_right_axis(self) -> Series {
        Series {
            right_axis: true,
            ..self
        }
    }
}

/// Axis labels and the title of a chart.
#[derive(Clone, Debug, Default)]
pub struct Labels {
    /// The caption above the chart.
    pub title: String,
    /// The x-axis label.
    pub x: String,
    /// The left y-axis label.
    pub y: String,
    /// The right y-axis label (only used when a series is on the right axis).
    pub y_right: String,
}

/// `(min, max)` of some numbers, widened a little so lines do not sit on the frame.
fn padded_range(values: impl Iterator<Item = f64>) -> Range<f64> {
    let (lo, hi) = values
        .filter(|v| v.is_finite())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
            (lo.min(v), hi.max(v))
        });
    if !lo.is_finite() {
        return 0.0..1.0;
    }
    let pad = ((hi - lo) * 0.05).max(1e-6);
    (lo - pad)..(hi + pad)
}

/// A tick label on an axis `span` long, without trailing zeros: `50`, `0.25`, `2.5e-4`.
///
/// Plotters finds ticks by adding steps, so the tick meant to be 0 can arrive as `-2e-16`;
/// anything within a millionth of the span of 0 is 0 (never `-0`).
fn tick(v: f64, span: f64) -> String {
    let trim = |text: &str| {
        let text = text.trim_end_matches('0').trim_end_matches('.');
        text.to_string()
    };
    if v.abs() <= span.abs() * 1e-6 {
        return "0".to_string();
    }
    if v.abs() < 1e-3 {
        let text = format!("{v:.2e}");
        let (mantissa, exponent) = text.split_once('e').expect("{:e} writes an exponent");
        return format!("{}e{exponent}", trim(mantissa));
    }
    trim(&format!("{v:.4}"))
}

/// Where an x-axis ticks, at most `max` times: where plotters would put ticks, unless the
/// axis is `whole` (every x is a whole number, as epochs are). Then the ticks are whole
/// too, one step of 1, 2, 5, 10, 20, 50, … apart, so a 2-epoch run ticks at 1 and 2 only.
fn x_ticks(range: Range<f64>, whole: bool, max: usize) -> Vec<f64> {
    if !whole {
        return RangedCoordf64::from(range).key_points(max);
    }
    let (first, last) = (range.start.ceil(), range.end.floor());
    let mut step = 1.0;
    for factor in [2.0, 2.5, 2.0].into_iter().cycle() {
        if ((last - first) / step).floor() + 1.0 <= max.max(1) as f64 {
            break;
        }
        step *= factor;
    }
    let start = (first / step).ceil() * step;
    (0..)
        .map(|i| start + i as f64 * step)
        .take_while(|&t| t <= last)
        .collect()
}

/// A line chart's x-axis: a plain `f64` axis that ticks where [`x_ticks`] says, both the
/// labelled ticks and the light grid lines between them.
struct XAxis {
    range: Range<f64>,
    whole: bool,
}

impl Ranged for XAxis {
    // Labels come from `tick`; the default (Debug) formatting is never shown.
    type FormatOption = DefaultFormatting;
    type ValueType = f64;

    fn map(&self, x: &f64, pixels: (i32, i32)) -> i32 {
        RangedCoordf64::from(self.range.clone()).map(x, pixels)
    }

    fn key_points<Hint: KeyPointHint>(&self, hint: Hint) -> Vec<f64> {
        x_ticks(self.range.clone(), self.whole, hint.max_num_points())
    }

    fn range(&self) -> Range<f64> {
        self.range.clone()
    }
}

/// The palette of series colours, in order.
const COLOURS: [RGBColor; 6] = [
    RGBColor(31, 119, 180),
    RGBColor(255, 127, 14),
    RGBColor(44, 160, 44),
    RGBColor(214, 39, 40),
    RGBColor(148, 103, 189),
    RGBColor(140, 86, 75),
];

/// Draws every series on one chart with a legend; series marked `right_axis` use a second
/// y-axis (e.g. loss on the left and accuracy on the right).
pub fn line_chart(path: &Path, labels: &Labels, series: &[Series]) -> Result<PathBuf, PlotError> {
    let all = || series.iter().flat_map(|s| s.points.iter());
    let x_range = padded_range(all().map(|p| p.0));
    let left = padded_range(
        series
            .iter()
            .filter(|s| !s.right_axis)
            .flat_map(|s| s.points.iter().map(|p| p.1)),
    );
    let right = padded_range(
        series
            .iter()
            .filter(|s| s.right_axis)
            .flat_map(|s| s.points.iter().map(|p| p.1)),
    );
    let has_right = series.iter().any(|s| s.right_axis);
    let span = |r: &Range<f64>| r.end - r.start;
    let (x_span, left_span, right_span) = (span(&x_range), span(&left), span(&right));
    let x_axis = XAxis {
        range: x_range.clone(),
        whole: all().all(|p| p.0.fract() == 0.0),
    };
    render(path, (900, 560), |root| {
        let mut chart = ChartBuilder::on(root)
            .caption(&labels.title, font(24))
            .margin(12)
            .x_label_area_size(45)
            .y_label_area_size(65)
            .right_y_label_area_size(if has_right { 65 } else { 0 })
            .build_cartesian_2d(x_axis, left)?
            .set_secondary_coord(x_range, right);
        chart
            .configure_mesh()
            .x_desc(&labels.x)
            .y_desc(&labels.y)
            .x_label_formatter(&|v| tick(*v, x_span))
            .y_label_formatter(&|v| tick(*v, left_span))
            .label_style(font(LABEL_PX))
            .draw()?;
        if has_right {
            chart
                .configure_secondary_axes()
                .y_desc(&labels.y_right)
                .y_label_formatter(&|v| tick(*v, right_span))
                .label_style(font(LABEL_PX))
                .draw()?;
        }
        for (i, s) in series.iter().enumerate() {
            let colour = COLOURS[i % COLOURS.len()];
            let points = s.points.iter().copied();
            let legend = move |(x, y): (i32, i32)| {
                PathElement::new(vec![(x, y), (x + 20, y)], colour.stroke_width(3))
            };
            match (s.style, s.right_axis) {
                (Style::Line, false) => {
                    chart.draw_series(LineSeries::new(points, colour.stroke_width(2)))?
                }
                (Style::Dots, false) => {
                    chart.draw_series(points.map(|p| Circle::new(p, 2, colour.filled())))?
                }
                (Style::Line, true) => {
                    chart.draw_secondary_series(LineSeries::new(points, colour.stroke_width(2)))?
                }
                (Style::Dots, true) => chart
                    .draw_secondary_series(points.map(|p| Circle::new(p, 2, colour.filled())))?,
            }
            .label(&s.label)
            .legend(legend);
        }
        chart
            .configure_series_labels()
            .label_font(font(LABEL_PX))
            .background_style(WHITE.mix(0.85))
            .border_style(BLACK)
            .position(SeriesLabelPosition::MiddleRight)
            .draw()?;
        Ok(())
    })
}

/// A two-class decision map: the square `[lo, hi]²` coloured by the model's probability of
/// class 1 (`p(x, y)`, blue for 0 to red for 1), with labelled points drawn over it.
pub fn decision_regions(
    path: &Path,
    title: &str,
    (lo, hi): (f64, f64),
    p: impl Fn(f64, f64) -> f64,
    points: &[(f64, f64, usize)],
) -> Result<PathBuf, PlotError> {
    const CELLS: usize = 100;
    render(path, (620, 600), |root| {
        let mut chart = ChartBuilder::on(root)
            .caption(title, font(22))
            .margin(12)
            .x_label_area_size(45)
            .y_label_area_size(55)
            .build_cartesian_2d(lo..hi, lo..hi)?;
        chart
            .configure_mesh()
            .disable_mesh()
            .x_desc("x₁")
            .y_desc("x₂")
            .x_label_formatter(&|v| tick(*v, hi - lo))
            .y_label_formatter(&|v| tick(*v, hi - lo))
            .label_style(font(LABEL_PX))
            .draw()?;
        let step = (hi - lo) / CELLS as f64;
        let cells = (0..CELLS).flat_map(|i| (0..CELLS).map(move |j| (i, j)));
        chart.draw_series(cells.map(|(i, j)| {
            let (x, y) = (lo + i as f64 * step, lo + j as f64 * step);
            let q = p(x + step / 2.0, y + step / 2.0).clamp(0.0, 1.0);
            let shade = RGBColor((120.0 + 135.0 * q) as u8, 150, (255.0 - 135.0 * q) as u8);
            Rectangle::new([(x, y), (x + step, y + step)], shade.filled())
        }))?;
        chart.draw_series(points.iter().map(|&(x, y, class)| {
            let colour = if class == 1 {
                RGBColor(180, 0, 0)
            } else {
                RGBColor(0, 0, 160)
            };
            Circle::new((x, y), 4, colour.filled())
        }))?;
        Ok(())
    })
}

/// A confusion matrix as a heatmap: row = true class, column = predicted class, each cell
/// shaded by its share of the row and printed with its count.
pub fn confusion_matrix(
    path: &Path,
    title: &str,
    counts: &[Vec<usize>],
    class_names: &[String],
) -> Result<PathBuf, PlotError> {
    use plotters::style::text_anchor::{HPos, Pos, VPos};
    let k = counts.len();
    let size = 160 + 56 * k as u32;
    // The class names stand left of the rows, so long ones ("versicolor") widen that
    // margin and the picture rather than run into the "true" beside them.
    let dejavu = text::dejavu();
    let widest = class_names
        .iter()
        .map(|n| text::advance(&dejavu, LABEL_PX as f32, n).ceil() as u32)
        .max()
        .unwrap_or(0);
    let names_area = 70.max(widest + 45);
    render(path, (size + names_area - 70, size + 30), |root| {
        // Segmented axes put each class name under the middle of its cell; plotters counts
        // an integer range's end as a key point, so `0..k − 1` gives k cells.
        let last = k.saturating_sub(1);
        let mut chart = ChartBuilder::on(root)
            .caption(title, font(22))
            .margin(12)
            .x_label_area_size(50)
            .y_label_area_size(names_area)
            .build_cartesian_2d((0..last).into_segmented(), (0..last).into_segmented())?;
        let name = |v: &SegmentValue<usize>, flip: bool| match v {
            SegmentValue::CenterOf(i) if *i < k => {
                class_names[if flip { k - 1 - i } else { *i }].clone()
            }
            _ => String::new(),
        };
        chart
            .configure_mesh()
            .disable_mesh()
            .x_labels(k)
            .y_labels(k)
            .x_label_formatter(&|v| name(v, false))
            .y_label_formatter(&|v| name(v, true))
            .x_desc("predicted")
            .y_desc("true")
            .label_style(font(LABEL_PX))
            .draw()?;
        let centre = Pos::new(HPos::Center, VPos::Center);
        for (t, row) in counts.iter().enumerate() {
            let total = row.iter().sum::<usize>().max(1) as f64;
            let y = k - 1 - t;
            for (p, &count) in row.iter().enumerate() {
                let share = count as f64 / total;
                let shade = RGBColor(
                    (255.0 - 200.0 * share) as u8,
                    (255.0 - 150.0 * share) as u8,
                    255,
                );
                let cell = [
                    (SegmentValue::Exact(p), SegmentValue::Exact(y)),
                    (SegmentValue::Exact(p + 1), SegmentValue::Exact(y + 1)),
                ];
                chart.draw_series(std::iter::once(Rectangle::new(cell, shade.filled())))?;
                let ink = if share > 0.5 { WHITE } else { BLACK };
                let style = TextStyle::from(font(LABEL_PX)).color(&ink).pos(centre);
                let at = (SegmentValue::CenterOf(p), SegmentValue::CenterOf(y));
                chart.draw_series(std::iter::once(Text::new(count.to_string(), at, style)))?;
            }
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_read_as_plain_numbers() {
        // Trailing zeros go; small numbers use an exponent.
        assert_eq!(tick(0.25, 1.0), "0.25");
        assert_eq!(tick(50.0, 100.0), "50");
        assert_eq!(tick(2.5e-4, 1e-3), "2.5e-4");
        // Rounding dust around 0 on an axis 2 long is 0: never "-2e-16", "-0" or "-0.0".
        assert_eq!(tick(-2.2e-16, 2.0), "0");
        assert_eq!(tick(-0.0, 2.0), "0");
    }

    #[test]
    fn whole_axes_tick_at_whole_numbers_only() {
        // A 2-epoch run, its range padded to [0.95, 2.05]: epochs 1 and 2, nothing between.
        assert_eq!(x_ticks(0.95..2.05, true, 10), vec![1.0, 2.0]);
        // Epochs 1..=50 with room for 10 ticks: steps 1 and 2 give too many, 5 gives 10.
        let fifty = x_ticks(0.5..50.5, true, 10);
        assert_eq!(fifty, (1..=10).map(|i| 5.0 * i as f64).collect::<Vec<_>>());
        // A fractional axis keeps plotters' ticks, fractions included.
        assert!(
            x_ticks(0.95..2.05, false, 10)
                .iter()
                .any(|t| t.fract() != 0.0)
        );
    }

    #[test]
    fn charts_are_written_as_png_files() {
        let dir = tempfile::tempdir().unwrap();
        let loss: Vec<(f64, f64)> = (0..50)
            .map(|i| (i as f64, 1.0 / (1.0 + i as f64)))
            .collect();
        let acc: Vec<(f64, f64)> = (0..50)
            .map(|i| (i as f64, 1.0 - 0.5 / (1.0 + i as f64)))
            .collect();
        let labels = Labels {
            title: "loss and accuracy".into(),
            x: "epoch".into(),
            y: "loss".into(),
            y_right: "accuracy".into(),
        };
        let series = [
            Series::line("loss", loss),
            Series::line("accuracy", acc).on_right_axis(),
        ];
        let path = line_chart(&dir.path().join("chart.png"), &labels, &series).unwrap();
        let png = image::open(&path).unwrap();
        assert_eq!((png.width(), png.height()), (900, 560));
        // Not blank: some pixels are far from white.
        assert!(png.to_rgb8().pixels().filter(|p| p.0[0] < 100).count() > 500);

        let counts = vec![vec![50, 2], vec![3, 45]];
        let names = vec!["7".to_string(), "1".to_string()];
        confusion_matrix(&dir.path().join("cm.png"), "confusion", &counts, &names).unwrap();
        decision_regions(
            &dir.path().join("dr.png"),
            "regions",
            (-0.5, 1.5),
            |x, y| (x - y).abs(),
            &[(0.0, 0.0, 0), (1.0, 0.0, 1)],
        )
        .unwrap();
        if let Ok(keep) = std::env::var("GRADSCHOOL_KEEP_PLOTS") {
            for f in ["chart.png", "cm.png", "dr.png"] {
                std::fs::copy(dir.path().join(f), Path::new(&keep).join(f)).unwrap();
            }
        }
    }
}

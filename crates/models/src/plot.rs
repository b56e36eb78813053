//! The lessons' pictures: line charts, scatter plots over decision regions, and confusion
//! matrices, drawn with `plotters` into a bitmap and written as PNG.
//!
//! Each function renders into memory and then writes the file through [`write_png`], which
//! renames a finished temporary file into place: an interrupted run never leaves half a PNG.

use std::path::{Path, PathBuf};

use plotters::prelude::*;
use plotters::style::{FontStyle, register_font};

/// A picture could not be drawn or written.
#[derive(Debug)]
pub struct PlotError {
    /// The file being written.
    pub path: PathBuf,
    /// What went wrong.
    pub message: String,
}

impl std::fmt::Display for PlotError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path.display(), self.message)
    }
}

impl std::error::Error for PlotError {}

/// Makes DejaVu Sans (embedded by the `dejavu` crate) the chart font. Registering twice is
/// harmless.
fn ensure_font() {
    let _ = register_font("sans-serif", FontStyle::Normal, dejavu::sans::regular());
}

/// Writes an RGB buffer of `width × height` pixels as a PNG at `path`, atomically.
pub fn write_png(path: &Path, width: u32, height: u32, rgb: Vec<u8>) -> Result<PathBuf, PlotError> {
    let fail = |message: String| PlotError {
        path: path.to_path_buf(),
        message,
    };
    let image = image::RgbImage::from_raw(width, height, rgb)
        .ok_or_else(|| fail("buffer size mismatch".into()))?;
    data::fsutil::write_atomic(path, |w| {
        image
            .write_to(w, image::ImageFormat::Png)
            .map_err(std::io::Error::other)
    })
    .map_err(|e| fail(e.to_string()))?;
    Ok(path.to_path_buf())
}

/// Renders with `draw` onto a white `width × height` canvas and writes it to `path`.
fn render(
    path: &Path,
    (width, height): (u32, u32),
    draw: impl FnOnce(
        &DrawingArea<BitMapBackend<'_>, plotters::coord::Shift>,
    ) -> Result<(), Box<dyn std::error::Error>>,
) -> Result<PathBuf, PlotError> {
    ensure_font();
    let mut rgb = vec![255u8; (width * height * 3) as usize];
    {
        let root = BitMapBackend::with_buffer(&mut rgb, (width, height)).into_drawing_area();
        let drawn = root
            .fill(&WHITE)
            .map_err(|e| e.into())
            .and_then(|_| draw(&root))
            .and_then(|_| root.present().map_err(|e| e.into()));
        drawn.map_err(|e| PlotError {
            path: path.to_path_buf(),
            message: e.to_string(),
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
fn padded_range(values: impl Iterator<Item = f64>) -> std::ops::Range<f64> {
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

/// A tick label without trailing zeros: `50`, `0.25`, `1e-4`.
fn tick(v: f64) -> String {
    if v != 0.0 && v.abs() < 1e-3 {
        return format!("{v:.0e}");
    }
    let text = format!("{v:.4}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    if text == "-0" {
        "0".to_string()
    } else {
        text.to_string()
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
    render(path, (900, 560), |root| {
        let mut chart = ChartBuilder::on(root)
            .caption(&labels.title, ("sans-serif", 24))
            .margin(12)
            .x_label_area_size(45)
            .y_label_area_size(65)
            .right_y_label_area_size(if has_right { 65 } else { 0 })
            .build_cartesian_2d(x_range.clone(), left)?
            .set_secondary_coord(x_range, right);
        chart
            .configure_mesh()
            .x_desc(&labels.x)
            .y_desc(&labels.y)
            .x_label_formatter(&|v| tick(*v))
            .y_label_formatter(&|v| tick(*v))
            .label_style(("sans-serif", 15))
            .draw()?;
        if has_right {
            chart
                .configure_secondary_axes()
                .y_desc(&labels.y_right)
                .label_style(("sans-serif", 15))
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
            .label_font(("sans-serif", 15))
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
            .caption(title, ("sans-serif", 22))
            .margin(12)
            .x_label_area_size(40)
            .y_label_area_size(50)
            .build_cartesian_2d(lo..hi, lo..hi)?;
        chart
            .configure_mesh()
            .disable_mesh()
            .x_desc("x₁")
            .y_desc("x₂")
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
    render(path, (size, size + 30), |root| {
        // Segmented axes put each class name under the middle of its cell; plotters counts
        // an integer range's end as a key point, so `0..k − 1` gives k cells.
        let last = k.saturating_sub(1);
        let mut chart = ChartBuilder::on(root)
            .caption(title, ("sans-serif", 22))
            .margin(12)
            .x_label_area_size(50)
            .y_label_area_size(70)
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
            .label_style(("sans-serif", 15))
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
                let style = TextStyle::from(("sans-serif", 15).into_font())
                    .color(&ink)
                    .pos(centre);
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

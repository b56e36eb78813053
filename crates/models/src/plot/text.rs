//! The charts' text, placed glyph by glyph so that letters are evenly spaced.
//!
//! plotters 0.3 draws text with ab_glyph (its `src/style/font/ab_glyph.rs`) but loses two
//! things on the way: it puts each glyph's inked box where the pen stands, dropping the
//! glyph's left side bearing (the room the font leaves before the ink, a pixel or more
//! before an `i` or an `r` at 16 px), and it cuts the pen position to a whole pixel. Each
//! letter then lands up to two pixels left of where the font puts it, by an amount that
//! changes from letter to letter: lesson 4's confusion matrix read "vir ginica".
//!
//! So every piece of text a chart draws (title, axis labels, tick labels, legend, the
//! confusion matrix's names and counts, the turned y-axis labels) goes through [`Canvas`]:
//! a drawing backend that hands shapes to plotters' bitmap unchanged and draws text itself.
//! 1. [`layout`] walks the pen along the baseline in `f32`: character `i` starts at
//!    `xᵢ = x₀ + Σ_{j<i} advance(cⱼ) + Σ_{0<j≤i} kern(cⱼ₋₁, cⱼ)`, the font's advances and
//!    kerning, never rounded.
//! 2. [`Mask::of`] has ab_glyph rasterise each glyph at its own fractional position, so its
//!    bearing and its fraction of a pixel survive as anti-aliased coverage in `[0, 1]`;
//!    where two glyphs share a pixel their coverages add (at most 1).
//! 3. [`Canvas`] blends the mask into the bitmap once: each pixel gets the text colour at
//!    opacity = coverage, after turning the mask by a quarter turn for vertical labels.
//!
//! Vertically the text keeps plotters' box: `px / 1.24` pixels tall (plotters' guess at a
//! font's em), the baseline `px / 2` below its top. plotters sizes the legend with that
//! box itself, so keeping it keeps the legend fitting its text and the charts' layout as
//! it was; the baseline is now one whole row for the whole string, so no glyph can leave
//! it, whatever the size.

use ab_glyph::{Font, FontRef, Glyph, ScaleFont, point};
use plotters::prelude::{BitMapBackend, DrawingBackend};
use plotters_backend::text_anchor::{HPos, VPos};
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingErrorKind,
};

/// DejaVu Sans, embedded by the `dejavu` crate: the one font of every chart.
pub fn dejavu() -> FontRef<'static> {
    FontRef::try_from_slice(dejavu::sans::regular())
        .expect("the dejavu crate embeds a valid TrueType font")
}

/// The glyphs of `text` at `px` pixels (ab_glyph's scale: ascent − descent = `px`), the
/// pen starting at `x0` on the row `baseline`, and where the pen ends.
///
/// The pen moves by each glyph's advance and by the kerning between neighbours, in `f32`
/// (see the module doc); a glyph's bearing is not added here, it is part of its outline.
pub fn layout(
    font: &FontRef<'static>,
    px: f32,
    text: &str,
    x0: f32,
    baseline: f32,
) -> (Vec<Glyph>, f32) {
    let font = font.as_scaled(px);
    let mut pen = x0;
    let mut previous = None;
    let mut glyphs = Vec::with_capacity(text.len());
    for c in text.chars() {
        let id = font.glyph_id(c);
        if let Some(previous) = previous {
            pen += font.kern(previous, id);
        }
        glyphs.push(id.with_scale_and_position(px, point(pen, baseline)));
        pen += font.h_advance(id);
        previous = Some(id);
    }
    (glyphs, pen)
}

/// How far the pen moves over `text` at `px` pixels: the width plotters lays it out in.
pub fn advance(font: &FontRef<'static>, px: f32, text: &str) -> f32 {
    layout(font, px, text, 0.0, 0.0).1
}

/// The height of a line of text at `px` pixels, as plotters measures it (`px / 1.24`, cut
/// to whole pixels); the baseline lies `px / 2` below its top (see the module doc).
pub fn box_height(px: f32) -> i32 {
    (px / 1.24) as i32
}

/// Anti-aliased ink: the coverage in `[0, 1]` of each pixel of a block `width` pixels wide
/// (row-major) whose top-left pixel is `(left, top)`.
pub struct Mask {
    left: i32,
    top: i32,
    width: usize,
    coverage: Vec<f32>,
}

impl Mask {
    /// Rasterises `glyphs` (each at its own position), adding coverages where glyphs share
    /// a pixel and clamping the sum to 1.
    pub fn of(font: &FontRef<'static>, glyphs: Vec<Glyph>) -> Mask {
        let outlines: Vec<_> = glyphs
            .into_iter()
            .filter_map(|g| font.outline_glyph(g))
            .collect();
        // The union of the glyphs' pixel boxes; ab_glyph rounds each outward.
        let bounds = outlines.iter().map(|o| o.px_bounds());
        let (mut x0, mut y0, mut x1, mut y1) = (i32::MAX, i32::MAX, i32::MIN, i32::MIN);
        for b in bounds {
            x0 = x0.min(b.min.x as i32);
            y0 = y0.min(b.min.y as i32);
            x1 = x1.max(b.max.x as i32);
            y1 = y1.max(b.max.y as i32);
        }
        if outlines.is_empty() {
            (x0, y0, x1, y1) = (0, 0, 0, 0);
        }
        let (width, height) = ((x1 - x0) as usize, (y1 - y0) as usize);
        let mut coverage = vec![0.0f32; width * height];
        for outline in &outlines {
            let b = outline.px_bounds();
            let (dx, dy) = (
                (b.min.x as i32 - x0) as usize,
                (b.min.y as i32 - y0) as usize,
            );
            outline.draw(|x, y, c| {
                let i = (dy + y as usize) * width + dx + x as usize;
                coverage[i] = (coverage[i] + c).min(1.0);
            });
        }
        Mask {
            left: x0,
            top: y0,
            width,
            coverage,
        }
    }

    /// Every inked pixel as `(x, y, coverage)`, coverage > 0.
    pub fn pixels(&self) -> impl Iterator<Item = (i32, i32, f32)> + '_ {
        self.coverage
            .iter()
            .enumerate()
            .filter(|(_, c)| **c > 0.0)
            .map(|(i, &c)| {
                let (x, y) = ((i % self.width) as i32, (i / self.width) as i32);
                (self.left + x, self.top + y, c)
            })
    }
}

/// plotters' bitmap with this module's text: shapes go to the bitmap unchanged, text is
/// laid out by [`layout`], rasterised by [`Mask::of`] and blended in once.
pub struct Canvas<'a> {
    bitmap: BitMapBackend<'a>,
    font: FontRef<'static>,
}

impl<'a> Canvas<'a> {
    /// Draws into `bitmap`, text in DejaVu Sans.
    pub fn new(bitmap: BitMapBackend<'a>) -> Canvas<'a> {
        Canvas {
            bitmap,
            font: dejavu(),
        }
    }
}

impl<'a> DrawingBackend for Canvas<'a> {
    type ErrorType = <BitMapBackend<'a> as DrawingBackend>::ErrorType;

    /// Lays `text` out with [`layout`] in the text's own frame (x along the baseline, y
    /// down, the origin at the anchor), turns that frame as `style` says (a quarter turn
    /// for vertical axis labels, the same pixel mapping plotters uses) and blends the ink.
    fn draw_text<S: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &S,
        pos: BackendCoord,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        let colour = style.color();
        if colour.alpha == 0.0 {
            return Ok(());
        }
        let px = style.size() as f32;
        let (width, height) = (advance(&self.font, px, text), box_height(px));
        let x0 = match style.anchor().h_pos {
            HPos::Left => 0.0,
            HPos::Center => -width / 2.0,
            HPos::Right => -width,
        };
        let top = match style.anchor().v_pos {
            VPos::Top => 0,
            VPos::Center => -height / 2,
            VPos::Bottom => -height,
        };
        let baseline = top as f32 + (px / 2.0).round();
        let (glyphs, _) = layout(&self.font, px, text, x0, baseline);
        let turn = style.transform();
        for (x, y, c) in Mask::of(&self.font, glyphs).pixels() {
            let (dx, dy) = turn.transform(x, y);
            let ink = BackendColor {
                alpha: colour.alpha * c as f64,
                rgb: colour.rgb,
            };
            self.bitmap.draw_pixel((pos.0 + dx, pos.1 + dy), ink)?;
        }
        Ok(())
    }

    /// The box [`draw_text`](Canvas::draw_text) lays `text` out in, unturned.
    fn estimate_text_size<S: BackendTextStyle>(
        &self,
        text: &str,
        style: &S,
    ) -> Result<(u32, u32), DrawingErrorKind<Self::ErrorType>> {
        let px = style.size() as f32;
        let width = advance(&self.font, px, text).ceil() as u32;
        Ok((width, box_height(px) as u32))
    }

    // Everything else is the bitmap's.

    fn get_size(&self) -> (u32, u32) {
        self.bitmap.get_size()
    }

    fn ensure_prepared(&mut self) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.bitmap.ensure_prepared()
    }

    fn present(&mut self) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.bitmap.present()
    }

    fn draw_pixel(
        &mut self,
        point: BackendCoord,
        colour: BackendColor,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.bitmap.draw_pixel(point, colour)
    }

    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.bitmap.draw_line(from, to, style)
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.bitmap.draw_rect(upper_left, bottom_right, style, fill)
    }

    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.bitmap.draw_path(path, style)
    }

    fn draw_circle<S: BackendStyle>(
        &mut self,
        centre: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.bitmap.draw_circle(centre, radius, style, fill)
    }

    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vertices: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.bitmap.fill_polygon(vertices, style)
    }

    fn blit_bitmap(
        &mut self,
        pos: BackendCoord,
        size: (u32, u32),
        src: &[u8],
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.bitmap.blit_bitmap(pos, size, src)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use plotters::prelude::{BLACK, IntoDrawingArea, TextStyle};
    use plotters::style::text_anchor::Pos;
    use plotters_backend::FontTransform;

    /// The test canvas's side, and where the text's anchor (its box's top-left) sits.
    const SIDE: u32 = 240;
    const ANCHOR: (i32, i32) = (120, 120);

    /// `text` at `px` pixels, black on white, drawn through plotters onto a [`Canvas`] the
    /// way the charts draw it, turned by `turn`: the RGB bytes.
    fn drawn(text: &str, px: u32, turn: FontTransform) -> Vec<u8> {
        // The Canvas needs no registered font, plotters' own text does: with it registered,
        // putting `bitmap` where `Canvas::new(bitmap)` is shows the spacing test fail on the
        // old path.
        super::super::ensure_font();
        let mut rgb = vec![255u8; (SIDE * SIDE * 3) as usize];
        {
            let bitmap = BitMapBackend::with_buffer(&mut rgb, (SIDE, SIDE));
            let area = Canvas::new(bitmap).into_drawing_area();
            let style = TextStyle::from(super::super::font(px).transform(turn))
                .color(&BLACK)
                .pos(Pos::new(HPos::Left, VPos::Top));
            area.draw_text(text, &style, ANCHOR).unwrap();
            area.present().unwrap();
        }
        rgb
    }

    /// Where the font starts the ink of each character of `text` at `px` pixels, the pen
    /// starting at 0: the pen (the advances and kerning before it, summed) plus the glyph's
    /// left bearing, read off its outline's bounds in font units.
    fn ink_starts(text: &str, px: f32) -> Vec<f32> {
        let font = dejavu();
        let scaled = font.as_scaled(px);
        let (mut pen, mut previous, mut starts) = (0.0, None, Vec::new());
        for c in text.chars() {
            let id = scaled.glyph_id(c);
            if let Some(previous) = previous {
                pen += scaled.kern(previous, id);
            }
            let outline = font.outline(id).expect("a letter has an outline");
            starts.push(pen + outline.bounds.min.x * scaled.h_scale_factor());
            pen += scaled.h_advance(id);
            previous = Some(id);
        }
        starts
    }

    #[test]
    fn letters_start_where_the_font_puts_them() {
        // Draw "v", "vi", "vir", …: the columns that change when a letter is added are its
        // ink, and the first of them is where its ink starts. A pixel column [n, n + 1)
        // shows ink starting at e when n = ⌊e⌋, or n = ⌊e⌋ + 1 if the sliver in ⌊e⌋ is too
        // faint to change a byte, so |n − e| ≤ 1. Dropping a bearing (over a pixel before
        // "i" and "r" at these sizes) or the pen's fraction breaks that: "vir ginica".
        // DejaVu Sans kerns "Tw" by −2.3 px at 16 px, so leaving kerning out breaks it too.
        for (text, px) in [
            ("virginica", 16),
            ("virginica", 22),
            ("Two", 16),
            ("Two", 22),
        ] {
            let starts = ink_starts(text, px as f32);
            let mut before = drawn("", px, FontTransform::None);
            for ((i, c), start) in text.char_indices().zip(starts) {
                let after = drawn(&text[..i + c.len_utf8()], px, FontTransform::None);
                let changed = |x: u32| {
                    (0..SIDE).any(|y| {
                        let at = ((y * SIDE + x) * 3) as usize;
                        before[at..at + 3] != after[at..at + 3]
                    })
                };
                let first = (0..SIDE)
                    .find(|&x| changed(x))
                    .expect("a letter leaves ink");
                let column = first as i32 - ANCHOR.0;
                assert!(
                    (column as f32 - start).abs() <= 1.0,
                    "{px} px: letter {i} of {text:?} ({c:?}) starts its ink in column \
                     {column}, the font starts it at {start:.2}"
                );
                before = after;
            }
        }
    }

    #[test]
    fn turned_text_is_the_same_ink_turned() {
        // Pixel (x, y) of the text's own frame lands at anchor + turn(x, y), the same
        // layout turned: (−y, x) a quarter turn clockwise, (y, −x) anticlockwise.
        let inked = |rgb: &[u8]| -> Vec<((i32, i32), [u8; 3])> {
            let mut ink: Vec<_> = rgb
                .chunks(3)
                .enumerate()
                .filter(|(_, p)| *p != [255, 255, 255])
                .map(|(i, p)| {
                    let (x, y) = ((i as u32 % SIDE) as i32, (i as u32 / SIDE) as i32);
                    ((x - ANCHOR.0, y - ANCHOR.1), [p[0], p[1], p[2]])
                })
                .collect();
            ink.sort();
            ink
        };
        let flat = inked(&drawn("accuracy", 16, FontTransform::None));
        assert!(flat.len() > 100, "the label leaves ink");
        for turn in [FontTransform::Rotate90, FontTransform::Rotate270] {
            let mut expected: Vec<_> = flat
                .iter()
                .map(|&((x, y), p)| (turn.transform(x, y), p))
                .collect();
            expected.sort();
            assert_eq!(inked(&drawn("accuracy", 16, turn.clone())), expected);
        }
    }
}

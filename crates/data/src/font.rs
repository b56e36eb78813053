//! A tiny bitmap font for captions on image grids: 5×7 pixels per character.
//!
//! Each glyph is written as it looks: seven rows of five pixels, `#` for ink, so the digit
//! one is `..#.. .##.. ..#.. ..#.. ..#.. ..#.. .###.`. Defined: digits, the letters A–Z
//! (lowercase is drawn as uppercase), space, `: ? - . / % + = ( )` and `→ ✓ ✗`; anything
//! else is drawn as `?`. Characters advance by 6 pixels (one blank column), times the scale.

/// Glyph width in pixels.
pub const GLYPH_WIDTH: usize = 5;
/// Glyph height in pixels.
pub const GLYPH_HEIGHT: usize = 7;
/// Horizontal advance per character (glyph plus one blank column).
pub const ADVANCE: usize = GLYPH_WIDTH + 1;

/// The pattern of `c`: seven rows of five pixels, `#` for ink and `.` for background,
/// top row first (`?` for characters the font lacks).
pub fn pattern(c: char) -> &'static str {
    match c.to_ascii_uppercase() {
        '0' => ".###. #...# #..## #.#.# ##..# #...# .###.",
        '1' => "..#.. .##.. ..#.. ..#.. ..#.. ..#.. .###.",
        '2' => ".###. #...# ....# ...#. ..#.. .#... #####",
        '3' => "##### ...#. ..#.. ...#. ....# #...# .###.",
        '4' => "...#. ..##. .#.#. #..#. ##### ...#. ...#.",
        '5' => "##### #.... ####. ....# ....# #...# .###.",
        '6' => "..##. .#... #.... ####. #...# #...# .###.",
        '7' => "##### ....# ...#. ..#.. .#... .#... .#...",
        '8' => ".###. #...# #...# .###. #...# #...# .###.",
        '9' => ".###. #...# #...# .#### ....# ...#. .##..",
        'A' => ".###. #...# #...# ##### #...# #...# #...#",
        'B' => "####. #...# #...# ####. #...# #...# ####.",
        'C' => ".###. #...# #.... #.... #.... #...# .###.",
        'D' => "###.. #..#. #...# #...# #...# #..#. ###..",
        'E' => "##### #.... #.... ####. #.... #.... #####",
        'F' => "##### #.... #.... ####. #.... #.... #....",
        'G' => ".###. #...# #.... #.### #...# #...# .####",
        'H' => "#...# #...# #...# ##### #...# #...# #...#",
        'I' => ".###. ..#.. ..#.. ..#.. ..#.. ..#.. .###.",
        'J' => "..### ...#. ...#. ...#. ...#. #..#. .##..",
        'K' => "#...# #..#. #.#.. ##... #.#.. #..#. #...#",
        'L' => "#.... #.... #.... #.... #.... #.... #####",
        'M' => "#...# ##.## #.#.# #.#.# #...# #...# #...#",
        'N' => "#...# #...# ##..# #.#.# #..## #...# #...#",
        'O' => ".###. #...# #...# #...# #...# #...# .###.",
        'P' => "####. #...# #...# ####. #.... #.... #....",
        'Q' => ".###. #...# #...# #...# #.#.# #..#. .##.#",
        'R' => "####. #...# #...# ####. #.#.. #..#. #...#",
        'S' => ".#### #.... #.... .###. ....# ....# ####.",
        'T' => "##### ..#.. ..#.. ..#.. ..#.. ..#.. ..#..",
        'U' => "#...# #...# #...# #...# #...# #...# .###.",
        'V' => "#...# #...# #...# #...# #...# .#.#. ..#..",
        'W' => "#...# #...# #...# #.#.# #.#.# #.#.# .#.#.",
        'X' => "#...# #...# .#.#. ..#.. .#.#. #...# #...#",
        'Y' => "#...# #...# #...# .#.#. ..#.. ..#.. ..#..",
        'Z' => "##### ....# ...#. ..#.. .#... #.... #####",
        ' ' => "..... ..... ..... ..... ..... ..... .....",
        ':' => "..... .##.. .##.. ..... .##.. .##.. .....",
        '-' => "..... ..... ..... ##### ..... ..... .....",
        '.' => "..... ..... ..... ..... ..... .##.. .##..",
        '/' => "..... ....# ...#. ..#.. .#... #.... .....",
        '%' => "##... ##..# ...#. ..#.. .#... #..## ...##",
        '+' => "..... ..#.. ..#.. ##### ..#.. ..#.. .....",
        '=' => "..... ..... ##### ..... ##### ..... .....",
        '(' => "...#. ..#.. .#... .#... .#... ..#.. ...#.",
        ')' => ".#... ..#.. ...#. ...#. ...#. ..#.. .#...",
        '→' => "..... ..#.. ...#. ##### ...#. ..#.. .....",
        '✓' => "..... ....# ...#. #..#. #.#.. .#... .....",
        '✗' => "..... #...# .#.#. ..#.. .#.#. #...# .....",
        _ => ".###. #...# ....# ...#. ..#.. ..... ..#..",
    }
}

/// The seven rows of `c`'s glyph as bits, the leftmost pixel in bit 4 (so `.###.` is
/// `0b01110`).
pub fn glyph(c: char) -> [u8; 7] {
    let mut rows = [0u8; 7];
    for (row, text) in rows.iter_mut().zip(pattern(c).split(' ')) {
        *row = text
            .bytes()
            .fold(0, |bits, b| (bits << 1) | (b == b'#') as u8);
    }
    rows
}

/// The width in pixels of `text` drawn at `scale` (no trailing blank column).
pub fn text_width(text: &str, scale: usize) -> usize {
    let n = text.chars().count();
    if n == 0 { 0 } else { (n * ADVANCE - 1) * scale }
}

/// Draws `text` into a row-major 8-bit image of `width` columns, top-left corner at
/// `(x, y)`, each font pixel a `scale × scale` square of value `ink`. Pixels falling
/// outside the image are skipped.
pub fn draw_text(
    pixels: &mut [u8],
    width: usize,
    x: usize,
    y: usize,
    text: &str,
    scale: usize,
    ink: u8,
) {
    let height = pixels.len() / width.max(1);
    for (i, c) in text.chars().enumerate() {
        let left = x + i * ADVANCE * scale;
        for (row, bits) in glyph(c).iter().enumerate() {
            for col in 0..GLYPH_WIDTH {
                if bits & (1 << (GLYPH_WIDTH - 1 - col)) == 0 {
                    continue;
                }
                for dy in 0..scale {
                    for dx in 0..scale {
                        let (px, py) = (left + col * scale + dx, y + row * scale + dy);
                        if px < width && py < height {
                            pixels[py * width + px] = ink;
                        }
                    }
                }
            }
        }
    }
}

//! The alert's share card, `card.png`: the picture a social network shows beside a shared
//! link (Open Graph's 1200×630). It is drawn as SVG and rasterised in the function with
//! fonts compiled in, so it needs nothing at run time and fetches nothing: photos are not
//! hosted yet, and no card may make the function load an address somebody typed.
//!
//! SVG has no line breaking and usvg lays every `<text>` out on one line whose base
//! direction is left to right, so this module wraps, shrinks and cuts the texts itself,
//! measuring each candidate line with the same shaping that draws it, and wraps an
//! Arabic card's lines in a right-to-left embedding.

use std::collections::VecDeque;
use std::fmt::Write as _;
use std::sync::{Arc, LazyLock};

use resvg::tiny_skia;
use resvg::usvg::{self, fontdb};
use unicode_segmentation::UnicodeSegmentation;

use crate::domain::Sex;
use crate::domain::language::Language;
use crate::domain::public::PublicAlert;
use crate::domain::texts::{self, word};

pub const WIDTH: u32 = 1200;
pub const HEIGHT: u32 = 630;

const W: f32 = WIDTH as f32;
const MARGIN: f32 = 60.0;
const HEADER_BOTTOM: f32 = 132.0;
const DRILL_BAND: f32 = 64.0;
const FOOTER_TOP: f32 = 494.0;

const RED: &str = "#C8102E";
const INK: &str = "#111111";
const GREY: &str = "#4A4A4A";
const WHITE: &str = "#FFFFFF";
const AMBER: &str = "#FFD100";

#[derive(Debug, thiserror::Error)]
pub enum CardError {
    #[error("the card's drawing is not valid SVG: {0}")]
    Svg(#[from] usvg::Error),
    #[error("no room for a {WIDTH}×{HEIGHT} picture")]
    Pixmap,
    #[error("the card could not be encoded as PNG: {0}")]
    Png(#[from] png::EncodingError),
    #[error("the photo's card rendition is not an 8-bit RGB or RGBA PNG")]
    Photo,
}

/// One font for every script a card may show: Noto Sans Bold (Latin, with French and
/// Tamazight-in-Latin letters), Noto Sans Arabic Bold and Noto Sans Tifinagh, subset
/// and merged (see `fonts/README.md`). One font, not three: usvg shapes a line that
/// mixes fonts once per font and merges the glyphs, which drops Arabic letters around a
/// ligature whenever a Latin word shares their line.
const FONT: &[u8] = include_bytes!("fonts/TifliSans-Bold.ttf");
const FAMILY: &str = "Tifli Sans";

/// Loaded once per process, from bytes compiled in: no system font is ever looked up,
/// so the card looks the same on a laptop and in Lambda.
static FONTS: LazyLock<Arc<fontdb::Database>> = LazyLock::new(|| {
    let mut db = fontdb::Database::new();
    db.load_font_source(fontdb::Source::Binary(Arc::new(FONT)));
    db.set_sans_serif_family(FAMILY);
    Arc::new(db)
});

fn options() -> usvg::Options<'static> {
    usvg::Options {
        fontdb: FONTS.clone(),
        font_family: FAMILY.to_owned(),
        ..usvg::Options::default()
    }
}

fn is_tifinagh(c: char) -> bool {
    matches!(c, '\u{2D30}'..='\u{2D7F}')
}

/// Right-to-left embedding and its end: usvg's paragraphs are always left to right,
/// which would read an Arabic line's words in the wrong order.
const RLE: char = '\u{202B}';
const PDF: char = '\u{202C}';

/// Free text as the card may draw it: characters XML forbids become spaces, and explicit
/// embeddings, overrides and isolates go, since they would unbalance the card's own.
fn cleaned(text: &str) -> String {
    text.chars()
        .filter(|c| !matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'))
        .map(|c| {
            if c.is_control() || matches!(c, '\u{FFFE}' | '\u{FFFF}') {
                ' '
            } else {
                c
            }
        })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[derive(Debug, Clone, Copy)]
struct Style {
    size: f32,
    fill: &'static str,
    /// An Arabic line: right to left, and taller.
    rtl: bool,
}

impl Style {
    fn sized(self, size: f32) -> Style {
        Style { size, ..self }
    }

    /// From one baseline to the next: Arabic's marks reach further above and below.
    fn line_height(self) -> f32 {
        self.size * if self.rtl { 1.34 } else { 1.22 }
    }

    /// From the top of a line to its baseline.
    fn ascent(self) -> f32 {
        self.size * if self.rtl { 1.0 } else { 0.94 }
    }
}

/// `text` cut into runs of Tifinagh and of anything else, each other character going
/// with the run before it (or after, at the start).
fn runs(text: &str) -> Vec<(bool, String)> {
    let first = text
        .chars()
        .find(|c| c.is_alphabetic())
        .is_some_and(is_tifinagh);
    let mut runs: Vec<(bool, String)> = Vec::new();
    for c in text.chars() {
        let tifinagh = if c.is_alphabetic() {
            is_tifinagh(c)
        } else {
            runs.last().map_or(first, |(t, _)| *t)
        };
        match runs.last_mut() {
            Some((last, run)) if *last == tifinagh => run.push(c),
            _ => runs.push((tifinagh, c.to_string())),
        }
    }
    runs
}

#[derive(Debug, Clone, Copy)]
enum Anchor {
    Start,
    Middle,
    End,
}

/// One line of text as an SVG `<text>`, every text escaped.
fn write_text(svg: &mut String, text: &str, x: f32, y: f32, anchor: Anchor, style: Style) {
    let anchor = match anchor {
        Anchor::Start => "start",
        Anchor::Middle => "middle",
        Anchor::End => "end",
    };
    let line = if style.rtl {
        format!("{RLE}{text}{PDF}")
    } else {
        text.to_owned()
    };
    let _ = write!(
        svg,
        r#"<text x="{x:.1}" y="{y:.1}" font-family="{FAMILY}" font-weight="700" font-size="{:.1}" fill="{}" text-anchor="{anchor}" xml:space="preserve">"#,
        style.size, style.fill
    );
    // Noto Sans Tifinagh has one weight, lighter than the rest: a stroke of its own
    // colour makes it as bold. The same font draws every span, so the spans are shaped
    // alike and only their paint differs.
    for (tifinagh, run) in runs(&line) {
        let run = quick_xml::escape::escape(run.as_str());
        if tifinagh {
            let _ = write!(
                svg,
                r#"<tspan stroke="{}" stroke-width="{:.2}" stroke-linejoin="round">{run}</tspan>"#,
                style.fill,
                style.size * 0.045
            );
        } else {
            let _ = write!(svg, "<tspan>{run}</tspan>");
        }
    }
    svg.push_str("</text>");
}

/// How wide `text` is drawn, ink to ink.
fn width(text: &str, style: Style) -> Result<f32, CardError> {
    let mut svg =
        format!(r#"<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}">"#);
    write_text(&mut svg, text, 0.0, 200.0, Anchor::Start, style);
    svg.push_str("</svg>");
    let tree = usvg::Tree::from_str(&svg, &options())?;
    if !tree.root().has_children() {
        return Ok(0.0);
    }
    Ok(tree.root().abs_stroke_bounding_box().width())
}

fn fits(text: &str, style: Style, room: f32) -> Result<bool, CardError> {
    Ok(width(text, style)? <= room)
}

/// How many of `graphemes`, followed by `suffix`, fit in `room`.
fn longest_prefix(
    graphemes: &[&str],
    suffix: &str,
    style: Style,
    room: f32,
) -> Result<usize, CardError> {
    let (mut low, mut high) = (0, graphemes.len());
    while low < high {
        let mid = (low + high).div_ceil(2);
        let candidate = format!("{}{suffix}", graphemes[..mid].concat().trim_end());
        if fits(&candidate, style, room)? {
            low = mid;
        } else {
            high = mid - 1;
        }
    }
    Ok(low)
}

/// `text` in at most `max_lines` lines no wider than `room`, broken between words (and
/// inside a word too long for a line); what does not fit is cut, with an ellipsis, and
/// says so.
fn wrap(
    text: &str,
    style: Style,
    room: f32,
    max_lines: usize,
) -> Result<(Vec<String>, bool), CardError> {
    let mut words: VecDeque<String> = text.split_whitespace().map(str::to_owned).collect();
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    while let Some(next) = words.pop_front() {
        let candidate = if current.is_empty() {
            next.clone()
        } else {
            format!("{current} {next}")
        };
        if fits(&candidate, style, room)? {
            current = candidate;
            continue;
        }
        if current.is_empty() {
            let graphemes: Vec<&str> = next.graphemes(true).collect();
            let keep = longest_prefix(&graphemes, "", style, room)?.max(1);
            lines.push(graphemes[..keep].concat());
            let rest = graphemes[keep..].concat();
            if !rest.is_empty() {
                words.push_front(rest);
            }
        } else {
            lines.push(std::mem::take(&mut current));
            words.push_front(next);
        }
        if lines.len() == max_lines {
            break;
        }
    }
    if !current.is_empty() {
        lines.push(current);
    }
    let cut = !words.is_empty();
    if cut {
        let last = lines.pop().unwrap_or_default();
        let graphemes: Vec<&str> = last.graphemes(true).collect();
        let keep = longest_prefix(&graphemes, "…", style, room)?;
        lines.push(format!("{}…", graphemes[..keep].concat().trim_end()));
    }
    Ok((lines, cut))
}

/// `text` on one line: at the first of `sizes` at which it fits whole, else cut at the
/// last.
fn one_line(
    text: &str,
    style: Style,
    room: f32,
    sizes: &[f32],
) -> Result<(String, Style), CardError> {
    for &size in sizes {
        let sized = style.sized(size);
        if fits(text, sized, room)? {
            return Ok((text.to_owned(), sized));
        }
    }
    let sized = style.sized(sizes.last().copied().unwrap_or(style.size));
    let (lines, _) = wrap(text, sized, room, 1)?;
    Ok((lines.concat(), sized))
}

/// The card being drawn, in left-to-right coordinates that an Arabic card mirrors.
struct Canvas {
    svg: String,
    rtl: bool,
}

impl Canvas {
    fn x(&self, x: f32) -> f32 {
        if self.rtl { W - x } else { x }
    }

    fn rect(&mut self, x: f32, y: f32, w: f32, h: f32, attributes: &str) {
        let x = if self.rtl { W - x - w } else { x };
        let _ = write!(
            self.svg,
            r#"<rect x="{x:.1}" y="{y:.1}" width="{w:.1}" height="{h:.1}" {attributes}/>"#
        );
    }

    /// Text whose reading starts at `x`: the left in a left-to-right card, the right
    /// in an Arabic one.
    fn text_from(&mut self, text: &str, x: f32, y: f32, style: Style) {
        let anchor = if self.rtl { Anchor::End } else { Anchor::Start };
        let x = self.x(x);
        write_text(&mut self.svg, text, x, y, anchor, style);
    }

    /// Text that ends at `x`, the far side of the reading.
    fn text_to(&mut self, text: &str, x: f32, y: f32, style: Style) {
        let anchor = if self.rtl { Anchor::Start } else { Anchor::End };
        let x = self.x(x);
        write_text(&mut self.svg, text, x, y, anchor, style);
    }

    /// The next line of a column whose top is at `y`, which moves down a line.
    fn line(&mut self, text: &str, x: f32, y: &mut f32, style: Style) {
        self.text_from(text, x, *y + style.ascent(), style);
        *y += style.line_height();
    }

    fn text_centred(&mut self, text: &str, y: f32, style: Style) {
        write_text(&mut self.svg, text, W / 2.0, y, Anchor::Middle, style);
    }
}

/// The lines under the name, smaller together when room is short.
#[derive(Debug, Clone, Copy)]
struct Facts {
    age: Style,
    label: Style,
    place: Style,
    when: Style,
    /// Under the age, for the red rule that sets the last sighting apart.
    gap: f32,
}

impl Facts {
    fn scaled(base: Style, scale: f32) -> Facts {
        Facts {
            age: Style {
                size: 34.0 * scale,
                fill: GREY,
                ..base
            },
            label: Style {
                size: 24.0 * scale,
                fill: RED,
                ..base
            },
            place: base.sized(34.0 * scale),
            when: Style {
                size: 30.0 * scale,
                fill: GREY,
                ..base
            },
            gap: 30.0 * scale,
        }
    }

    fn height(&self, place_lines: usize) -> f32 {
        self.age.line_height()
            + self.gap
            + self.label.line_height()
            + self.place.line_height() * place_lines as f32
            + self.when.line_height()
    }
}

struct Layout {
    name: Style,
    name_lines: Vec<String>,
    facts: Facts,
    places: Vec<String>,
}

/// The richest layout of the name and the facts that fits in `height`: the name large
/// on one line, else on two, smaller; the place on two lines, else one; the facts
/// smaller. Only a name too long for every layout is cut, on two lines if they fit.
fn layout(
    name: &str,
    place: &str,
    base: Style,
    room: f32,
    height: f32,
) -> Result<Layout, CardError> {
    // (name sizes, name lines, place lines, scale of the facts)
    const LAYOUTS: [(&[f32], usize, usize, f32); 5] = [
        (&[66.0], 1, 2, 1.0),
        (&[58.0, 50.0], 2, 2, 1.0),
        (&[58.0, 50.0], 2, 1, 1.0),
        (&[50.0, 44.0], 1, 1, 1.0),
        (&[44.0, 40.0], 1, 1, 0.85),
    ];
    let passes: [fn(bool, usize) -> bool; 3] =
        [|cut, _| !cut, |_, name_lines| name_lines == 2, |_, _| true];
    for accepts in passes {
        for (sizes, name_lines, place_lines, scale) in LAYOUTS {
            let facts = Facts::scaled(base, scale);
            for &size in sizes {
                let style = base.sized(size);
                let (lines, cut) = wrap(name, style, room, name_lines)?;
                if !accepts(cut, name_lines) {
                    continue;
                }
                let (places, _) = wrap(place, facts.place, room, place_lines)?;
                let needed = style.line_height() * lines.len() as f32 + facts.height(places.len());
                if needed <= height {
                    return Ok(Layout {
                        name: style,
                        name_lines: lines,
                        facts,
                        places,
                    });
                }
            }
        }
    }
    // Not reached with the card's sizes, which a test checks with the longest texts.
    let facts = Facts::scaled(base, 0.85);
    let style = base.sized(40.0);
    Ok(Layout {
        name: style,
        name_lines: wrap(name, style, room, 1)?.0,
        facts,
        places: wrap(place, facts.place, room, 1)?.0,
    })
}

fn sex(sex: Sex) -> &'static str {
    match sex {
        Sex::Female => "female",
        Sex::Male => "male",
        Sex::Unknown => "unknown",
    }
}

/// The frame where the child's photo will go, with a neutral silhouette: nobody's
/// face, nothing fetched.
fn photo_placeholder(canvas: &mut Canvas, x: f32, y: f32, w: f32, h: f32) {
    canvas.rect(x, y, w, h, r##"fill="#E7E9EC" rx="10""##);
    let left = if canvas.rtl { W - x - w } else { x };
    let cx = left + w / 2.0;
    let _ = write!(
        canvas.svg,
        r##"<clipPath id="photo"><rect x="{left:.1}" y="{y:.1}" width="{w:.1}" height="{h:.1}" rx="10"/></clipPath><g clip-path="url(#photo)" fill="#A9AEB6"><circle cx="{cx:.1}" cy="{:.1}" r="{:.1}"/><ellipse cx="{cx:.1}" cy="{:.1}" rx="{:.1}" ry="{:.1}"/></g>"##,
        y + h * 0.38,
        w * 0.21,
        y + h * 1.02,
        w * 0.42,
        h * 0.36,
    );
    canvas.rect(
        x,
        y,
        w,
        h,
        r##"fill="none" stroke="#C9CDD3" stroke-width="2" rx="10""##,
    );
}

/// Yellow and black, like tape around a site: a drill must not pass for an alert.
fn drill_band(canvas: &mut Canvas, text: &str, y: f32, style: Style) -> Result<(), CardError> {
    let stripes = 120.0;
    let _ = write!(
        canvas.svg,
        r##"<defs><pattern id="hazard" width="28" height="28" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="14" height="28" fill="{INK}"/></pattern></defs><rect x="0" y="{y:.1}" width="{W}" height="{DRILL_BAND}" fill="{AMBER}"/><rect x="0" y="{y:.1}" width="{stripes}" height="{DRILL_BAND}" fill="url(#hazard)"/><rect x="{:.1}" y="{y:.1}" width="{stripes}" height="{DRILL_BAND}" fill="url(#hazard)"/>"##,
        W - stripes
    );
    let room = W - 2.0 * (stripes + 24.0);
    let (line, style) = one_line(text, style, room, &[32.0, 28.0, 24.0])?;
    canvas.text_centred(&line, y + DRILL_BAND / 2.0 + style.size * 0.36, style);
    Ok(())
}

/// The share card of `alert` in `language`: 1200×630 PNG, with the photo's frame empty.
pub fn share_card(alert: &PublicAlert, language: Language) -> Result<Vec<u8>, CardError> {
    share_card_with(alert, language, None)
}

/// The share card of `alert` in `language`, with `photo` (the photo function's card
/// rendition, a PNG) in its frame when given.
pub fn share_card_with(
    alert: &PublicAlert,
    language: Language,
    photo: Option<&[u8]>,
) -> Result<Vec<u8>, CardError> {
    let (svg, frame) = card_svg(alert, language)?;
    let tree = usvg::Tree::from_str(&svg, &options())?;
    let mut pixmap = tiny_skia::Pixmap::new(WIDTH, HEIGHT).ok_or(CardError::Pixmap)?;
    resvg::render(&tree, tiny_skia::Transform::default(), &mut pixmap.as_mut());
    if let Some(photo) = photo {
        // A photo that cannot be read leaves the silhouette: the card still goes out.
        if let Err(e) = frame.fill(&mut pixmap, photo) {
            tracing::warn!(error = %e, "card photo unreadable");
        }
    }
    encode(&pixmap)
}

/// Where the photo goes on the card, in pixels.
struct Frame {
    x: f32,
    y: f32,
    w: f32,
    h: f32,
}

const FRAME_RADIUS: f32 = 10.0;

impl Frame {
    fn rounded(&self) -> Option<tiny_skia::Path> {
        let (x, y, w, h, r) = (self.x, self.y, self.w, self.h, FRAME_RADIUS);
        let mut path = tiny_skia::PathBuilder::new();
        path.move_to(x + r, y);
        path.line_to(x + w - r, y);
        path.quad_to(x + w, y, x + w, y + r);
        path.line_to(x + w, y + h - r);
        path.quad_to(x + w, y + h, x + w - r, y + h);
        path.line_to(x + r, y + h);
        path.quad_to(x, y + h, x, y + h - r);
        path.line_to(x, y + r);
        path.quad_to(x, y, x + r, y);
        path.close();
        path.finish()
    }

    /// Paints `png` over the frame, scaled to cover it and centred, its corners rounded.
    fn fill(&self, pixmap: &mut tiny_skia::Pixmap, png: &[u8]) -> Result<(), CardError> {
        let photo = decode(png)?;
        let scale = (self.w / photo.width() as f32).max(self.h / photo.height() as f32);
        let dx = self.x + (self.w - photo.width() as f32 * scale) / 2.0;
        let dy = self.y + (self.h - photo.height() as f32 * scale) / 2.0;
        let shader = tiny_skia::Pattern::new(
            photo.as_ref(),
            tiny_skia::SpreadMode::Pad,
            tiny_skia::FilterQuality::Bicubic,
            1.0,
            tiny_skia::Transform::from_row(scale, 0.0, 0.0, scale, dx, dy),
        );
        let paint = tiny_skia::Paint {
            shader,
            anti_alias: true,
            ..Default::default()
        };
        let path = self.rounded().ok_or(CardError::Pixmap)?;
        pixmap.fill_path(
            &path,
            &paint,
            tiny_skia::FillRule::Winding,
            tiny_skia::Transform::identity(),
            None,
        );
        Ok(())
    }
}

/// An opaque 8-bit RGB or RGBA PNG as a pixmap: what the photo function writes.
fn decode(png: &[u8]) -> Result<tiny_skia::Pixmap, CardError> {
    let mut reader = png::Decoder::new(std::io::Cursor::new(png))
        .read_info()
        .map_err(|_| CardError::Photo)?;
    let mut buffer = vec![0; reader.output_buffer_size().ok_or(CardError::Photo)?];
    let info = reader
        .next_frame(&mut buffer)
        .map_err(|_| CardError::Photo)?;
    let pixels = &buffer[..info.buffer_size()];
    let rgba: Vec<u8> = match (info.color_type, info.bit_depth) {
        (png::ColorType::Rgb, png::BitDepth::Eight) => pixels
            .chunks_exact(3)
            .flat_map(|p| [p[0], p[1], p[2], 255])
            .collect(),
        // Premultiplied, as a pixmap holds it.
        (png::ColorType::Rgba, png::BitDepth::Eight) => pixels
            .chunks_exact(4)
            .flat_map(|p| {
                let a = u16::from(p[3]);
                let m = |c: u8| ((u16::from(c) * a + 127) / 255) as u8;
                [m(p[0]), m(p[1]), m(p[2]), p[3]]
            })
            .collect(),
        _ => return Err(CardError::Photo),
    };
    let size = tiny_skia::IntSize::from_wh(info.width, info.height).ok_or(CardError::Photo)?;
    tiny_skia::Pixmap::from_vec(rgba, size).ok_or(CardError::Photo)
}

/// The card as PNG, made for speed more than size: tiny-skia's own encoder tries every
/// row filter and spends three quarters of a card's time on it. The card is opaque, so
/// RGB without alpha; flat colours and sharp edges compress best unfiltered.
fn encode(pixmap: &tiny_skia::Pixmap) -> Result<Vec<u8>, CardError> {
    let rgb: Vec<u8> = pixmap
        .data()
        .chunks_exact(4)
        .flat_map(|pixel| [pixel[0], pixel[1], pixel[2]])
        .collect();
    let mut png = Vec::new();
    let mut encoder = png::Encoder::new(&mut png, WIDTH, HEIGHT);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_compression(png::Compression::Balanced);
    encoder.set_filter(png::Filter::NoFilter);
    let mut writer = encoder.write_header()?;
    writer.write_image_data(&rgb)?;
    writer.finish()?;
    Ok(png)
}

fn card_svg(alert: &PublicAlert, language: Language) -> Result<(String, Frame), CardError> {
    let rtl = language.direction() == "rtl";
    let base = Style {
        size: 32.0,
        fill: INK,
        rtl,
    };
    let sex = sex(alert.child.sex);
    let mut canvas = Canvas {
        svg: format!(
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}">"#
        ),
        rtl,
    };
    canvas.rect(0.0, 0.0, W, HEIGHT as f32, &format!(r#"fill="{WHITE}""#));

    // The headline, white on red.
    canvas.rect(0.0, 0.0, W, HEADER_BOTTOM, &format!(r#"fill="{RED}""#));
    let headline = word(language, "card-missing", &[("sex", sex)]);
    let header = Style {
        fill: WHITE,
        ..base
    };
    let (headline, header) = one_line(
        &headline,
        header,
        W - 2.0 * MARGIN,
        &[80.0, 68.0, 56.0, 44.0],
    )?;
    canvas.text_from(
        &headline,
        MARGIN,
        HEADER_BOTTOM / 2.0 + header.size * 0.36,
        header,
    );

    let mut top = HEADER_BOTTOM;
    if alert.exercise {
        let drill = word(language, "page-drill", &[]);
        drill_band(&mut canvas, &drill, top, base)?;
        top += DRILL_BAND;
    }

    // The photo's frame, then the facts beside it.
    let pad = 34.0;
    let photo_h = FOOTER_TOP - top - 2.0 * pad;
    let photo_w = (photo_h * 0.8).min(272.0);
    photo_placeholder(&mut canvas, MARGIN, top + pad, photo_w, photo_h);
    let frame = Frame {
        x: if rtl { W - MARGIN - photo_w } else { MARGIN },
        y: top + pad,
        w: photo_w,
        h: photo_h,
    };

    let column = MARGIN + photo_w + 44.0;
    let room = W - MARGIN - column;
    let bottom = FOOTER_TOP - pad + 10.0;
    let name_text = cleaned(&alert.child.name);
    let place_text = cleaned(&format!(
        "{}{}{}",
        alert.last_seen.place,
        if rtl { "، " } else { ", " },
        texts::region_name(alert.last_seen.region, language)
    ));

    let Layout {
        name,
        name_lines,
        facts,
        places,
    } = layout(&name_text, &place_text, base, room, bottom - top - pad)?;

    let mut y = top + pad;
    for line in &name_lines {
        canvas.line(line, column, &mut y, name);
    }
    let age = texts::age(language, alert.child.age);
    let (age, _) = one_line(&age, facts.age, room, &[facts.age.size])?;
    canvas.line(&age, column, &mut y, facts.age);
    canvas.rect(
        column,
        y + 0.27 * facts.gap,
        72.0,
        5.0,
        &format!(r#"fill="{RED}""#),
    );
    y += facts.gap;
    let label = word(language, "page-last-seen", &[]).to_uppercase();
    let (label, _) = one_line(&label, facts.label, room, &[facts.label.size])?;
    canvas.line(&label, column, &mut y, facts.label);
    for line in &places {
        canvas.line(line, column, &mut y, facts.place);
    }
    let when = texts::date_time(alert.last_seen.at);
    let (when, _) = one_line(&when, facts.when, room, &[facts.when.size])?;
    canvas.line(&when, column, &mut y, facts.when);

    // The tip line, amber on black: what a reader must do.
    let footer_h = HEIGHT as f32 - FOOTER_TOP;
    canvas.rect(0.0, FOOTER_TOP, W, footer_h, &format!(r#"fill="{INK}""#));
    let sender = word(language, "sender-name", &[]);
    let brand = Style {
        size: 24.0,
        fill: "#B8B8B8",
        ..base
    };
    let (sender, brand) = one_line(&sender, brand, 360.0, &[24.0, 20.0])?;
    let brand_w = width(&sender, brand)?;
    canvas.text_to(&sender, W - MARGIN, HEIGHT as f32 - 34.0, brand);
    let call_room = W - 2.0 * MARGIN - brand_w - 40.0;
    let call = Style {
        size: 28.0,
        fill: WHITE,
        ..base
    };
    let (call_line, call) = one_line(
        &word(language, "card-call", &[("sex", sex)]),
        call,
        call_room,
        &[28.0, 24.0],
    )?;
    canvas.text_from(&call_line, MARGIN, FOOTER_TOP + 44.0, call);
    // A telephone number reads left to right in every language.
    let tip = Style {
        size: 62.0,
        fill: AMBER,
        rtl: false,
    };
    let (tip_line, tip) = one_line(
        &cleaned(&alert.tip_line),
        tip,
        call_room,
        &[62.0, 52.0, 44.0],
    )?;
    canvas.text_from(&tip_line, MARGIN, HEIGHT as f32 - 28.0, tip);

    canvas.svg.push_str("</svg>");
    Ok((canvas.svg, frame))
}

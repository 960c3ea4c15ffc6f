//! QR codes of links, as SVG and PNG.
//!
//! The PC authorization page wants to be opened from the platform's own
//! domain, but the H5 page and the fast-registration page are opened inside
//! WeChat, and the quickest way to get a link onto a merchant's phone is a QR
//! code on the operator's screen. The code must scan on the first try from a
//! laptop screen, so this module renders it crisply: whole-pixel modules in the
//! PNG, a real quiet zone, and `crispEdges` in the SVG.
//!
//! Two details matter and are easy to get wrong:
//!
//! * **Chinese text.** The `qrcode` crate's automatic mode selection treats any
//!   byte pair in Shift-JIS ranges as Kanji, and UTF-8 Chinese almost always
//!   falls in those ranges, so `QrCode::new("中文")` yields a code that
//!   scanners decode as Japanese mojibake. Here Kanji segments are demoted to
//!   byte mode before optimising, so the code carries the exact UTF-8 bytes.
//!   No ECI header is added: WeChat's scanner and common readers assume UTF-8
//!   for byte mode, and some older readers mishandle an ECI header.
//! * **Size.** PNG modules are scaled by a whole factor, so the PNG is as wide
//!   as integer scaling allows: `(modules + 2 × margin) × max(1, size_px ÷
//!   (modules + 2 × margin))`, never wider than `size_px`. A fractional
//!   scale would blur module edges. The SVG is exactly `size_px` wide; its
//!   viewBox is in module units.

use std::fmt;
use std::str::FromStr;

use qrcode::optimize::{Optimizer, Parser, Segment};
use qrcode::types::Mode;
use qrcode::{bits::Bits, QrCode, Version};

use crate::error::Error;

/// Largest accepted `size_px`: bigger images are never needed on screen or paper.
pub const MAX_SIZE_PX: u32 = 8192;

/// QR error-correction level: how much of the code may be damaged or covered
/// and still scan. Higher levels hold less data.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize,
)]
pub enum EcLevel {
    /// ~7 % recoverable; holds the most data.
    #[serde(alias = "l")]
    L,
    /// ~15 % recoverable; the default.
    #[default]
    #[serde(alias = "m")]
    M,
    /// ~25 % recoverable.
    #[serde(alias = "q")]
    Q,
    /// ~30 % recoverable; for codes with a logo over them.
    #[serde(alias = "h")]
    H,
}

impl EcLevel {
    fn to_qrcode(self) -> qrcode::EcLevel {
        match self {
            EcLevel::L => qrcode::EcLevel::L,
            EcLevel::M => qrcode::EcLevel::M,
            EcLevel::Q => qrcode::EcLevel::Q,
            EcLevel::H => qrcode::EcLevel::H,
        }
    }

    /// How many bytes of arbitrary (byte-mode) text fit in the largest QR code
    /// (version 40) at this level. Digits and upper-case letters pack denser.
    pub fn max_bytes(self) -> usize {
        match self {
            EcLevel::L => 2953,
            EcLevel::M => 2331,
            EcLevel::Q => 1663,
            EcLevel::H => 1273,
        }
    }

    /// The next lower level, if any.
    fn lower(self) -> Option<EcLevel> {
        match self {
            EcLevel::L => None,
            EcLevel::M => Some(EcLevel::L),
            EcLevel::Q => Some(EcLevel::M),
            EcLevel::H => Some(EcLevel::Q),
        }
    }
}

impl fmt::Display for EcLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            EcLevel::L => "L",
            EcLevel::M => "M",
            EcLevel::Q => "Q",
            EcLevel::H => "H",
        })
    }
}

impl FromStr for EcLevel {
    type Err = Error;

    /// Accepts `l`, `m`, `q`, `h` in either case.
    fn from_str(s: &str) -> Result<Self, Error> {
        match s.trim().to_ascii_lowercase().as_str() {
            "l" => Ok(EcLevel::L),
            "m" => Ok(EcLevel::M),
            "q" => Ok(EcLevel::Q),
            "h" => Ok(EcLevel::H),
            _ => Err(Error::invalid(
                "ec",
                format!(
                    "{:?} is not an error-correction level; use L (7 %, most data), M (15 %, default), \
                     Q (25 %) or H (30 %, survives a logo on top)",
                    s.chars().take(20).collect::<String>()
                ),
            )),
        }
    }
}

/// How to render a QR code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct QrOptions {
    /// Target image width (and height) in pixels, quiet zone included. The SVG
    /// is exactly this wide; the PNG is the largest whole multiple of the
    /// module count that fits (see the module docs).
    pub size_px: u32,
    /// Quiet zone around the code, in modules. The standard asks for 4.
    pub margin: u32,
    /// Error-correction level.
    pub ec: EcLevel,
}

impl Default for QrOptions {
    fn default() -> Self {
        QrOptions {
            size_px: 512,
            margin: 4,
            ec: EcLevel::M,
        }
    }
}

/// The module matrix of an encoded text plus its quiet zone.
struct Matrix {
    /// Modules per side without the quiet zone.
    width: usize,
    /// Row-major, `true` = dark.
    dark: Vec<bool>,
    /// Modules per side including the quiet zone on both sides.
    total: u32,
    margin: u32,
}

impl Matrix {
    fn is_dark(&self, x: usize, y: usize) -> bool {
        self.dark.get(y * self.width + x).copied().unwrap_or(false)
    }
}

/// Segments of `data` for byte-exact encoding: the crate's parser with
/// Kanji demoted to byte mode (see the module docs), then optimised for `version`.
fn segments(data: &[u8], version: Version) -> Vec<Segment> {
    let raw = Parser::new(data).map(|s| Segment {
        mode: if s.mode == Mode::Kanji {
            Mode::Byte
        } else {
            s.mode
        },
        ..s
    });
    Optimizer::new(raw, version).collect()
}

/// Encodes `text` at the smallest QR version that holds it.
fn encode(text: &str, ec: EcLevel) -> Result<QrCode, Error> {
    let data = text.as_bytes();
    for v in 1..=40i16 {
        let version = Version::Normal(v);
        let mut bits = Bits::new(version);
        let pushed = bits
            .push_segments(data, segments(data, version).into_iter())
            .and_then(|()| bits.push_terminator(ec.to_qrcode()));
        match pushed {
            Ok(()) => {
                return QrCode::with_bits(bits, ec.to_qrcode()).map_err(|e| {
                    Error::invalid("text", format!("cannot be encoded as a QR code: {e}"))
                });
            }
            Err(qrcode::types::QrError::DataTooLong) => continue,
            Err(e) => {
                return Err(Error::invalid(
                    "text",
                    format!("cannot be encoded as a QR code: {e}"),
                ));
            }
        }
    }
    let advice = match ec.lower() {
        Some(lower) => format!(
            "use a lower error-correction level (--ec {lower} fits about {} bytes) or shorten the text",
            lower.max_bytes()
        ),
        None => "shorten the text (L is already the lowest error-correction level)".to_string(),
    };
    Err(Error::invalid(
        "text",
        format!(
            "is {} bytes, too long for a QR code at error-correction level {ec}: at most {} bytes of text fit; {advice}",
            data.len(),
            ec.max_bytes()
        ),
    ))
}

fn matrix(text: &str, opts: &QrOptions) -> Result<Matrix, Error> {
    if opts.size_px == 0 || opts.size_px > MAX_SIZE_PX {
        return Err(Error::invalid(
            "size",
            format!(
                "{} px is out of range; use 1..={MAX_SIZE_PX} (512 is a good screen size, 1024 for print)",
                opts.size_px
            ),
        ));
    }
    if text.is_empty() {
        return Err(Error::invalid(
            "text",
            "is empty; give the link or text to encode",
        ));
    }
    let code = encode(text, opts.ec)?;
    let width = code.width();
    let total = u32::try_from(width)
        .ok()
        .and_then(|w| opts.margin.checked_mul(2).and_then(|m| m.checked_add(w)))
        .filter(|t| *t <= MAX_SIZE_PX)
        .ok_or_else(|| {
            Error::invalid(
                "margin",
                format!(
                    "{} modules is far too wide a quiet zone; the standard asks for 4",
                    opts.margin
                ),
            )
        })?;
    if opts.size_px < total {
        return Err(Error::invalid(
            "size",
            format!(
                "{} px is too small: this text needs {width}×{width} modules plus a {m}-module quiet zone on each side, \
                 so at least {total} px (one pixel per module; {} px or more scans reliably from a screen). \
                 Use a larger size, a smaller margin, a lower error-correction level or shorter text",
                opts.size_px,
                total.saturating_mul(4),
                m = opts.margin
            ),
        ));
    }
    let dark = code
        .to_colors()
        .into_iter()
        .map(|c| c == qrcode::Color::Dark)
        .collect();
    Ok(Matrix {
        width,
        dark,
        total,
        margin: opts.margin,
    })
}

/// Renders `text` as an SVG document `size_px` wide and high: a white
/// background and one `<path>` of dark modules, `shape-rendering="crispEdges"`,
/// with a viewBox in module units (quiet zone included).
pub fn qr_svg(text: &str, opts: &QrOptions) -> Result<String, Error> {
    let m = matrix(text, opts)?;
    let mut d = String::with_capacity(m.width * m.width * 2);
    for y in 0..m.width {
        let mut x = 0;
        while x < m.width {
            if !m.is_dark(x, y) {
                x += 1;
                continue;
            }
            let start = x;
            while x < m.width && m.is_dark(x, y) {
                x += 1;
            }
            let run = x - start;
            let px = start as u64 + u64::from(m.margin);
            let py = y as u64 + u64::from(m.margin);
            d.push_str(&format!("M{px} {py}h{run}v1h-{run}z"));
        }
    }
    let n = m.total;
    let s = opts.size_px;
    Ok(format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"{s}\" height=\"{s}\" \
         viewBox=\"0 0 {n} {n}\" shape-rendering=\"crispEdges\">\
         <rect width=\"{n}\" height=\"{n}\" fill=\"#ffffff\"/>\
         <path fill=\"#000000\" d=\"{d}\"/></svg>\n"
    ))
}

/// Renders `text` as an 8-bit greyscale PNG. Each module is `scale × scale`
/// pixels with `scale = max(1, size_px ÷ (modules + 2 × margin))`, so the image
/// is `(modules + 2 × margin) × scale` pixels wide: as close to `size_px` as
/// whole-pixel modules allow, and never wider.
pub fn qr_png(text: &str, opts: &QrOptions) -> Result<Vec<u8>, Error> {
    let m = matrix(text, opts)?;
    let scale = (opts.size_px / m.total).max(1);
    let side = m.total * scale;
    let side_us = side as usize;
    let scale_us = scale as usize;
    let margin_px = (m.margin * scale) as usize;
    let mut pixels = vec![0xffu8; side_us * side_us];
    for y in 0..m.width {
        for x in 0..m.width {
            if !m.is_dark(x, y) {
                continue;
            }
            let x0 = margin_px + x * scale_us;
            let y0 = margin_px + y * scale_us;
            for row in y0..y0 + scale_us {
                let start = row * side_us + x0;
                if let Some(span) = pixels.get_mut(start..start + scale_us) {
                    span.fill(0);
                }
            }
        }
    }
    let mut out = Vec::new();
    let png_failed = |e: png::EncodingError| {
        Error::invalid(
            "size",
            format!("the {side}×{side} PNG could not be encoded ({e}); try a smaller size"),
        )
    };
    let mut enc = png::Encoder::new(&mut out, side, side);
    enc.set_color(png::ColorType::Grayscale);
    enc.set_depth(png::BitDepth::Eight);
    enc.set_compression(png::Compression::Best);
    let mut writer = enc.write_header().map_err(png_failed)?;
    writer.write_image_data(&pixels).map_err(png_failed)?;
    writer.finish().map_err(png_failed)?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_is_never_kanji() {
        let data = "授权 中文 wx1234".as_bytes();
        for v in [1, 10, 27] {
            assert!(segments(data, Version::Normal(v))
                .iter()
                .all(|s| s.mode != Mode::Kanji));
        }
        // Sanity: the crate's own parser does pick Kanji here, which is why we demote it.
        assert!(Parser::new("中文".as_bytes()).any(|s| s.mode == Mode::Kanji));
    }

    #[test]
    fn ec_level_parses_case_insensitively() {
        assert_eq!("h".parse::<EcLevel>().unwrap(), EcLevel::H);
        assert_eq!("Q".parse::<EcLevel>().unwrap(), EcLevel::Q);
        let e = "x".parse::<EcLevel>().unwrap_err();
        assert!(matches!(e, Error::InvalidInput { ref field, .. } if field == "ec"));
    }

    #[test]
    fn too_long_text_names_text_and_suggests_lower_level() {
        let text = "a".repeat(EcLevel::H.max_bytes() + 1);
        let e = qr_svg(
            &text,
            &QrOptions {
                ec: EcLevel::H,
                size_px: 8192,
                margin: 4,
            },
        )
        .unwrap_err();
        match e {
            Error::InvalidInput { field, reason } => {
                assert_eq!(field, "text");
                assert!(reason.contains("1273"), "{reason}");
                assert!(reason.contains("--ec Q"), "{reason}");
            }
            other => panic!("unexpected {other:?}"),
        }
        // The same text fits at Q.
        qr_svg(
            &text,
            &QrOptions {
                ec: EcLevel::Q,
                size_px: 8192,
                margin: 4,
            },
        )
        .unwrap();
    }

    #[test]
    fn byte_capacity_matches_table() {
        // The exact byte-mode capacity fits, one more byte does not (lowercase + '~' forces byte mode).
        for ec in [EcLevel::L, EcLevel::M, EcLevel::Q, EcLevel::H] {
            let fits = "a~".repeat(ec.max_bytes() / 2) + &"a".repeat(ec.max_bytes() % 2);
            assert_eq!(fits.len(), ec.max_bytes());
            encode(&fits, ec).unwrap();
            assert!(encode(&(fits + "~"), ec).is_err());
        }
    }
}

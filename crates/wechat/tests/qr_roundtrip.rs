//! QR codes decode back to their text: PNG via the `png` crate, SVG via
//! `resvg`, both read with `rqrr`.
//!
//! Note: rqrr returns Kanji-mode data as raw Shift-JIS bytes, so a UTF-8 text
//! wrongly encoded in Kanji mode would still round-trip here while real
//! scanners show mojibake. That the encoder never emits Kanji segments is
//! checked by the unit test `qr::tests::chinese_is_never_kanji`.

use wxdesk_wechat::links::{auth_link, AuthLinkKind, AuthLinkParams};
use wxdesk_wechat::qr::{qr_png, qr_svg, EcLevel, QrOptions};
use wxdesk_wechat::{Bases, Error};

const LEVELS: [EcLevel; 4] = [EcLevel::L, EcLevel::M, EcLevel::Q, EcLevel::H];

/// Decodes an 8-bit greyscale PNG into (width, height, pixels).
fn read_png(bytes: &[u8]) -> (usize, usize, Vec<u8>) {
    let decoder = png::Decoder::new(bytes);
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).unwrap();
    assert_eq!(info.color_type, png::ColorType::Grayscale);
    assert_eq!(info.bit_depth, png::BitDepth::Eight);
    buf.truncate(info.buffer_size());
    (info.width as usize, info.height as usize, buf)
}

fn decode_grey(w: usize, h: usize, px: &[u8]) -> String {
    let mut img = rqrr::PreparedImage::prepare_from_greyscale(w, h, |x, y| px[y * w + x]);
    let grids = img.detect_grids();
    assert_eq!(
        grids.len(),
        1,
        "expected exactly one QR code in the {w}x{h} image"
    );
    let (_meta, content) = grids[0].decode().unwrap();
    content
}

fn decode_png(bytes: &[u8]) -> String {
    let (w, h, px) = read_png(bytes);
    decode_grey(w, h, &px)
}

fn decode_svg(svg: &str) -> String {
    let tree = resvg::usvg::Tree::from_str(svg, &resvg::usvg::Options::default()).unwrap();
    let size = tree.size().to_int_size();
    let mut pixmap = resvg::tiny_skia::Pixmap::new(size.width(), size.height()).unwrap();
    resvg::render(
        &tree,
        resvg::tiny_skia::Transform::default(),
        &mut pixmap.as_mut(),
    );
    let (w, h) = (pixmap.width() as usize, pixmap.height() as usize);
    let grey: Vec<u8> = pixmap
        .pixels()
        .iter()
        .map(|p| {
            if p.alpha() == 0 {
                255
            } else {
                let c = p.demultiply();
                ((u16::from(c.red()) + u16::from(c.green()) + u16::from(c.blue())) / 3) as u8
            }
        })
        .collect();
    decode_grey(w, h, &grey)
}

fn long_auth_url() -> String {
    let link = auth_link(
        &Bases::production(),
        AuthLinkKind::H5,
        &AuthLinkParams {
            component_appid: "wx1234567890abcdef".into(),
            pre_auth_code:
                "preauthcode@@@Cx_Dk6qiBE0Dmx4EmlT3oRfArPvwSQ-oa3NL_fwHM7VI08r52wazoZX2Rhpz1dEw"
                    .into(),
            redirect_uri:
                "https://onboarding.example-platform.cn/wechat/authorized?merchant=m-0042&from=desk"
                    .into(),
            auth_type: Some(6),
            biz_appid: Some("wxabcdef0123456789".into()),
            category_ids: vec![1, 2, 3, 17, 18, 19, 25, 30, 31, 36],
        },
    )
    .unwrap();
    assert!((380..=480).contains(&link.len()), "{} chars", link.len());
    link
}

fn texts() -> Vec<String> {
    vec![
        "hello".to_string(),
        long_auth_url(),
        "微信第三方平台授权：请商户管理员用微信扫码确认。授权后页面会跳转回服务商。".to_string(),
        "混合 mixed ASCII 与中文 1234567890 ÄÖÜ ✅".to_string(),
        "0123456789012345678901234567890123456789".to_string(),
        "HTTPS://EXAMPLE.COM/UPPER-CASE-ALNUM $%*+-./:".to_string(),
    ]
}

#[test]
fn png_round_trips_all_levels_and_sizes() {
    for text in texts() {
        for ec in LEVELS {
            for size_px in [300, 512, 777, 1024] {
                let opts = QrOptions {
                    size_px,
                    margin: 4,
                    ec,
                };
                let png = match qr_png(&text, &opts) {
                    Ok(p) => p,
                    // The long URL at a high level may need more pixels than the smallest size.
                    Err(Error::InvalidInput { field, .. }) if field == "size" && size_px == 300 => {
                        continue
                    }
                    Err(e) => panic!("{ec:?} {size_px}: {e}"),
                };
                let (w, h, _) = read_png(&png);
                assert_eq!(w, h);
                assert!(w <= size_px as usize, "{w} > {size_px}");
                assert_eq!(decode_png(&png), text, "{ec:?} {size_px}");
            }
        }
    }
}

#[test]
fn svg_round_trips_all_levels_and_sizes() {
    for text in texts() {
        for ec in LEVELS {
            for size_px in [400, 512, 1000] {
                let opts = QrOptions {
                    size_px,
                    margin: 4,
                    ec,
                };
                let svg = qr_svg(&text, &opts).unwrap();
                assert!(
                    svg.contains(&format!("width=\"{size_px}\" height=\"{size_px}\"")),
                    "{svg}"
                );
                assert!(svg.contains("viewBox=\"0 0 "));
                assert!(svg.contains("shape-rendering=\"crispEdges\""));
                assert!(svg.contains("fill=\"#ffffff\""));
                assert_eq!(svg.matches("<path").count(), 1);
                assert_eq!(decode_svg(&svg), text, "{ec:?} {size_px}");
            }
        }
    }
}

#[test]
fn png_width_is_the_largest_whole_multiple_of_the_module_count() {
    // "hello" at M is a version-1 code: 21 modules + 2 × 4 quiet zone = 29.
    let opts = |size_px| QrOptions {
        size_px,
        margin: 4,
        ec: EcLevel::M,
    };
    for (size_px, expected) in [
        (512u32, 493usize),
        (29, 29),
        (57, 29),
        (58, 58),
        (8192, 8178),
    ] {
        let (w, h, _) = read_png(&qr_png("hello", &opts(size_px)).unwrap());
        assert_eq!((w, h), (expected, expected), "size {size_px}");
    }
    // Smaller than one pixel per module: refused, naming the minimum.
    match qr_png("hello", &opts(28)).unwrap_err() {
        Error::InvalidInput { field, reason } => {
            assert_eq!(field, "size");
            assert!(reason.contains("29"), "{reason}");
        }
        other => panic!("{other:?}"),
    }
    // The long URL: the module count (quiet zone included) is the SVG's viewBox;
    // the PNG is the largest whole multiple of it that fits.
    let url = long_auth_url();
    for size_px in [512u32, 700, 1000] {
        let svg = qr_svg(&url, &opts(size_px)).unwrap();
        let total: usize = svg
            .split("viewBox=\"0 0 ")
            .nth(1)
            .and_then(|rest| rest.split(' ').next())
            .unwrap()
            .parse()
            .unwrap();
        let png = qr_png(&url, &opts(size_px)).unwrap();
        let (w, _, _) = read_png(&png);
        assert_eq!(
            w,
            (size_px as usize / total) * total,
            "size {size_px}, {total} modules"
        );
        assert!(size_px as usize - w < total);
        assert_eq!(decode_png(&png), url);
    }
}

#[test]
fn png_has_a_white_quiet_zone() {
    for margin in [1u32, 4, 6] {
        let opts = QrOptions {
            size_px: 512,
            margin,
            ec: EcLevel::M,
        };
        let (w, h, px) = read_png(&qr_png("hello", &opts).unwrap());
        let total = 21 + 2 * margin as usize;
        let scale = w / total;
        assert_eq!(w, total * scale);
        let border = margin as usize * scale;
        for y in 0..h {
            for x in 0..w {
                let in_border = x < border || y < border || x >= w - border || y >= h - border;
                if in_border {
                    assert_eq!(
                        px[y * w + x],
                        255,
                        "margin {margin}: pixel ({x},{y}) must be white"
                    );
                }
            }
        }
        // The top-left finder pattern starts right after the quiet zone.
        assert_eq!(px[border * w + border], 0);
        assert!(
            px.iter().all(|&p| p == 0 || p == 255),
            "pixels are pure black or white"
        );
    }
    // Zero margin is allowed (the caller may add its own), and the code starts at the edge.
    let opts = QrOptions {
        size_px: 210,
        margin: 0,
        ec: EcLevel::M,
    };
    let (_, _, px) = read_png(&qr_png("hello", &opts).unwrap());
    assert_eq!(px[0], 0);
}

fn field<T: std::fmt::Debug>(r: Result<T, Error>) -> String {
    match r {
        Err(Error::InvalidInput { field, .. }) => field,
        other => panic!("{other:?}"),
    }
}

#[test]
fn invalid_options_name_their_field() {
    let d = QrOptions::default();
    assert_eq!(
        d,
        QrOptions {
            size_px: 512,
            margin: 4,
            ec: EcLevel::M
        }
    );
    assert_eq!(field(qr_png("", &d)), "text");
    assert_eq!(field(qr_svg("", &d)), "text");
    assert_eq!(field(qr_png("x", &QrOptions { size_px: 0, ..d })), "size");
    assert_eq!(
        field(qr_svg("x", &QrOptions { size_px: 8193, ..d })),
        "size"
    );
    assert_eq!(
        field(qr_png(
            "x",
            &QrOptions {
                margin: u32::MAX,
                ..d
            }
        )),
        "margin"
    );
    assert_eq!(field(qr_svg("x", &QrOptions { size_px: 20, ..d })), "size");
    let too_long = "~".repeat(2954);
    assert_eq!(
        field(qr_png(
            &too_long,
            &QrOptions {
                size_px: 8192,
                margin: 4,
                ec: EcLevel::L
            }
        )),
        "text"
    );
    // The boundary itself fits.
    qr_svg(
        &"~".repeat(2953),
        &QrOptions {
            size_px: 8192,
            margin: 4,
            ec: EcLevel::L,
        },
    )
    .unwrap();
}

#[test]
fn ec_level_serde_and_parsing() {
    for (s, ec) in [
        ("l", EcLevel::L),
        ("M", EcLevel::M),
        ("q", EcLevel::Q),
        (" H ", EcLevel::H),
    ] {
        assert_eq!(s.parse::<EcLevel>().unwrap(), ec);
    }
    match "medium".parse::<EcLevel>().unwrap_err() {
        Error::InvalidInput { field, reason } => {
            assert_eq!(field, "ec");
            assert!(reason.contains("L") && reason.contains("H"), "{reason}");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(serde_json::to_string(&EcLevel::Q).unwrap(), "\"Q\"");
    assert_eq!(
        serde_json::from_str::<EcLevel>("\"h\"").unwrap(),
        EcLevel::H
    );
    let o: QrOptions = serde_json::from_str("{\"size_px\":300}").unwrap();
    assert_eq!(
        o,
        QrOptions {
            size_px: 300,
            margin: 4,
            ec: EcLevel::M
        }
    );
}

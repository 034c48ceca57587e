//! The bytes of an upload made into renditions: the only code that decodes an image.
//!
//! Nothing of the upload travels but its pixels: each rendition is encoded anew from
//! decoded pixels, so no camera data, GPS position, comment or colour profile of the
//! original can reach the public. The camera's orientation is applied first, so that a
//! photo taken sideways is published upright.

use std::io::Cursor;

use image::codecs::jpeg::JpegEncoder;
use image::codecs::png::PngEncoder;
use image::imageops::FilterType;
use image::{DynamicImage, ImageDecoder, ImageEncoder, ImageFormat, ImageReader, RgbImage};

use crate::domain::photo::{PhotoRefusal, PhotoType, RenditionKind};

/// The page's rendition fits this square: sharp on a phone, light on its data plan.
pub const PAGE_SIDE: u32 = 1200;
const PAGE_QUALITY: u8 = 85;
/// The most a decoded image may take, in bytes.
const MAX_DECODED_BYTES: u64 = 256 * 1024 * 1024;
/// The card's frame, 4:5, at the card's own scale.
pub const CARD_WIDTH: u32 = 320;
pub const CARD_HEIGHT: u32 = 400;

/// One rendition, encoded.
pub struct Encoded {
    pub kind: RenditionKind,
    pub bytes: Vec<u8>,
    pub mime_type: &'static str,
    pub extension: &'static str,
    pub width: u32,
    pub height: u32,
}

fn kind_of(bytes: &[u8]) -> Result<(PhotoType, ImageFormat), PhotoRefusal> {
    match image::guess_format(bytes) {
        Ok(ImageFormat::Jpeg) => Ok((PhotoType::Jpeg, ImageFormat::Jpeg)),
        Ok(ImageFormat::Png) => Ok((PhotoType::Png, ImageFormat::Png)),
        Ok(ImageFormat::WebP) => Ok((PhotoType::Webp, ImageFormat::WebP)),
        _ => Err(PhotoRefusal::NotAnImage),
    }
}

/// Decodes `bytes`, which the upload declared to be `declared`, upright; or why not.
pub fn decode(bytes: &[u8], declared: PhotoType) -> Result<DynamicImage, PhotoRefusal> {
    PhotoRefusal::check_size(bytes.len() as u64)?;
    let (found, format) = kind_of(bytes)?;
    if found != declared {
        return Err(PhotoRefusal::WrongKind {
            declared: declared.mime(),
            found: found.mime(),
        });
    }
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    // What decoding may allocate: 50 megapixels of 8-bit RGBA and their copy turned
    // upright fit; the same in 16 bits per channel is refused, not a crash.
    let mut limits = image::Limits::default();
    limits.max_alloc = Some(MAX_DECODED_BYTES);
    reader.limits(limits);
    let mut decoder = reader
        .into_decoder()
        .map_err(|_| PhotoRefusal::Unreadable)?;
    // From the header, before a pixel is decoded: a few kilobytes that claim a
    // gigapixel are refused here.
    let (width, height) = decoder.dimensions();
    PhotoRefusal::check_dimensions(width, height)?;
    if decoder.total_bytes() > MAX_DECODED_BYTES {
        return Err(PhotoRefusal::Dimensions { width, height });
    }
    let orientation = decoder
        .orientation()
        .unwrap_or(image::metadata::Orientation::NoTransforms);
    let mut image = DynamicImage::from_decoder(decoder).map_err(|_| PhotoRefusal::Unreadable)?;
    image.apply_orientation(orientation);
    Ok(image)
}

/// Opaque RGB: transparency over white, as the page shows it.
fn opaque(image: &DynamicImage) -> RgbImage {
    if !image.color().has_alpha() {
        return image.to_rgb8();
    }
    let rgba = image.to_rgba8();
    RgbImage::from_fn(rgba.width(), rgba.height(), |x, y| {
        let [r, g, b, a] = rgba.get_pixel(x, y).0;
        let over = |c: u8| ((u16::from(c) * u16::from(a) + 255 * u16::from(255 - a)) / 255) as u8;
        image::Rgb([over(r), over(g), over(b)])
    })
}

/// The renditions of an upload: the page's JPEG and the card's PNG.
pub fn renditions(bytes: &[u8], declared: PhotoType) -> Result<Vec<Encoded>, PhotoRefusal> {
    let image = decode(bytes, declared)?;
    let page = if image.width() > PAGE_SIDE || image.height() > PAGE_SIDE {
        image.resize(PAGE_SIDE, PAGE_SIDE, FilterType::Triangle)
    } else {
        image
    };
    let page = DynamicImage::ImageRgb8(opaque(&page));
    let mut jpeg = Vec::new();
    JpegEncoder::new_with_quality(&mut jpeg, PAGE_QUALITY)
        .encode_image(&page)
        .map_err(|_| PhotoRefusal::Unreadable)?;
    // The card's frame from the page's rendition: a quarter of the pixels to go through.
    let card = page
        .resize_to_fill(CARD_WIDTH, CARD_HEIGHT, FilterType::Triangle)
        .to_rgb8();
    let mut png = Vec::new();
    PngEncoder::new(&mut png)
        .write_image(
            card.as_raw(),
            card.width(),
            card.height(),
            image::ExtendedColorType::Rgb8,
        )
        .map_err(|_| PhotoRefusal::Unreadable)?;
    Ok(vec![
        Encoded {
            kind: RenditionKind::Page,
            bytes: jpeg,
            mime_type: "image/jpeg",
            extension: "jpg",
            width: page.width(),
            height: page.height(),
        },
        Encoded {
            kind: RenditionKind::Card,
            bytes: png,
            mime_type: "image/png",
            extension: "png",
            width: card.width(),
            height: card.height(),
        },
    ])
}

//! Photos for the tests: images made here, metadata written and read by an independent
//! tool (exiftool, from Debian's packages: `tests/run` installs it), and the upload as
//! a browser sends it.

use std::io::Write as _;
use std::process::{Command, Stdio};

use axum::body::Body;
use http::Request;
use serde_json::Value;

/// A `width` × `height` picture with something in it (a gradient and a block), as a
/// JPEG.
pub fn jpeg(width: u32, height: u32) -> Vec<u8> {
    let mut bytes = Vec::new();
    let image = picture(width, height);
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut bytes, 90)
        .encode_image(&image)
        .expect("a JPEG");
    bytes
}

/// A camera's JPEG (quality 90) of `width` × `height`: smooth light with a fine grain,
/// which compresses as a photo does, not as a flat test card.
pub fn camera_jpeg(width: u32, height: u32) -> Vec<u8> {
    let mut state = 0x2545_F491u32;
    let image = image::RgbImage::from_fn(width, height, |x, y| {
        state = state.wrapping_mul(1_103_515_245).wrapping_add(12_345);
        let grain = ((state >> 16) % 17) as i32 - 8;
        let light = |base: u32, span: u32, along: u32| {
            (base as i32 + (along * span / width.max(height)) as i32 + grain).clamp(0, 255) as u8
        };
        image::Rgb([light(60, 150, x), light(90, 120, y), light(120, 90, x + y)])
    });
    let mut bytes = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut bytes, 90)
        .encode_image(&image)
        .expect("a JPEG");
    bytes
}

/// The same picture as a PNG.
pub fn png(width: u32, height: u32) -> Vec<u8> {
    let mut bytes = std::io::Cursor::new(Vec::new());
    picture(width, height)
        .write_to(&mut bytes, image::ImageFormat::Png)
        .expect("a PNG");
    bytes.into_inner()
}

fn picture(width: u32, height: u32) -> image::DynamicImage {
    image::DynamicImage::ImageRgb8(image::RgbImage::from_fn(width, height, |x, y| {
        let block = x < width / 3 && y < height / 3;
        image::Rgb([
            (x * 255 / width.max(1)) as u8,
            (y * 255 / height.max(1)) as u8,
            if block { 255 } else { 40 },
        ])
    }))
}

/// A PNG whose header claims `width` × `height` pixels, and whose data is a few bytes:
/// a decompression bomb's shape, as its header is all a decoder reads before it
/// allocates.
pub fn png_claiming(width: u32, height: u32) -> Vec<u8> {
    let mut bytes = png(8, 8);
    // IHDR's width and height follow the signature (8), length (4) and type (4).
    bytes[16..20].copy_from_slice(&width.to_be_bytes());
    bytes[20..24].copy_from_slice(&height.to_be_bytes());
    // IHDR's CRC covers its type and data.
    let crc = crc32(&bytes[12..29]);
    bytes[29..33].copy_from_slice(&crc.to_be_bytes());
    bytes
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for byte in bytes {
        crc ^= u32::from(*byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

fn exiftool(args: &[&str], input: &[u8]) -> Vec<u8> {
    let mut child = Command::new("exiftool")
        .args(args)
        .arg("-")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("exiftool (Debian's libimage-exiftool-perl; tests/run installs it)");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input)
        .expect("exiftool reads");
    let out = child.wait_with_output().expect("exiftool ends");
    assert!(
        out.status.success(),
        "exiftool: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// `jpeg` as a phone would leave it: the GPS position of where it was taken, the camera,
/// a comment, and the orientation of a photo taken sideways.
pub fn with_camera_metadata(jpeg: &[u8]) -> Vec<u8> {
    exiftool(
        &[
            "-q",
            "-GPSLatitude=34.020882",
            "-GPSLatitudeRef=N",
            "-GPSLongitude=6.841650",
            "-GPSLongitudeRef=W",
            "-Make=PhoneMaker",
            "-Model=Phone 12",
            "-Comment=home of the family",
            "-Artist=Family name",
            "-Orientation#=6",
            "-o",
            "-",
        ],
        jpeg,
    )
}

/// Every tag exiftool finds in `bytes`, by group (`-G1`): `{"GPS:GPSLatitude": ...}`.
pub fn metadata(bytes: &[u8]) -> serde_json::Map<String, Value> {
    let out = exiftool(&["-j", "-G1", "-a", "-n"], bytes);
    let mut all: Vec<serde_json::Map<String, Value>> =
        serde_json::from_slice(&out).expect("exiftool's JSON");
    all.pop().expect("one file")
}

/// The tags of `bytes` that say something beyond its pixels: everything but what
/// exiftool derives from the file and the image's own structure.
pub fn carried(bytes: &[u8]) -> Vec<String> {
    metadata(bytes)
        .into_iter()
        .filter(|(tag, _)| {
            let (group, name) = tag.split_once(':').unwrap_or(("", tag));
            let structure = match group {
                // What exiftool says of the file and derives from other tags.
                "ExifTool" | "System" | "Composite" => true,
                // A JPEG's comment is a segment exiftool files under File.
                "File" => name != "Comment",
                // The JFIF header: pixel density only.
                "JFIF" => true,
                "PNG" => matches!(
                    name,
                    "ImageWidth"
                        | "ImageHeight"
                        | "BitDepth"
                        | "ColorType"
                        | "Compression"
                        | "Filter"
                        | "Interlace"
                ),
                _ => false,
            };
            !structure && tag != "SourceFile"
        })
        .map(|(tag, value)| format!("{tag}={value}"))
        .collect()
}

/// `POST /reports/{id}/photo` with `body`.
pub fn ask_upload(token: &str, id: &str, body: &Value) -> Request<Body> {
    Request::post(format!("/reports/{id}/photo"))
        .header("authorization", format!("Bearer {token}"))
        .header("content-type", "application/json")
        .body(Body::from(body.to_string()))
        .expect("request")
}

/// Posts `file` to a presigned upload (`{"url", "fields"}`) as a browser's form does:
/// multipart, the fields first, the file last. The status S3 answers.
pub fn post_upload(upload: &Value, file: &[u8]) -> u16 {
    let boundary = "tifli-test-boundary-7MA4YWxkTrZu0gW";
    let mut body = Vec::new();
    for (name, value) in upload["fields"].as_object().expect("fields") {
        write!(
            body,
            "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{}\r\n",
            value.as_str().expect("a text field")
        )
        .expect("write");
    }
    write!(
        body,
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"photo\"\r\n\
         Content-Type: application/octet-stream\r\n\r\n"
    )
    .expect("write");
    body.extend_from_slice(file);
    write!(body, "\r\n--{boundary}--\r\n").expect("write");
    let reply = crate::local::agent()
        .post(upload["url"].as_str().expect("a url"))
        .header(
            "content-type",
            &format!("multipart/form-data; boundary={boundary}"),
        )
        .send(&body[..])
        .expect("the bucket answers");
    reply.status().as_u16()
}

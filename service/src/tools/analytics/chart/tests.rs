//! The chart helpers: labels people read, and a PNG that decodes to what was drawn.

use super::*;

#[test]
fn amounts_read_in_eok_and_man() {
    assert_eq!(manwon_label(0.0), "0");
    assert_eq!(manwon_label(8_500.0), "8,500만");
    assert_eq!(manwon_label(123_456.0), "12.3억");
    assert_eq!(thousands(-1_234_567), "-1,234,567");
    assert_eq!(month_label("202503"), "25.03");
    assert_eq!(month_label("bad"), "bad");
    assert_eq!(last_index(0), 0);
    assert_eq!(last_index(12), 11);
}

#[test]
fn a_drawing_is_encoded_as_a_png_of_the_chart_size() {
    let png = render(|root| footnote(root, "한글 테스트 ㎡ · 1,234만")).unwrap();
    assert_eq!((png.width, png.height), (WIDTH, HEIGHT));
    let decoder = png::Decoder::new(std::io::Cursor::new(&png.bytes));
    let mut reader = decoder.read_info().unwrap();
    let mut pixels = vec![0; reader.output_buffer_size().unwrap()];
    let frame = reader.next_frame(&mut pixels).unwrap();
    assert_eq!((frame.width, frame.height), (WIDTH, HEIGHT));
    // The text was drawn with the bundled font: some pixels are not white.
    let inked = pixels[..frame.buffer_size()]
        .chunks(3)
        .filter(|px| px.iter().any(|c| *c < 200))
        .count();
    assert!(inked > 200, "only {inked} dark pixels");
}

#[test]
fn region_names_lose_their_province() {
    assert_eq!(short_region("서울특별시 마포구"), "마포구");
    assert_eq!(short_region("경기도 성남시 분당구"), "성남시 분당구");
    assert_eq!(short_region("세종특별자치시"), "세종특별자치시");
}

//! Loading a code.go.kr "법정동코드 전체자료" file in its real encodings, and its errors.

use super::*;

fn new_codes(r: &Renamed) -> Vec<&str> {
    r.new.iter().map(|c| c.lawd_cd.as_str()).collect()
}

/// A file in a fresh temporary directory, removed when dropped.
struct Fixture(std::path::PathBuf);

impl Fixture {
    fn new(name: &str, bytes: &[u8]) -> Self {
        use std::sync::atomic::{AtomicUsize, Ordering};
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "regions-test-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(name);
        std::fs::write(&path, bytes).unwrap();
        Self(path)
    }
}

impl Drop for Fixture {
    fn drop(&mut self) {
        if let Some(dir) = self.0.parent() {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

const CODE_GO_KR_SAMPLE: &str = "법정동코드\t법정동명\t폐지여부\r\n\
    1100000000\t서울특별시\t존재\r\n\
    1144000000\t서울특별시 마포구\t존재\r\n\
    1144010100\t서울특별시 마포구 아현동\t존재\r\n\
    1144010200\t서울특별시 마포구 공덕동\t존재\r\n\
    1144099900\t서울특별시 마포구 옛동\t폐지\r\n\
    2811000000\t인천광역시 중구\t존재\r\n\
    2811011000\t인천광역시 중구 운서동\t존재\r\n\
    4111000000\t경기도 수원시\t존재\r\n\
    4111100000\t경기도 수원시 장안구\t존재\r\n\
    4111112900\t경기도 수원시 장안구 파장동\t존재\r\n\
    4182000000\t경기도 가평군\t존재\r\n\
    4182025021\t경기도 가평군 가평읍 달전리\t존재\r\n";

fn check_sample(index: &RegionIndex) {
    assert_eq!(index.sigungu_count(), 4);
    assert_eq!(index.dong_count(), 5);
    let r = match index.lookup("1144010200") {
        Lookup::Resolved(r) => r,
        other => panic!("{other:?}"),
    };
    assert_eq!(
        (
            r.lawd_cd.as_str(),
            r.dong.as_deref(),
            r.dong_code.as_deref()
        ),
        ("11440", Some("공덕동"), Some("1144010200"))
    );
    let Lookup::Resolved(r) = index.lookup("1144099900") else {
        panic!("an abolished 읍면동 code still names its 시군구");
    };
    assert!(r.note.unwrap().contains("not a current 읍면동 code"));
    let Lookup::Resolved(r) = index.lookup("공덕동") else {
        panic!("공덕동 is in the file");
    };
    assert_eq!(r.dong_code.as_deref(), Some("1144010200"));
    let Lookup::Resolved(r) = index.lookup("달전리") else {
        panic!("달전리 is in the file");
    };
    assert_eq!(
        (r.lawd_cd.as_str(), r.dong.as_deref()),
        ("41820", Some("가평읍 달전리"))
    );
    assert_eq!(index.name_of("41111"), Some("경기도 수원시 장안구"));
    assert_eq!(
        index.name_of("41110"),
        None,
        "a 시 with 구 is not a LAWD_CD"
    );
    assert!(matches!(index.lookup("옛동"), Lookup::NotFound { .. }));
}

#[test]
fn override_file_in_utf8_is_loaded() {
    let fixture = Fixture::new("법정동코드 전체자료.txt", CODE_GO_KR_SAMPLE.as_bytes());
    let index = RegionIndex::from_code_go_kr_file(&fixture.0).unwrap();
    check_sample(&index);
    assert_eq!(index.source(), &RegionSource::File(fixture.0.clone()));
}

#[test]
fn override_file_with_bom_is_loaded() {
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend_from_slice(CODE_GO_KR_SAMPLE.as_bytes());
    let fixture = Fixture::new("bom.txt", &bytes);
    check_sample(&RegionIndex::from_code_go_kr_file(&fixture.0).unwrap());
}

#[test]
fn override_file_in_euc_kr_is_loaded() {
    let (bytes, _, unmappable) = encoding_rs::EUC_KR.encode(CODE_GO_KR_SAMPLE);
    assert!(!unmappable);
    assert!(
        std::str::from_utf8(&bytes).is_err(),
        "fixture must not be UTF-8"
    );
    let fixture = Fixture::new("euc-kr.txt", &bytes);
    check_sample(&RegionIndex::from_code_go_kr_file(&fixture.0).unwrap());
}

#[test]
fn the_override_file_decides_which_codes_are_current() {
    let newer = "2812500000\t인천광역시 제물포구\t존재\n2815500000\t인천광역시 영종구\t존재\n";
    let old_and_new = format!("{CODE_GO_KR_SAMPLE}{newer}");
    let fixture = Fixture::new("both.txt", old_and_new.as_bytes());
    let index = RegionIndex::from_code_go_kr_file(&fixture.0).unwrap();
    let Lookup::Resolved(r) = index.lookup("28110") else {
        panic!("the file says 28110 still exists");
    };
    assert_eq!(r.name, "인천광역시 중구");

    let only_new = format!(
        "{}{newer}",
        CODE_GO_KR_SAMPLE
            .replace(
                "2811000000\t인천광역시 중구\t존재",
                "2811000000\t인천광역시 중구\t폐지"
            )
            .replace("2811011000\t인천광역시 중구 운서동\t존재\r\n", "")
    );
    let fixture = Fixture::new("new.txt", only_new.as_bytes());
    let index = RegionIndex::from_code_go_kr_file(&fixture.0).unwrap();
    assert_eq!(
        new_codes(&match index.lookup("28110") {
            Lookup::Renamed(r) => r,
            other => panic!("{other:?}"),
        }),
        vec!["28125", "28155"]
    );
}

#[test]
fn override_file_errors_name_the_file_and_the_fix() {
    let missing = std::env::temp_dir().join("regions-test-no-such-dir/none.txt");
    let err = RegionIndex::from_code_go_kr_file(&missing).unwrap_err();
    assert!(matches!(err, RegionError::Read { .. }));
    assert!(err.to_string().contains("none.txt"), "{err}");
    // The whole chain, as `main` prints it, names the OS error once.
    let chain = format!("{:#}", anyhow::Error::new(err));
    assert_eq!(chain.matches("os error 2").count(), 1, "{chain}");

    let garbage = Fixture::new("garbage.txt", b"\xFF\xFE\xFF\xFE\x00\x81");
    let err = RegionIndex::from_code_go_kr_file(&garbage.0).unwrap_err();
    assert!(matches!(err, RegionError::Encoding { .. }), "{err}");
    assert!(err.to_string().contains("garbage.txt"), "{err}");

    let short = Fixture::new(
        "short.txt",
        "법정동코드\t법정동명\t폐지여부\n1144000000\t마포구\n".as_bytes(),
    );
    let err = RegionIndex::from_code_go_kr_file(&short.0).unwrap_err();
    let message = err.to_string();
    assert!(message.contains("short.txt, line 2"), "{message}");
    assert!(message.contains("3 tab-separated columns"), "{message}");

    let empty = Fixture::new("empty.txt", "법정동코드\t법정동명\t폐지여부\n".as_bytes());
    let err = RegionIndex::from_code_go_kr_file(&empty.0).unwrap_err();
    assert!(matches!(err, RegionError::Empty { .. }), "{err}");
}

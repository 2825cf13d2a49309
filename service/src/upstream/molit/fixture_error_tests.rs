//! Error answers: the recorded ones, and the stand-in's envelopes held to them.

use testkit::molit::{auth_message, render_service_error};

use super::{KEY_REFUSED_PREFIX, UNAUTHORIZED};
use crate::upstream::molit::{Dataset, MolitError, MolitErrorKind, ParseError, parse_page};

#[test]
fn the_bare_401_is_unreadable_so_the_status_explains_it() {
    assert!(matches!(
        parse_page(UNAUTHORIZED.as_bytes()),
        Err(ParseError::Malformed(_))
    ));
    let message = MolitError::new(Dataset::AptTrade, MolitErrorKind::Status(401)).to_string();
    assert!(message.contains("DATA_GO_KR_API_KEY"), "{message}");
}

#[test]
fn the_stand_in_error_envelopes_reach_the_user_with_their_own_advice() {
    for code in ["02", "29", "33"] {
        let parsed = parse_page(render_service_error(code).as_bytes());
        let Err(ParseError::Gateway { code: got, message }) = parsed else {
            panic!("{code}: {parsed:?}");
        };
        assert_eq!((got.as_str(), message.as_str()), (code, auth_message(code)));
        let advice = MolitError::new(
            Dataset::CommercialTrade,
            MolitErrorKind::Gateway { code: got, message },
        )
        .to_string();
        assert!(!advice.contains("not documented"), "{code}: {advice}");
    }
}

/// `text` the way the recorder kept it: every run of blanks as one space, first 160
/// characters.
fn as_recorded(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .take(160)
        .collect()
}

#[test]
fn the_stand_in_refuses_a_key_the_way_the_gateway_did() {
    assert_eq!(KEY_REFUSED_PREFIX.chars().count(), 160);
    assert_eq!(as_recorded(&render_service_error("30")), KEY_REFUSED_PREFIX);
    assert!(
        matches!(
            parse_page(KEY_REFUSED_PREFIX.as_bytes()),
            Err(ParseError::Malformed(_))
        ),
        "a cut-off envelope is not an answer"
    );
    let Err(ParseError::Gateway { code, message }) =
        parse_page(render_service_error("30").as_bytes())
    else {
        panic!("the stand-in's envelope must parse");
    };
    assert_eq!(code, "30");
    assert!(message.starts_with("등록되지 않은 서비스키"), "{message}");
}

#[test]
fn a_refused_key_that_worked_before_may_be_the_gateways_limit() {
    let message = MolitError::new(
        Dataset::AptTradeDetailed,
        MolitErrorKind::Gateway {
            code: "30".into(),
            message: "등록되지 않은 서비스키".into(),
        },
    )
    .to_string();
    assert!(message.contains("DATA_GO_KR_API_KEY"), "{message}");
    assert!(message.contains("earlier today"), "{message}");
}

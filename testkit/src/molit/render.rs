//! The gateway's answers, byte for byte as the live services write them.

use super::items::Item;

/// How a success is worded: the 2024 services or the older ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SuccessStyle {
    /// `000` / `OK`; an empty month is `000` with empty `<items>`.
    #[default]
    Modern,
    /// `00` / `NORMAL SERVICE.`; an empty month is `03` / `NODATA_ERROR`.
    Legacy,
}

/// A `<response>` page: one line, no whitespace between tags, sorted item tags.
pub fn render_page(
    style: SuccessStyle,
    items: &[Item],
    page_no: u32,
    num_of_rows: u32,
    total_count: u32,
) -> String {
    let (code, message) = match style {
        SuccessStyle::Modern => ("000", "OK"),
        SuccessStyle::Legacy if total_count == 0 => ("03", "NODATA_ERROR"),
        SuccessStyle::Legacy => ("00", "NORMAL SERVICE."),
    };
    let mut out = String::with_capacity(200 + items.len() * 600);
    out.push_str(
        r#"<?xml version="1.0" encoding="utf-8" standalone="yes"?><response><header><resultCode>"#,
    );
    out.push_str(code);
    out.push_str("</resultCode><resultMsg>");
    out.push_str(message);
    out.push_str("</resultMsg></header><body><items>");
    for item in items {
        out.push_str("<item>");
        for (tag, value) in item.fields() {
            out.push('<');
            out.push_str(tag);
            out.push('>');
            escape_into(&mut out, value);
            out.push_str("</");
            out.push_str(tag);
            out.push('>');
        }
        out.push_str("</item>");
    }
    out.push_str(&format!(
        "</items><numOfRows>{num_of_rows}</numOfRows><pageNo>{page_no}</pageNo><totalCount>{total_count}</totalCount></body></response>"
    ));
    out
}

/// The gateway's `OpenAPI_ServiceResponse` error envelope for `code`.
///
/// Code 30 follows a live 403 answer recorded in 2026-08 (see
/// `service/tests/fixtures/upstream/README.md`): an XML declaration, the code's name in
/// `errMsg` and Korean words in `returnAuthMsg`. That recording stops after
/// `등록되지 않은 서비스키`, so where the words end and the line breaks are ours. The
/// other codes keep the older documented form, `SERVICE ERROR` and the code's name.
pub fn render_service_error(code: &str) -> String {
    if code == "30" {
        return format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<OpenAPI_ServiceResponse>\n<cmmMsgHeader>\n  <errMsg>{}</errMsg>\n  <returnAuthMsg>{KEY_NOT_REGISTERED_WORDS}</returnAuthMsg>\n  <returnReasonCode>30</returnReasonCode>\n</cmmMsgHeader>\n</OpenAPI_ServiceResponse>",
            auth_message(code)
        );
    }
    format!(
        "<OpenAPI_ServiceResponse>\n\t<cmmMsgHeader>\n\t\t<errMsg>SERVICE ERROR</errMsg>\n\t\t<returnAuthMsg>{}</returnAuthMsg>\n\t\t<returnReasonCode>{code}</returnReasonCode>\n\t</cmmMsgHeader>\n</OpenAPI_ServiceResponse>",
        auth_message(code)
    )
}

/// The Korean words a live code-30 answer carried in `returnAuthMsg`, as far as recorded.
const KEY_NOT_REGISTERED_WORDS: &str = "등록되지 않은 서비스키";

/// The gateway's wording for each documented code (the portal's error-code tables).
pub fn auth_message(code: &str) -> &'static str {
    match code {
        "01" => "APPLICATION_ERROR",
        "02" => "DB_ERROR",
        "04" => "HTTP_ERROR",
        "05" => "SERVICETIME_OUT",
        "10" => "INVALID_REQUEST_PARAMETER_ERROR",
        "11" => "NO_MANDATORY_REQUEST_PARAMETERS_ERROR",
        "12" => "NO_OPENAPI_SERVICE_ERROR",
        "20" => "SERVICE_ACCESS_DENIED_ERROR",
        "21" => "TEMPORARILY_DISABLE_THE_SERVICEKEY_ERROR",
        "22" => "LIMITED_NUMBER_OF_SERVICE_REQUESTS_EXCEEDS_ERROR",
        "23" => "LIMITED_NUMBER_OF_SERVICE_REQUESTS_PER_SECOND_EXCEEDS_ERROR",
        "29" => "BLACKLIST_IP_ACCESS_ERROR",
        "30" => "SERVICE_KEY_IS_NOT_REGISTERED_ERROR",
        "31" => "DEADLINE_HAS_EXPIRED_ERROR",
        "32" => "UNREGISTERED_IP_ERROR",
        "33" => "UNSIGNED_CALL_ERROR",
        _ => "UNKNOWN_ERROR",
    }
}

fn escape_into(out: &mut String, value: &str) {
    for c in value.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            _ => out.push(c),
        }
    }
}

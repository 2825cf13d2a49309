//! What can go wrong when asking MOLIT for a month of deals, and what the user should do.
//!
//! Every message says what happened and what to do next, names the dataset (each needs its
//! own approval on data.go.kr) and never contains the service key.

use std::{fmt, time::Duration};

use super::{Dataset, parse::code_number};
use crate::{
    budget::OverBudget,
    cache::{StaleReason, UpstreamFailure},
};

/// Where the portal hands out keys; used in setup messages.
const PORTAL: &str = "https://www.data.go.kr";

/// A failed month fetch for one dataset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MolitError {
    dataset: Dataset,
    kind: MolitErrorKind,
    /// Requests this fetch sent before it failed (earlier pages, retries): quota spent.
    upstream_calls: u32,
}

/// The kinds of failure, for callers (and tests) that branch on them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MolitErrorKind {
    /// `DATA_GO_KR_API_KEY` is not set.
    MissingKey,
    /// The gateway answered with an error code (either envelope, any HTTP status).
    Gateway {
        /// The code as sent (`30`, `22`, …).
        code: String,
        /// The gateway's own words, already stripped of the key.
        message: String,
    },
    /// An HTTP status without a readable error envelope (429, 5xx, 404, …).
    Status(u16),
    /// No answer within the configured time (after the one retry).
    Timeout(Duration),
    /// The service could not be reached (after the one retry).
    Unreachable(String),
    /// The body was not a readable answer (garbage, HTML, cut off).
    Malformed(String),
    /// Not sent, cut short or not retried: the tool call's time limit (given) ran out.
    Deadline(Duration),
    /// Not sent: today's budget cannot cover it.
    OverBudget(OverBudget),
}

impl MolitError {
    /// A failure of `dataset`.
    pub fn new(dataset: Dataset, kind: MolitErrorKind) -> Self {
        Self {
            dataset,
            kind,
            upstream_calls: 0,
        }
    }

    /// The same failure, noting that the fetch had sent `calls` requests before it.
    pub fn after_calls(mut self, calls: u32) -> Self {
        self.upstream_calls = calls;
        self
    }

    /// Requests the failed fetch sent (pages that arrived before the failure, retries):
    /// they count against the day's quota although the month is not answered.
    pub fn upstream_calls(&self) -> u32 {
        self.upstream_calls
    }

    /// The dataset the request was for.
    pub fn dataset(&self) -> Dataset {
        self.dataset
    }

    /// What went wrong.
    pub fn kind(&self) -> &MolitErrorKind {
        &self.kind
    }

    /// The gateway code as a number, when the failure carried one.
    pub fn gateway_code(&self) -> Option<u16> {
        match &self.kind {
            MolitErrorKind::Gateway { code, .. } => code_number(code),
            _ => None,
        }
    }
}

impl fmt::Display for MolitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.write_kind(f)?;
        match self.upstream_calls {
            0 => Ok(()),
            1 => f.write_str(
                " One data.go.kr request was already sent for this month; it counts against \
                 today's quota.",
            ),
            n => write!(
                f,
                " {n} data.go.kr requests were already sent for this month (the pages that \
                 arrived and any retry); they count against today's quota."
            ),
        }
    }
}

impl MolitError {
    fn write_kind(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = self.dataset.label();
        let service = self.dataset.service();
        let page = self.dataset.page_url();
        let what = format!("MOLIT {label} data ({service})");
        match &self.kind {
            MolitErrorKind::MissingKey => write!(
                f,
                "No data.go.kr service key is configured, so {what} cannot be fetched. Get a key \
                 at {PORTAL} (sign in, apply for the dataset at {page}, then copy the key from \
                 마이페이지 → 개발계정), set it as DATA_GO_KR_API_KEY (the Encoding or the \
                 Decoding form both work) and restart the server. The calculators and region \
                 lookup work without a key."
            ),
            MolitErrorKind::Gateway { code, message } => {
                write_gateway(f, &what, &page, code, message)
            }
            MolitErrorKind::Status(429) => write!(
                f,
                "The data.go.kr gateway refused the request for {what} because too many requests \
                 arrived per second (HTTP 429), even after one retry. Wait a few seconds and ask \
                 again."
            ),
            // The gateway answers a key it does not accept with a bare 401 as well as with
            // 403, so both mean the key or the dataset's approval, never the address.
            MolitErrorKind::Status(status @ (401 | 403)) => write!(
                f,
                "The data.go.kr gateway denied access to {what} (HTTP {status}). Check that \
                 DATA_GO_KR_API_KEY is the key shown on {PORTAL} and that your application for \
                 the dataset at {page} is approved."
            ),
            MolitErrorKind::Status(status) if *status >= 500 => write!(
                f,
                "The data.go.kr service for {what} is failing (HTTP {status}), even after one \
                 retry. This is on their side and usually passes: try again in a few minutes."
            ),
            MolitErrorKind::Status(status) => write!(
                f,
                "The data.go.kr gateway answered HTTP {status} for {what}. Check that \
                 DATA_GO_KR_BASE_URL points at the gateway (default https://apis.data.go.kr)."
            ),
            MolitErrorKind::Timeout(after) => write!(
                f,
                "The data.go.kr service for {what} did not answer within {after:?}, even after \
                 one retry. It is probably overloaded: try again in a minute, or ask for a \
                 smaller district or another month."
            ),
            MolitErrorKind::Unreachable(detail) => write!(
                f,
                "Could not reach the data.go.kr gateway for {what} ({detail}). Check the \
                 server's network access and DATA_GO_KR_BASE_URL, then try again."
            ),
            MolitErrorKind::OverBudget(over) => write!(f, "{what} was not fetched. {over}"),
            MolitErrorKind::Deadline(limit) => write!(
                f,
                "The data.go.kr service for {what} did not answer within this call's time \
                 limit of {secs} seconds (TOOL_DEADLINE_SECS), so this month is missing. The \
                 service is slow right now; ask again in a minute: months that arrived are \
                 cached and cost nothing.",
                secs = limit.as_secs_f32()
            ),
            MolitErrorKind::Malformed(detail) => write!(
                f,
                "The data.go.kr service for {what} sent an answer that could not be read \
                 ({detail}). This is usually a passing fault on their side: try again in a few \
                 minutes."
            ),
        }
    }
}

/// The gateway's codes, as documented by the portal (its error-code table, the older table
/// that also lists 02 and 33, and the current table that adds 29).
fn write_gateway(
    f: &mut fmt::Formatter<'_>,
    what: &str,
    page: &str,
    code: &str,
    message: &str,
) -> fmt::Result {
    let said = if message.is_empty() {
        String::new()
    } else {
        format!(", \"{message}\"")
    };
    let head =
        format!("The data.go.kr gateway refused the request for {what} (code {code}{said}).");
    match code_number(code) {
        Some(30) => write!(
            f,
            "{head} The service key is not registered for this dataset. Either \
             DATA_GO_KR_API_KEY is not the key shown on {PORTAL}, or you have not applied for \
             this dataset at {page}, or the approval is not active yet (a new approval can take \
             a few hours to reach the gateway). Each MOLIT dataset needs its own application. \
             If this key fetched data earlier today, the gateway has also been seen to answer \
             this way once a request limit was reached: then wait and try again later."
        ),
        Some(20) => write!(
            f,
            "{head} Access to this dataset has not been approved for your key. Apply for it \
             (활용신청) at {page} and wait for the approval."
        ),
        Some(21) => write!(
            f,
            "{head} Your service key is temporarily disabled. Check its status on {PORTAL} \
             (마이페이지) and try again later."
        ),
        Some(22) => write!(
            f,
            "{head} The daily request quota for this dataset is used up. It resets at midnight \
             Korea time (KST); answers already fetched stay available from the cache. For a \
             larger quota, request an operating account (운영계정) at {page}."
        ),
        Some(23) => write!(
            f,
            "{head} Too many requests per second. Wait a few seconds and ask again."
        ),
        Some(31) => write!(
            f,
            "{head} Your service key's usage period has expired. Extend it (연장신청) on \
             {PORTAL} under 마이페이지, then try again."
        ),
        Some(32) => write!(
            f,
            "{head} The key is restricted to registered IP addresses and this server's address \
             is not one of them. Add it to the key's settings on {PORTAL}, or remove the \
             restriction."
        ),
        Some(10 | 11) => write!(
            f,
            "{head} The request's parameters were rejected. Check that the region is a 5-digit \
             district code and the month is YYYYMM; if they are, this is a bug worth reporting."
        ),
        Some(12) => write!(
            f,
            "{head} The gateway does not know this service. Check DATA_GO_KR_BASE_URL \
             (default https://apis.data.go.kr); the service may also have moved (see {page})."
        ),
        Some(1 | 4 | 5 | 99) => write!(
            f,
            "{head} The service failed on its side. This usually passes: try again in a few \
             minutes."
        ),
        Some(2) => write!(
            f,
            "{head} The provider's database failed while answering. This is on their side and \
             usually passes: try again in a few minutes."
        ),
        Some(29) => write!(
            f,
            "{head} The gateway has blocked this server's IP address. Check the server's \
             outbound address and ask the data.go.kr help desk (활용지원센터) to lift the block."
        ),
        Some(33) => write!(
            f,
            "{head} The gateway treated the call as unsigned: it did not recognise the service \
             key it carried. Check that DATA_GO_KR_API_KEY is the key shown on {PORTAL} (the \
             Encoding or the Decoding form, copied whole) and that your application at {page} is \
             approved."
        ),
        _ => write!(
            f,
            "{head} This code is not documented. Try again later; if it persists, check the \
             dataset's status at {page}."
        ),
    }
}

impl std::error::Error for MolitError {}

impl UpstreamFailure for MolitError {
    /// Failures of the portal itself let an expired month stand in; anything about the key,
    /// its approvals or the request must reach the person instead.
    fn stale_reason(&self) -> Option<StaleReason> {
        match &self.kind {
            MolitErrorKind::Gateway { .. } => match self.gateway_code() {
                Some(22) => Some(StaleReason::QuotaExhausted),
                Some(23) => Some(StaleReason::RateLimited),
                Some(1 | 4 | 5 | 99) => Some(StaleReason::Unavailable),
                _ => None,
            },
            MolitErrorKind::Status(429) => Some(StaleReason::RateLimited),
            MolitErrorKind::Status(status) if *status >= 500 => Some(StaleReason::Unavailable),
            // The call's own time ran out: an expired month beats no answer.
            MolitErrorKind::Timeout(_) | MolitErrorKind::Deadline(_) => Some(StaleReason::Timeout),
            MolitErrorKind::Unreachable(_) => Some(StaleReason::Unreachable),
            MolitErrorKind::Malformed(_) => Some(StaleReason::Unreadable),
            // This server's own daily budget refused the request: it says when it resets,
            // and the multi-month tools refuse up front on the same grounds.
            MolitErrorKind::MissingKey
            | MolitErrorKind::Status(_)
            | MolitErrorKind::OverBudget(_) => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gateway(code: &str) -> String {
        MolitError::new(
            Dataset::AptTrade,
            MolitErrorKind::Gateway {
                code: code.into(),
                message: "X".into(),
            },
        )
        .to_string()
    }

    #[test]
    fn code_30_explains_the_three_causes_and_links_the_dataset() {
        let message = gateway("30");
        assert!(message.contains("DATA_GO_KR_API_KEY"));
        assert!(message.contains("not applied"));
        assert!(message.contains("not active yet"));
        assert!(message.contains("https://www.data.go.kr/data/15126469/openapi.do"));
        assert!(message.contains("아파트 매매"));
    }

    #[test]
    fn code_22_says_when_the_quota_resets() {
        let message = gateway("22");
        assert!(message.contains("quota"));
        assert!(message.contains("midnight Korea time (KST)"));
    }

    #[test]
    fn every_documented_code_has_its_own_advice() {
        let codes = [
            "01", "02", "04", "05", "10", "11", "12", "20", "21", "22", "23", "29", "30", "31",
            "32", "33", "99",
        ];
        let advice = |code: &str| {
            let message = gateway(code);
            assert!(message.contains(&format!("code {code}")), "{message}");
            message
                .split_once("\"X\").")
                .map(|(_, advice)| advice.to_owned())
                .unwrap()
        };
        let generic = advice("77");
        for code in codes {
            assert_ne!(
                advice(code),
                generic,
                "code {code} fell through to the generic advice"
            );
        }
    }

    #[test]
    fn a_database_error_is_transient_and_an_unsigned_call_is_a_key_problem() {
        let db = gateway("02");
        assert!(db.contains("try again"), "{db}");
        assert!(!db.contains("DATA_GO_KR_API_KEY"), "{db}");
        let unsigned = gateway("33");
        assert!(unsigned.contains("DATA_GO_KR_API_KEY"), "{unsigned}");
        assert!(unsigned.contains("https://www.data.go.kr/data/15126469/openapi.do"));
        let blocked = gateway("29");
        assert!(blocked.contains("blocked"), "{blocked}");
    }

    #[test]
    fn http_401_is_a_key_or_approval_problem_like_403() {
        let text = |status| {
            MolitError::new(Dataset::CommercialTrade, MolitErrorKind::Status(status)).to_string()
        };
        let unauthorized = text(401);
        assert!(unauthorized.contains("HTTP 401"), "{unauthorized}");
        assert!(
            unauthorized.contains("DATA_GO_KR_API_KEY"),
            "{unauthorized}"
        );
        assert!(unauthorized.contains("15126463"), "{unauthorized}");
        assert!(
            !unauthorized.contains("DATA_GO_KR_BASE_URL"),
            "a rejected key is not a wrong gateway address: {unauthorized}"
        );
        assert_eq!(
            unauthorized.replace("HTTP 401", "HTTP 403"),
            text(403),
            "401 and 403 get the same advice"
        );
    }

    #[test]
    fn http_statuses_have_distinct_advice() {
        let text = |status| {
            MolitError::new(Dataset::OfficetelRent, MolitErrorKind::Status(status)).to_string()
        };
        assert!(text(429).contains("per second"));
        assert!(text(503).contains("HTTP 503"));
        assert!(text(503).contains("try again"));
        assert!(text(404).contains("DATA_GO_KR_BASE_URL"));
        assert!(text(403).contains("15126475"));
    }

    #[test]
    fn only_the_portals_own_failures_allow_an_expired_answer() {
        let reason = |kind| MolitError::new(Dataset::AptTrade, kind).stale_reason();
        let gateway = |code: &str| MolitErrorKind::Gateway {
            code: code.into(),
            message: String::new(),
        };
        assert_eq!(reason(gateway("22")), Some(StaleReason::QuotaExhausted));
        assert_eq!(reason(gateway("99")), Some(StaleReason::Unavailable));
        assert_eq!(
            reason(MolitErrorKind::Status(503)),
            Some(StaleReason::Unavailable)
        );
        assert_eq!(
            reason(MolitErrorKind::Timeout(Duration::from_secs(1))),
            Some(StaleReason::Timeout)
        );
        for refused in ["30", "20", "21", "31", "32", "10", "12", "77"] {
            assert_eq!(reason(gateway(refused)), None, "code {refused}");
        }
        assert_eq!(reason(MolitErrorKind::Status(403)), None);
        assert_eq!(reason(MolitErrorKind::MissingKey), None);
    }

    #[test]
    fn a_missing_key_names_the_variable_and_where_to_get_it() {
        let message =
            MolitError::new(Dataset::RowHouseRent, MolitErrorKind::MissingKey).to_string();
        assert!(message.contains("DATA_GO_KR_API_KEY"));
        assert!(message.contains("https://www.data.go.kr/data/15126473/openapi.do"));
    }
}

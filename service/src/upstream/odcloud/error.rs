//! Everything that can go wrong when asking api.odcloud.kr, each with what to do about it.
//!
//! Messages reach the person through the tool result, so each one says what happened and
//! what to do next. None of them ever contains the service key: the only upstream text we
//! repeat (the `msg` of an unexpected refusal) is scrubbed of it first.

use std::{fmt, time::Duration};

use crate::{
    budget::OverBudget,
    cache::{StaleReason, UpstreamFailure},
};

use super::Dataset;

/// A failed request to the Applyhome services.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OdcloudError {
    /// No key configured; the offline tools keep working.
    MissingKey,
    /// The configured key cannot be sent in an HTTP header (control or non-ASCII characters).
    UnusableKey,
    /// HTTP 401 / code -4: the key is wrong or not (yet) approved for this dataset.
    KeyRejected {
        /// The dataset whose approval to check.
        dataset: Dataset,
        /// The upstream code, when the body carried one.
        code: Option<i64>,
    },
    /// Code -3 or HTTP 404: the gateway does not know this service path.
    UnknownService {
        /// The dataset we asked for.
        dataset: Dataset,
    },
    /// HTTP 429, still after the one retry.
    RateLimited {
        /// Seconds the service asked us to wait, if it said.
        retry_after: Option<u64>,
    },
    /// HTTP 5xx, still after the one retry.
    Unavailable {
        /// The final status.
        status: u16,
    },
    /// No answer in time, twice.
    Timeout {
        /// The per-request limit.
        after: Duration,
    },
    /// The service could not be reached, twice.
    Unreachable {
        /// The connection error (never contains the URL or key).
        detail: String,
    },
    /// The HTTP exchange broke in some other way.
    Transport {
        /// What the HTTP layer reported.
        detail: String,
    },
    /// A successful status with a body we cannot read.
    Garbage {
        /// Why it could not be read.
        detail: String,
    },
    /// Not sent, cut short or not retried: the tool call's time limit ran out.
    Deadline {
        /// The call's whole time limit.
        limit: Duration,
    },
    /// Not sent: today's budget cannot cover it.
    OverBudget(OverBudget),
    /// Any other refusal.
    Refused {
        /// The HTTP status.
        status: u16,
        /// The upstream code, if the body carried one.
        code: Option<i64>,
        /// The upstream message, scrubbed of the key.
        message: Option<String>,
    },
}

impl fmt::Display for OdcloudError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OdcloudError::MissingKey => write!(
                f,
                "The Applyhome (청약홈) tools need a data.go.kr service key, and none is configured. \
                 Set `ODCLOUD_API_KEY` (or `DATA_GO_KR_API_KEY`) to your key from data.go.kr \
                 (마이페이지 → 개발계정; either the Encoding or the Decoding form works), make sure \
                 you have applied for {notices} ({notices_page}), {stats} ({stats_page}) and, \
                 for competition rates, {competition} ({competition_page}), then restart the \
                 server. The calculators and region lookup work without a key.",
                notices = Dataset::Notices.portal_name(),
                notices_page = Dataset::Notices.portal_page(),
                stats = STATS.portal_name(),
                stats_page = STATS.portal_page(),
                competition = Dataset::Competition.portal_name(),
                competition_page = Dataset::Competition.portal_page(),
            ),
            OdcloudError::UnusableKey => f.write_str(
                "The configured Applyhome key (`ODCLOUD_API_KEY` or `DATA_GO_KR_API_KEY`) contains \
                 characters that cannot be sent to the service. Copy the key again from data.go.kr \
                 (마이페이지 → 개발계정), without spaces or line breaks, and restart the server.",
            ),
            OdcloudError::KeyRejected { dataset, code } => write!(
                f,
                "api.odcloud.kr rejected the service key{code} (등록되지 않은 인증키). Either the key \
                 in `ODCLOUD_API_KEY` / `DATA_GO_KR_API_KEY` is wrong, or it has not been approved \
                 for {name} yet. Check the application at {page}; a fresh approval can take a few \
                 hours to reach the gateway, so try again later if you applied just now.",
                code = code.map(|c| format!(" (code {c})")).unwrap_or_default(),
                name = dataset.portal_name(),
                page = dataset.portal_page(),
            ),
            OdcloudError::UnknownService { dataset } => write!(
                f,
                "api.odcloud.kr does not know the service `{path}` (등록되지 않은 서비스). Check that \
                 `ODCLOUD_BASE_URL` is `https://api.odcloud.kr/api` (or a mirror of it); if it is, \
                 the dataset may have moved: see {page}.",
                path = dataset.path(),
                page = dataset.portal_page(),
            ),
            OdcloudError::RateLimited { retry_after } => write!(
                f,
                "api.odcloud.kr is limiting requests (HTTP 429), also on a second try. Wait {wait} \
                 and ask again. If it keeps happening, the key's daily quota for this dataset may be \
                 used up; it resets at midnight KST.",
                wait = retry_after
                    .map(|s| format!("{s} seconds"))
                    .unwrap_or_else(|| "a minute".into()),
            ),
            OdcloudError::Unavailable { status } => write!(
                f,
                "The Applyhome service answered HTTP {status}, also on a second try: it is having \
                 trouble on its side. Try again in a few minutes."
            ),
            OdcloudError::Timeout { after } => write!(
                f,
                "api.odcloud.kr did not answer within {secs} seconds, also on a second try. The \
                 service is slow or down; try again in a few minutes.",
                secs = after.as_secs_f32(),
            ),
            OdcloudError::Deadline { limit } => write!(
                f,
                "api.odcloud.kr did not answer within this call's time limit of {secs} seconds \
                 (TOOL_DEADLINE_SECS). The service is slow right now; try again in a minute.",
                secs = limit.as_secs_f32(),
            ),
            OdcloudError::Unreachable { detail } => write!(
                f,
                "Could not reach api.odcloud.kr ({detail}). Check that this server can make \
                 outbound HTTPS requests and that `ODCLOUD_BASE_URL` is right, then try again."
            ),
            OdcloudError::Transport { detail } => write!(
                f,
                "The exchange with api.odcloud.kr failed ({detail}). Try again in a few minutes."
            ),
            OdcloudError::Garbage { detail } => write!(
                f,
                "api.odcloud.kr answered with something other than the expected data ({detail}). \
                 This is usually a passing fault of the service; try again in a few minutes. If it \
                 persists, the service may have changed its format."
            ),
            OdcloudError::OverBudget(over) => write!(f, "{over}"),
            OdcloudError::Refused {
                status,
                code,
                message,
            } => write!(
                f,
                "api.odcloud.kr refused the request (HTTP {status}{code}{message}). Check the \
                 filters you asked for and try again; if it persists the service may have changed.",
                code = code.map(|c| format!(", code {c}")).unwrap_or_default(),
                message = message
                    .as_deref()
                    .map(|m| format!(": {m}"))
                    .unwrap_or_default(),
            ),
        }
    }
}

/// Any statistics kind names the same portal page; used where no request is at hand.
const STATS: Dataset = Dataset::Statistics(super::StatKind::ApplicantsByRegion);

impl std::error::Error for OdcloudError {}

impl OdcloudError {
    /// How an exchange ended, as the `result` label of `upstream_requests_total`.
    pub fn result_label(&self) -> String {
        match self {
            OdcloudError::MissingKey => "missing_key".into(),
            OdcloudError::UnusableKey => "unusable_key".into(),
            OdcloudError::KeyRejected { code, .. } => match code {
                Some(code) => format!("code_{code}"),
                None => "key_rejected".into(),
            },
            OdcloudError::UnknownService { .. } => "unknown_service".into(),
            OdcloudError::RateLimited { .. } => "http_429".into(),
            OdcloudError::Unavailable { status } => format!("http_{status}"),
            OdcloudError::Timeout { .. } => "timeout".into(),
            OdcloudError::Deadline { .. } => "deadline".into(),
            OdcloudError::Unreachable { .. } => "unreachable".into(),
            OdcloudError::Transport { .. } => "transport".into(),
            OdcloudError::Garbage { .. } => "malformed".into(),
            OdcloudError::OverBudget(_) => "over_budget".into(),
            OdcloudError::Refused { status, code, .. } => match code {
                Some(code) => format!("code_{code}"),
                None => format!("http_{status}"),
            },
        }
    }
}

impl UpstreamFailure for OdcloudError {
    /// Failures of the service itself let an expired page stand in; anything about the key,
    /// the service's address or the request must reach the person instead.
    fn stale_reason(&self) -> Option<StaleReason> {
        match self {
            OdcloudError::RateLimited { .. } => Some(StaleReason::RateLimited),
            OdcloudError::Unavailable { .. } => Some(StaleReason::Unavailable),
            OdcloudError::Timeout { .. } | OdcloudError::Deadline { .. } => {
                Some(StaleReason::Timeout)
            }
            OdcloudError::Unreachable { .. } | OdcloudError::Transport { .. } => {
                Some(StaleReason::Unreachable)
            }
            OdcloudError::Garbage { .. } => Some(StaleReason::Unreadable),
            OdcloudError::MissingKey
            | OdcloudError::UnusableKey
            | OdcloudError::KeyRejected { .. }
            | OdcloudError::UnknownService { .. }
            | OdcloudError::Refused { .. }
            // This server's own daily budget: it says when it resets.
            | OdcloudError::OverBudget(_) => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::upstream::odcloud::StatKind;

    #[test]
    fn the_missing_key_message_names_the_variables_and_both_datasets() {
        let text = OdcloudError::MissingKey.to_string();
        assert!(text.contains("ODCLOUD_API_KEY"));
        assert!(text.contains("DATA_GO_KR_API_KEY"));
        assert!(text.contains("15098547"));
        assert!(text.contains("15110812"));
        assert!(text.contains("15098905"));
    }

    #[test]
    fn a_rejected_key_points_at_the_dataset_that_needs_approval() {
        let text = OdcloudError::KeyRejected {
            dataset: Dataset::Statistics(StatKind::WinnersByAge),
            code: Some(-4),
        }
        .to_string();
        assert!(text.contains("code -4"));
        assert!(text.contains("https://www.data.go.kr/data/15110812/openapi.do"));
    }

    #[test]
    fn a_rejected_key_is_never_hidden_by_an_expired_answer() {
        assert_eq!(
            OdcloudError::Unavailable { status: 502 }.stale_reason(),
            Some(StaleReason::Unavailable)
        );
        assert_eq!(
            OdcloudError::RateLimited { retry_after: None }.stale_reason(),
            Some(StaleReason::RateLimited)
        );
        let rejected = OdcloudError::KeyRejected {
            dataset: Dataset::Notices,
            code: Some(-4),
        };
        assert_eq!(rejected.stale_reason(), None);
        assert_eq!(rejected.result_label(), "code_-4");
        assert_eq!(OdcloudError::MissingKey.stale_reason(), None);
    }
}

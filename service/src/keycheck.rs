//! `real-estate-mcp check-key`: which datasets the configured keys are approved for.
//!
//! One portal key serves every dataset, but each dataset needs its own application on
//! data.go.kr, and a missing approval otherwise shows up only as an error inside ChatGPT.
//! This asks each of the 13 MOLIT and 3 Applyhome datasets exactly once, for one row of a
//! fixed district and month (no retry, no paging), and reports which answered, which need
//! an application (with the page to apply on) and how many requests it spent.

use std::io::{self, Write};

use reqwest::{
    StatusCode,
    header::{AUTHORIZATION, HeaderValue},
};
use url::Url;

use crate::{
    config::{Config, url_text},
    upstream::{
        http::UpstreamHttp,
        key::ApiKey,
        molit::{self, MolitError, MolitErrorKind, ParseError},
        odcloud::{self, OdcloudError, Parsed, StatKind},
    },
};

/// The district every MOLIT probe asks for: 종로구, Seoul.
pub const PROBE_DISTRICT: &str = "11110";
/// The month every MOLIT probe asks for: long settled, so the answer never changes.
pub const PROBE_MONTH: &str = "202401";

/// The Applyhome datasets, one approval each (the house-type table rides on the notices').
pub const APPLYHOME: [odcloud::Dataset; 3] = [
    odcloud::Dataset::Notices,
    odcloud::Dataset::Statistics(StatKind::ApplicantsByAge),
    odcloud::Dataset::Competition,
];

/// How one dataset answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// It answered with data: the key is approved for it.
    Approved,
    /// Refused as not registered or not approved (MOLIT code 30 or 20, Applyhome 401/-4).
    NotApproved,
    /// Approved, but today's quota is used up (MOLIT code 22, Applyhome 429).
    QuotaUsedUp,
    /// Something else went wrong; the text says what and what to do.
    Failed(String),
    /// Not asked: no key is configured for this portal.
    NoKey,
}

/// One dataset's line in the report.
#[derive(Debug, Clone)]
pub struct Probe {
    /// What people call the data, e.g. `아파트 매매` or the Applyhome service's name.
    pub name: String,
    /// The gateway service, e.g. `RTMSDataSvcAptTrade`, or the Applyhome path.
    pub service: String,
    /// The data.go.kr page where the dataset is applied for.
    pub page: String,
    /// What happened.
    pub outcome: Outcome,
}

/// Everything `check-key` found.
#[derive(Debug, Clone, Default)]
pub struct KeyReport {
    /// The MOLIT datasets, in the tools' order.
    pub molit: Vec<Probe>,
    /// The Applyhome datasets.
    pub applyhome: Vec<Probe>,
    /// Requests sent upstream, each costing one unit of that dataset's daily quota.
    pub requests: u32,
}

/// Asks every dataset once with the configured keys.
pub async fn run(config: &Config) -> anyhow::Result<KeyReport> {
    let http = UpstreamHttp::new(config.http.clone())?;
    let mut report = KeyReport::default();
    for dataset in molit::Dataset::ALL {
        let outcome = match &config.data_go_kr_key {
            None => Outcome::NoKey,
            Some(key) => {
                report.requests += 1;
                ask_molit(&http, &config.data_go_kr_base_url, key, dataset).await
            }
        };
        report.molit.push(Probe {
            name: dataset.label().to_owned(),
            service: dataset.service().to_owned(),
            page: dataset.page_url(),
            outcome,
        });
    }
    for dataset in APPLYHOME {
        let outcome = match &config.odcloud_key {
            None => Outcome::NoKey,
            Some(key) => {
                report.requests += 1;
                ask_applyhome(&http, &config.odcloud_base_url, key, dataset).await
            }
        };
        report.applyhome.push(Probe {
            name: dataset.portal_name().to_owned(),
            service: dataset.path(),
            page: dataset.portal_page().to_owned(),
            outcome,
        });
    }
    Ok(report)
}

async fn ask_molit(
    http: &UpstreamHttp,
    base_url: &Url,
    key: &ApiKey,
    dataset: molit::Dataset,
) -> Outcome {
    let url = format!("{}{}", url_text(base_url), dataset.path());
    let request = http.client().get(&url).query(&[
        ("serviceKey", key.expose()),
        ("LAWD_CD", PROBE_DISTRICT),
        ("DEAL_YMD", PROBE_MONTH),
        ("pageNo", "1"),
        ("numOfRows", "1"),
    ]);
    let (status, body) = match send(request).await {
        Ok(answer) => answer,
        Err(failure) => return Outcome::Failed(failure),
    };
    let kind = match molit::parse_page(&body) {
        Ok(_) if status.is_success() => return Outcome::Approved,
        // The gateway's own words are dropped: they could echo the key.
        Err(ParseError::Gateway { code, .. }) => match code.trim().parse::<u16>() {
            Ok(30 | 20) => return Outcome::NotApproved,
            Ok(22) => return Outcome::QuotaUsedUp,
            _ => MolitErrorKind::Gateway {
                code,
                message: String::new(),
            },
        },
        _ if status == StatusCode::FORBIDDEN => return Outcome::NotApproved,
        Ok(_) => MolitErrorKind::Status(status.as_u16()),
        Err(ParseError::Malformed(detail)) => MolitErrorKind::Malformed(detail),
    };
    Outcome::Failed(MolitError::new(dataset, kind).to_string())
}

async fn ask_applyhome(
    http: &UpstreamHttp,
    base_url: &Url,
    key: &ApiKey,
    dataset: odcloud::Dataset,
) -> Outcome {
    let Ok(mut header) = HeaderValue::from_str(&format!("Infuser {}", key.expose())) else {
        return Outcome::Failed(OdcloudError::UnusableKey.to_string());
    };
    header.set_sensitive(true);
    let url = format!("{}{}", url_text(base_url), dataset.path());
    let request = http
        .client()
        .get(&url)
        .header(AUTHORIZATION, header)
        .query(&[("page", "1"), ("perPage", "1"), ("returnType", "JSON")]);
    let (status, body) = match send(request).await {
        Ok(answer) => answer,
        Err(failure) => return Outcome::Failed(failure),
    };
    let parsed = odcloud::parse_body::<serde_json::Value>(&body);
    let error = match (status, parsed) {
        (
            _,
            Ok(Parsed::Refusal {
                code: -4 | -401, ..
            }),
        )
        | (StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN, _) => return Outcome::NotApproved,
        (StatusCode::TOO_MANY_REQUESTS, _) => return Outcome::QuotaUsedUp,
        (status, Ok(Parsed::Page(_))) if status.is_success() => return Outcome::Approved,
        (StatusCode::NOT_FOUND, _) | (_, Ok(Parsed::Refusal { code: -3, .. })) => {
            OdcloudError::UnknownService { dataset }
        }
        (status, _) if status.is_server_error() => OdcloudError::Unavailable {
            status: status.as_u16(),
        },
        (status, Err(unreadable)) if status.is_success() => OdcloudError::Garbage {
            detail: unreadable.0,
        },
        (status, Ok(Parsed::Refusal { code, .. })) => OdcloudError::Refused {
            status: status.as_u16(),
            code: Some(code),
            message: None,
        },
        (status, _) => OdcloudError::Refused {
            status: status.as_u16(),
            code: None,
            message: None,
        },
    };
    Outcome::Failed(error.to_string())
}

/// Sends once: a retry would spend a second unit of the quota this command is sparing.
async fn send(request: reqwest::RequestBuilder) -> Result<(StatusCode, bytes::Bytes), String> {
    // The URL carries the key: never let it into a message.
    let describe = |e: reqwest::Error| {
        let e = e.without_url();
        let mut cause = e.to_string();
        let mut source = std::error::Error::source(&e);
        while let Some(inner) = source {
            cause = format!("{cause}: {inner}");
            source = inner.source();
        }
        if e.is_timeout() {
            format!(
                "no answer in time ({cause}); the portal may be slow: try again later, or \
                 raise UPSTREAM_TIMEOUT_SECS"
            )
        } else if e.is_connect() {
            format!("could not connect ({cause}); check this machine's internet access")
        } else {
            format!("the request failed ({cause})")
        }
    };
    let response = request.send().await.map_err(describe)?;
    let status = response.status();
    let body = response.bytes().await.map_err(describe)?;
    Ok((status, body))
}

impl KeyReport {
    /// Every probe, MOLIT first.
    pub fn probes(&self) -> impl Iterator<Item = &Probe> {
        self.molit.iter().chain(&self.applyhome)
    }

    /// True when every dataset answered (a used-up quota still means approved).
    pub fn all_approved(&self) -> bool {
        self.probes()
            .all(|p| matches!(p.outcome, Outcome::Approved | Outcome::QuotaUsedUp))
    }

    /// Writes the report for a person: one line per dataset, the page to apply on for each
    /// missing approval, a summary and the number of requests spent.
    pub fn print(&self, w: &mut dyn Write) -> io::Result<()> {
        writeln!(
            w,
            "Asking each dataset once for one row (district {PROBE_DISTRICT}, month {PROBE_MONTH})."
        )?;
        let sections = [
            ("MOLIT 실거래가 (DATA_GO_KR_API_KEY)", &self.molit),
            (
                "청약홈 Applyhome (ODCLOUD_API_KEY, or DATA_GO_KR_API_KEY when unset)",
                &self.applyhome,
            ),
        ];
        for (title, probes) in sections {
            writeln!(w, "\n{title}")?;
            for probe in probes {
                print_probe(w, probe)?;
            }
        }
        let total = self.molit.len() + self.applyhome.len();
        let approved = self
            .probes()
            .filter(|p| matches!(p.outcome, Outcome::Approved | Outcome::QuotaUsedUp))
            .count();
        let refused = self
            .probes()
            .filter(|p| p.outcome == Outcome::NotApproved)
            .count();
        let asked = self
            .probes()
            .filter(|p| p.outcome != Outcome::NoKey)
            .count();
        writeln!(w)?;
        if asked == 0 {
            writeln!(
                w,
                "No key is configured: get one at https://www.data.go.kr, set \
                 DATA_GO_KR_API_KEY in .env and run check-key again (docs/data-go-kr.md)."
            )?;
        } else if refused == asked {
            writeln!(
                w,
                "Every dataset refused the key. That usually means the key itself is wrong, not \
                 that approvals are missing: copy it again from data.go.kr (마이페이지 → \
                 개발계정; the Encoding or the Decoding form), without spaces, into .env and run \
                 check-key again. A key issued minutes ago may also not have reached the \
                 gateway yet: wait an hour."
            )?;
        } else if refused > 0 {
            writeln!(
                w,
                "Apply (활용신청) on the pages above for the datasets marked FAIL. Approval is \
                 usually automatic within minutes, but can take a few hours to reach the \
                 gateway: run check-key again later (docs/data-go-kr.md)."
            )?;
        }
        writeln!(w, "{approved} of {total} datasets approved.")?;
        writeln!(
            w,
            "Requests used: {} (one per dataset, each counted against that dataset's daily \
             limit).",
            self.requests
        )
    }
}

fn print_probe(w: &mut dyn Write, probe: &Probe) -> io::Result<()> {
    let (label, note) = match &probe.outcome {
        Outcome::Approved => ("PASS", None),
        Outcome::QuotaUsedUp => (
            "WARN",
            Some("approved, but today's quota is used up; it resets at midnight KST".to_owned()),
        ),
        Outcome::NotApproved => (
            "FAIL",
            Some(format!(
                "not approved for this key: apply at {}",
                probe.page
            )),
        ),
        Outcome::Failed(detail) => ("FAIL", Some(detail.clone())),
        Outcome::NoKey => (
            "SKIP",
            Some(format!(
                "no key configured: get one at https://www.data.go.kr and apply at {}",
                probe.page
            )),
        ),
    };
    writeln!(w, "{label}  {} ({})", probe.name, probe.service)?;
    if let Some(note) = note {
        writeln!(w, "      {note}")?;
    }
    Ok(())
}

//! A stand-in for api.odcloud.kr: the Applyhome notice service, its house-type table, the
//! competition table and the six statistics operations, on 127.0.0.1 with an ephemeral
//! port.
//!
//! It behaves like the live gateway where our client depends on it: the key by
//! `Authorization: Infuser <key>` or `serviceKey`, the 401 `{"code":-4}` envelope for a
//! wrong key (`-401` when none is sent), `{"code":-3}` for an unknown service, `page` /
//! `perPage` paging with `matchCount` counting the filtered rows, and `cond[FIELD::OP]`
//! filters. It is stricter than the gateway in one way: a filter on a column the
//! operation does not support is refused, so a typo in our client fails a test instead of
//! silently returning unfiltered rows. Faults (429, 5xx, slow, garbage) can be switched on.

mod catalog;
pub mod data;
pub mod detail;

use std::{
    sync::{
        Arc, Mutex,
        atomic::{AtomicU64, Ordering},
    },
    time::Duration,
};

use actix_web::{
    HttpRequest, HttpResponse,
    http::{StatusCode, header},
    web,
};
use serde_json::{Value, json};

use crate::serve::{Server, lock};
use catalog::Dataset;

/// The key the stand-in accepts. It holds `+`, `/` and `=` so that a client encoding it
/// twice, or not at all, is caught.
pub const TEST_KEY: &str = "odcloud+test/key==";

/// Path of the notice service, below the base URL.
pub const NOTICE_PATH: &str = "/ApplyhomeInfoDetailSvc/v1/getAPTLttotPblancDetail";

/// Path prefix of the statistics operations, below the base URL.
pub const STATISTICS_PATH: &str = "/ApplyhomeStatSvc/v1/";

/// Path of the house-type (주택형) table of notices, below the base URL.
pub const HOUSE_TYPES_PATH: &str = "/ApplyhomeInfoDetailSvc/v1/getAPTLttotPblancMdl";

/// Path of the competition table of notices, below the base URL.
pub const COMPETITION_PATH: &str = "/ApplyhomeInfoCmpetRtSvc/v1/getAPTLttotPblancCmpet";

/// A failure the stand-in can be told to produce.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// HTTP 429 with `Retry-After: 7`.
    RateLimited,
    /// HTTP 503 with an HTML body, as a gateway in trouble sends.
    ServerError,
    /// Wait this long before answering normally.
    Slow(Duration),
    /// HTTP 200 with an HTML body instead of JSON.
    Garbage,
}

/// How a request carried the key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyVia {
    /// `Authorization: Infuser <key>`.
    Header,
    /// The `serviceKey` query parameter.
    Query,
}

/// A request as the stand-in saw it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeenRequest {
    /// Path below the host, e.g. `/api/ApplyhomeStatSvc/v1/getAPTReqstAgeStat`.
    pub path: String,
    /// Decoded query parameters, in order (`serviceKey` included if sent).
    pub params: Vec<(String, String)>,
    /// Where the key was found, if it was.
    pub key_via: Option<KeyVia>,
    /// Whether the key matched [`TEST_KEY`].
    pub key_ok: bool,
}

impl SeenRequest {
    /// The value of a query parameter.
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

struct State {
    requests: AtomicU64,
    seen: Mutex<Vec<SeenRequest>>,
    /// The fault and how many more requests it applies to (`None`: until healed).
    fault: Mutex<Option<(Fault, Option<u32>)>>,
    /// Paths (below `/api`) whose approval the test key lacks.
    unapproved: Mutex<Vec<String>>,
}

/// A running stand-in; stops when dropped.
pub struct OdcloudStandIn {
    base_url: String,
    state: Arc<State>,
    _server: Server,
}

impl OdcloudStandIn {
    /// Starts a stand-in on 127.0.0.1 with an ephemeral port.
    pub async fn start() -> anyhow::Result<Self> {
        let (listener, addr) = Server::bind()?;
        let state = Arc::new(State {
            requests: AtomicU64::new(0),
            seen: Mutex::new(Vec::new()),
            fault: Mutex::new(None),
            unapproved: Mutex::new(Vec::new()),
        });
        let shared = web::Data::from(Arc::clone(&state));
        let server = Server::start(listener, move |app| {
            app.app_data(shared.clone())
                .default_service(web::to(answer));
        })?;
        Ok(Self {
            base_url: format!("http://{addr}/api"),
            state,
            _server: server,
        })
    }

    /// The base URL to configure as `ODCLOUD_BASE_URL`, ending in `/api`.
    pub fn base_url(&self) -> String {
        self.base_url.clone()
    }

    /// Requests received so far, faulted ones included.
    pub fn requests(&self) -> u64 {
        self.state.requests.load(Ordering::SeqCst)
    }

    /// Every request received so far, oldest first.
    pub fn seen(&self) -> Vec<SeenRequest> {
        lock(&self.state.seen).clone()
    }

    /// The most recent request.
    pub fn last(&self) -> Option<SeenRequest> {
        lock(&self.state.seen).last().cloned()
    }

    /// Produces `fault` for every request until [`heal`](Self::heal).
    pub fn fail_with(&self, fault: Fault) {
        *lock(&self.state.fault) = Some((fault, None));
    }

    /// Produces `fault` for the next `times` requests only.
    pub fn fail_times(&self, fault: Fault, times: u32) {
        *lock(&self.state.fault) = Some((fault, Some(times)));
    }

    /// Stops producing faults.
    pub fn heal(&self) {
        *lock(&self.state.fault) = None;
    }

    /// Answers the test key at `path` (below the base URL, e.g. [`COMPETITION_PATH`]) as a
    /// key not approved for that dataset: 401 `{"code":-4}`, the same as a wrong key.
    pub fn withhold_approval(&self, path: &str) {
        lock(&self.state.unapproved).push(format!("/api{path}"));
    }
}

async fn answer(request: HttpRequest, state: web::Data<State>) -> HttpResponse {
    state.requests.fetch_add(1, Ordering::SeqCst);
    let params = web::Query::<Vec<(String, String)>>::from_query(request.query_string())
        .map(web::Query::into_inner)
        .unwrap_or_default();
    let (key_via, key) = presented_key(&request, &params);
    lock(&state.seen).push(SeenRequest {
        path: request.path().to_owned(),
        params: params.clone(),
        key_via,
        key_ok: key.as_deref() == Some(TEST_KEY),
    });

    if let Some(response) = take_fault(&state).await {
        return response;
    }
    let Some(dataset) = Dataset::at(request.path()) else {
        return envelope(StatusCode::NOT_FOUND, -3, "등록되지 않은 서비스 입니다.");
    };
    match key.as_deref() {
        None => return envelope(StatusCode::UNAUTHORIZED, -401, "인증키는 필수 항목 입니다."),
        Some(TEST_KEY) if !lock(&state.unapproved).iter().any(|p| p == request.path()) => {}
        Some(_) => return envelope(StatusCode::UNAUTHORIZED, -4, "등록되지 않은 인증키 입니다."),
    }
    serve_page(&dataset, &params)
}

fn presented_key(
    request: &HttpRequest,
    params: &[(String, String)],
) -> (Option<KeyVia>, Option<String>) {
    if let Some(value) = request.headers().get(header::AUTHORIZATION) {
        // Anything but the `Infuser` scheme counts as a wrong (empty) key.
        let key = value
            .to_str()
            .ok()
            .and_then(|text| text.strip_prefix("Infuser "))
            .unwrap_or_default();
        return (Some(KeyVia::Header), Some(key.to_owned()));
    }
    match params.iter().find(|(k, _)| k == "serviceKey") {
        Some((_, v)) => (Some(KeyVia::Query), Some(v.clone())),
        None => (None, None),
    }
}

async fn take_fault(state: &State) -> Option<HttpResponse> {
    let fault = {
        let mut slot = lock(&state.fault);
        let current = *slot;
        match current {
            None => None,
            Some((fault, None)) => Some(fault),
            Some((fault, Some(left))) => {
                *slot = (left > 1).then_some((fault, Some(left - 1)));
                Some(fault)
            }
        }
    }?;
    match fault {
        Fault::RateLimited => Some(
            HttpResponse::TooManyRequests()
                .insert_header((header::RETRY_AFTER, "7"))
                .body("Too Many Requests"),
        ),
        Fault::ServerError => Some(
            HttpResponse::ServiceUnavailable()
                .content_type("text/html")
                .body("<html><body><h1>503 Service Temporarily Unavailable</h1></body></html>"),
        ),
        Fault::Slow(delay) => {
            tokio::time::sleep(delay).await;
            None
        }
        Fault::Garbage => Some(HttpResponse::Ok().content_type("text/html").body(
            "<html><head><title>점검 중</title></head><body>서비스 점검 중입니다</body></html>",
        )),
    }
}

fn envelope(status: StatusCode, code: i64, msg: &str) -> HttpResponse {
    HttpResponse::build(status).json(json!({ "code": code, "msg": msg }))
}

fn serve_page(dataset: &Dataset, params: &[(String, String)]) -> HttpResponse {
    // A bad value yields the parameter's name, for the refusal message.
    let number = |name: &'static str, default: usize| -> Result<usize, &'static str> {
        match params.iter().find(|(k, _)| k == name) {
            None => Ok(default),
            Some((_, v)) => v.parse::<usize>().ok().filter(|n| *n >= 1).ok_or(name),
        }
    };
    let (page, per_page) = match (number("page", 1), number("perPage", 10)) {
        (Ok(page), Ok(per_page)) => (page, per_page),
        (Err(name), _) | (_, Err(name)) => {
            let msg = format!("{name} 값이 올바르지 않습니다.");
            return envelope(StatusCode::BAD_REQUEST, -2, &msg);
        }
    };
    let mut matching: Vec<&Value> = dataset.rows.iter().collect();
    for (name, value) in params {
        let Some(condition) = name.strip_prefix("cond[").and_then(|c| c.strip_suffix(']')) else {
            continue;
        };
        if !dataset.accepts(condition) {
            return envelope(
                StatusCode::BAD_REQUEST,
                -2,
                &format!("stand-in: this operation has no filter {condition}"),
            );
        }
        let Some((field, op)) = condition.split_once("::") else {
            continue;
        };
        matching.retain(|row| keeps(row, field, op, value));
    }
    let data: Vec<&Value> = matching
        .iter()
        .skip((page - 1) * per_page)
        .take(per_page)
        .copied()
        .collect();
    HttpResponse::Ok().json(json!({
        "currentCount": data.len(),
        "data": data,
        "matchCount": matching.len(),
        "page": page,
        "perPage": per_page,
        "totalCount": dataset.rows.len(),
    }))
}

fn keeps(row: &Value, field: &str, op: &str, wanted: &str) -> bool {
    let cell = match row.get(field) {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Null) | None => return false,
        Some(other) => other.to_string(),
    };
    match op {
        "EQ" => cell == wanted,
        "LIKE" => cell.contains(wanted),
        "LT" => cell.as_str() < wanted,
        "LTE" => cell.as_str() <= wanted,
        "GT" => cell.as_str() > wanted,
        "GTE" => cell.as_str() >= wanted,
        _ => false,
    }
}

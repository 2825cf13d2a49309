//! A stand-in for the MOLIT RTMS gateway (apis.data.go.kr) on 127.0.0.1, port 0.
//!
//! It answers like the live gateway: the exact envelopes, sorted tags, single-space empties,
//! paging by `pageNo`/`numOfRows` with the month's `totalCount`, `000` or `00`/`03`, both
//! error envelopes, bare HTTP failures, slow answers, garbage and cut-off bodies. It checks
//! that `serviceKey` arrives percent-decoded exactly once: a key encoded twice gets code 30,
//! as it does live. Every request is counted, in total, per key and per month, so tests can
//! assert how much quota a call cost.

mod generate;
mod items;
mod render;
mod tags;

use std::{
    collections::{BTreeMap, HashMap, HashSet, VecDeque},
    sync::{
        Mutex, MutexGuard,
        atomic::{AtomicU32, Ordering},
    },
    time::Duration,
};

use actix_web::{HttpResponse, http::StatusCode, web};

use crate::serve::{Server, lock};

pub use items::{Item, Kind, generate, with_commas};
pub use render::{SuccessStyle, auth_message, render_page, render_service_error};

/// A way for the stand-in to misbehave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    /// The `OpenAPI_ServiceResponse` envelope with `code`, sent with HTTP `status`.
    Gateway {
        /// `30`, `22`, … (see [`auth_message`]).
        code: &'static str,
        /// 200 historically; 403 for code 30 in recent reports.
        status: u16,
    },
    /// A bare HTTP status with a short plain-text body (429, 500, 503, 504, …).
    Status(u16),
    /// Wait this long, then answer normally.
    Slow(Duration),
    /// HTTP 200 with an HTML error page instead of XML.
    Garbage,
    /// HTTP 200 with only the first half of the real answer.
    Truncated,
}

impl Fault {
    /// Code 30 (key not registered for the dataset) with the given HTTP status.
    pub fn key_not_registered(status: u16) -> Self {
        Fault::Gateway { code: "30", status }
    }

    /// Code 22 (daily quota used up), HTTP 200.
    pub fn quota_exceeded() -> Self {
        Fault::Gateway {
            code: "22",
            status: 200,
        }
    }
}

type MonthKey = (Kind, String, String);

struct State {
    accepted_keys: HashSet<String>,
    months: HashMap<MonthKey, Vec<Item>>,
    month_faults: HashMap<MonthKey, Fault>,
    page_faults: HashMap<(MonthKey, u32), Fault>,
    queued: VecDeque<Fault>,
    style: SuccessStyle,
    latency: Duration,
    page_cap: Option<u32>,
    key_error_status: u16,
    per_key: HashMap<String, u32>,
    per_month: HashMap<MonthKey, u32>,
}

struct Shared {
    state: Mutex<State>,
    total: AtomicU32,
    in_flight: AtomicU32,
    max_in_flight: AtomicU32,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        lock(&self.state)
    }
}

/// The running stand-in. Stops when dropped.
pub struct MolitStandIn {
    base_url: String,
    shared: web::Data<Shared>,
    _server: Server,
}

impl MolitStandIn {
    /// Starts a gateway that accepts `accepted_key` (raw, decoded form) for every service.
    /// Months not configured answer as empty months.
    pub async fn start(accepted_key: &str) -> std::io::Result<Self> {
        let shared = web::Data::new(Shared {
            state: Mutex::new(State {
                accepted_keys: HashSet::from([accepted_key.to_owned()]),
                months: HashMap::new(),
                month_faults: HashMap::new(),
                page_faults: HashMap::new(),
                queued: VecDeque::new(),
                style: SuccessStyle::Modern,
                latency: Duration::ZERO,
                page_cap: None,
                key_error_status: 200,
                per_key: HashMap::new(),
                per_month: HashMap::new(),
            }),
            total: AtomicU32::new(0),
            in_flight: AtomicU32::new(0),
            max_in_flight: AtomicU32::new(0),
        });
        let data = shared.clone();
        let (listener, addr) = Server::bind()?;
        let server = Server::start(listener, move |app| {
            app.app_data(data.clone())
                .route("/1613000/{service}/{operation}", web::get().to(serve));
        })?;
        Ok(Self {
            base_url: format!("http://{addr}"),
            shared,
            _server: server,
        })
    }

    /// `http://127.0.0.1:<port>`, to use as `DATA_GO_KR_BASE_URL`.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// Accepts one more key (for tests that count per key).
    pub fn accept_key(&self, key: &str) {
        self.shared.lock().accepted_keys.insert(key.to_owned());
    }

    /// Serves `items` for `kind`, district `lawd_cd`, month `deal_ymd` (`YYYYMM`).
    pub fn put_month(&self, kind: Kind, lawd_cd: &str, deal_ymd: &str, items: Vec<Item>) {
        self.shared
            .lock()
            .months
            .insert((kind, lawd_cd.to_owned(), deal_ymd.to_owned()), items);
    }

    /// Serves `items` for `kind` in district `lawd_cd`, each in the month its `dealYear` and
    /// `dealMonth` name (see [`Item::deal_ymd`]); a month served before is replaced.
    ///
    /// # Panics
    ///
    /// If an item names no month: the test forgot to date it.
    pub fn put_deals(&self, kind: Kind, lawd_cd: &str, items: Vec<Item>) {
        let mut months: BTreeMap<String, Vec<Item>> = BTreeMap::new();
        for item in items {
            let Some(deal_ymd) = item.deal_ymd() else {
                panic!("an item without dealYear and dealMonth: {item:?}");
            };
            months.entry(deal_ymd).or_default().push(item);
        }
        for (deal_ymd, items) in months {
            self.put_month(kind, lawd_cd, &deal_ymd, items);
        }
    }

    /// Serves `count` generated items (see [`Item::generated`]) and returns them.
    pub fn put_generated(
        &self,
        kind: Kind,
        lawd_cd: &str,
        deal_ymd: &str,
        count: u32,
    ) -> Vec<Item> {
        let items = generate(kind, lawd_cd, deal_ymd, count);
        self.put_month(kind, lawd_cd, deal_ymd, items.clone());
        items
    }

    /// Makes every request for this month misbehave until cleared with `None`.
    pub fn set_month_fault(&self, kind: Kind, lawd_cd: &str, deal_ymd: &str, fault: Option<Fault>) {
        let key = (kind, lawd_cd.to_owned(), deal_ymd.to_owned());
        let mut state = self.shared.lock();
        match fault {
            Some(fault) => state.month_faults.insert(key, fault),
            None => state.month_faults.remove(&key),
        };
    }

    /// Makes every request for page `page_no` of this month misbehave until cleared with
    /// `None`, so a month can fail part-way.
    pub fn set_page_fault(
        &self,
        kind: Kind,
        lawd_cd: &str,
        deal_ymd: &str,
        page_no: u32,
        fault: Option<Fault>,
    ) {
        let key = ((kind, lawd_cd.to_owned(), deal_ymd.to_owned()), page_no);
        let mut state = self.shared.lock();
        match fault {
            Some(fault) => state.page_faults.insert(key, fault),
            None => state.page_faults.remove(&key),
        };
    }

    /// The next requests (whatever they ask for) misbehave in this order, one fault each.
    pub fn fail_next(&self, faults: impl IntoIterator<Item = Fault>) {
        self.shared.lock().queued.extend(faults);
    }

    /// Success wording: the 2024 services (`000`) or the older ones (`00`, `03`).
    pub fn set_style(&self, style: SuccessStyle) {
        self.shared.lock().style = style;
    }

    /// Delay before every answer, so concurrent requests overlap.
    pub fn set_latency(&self, latency: Duration) {
        self.shared.lock().latency = latency;
    }

    /// Serve at most `rows` items per page whatever `numOfRows` asks for.
    pub fn set_page_cap(&self, rows: u32) {
        self.shared.lock().page_cap = Some(rows);
    }

    /// HTTP status sent with code 30 for an unknown key (200 historically, 403 lately).
    pub fn set_key_error_status(&self, status: u16) {
        self.shared.lock().key_error_status = status;
    }

    /// Requests received, of any kind.
    pub fn requests(&self) -> u32 {
        self.shared.total.load(Ordering::SeqCst)
    }

    /// Requests that carried `key` (decoded), accepted or not.
    pub fn requests_with_key(&self, key: &str) -> u32 {
        self.shared.lock().per_key.get(key).copied().unwrap_or(0)
    }

    /// Requests for one month of one service.
    pub fn requests_for(&self, kind: Kind, lawd_cd: &str, deal_ymd: &str) -> u32 {
        let key = (kind, lawd_cd.to_owned(), deal_ymd.to_owned());
        self.shared.lock().per_month.get(&key).copied().unwrap_or(0)
    }

    /// The most requests that were being answered at the same moment.
    pub fn max_in_flight(&self) -> u32 {
        self.shared.max_in_flight.load(Ordering::SeqCst)
    }
}

struct InFlight<'a>(&'a Shared);

impl<'a> InFlight<'a> {
    fn enter(shared: &'a Shared) -> Self {
        let now = shared.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
        shared.max_in_flight.fetch_max(now, Ordering::SeqCst);
        Self(shared)
    }
}

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.0.in_flight.fetch_sub(1, Ordering::SeqCst);
    }
}

/// What one request needs from the shared state, taken under the lock once.
struct Plan {
    kind: Option<Kind>,
    key_ok: bool,
    key_error_status: u16,
    fault: Option<Fault>,
    latency: Duration,
    style: SuccessStyle,
    page_cap: Option<u32>,
    items: Vec<Item>,
}

async fn serve(
    path: web::Path<(String, String)>,
    query: web::Query<HashMap<String, String>>,
    shared: web::Data<Shared>,
) -> HttpResponse {
    let _in_flight = InFlight::enter(&shared);
    shared.total.fetch_add(1, Ordering::SeqCst);
    let (service, operation) = path.into_inner();
    let param = |name: &str| query.get(name).cloned();
    let key = param("serviceKey").unwrap_or_default();
    let (lawd_cd, deal_ymd) = (param("LAWD_CD"), param("DEAL_YMD"));
    let kind = Kind::from_service(&service).filter(|_| operation == format!("get{service}"));
    let plan = {
        let mut state = shared.lock();
        *state.per_key.entry(key.clone()).or_default() += 1;
        let month = match (kind, &lawd_cd, &deal_ymd) {
            (Some(kind), Some(lawd), Some(ymd)) => Some((kind, lawd.clone(), ymd.clone())),
            _ => None,
        };
        if let Some(month) = &month {
            *state.per_month.entry(month.clone()).or_default() += 1;
        }
        let queued = state.queued.pop_front();
        let page_no = param("pageNo")
            .and_then(|p| p.trim().parse::<u32>().ok())
            .unwrap_or(1);
        let fault = queued.or_else(|| {
            let month = month.as_ref()?;
            state
                .page_faults
                .get(&(month.clone(), page_no))
                .or_else(|| state.month_faults.get(month))
                .cloned()
        });
        Plan {
            kind,
            key_ok: state.accepted_keys.contains(&key),
            key_error_status: state.key_error_status,
            fault,
            latency: state.latency,
            style: state.style,
            page_cap: state.page_cap,
            items: month
                .and_then(|m| state.months.get(&m).cloned())
                .unwrap_or_default(),
        }
    };
    let mut delay = plan.latency;
    if let Some(Fault::Slow(extra)) = &plan.fault {
        delay += *extra;
    }
    if !delay.is_zero() {
        tokio::time::sleep(delay).await;
    }
    if plan.kind.is_none() {
        return xml(200, render_service_error("12"));
    }
    if !plan.key_ok {
        return xml(plan.key_error_status, render_service_error("30"));
    }
    match &plan.fault {
        Some(Fault::Gateway { code, status }) => return xml(*status, render_service_error(code)),
        Some(Fault::Status(status)) => {
            return HttpResponse::build(status_code(*status))
                .content_type("text/plain")
                .body(format!("HTTP {status}"));
        }
        Some(Fault::Garbage) => {
            return HttpResponse::Ok()
                .content_type("text/html")
                .body("<html><head><title>Service Unavailable</title></head><body><h1>잠시 후 다시 시도해 주세요</h1></body></html>");
        }
        _ => {}
    }
    let (Some(_), Some(_)) = (&lawd_cd, &deal_ymd) else {
        return xml(200, render_service_error("11"));
    };
    let number = |name: &str, default: u32| match param(name) {
        None => Some(default),
        Some(value) => value.trim().parse::<u32>().ok().filter(|n| *n > 0),
    };
    let (Some(page_no), Some(num_of_rows)) = (number("pageNo", 1), number("numOfRows", 10)) else {
        return xml(200, render_service_error("10"));
    };
    let rows = plan
        .page_cap
        .map_or(num_of_rows, |cap| num_of_rows.min(cap)) as usize;
    let start = (page_no as usize - 1)
        .saturating_mul(rows)
        .min(plan.items.len());
    let end = start.saturating_add(rows).min(plan.items.len());
    let total = u32::try_from(plan.items.len()).unwrap_or(u32::MAX);
    let body = render_page(
        plan.style,
        &plan.items[start..end],
        page_no,
        num_of_rows,
        total,
    );
    if plan.fault == Some(Fault::Truncated) {
        let mut cut = body.len() / 2;
        while !body.is_char_boundary(cut) {
            cut -= 1;
        }
        return xml(200, body[..cut].to_owned());
    }
    xml(200, body)
}

fn status_code(status: u16) -> StatusCode {
    StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
}

fn xml(status: u16, body: String) -> HttpResponse {
    HttpResponse::build(status_code(status))
        .content_type("application/xml;charset=UTF-8")
        .body(body)
}

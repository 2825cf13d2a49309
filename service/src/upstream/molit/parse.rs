//! A streaming reader for the RTMS XML answers.
//!
//! The gateway answers either a `<response>` envelope (data, or a result code) or an
//! `OpenAPI_ServiceResponse` envelope (key and quota problems). We walk the events once,
//! keep only the fields we know, and never expand entities beyond the five predefined ones
//! and character references, nor accept a DTD: the answer comes from the network.

use quick_xml::{Reader, escape::resolve_predefined_entity, events::Event};

/// One reported deal: the union of the fields every RTMS service sends.
///
/// Values are parsed once here so the tools never re-read strings: amounts are in 만원,
/// areas in ㎡. A field a service does not send, or sends blank (a single space), is `None`;
/// a number that does not parse is `None` too rather than a failed page.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Deal {
    /// Contract year (`dealYear`).
    pub deal_year: Option<i32>,
    /// Contract month, 1–12 (`dealMonth`, sent without zero padding).
    pub deal_month: Option<u32>,
    /// Contract day, 1–31 (`dealDay`, sent without zero padding).
    pub deal_day: Option<u32>,
    /// 5-digit district code (`sggCd`).
    pub sgg_cd: Option<String>,
    /// District name (`sggNm`; officetel, commercial).
    pub sgg_nm: Option<String>,
    /// Legal dong / eup / myeon name (`umdNm`).
    pub umd_nm: Option<String>,
    /// Lot number (`jibun`), partly masked (`4**`) for some property types.
    pub jibun: Option<String>,
    /// Complex or building name: `aptNm`, `offiNm` or `mhouseNm`, whichever the service sends.
    pub name: Option<String>,
    /// Apartment building number within the complex (`aptDong`).
    pub apt_dong: Option<String>,
    /// Year of construction (`buildYear`).
    pub build_year: Option<i32>,
    /// Floor (`floor`); negative for basements.
    pub floor: Option<i32>,
    /// Exclusive-use area in ㎡ (`excluUseAr`): apartments, officetels, row houses.
    pub exclu_use_ar: Option<f64>,
    /// Land share in ㎡ (`landAr`, row houses).
    pub land_ar: Option<f64>,
    /// Plot area in ㎡ (`plottageAr`, houses and commercial buildings).
    pub plottage_ar: Option<f64>,
    /// Gross floor area in ㎡ (`totalFloorAr`, houses).
    pub total_floor_ar: Option<f64>,
    /// Building area in ㎡ (`buildingAr`, commercial buildings).
    pub building_ar: Option<f64>,
    /// 다세대/연립 or 단독/다가구 (`houseType`).
    pub house_type: Option<String>,
    /// 일반/집합 (`buildingType`, commercial).
    pub building_type: Option<String>,
    /// Main use of the building (`buildingUse`, commercial).
    pub building_use: Option<String>,
    /// Zoning of the land (`landUse`, commercial).
    pub land_use: Option<String>,
    /// Sale price in 만원 (`dealAmount`, sent as `1,125,000`).
    pub deal_amount: Option<u64>,
    /// 중개거래 or 직거래 (`dealingGbn`).
    pub dealing_gbn: Option<String>,
    /// Seller: 개인/법인/기타 (`slerGbn`).
    pub sler_gbn: Option<String>,
    /// Buyer: 개인/법인/기타 (`buyerGbn`).
    pub buyer_gbn: Option<String>,
    /// Districts of the brokers involved (`estateAgentSggNm`).
    pub estate_agent_sgg_nm: Option<String>,
    /// Registration date `YY.MM.DD` once the transfer is registered (`rgstDate`).
    pub rgst_date: Option<String>,
    /// Land-lease apartment marker (`landLeaseholdGbn`).
    pub land_leasehold_gbn: Option<String>,
    /// 지분 when only a share was sold (`shareDealingType`).
    pub share_dealing_type: Option<String>,
    /// `O` when the deal was cancelled (`cdealType`).
    pub cdeal_type: Option<String>,
    /// Cancellation date `YY.MM.DD` (`cdealDay`).
    pub cdeal_day: Option<String>,
    /// Lease deposit in 만원 (`deposit`).
    pub deposit: Option<u64>,
    /// Monthly rent in 만원 (`monthlyRent`); 0 means 전세.
    pub monthly_rent: Option<u64>,
    /// Deposit of the previous lease in 만원 (`preDeposit`), for renewals.
    pub pre_deposit: Option<u64>,
    /// Monthly rent of the previous lease in 만원 (`preMonthlyRent`).
    pub pre_monthly_rent: Option<u64>,
    /// 신규 or 갱신 (`contractType`).
    pub contract_type: Option<String>,
    /// Lease term `YY.MM~YY.MM` (`contractTerm`).
    pub contract_term: Option<String>,
    /// Whether the tenant used the renewal right (`useRRRight`).
    pub use_rr_right: Option<String>,
}

impl Deal {
    /// A cancelled deal: the services fill `cdealType` only when a deal was called off.
    pub fn is_cancelled(&self) -> bool {
        self.cdeal_type.is_some()
    }
}

/// One page of a month's deals.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Page {
    /// Deals in the whole month for the district, not just this page. When the service
    /// omits it, the number of deals on the page.
    pub total_count: u32,
    /// The page number the service reports (1 when omitted).
    pub page_no: u32,
    /// The page size the service reports (the page's length when omitted).
    pub num_of_rows: u32,
    /// The deals on this page, in the service's order.
    pub deals: Vec<Deal>,
}

/// Why an answer could not be turned into a page.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    /// The gateway reported an error code, in either envelope.
    #[error("the service answered with error code {code} ({message})")]
    Gateway {
        /// The code as sent (`30`, `22`, …; empty if the envelope had none).
        code: String,
        /// The gateway's own words (`SERVICE_KEY_IS_NOT_REGISTERED_ERROR`, …).
        message: String,
    },
    /// The body is not a well-formed answer (HTML error page, cut-off body, …).
    #[error("the answer could not be read: {0}")]
    Malformed(String),
}

/// Parses one RTMS answer. Success codes `000` and `00` give a page; `03` (no data) gives
/// an empty page; any other code, the `OpenAPI_ServiceResponse` envelope, or a body that is
/// not a complete answer is an error.
pub fn parse_page(body: &[u8]) -> Result<Page, ParseError> {
    let text = std::str::from_utf8(body)
        .map_err(|_| ParseError::Malformed("the answer is not UTF-8 text".into()))?;
    let mut reader = Reader::from_str(text);
    let mut doc = Document::default();
    let mut stack: Vec<Node> = Vec::with_capacity(8);
    let mut buf = String::with_capacity(64);
    loop {
        let event = reader
            .read_event()
            .map_err(|e| ParseError::Malformed(format!("not well-formed XML ({e})")))?;
        match event {
            Event::Start(start) => {
                let node = doc.child_of(stack.last().copied(), start.name().as_ref())?;
                doc.open(node);
                stack.push(node);
                buf.clear();
            }
            Event::Empty(start) => {
                let node = doc.child_of(stack.last().copied(), start.name().as_ref())?;
                doc.open(node);
                doc.close(node, "")?;
            }
            Event::End(_) => {
                if let Some(node) = stack.pop() {
                    doc.close(node, &buf)?;
                }
                buf.clear();
            }
            Event::Text(content) => match stack.last() {
                Some(Node::Leaf(_)) => buf.push_str(&content),
                None if !content.trim().is_empty() => {
                    return Err(ParseError::Malformed("text outside any element".into()));
                }
                _ => {}
            },
            Event::CData(content) => {
                if matches!(stack.last(), Some(Node::Leaf(_))) {
                    buf.push_str(&content);
                }
            }
            Event::GeneralRef(reference) => {
                if matches!(stack.last(), Some(Node::Leaf(_))) {
                    push_reference(&mut buf, &reference)?;
                }
            }
            Event::DocType(_) => {
                return Err(ParseError::Malformed(
                    "a document type declaration is not accepted".into(),
                ));
            }
            Event::Eof => break,
            Event::Decl(_) | Event::PI(_) | Event::Comment(_) => {}
        }
    }
    doc.finish()
}

/// Resolves `&lt;`-style and `&#…;` references; any other entity is refused, never fetched.
fn push_reference(buf: &mut String, reference: &str) -> Result<(), ParseError> {
    if let Some(text) = resolve_predefined_entity(reference) {
        buf.push_str(text);
        return Ok(());
    }
    let char_ref = quick_xml::events::BytesRef::new(reference);
    match char_ref.resolve_char_ref() {
        Ok(Some(c)) => {
            buf.push(c);
            Ok(())
        }
        _ => Err(ParseError::Malformed(format!(
            "unknown entity reference `&{reference};`"
        ))),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Root {
    Response,
    ServiceError,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Node {
    Response,
    Header,
    Body,
    Items,
    Item,
    ServiceError,
    MsgHeader,
    Leaf(Leaf),
    Ignored,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Leaf {
    ResultCode,
    ResultMsg,
    TotalCount,
    PageNo,
    NumOfRows,
    ErrMsg,
    AuthMsg,
    ReasonCode,
    Field(Field),
}

/// The item tags we keep; anything else inside `<item>` is skipped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    DealYear,
    DealMonth,
    DealDay,
    SggCd,
    SggNm,
    UmdNm,
    Jibun,
    Name,
    AptDong,
    BuildYear,
    Floor,
    ExcluUseAr,
    LandAr,
    PlottageAr,
    TotalFloorAr,
    BuildingAr,
    HouseType,
    BuildingType,
    BuildingUse,
    LandUse,
    DealAmount,
    DealingGbn,
    SlerGbn,
    BuyerGbn,
    EstateAgentSggNm,
    RgstDate,
    LandLeaseholdGbn,
    ShareDealingType,
    CdealType,
    CdealDay,
    Deposit,
    MonthlyRent,
    PreDeposit,
    PreMonthlyRent,
    ContractType,
    ContractTerm,
    UseRrRight,
}

impl Field {
    fn from_tag(tag: &str) -> Option<Self> {
        Some(match tag {
            "dealYear" => Field::DealYear,
            "dealMonth" => Field::DealMonth,
            "dealDay" => Field::DealDay,
            "sggCd" => Field::SggCd,
            "sggNm" => Field::SggNm,
            "umdNm" => Field::UmdNm,
            "jibun" => Field::Jibun,
            "aptNm" | "offiNm" | "mhouseNm" => Field::Name,
            "aptDong" => Field::AptDong,
            "buildYear" => Field::BuildYear,
            "floor" => Field::Floor,
            "excluUseAr" => Field::ExcluUseAr,
            "landAr" => Field::LandAr,
            "plottageAr" => Field::PlottageAr,
            "totalFloorAr" => Field::TotalFloorAr,
            "buildingAr" => Field::BuildingAr,
            "houseType" => Field::HouseType,
            "buildingType" => Field::BuildingType,
            "buildingUse" => Field::BuildingUse,
            "landUse" => Field::LandUse,
            "dealAmount" => Field::DealAmount,
            "dealingGbn" => Field::DealingGbn,
            "slerGbn" => Field::SlerGbn,
            "buyerGbn" => Field::BuyerGbn,
            "estateAgentSggNm" => Field::EstateAgentSggNm,
            "rgstDate" => Field::RgstDate,
            "landLeaseholdGbn" => Field::LandLeaseholdGbn,
            "shareDealingType" => Field::ShareDealingType,
            "cdealType" => Field::CdealType,
            "cdealDay" => Field::CdealDay,
            "deposit" => Field::Deposit,
            "monthlyRent" => Field::MonthlyRent,
            "preDeposit" => Field::PreDeposit,
            "preMonthlyRent" => Field::PreMonthlyRent,
            "contractType" => Field::ContractType,
            "contractTerm" => Field::ContractTerm,
            "useRRRight" => Field::UseRrRight,
            _ => return None,
        })
    }

    fn assign(self, deal: &mut Deal, raw: &str) {
        match self {
            Field::DealYear => deal.deal_year = int(raw),
            Field::DealMonth => deal.deal_month = int_in(raw, 1, 12),
            Field::DealDay => deal.deal_day = int_in(raw, 1, 31),
            Field::SggCd => deal.sgg_cd = text(raw),
            Field::SggNm => deal.sgg_nm = text(raw),
            Field::UmdNm => deal.umd_nm = text(raw),
            Field::Jibun => deal.jibun = text(raw),
            Field::Name => deal.name = text(raw),
            Field::AptDong => deal.apt_dong = text(raw),
            Field::BuildYear => deal.build_year = int(raw),
            Field::Floor => deal.floor = int(raw),
            Field::ExcluUseAr => deal.exclu_use_ar = area(raw),
            Field::LandAr => deal.land_ar = area(raw),
            Field::PlottageAr => deal.plottage_ar = area(raw),
            Field::TotalFloorAr => deal.total_floor_ar = area(raw),
            Field::BuildingAr => deal.building_ar = area(raw),
            Field::HouseType => deal.house_type = text(raw),
            Field::BuildingType => deal.building_type = text(raw),
            Field::BuildingUse => deal.building_use = text(raw),
            Field::LandUse => deal.land_use = text(raw),
            Field::DealAmount => deal.deal_amount = amount(raw),
            Field::DealingGbn => deal.dealing_gbn = text(raw),
            Field::SlerGbn => deal.sler_gbn = text(raw),
            Field::BuyerGbn => deal.buyer_gbn = text(raw),
            Field::EstateAgentSggNm => deal.estate_agent_sgg_nm = text(raw),
            Field::RgstDate => deal.rgst_date = text(raw),
            Field::LandLeaseholdGbn => deal.land_leasehold_gbn = text(raw),
            Field::ShareDealingType => deal.share_dealing_type = text(raw),
            Field::CdealType => deal.cdeal_type = text(raw),
            Field::CdealDay => deal.cdeal_day = text(raw),
            Field::Deposit => deal.deposit = amount(raw),
            Field::MonthlyRent => deal.monthly_rent = amount(raw),
            Field::PreDeposit => deal.pre_deposit = amount(raw),
            Field::PreMonthlyRent => deal.pre_monthly_rent = amount(raw),
            Field::ContractType => deal.contract_type = text(raw),
            Field::ContractTerm => deal.contract_term = text(raw),
            Field::UseRrRight => deal.use_rr_right = text(raw),
        }
    }
}

/// What we have read so far.
#[derive(Default)]
struct Document {
    root: Option<Root>,
    root_closed: bool,
    result_code: Option<String>,
    result_msg: Option<String>,
    err_msg: Option<String>,
    auth_msg: Option<String>,
    reason_code: Option<String>,
    total_count: Option<u32>,
    page_no: Option<u32>,
    num_of_rows: Option<u32>,
    current: Deal,
    deals: Vec<Deal>,
}

impl Document {
    fn child_of(&mut self, parent: Option<Node>, tag: &str) -> Result<Node, ParseError> {
        let Some(parent) = parent else {
            return self.root_node(tag);
        };
        Ok(match (parent, tag) {
            (Node::Response, "header") => Node::Header,
            (Node::Response, "body") => Node::Body,
            (Node::Header, "resultCode") => Node::Leaf(Leaf::ResultCode),
            (Node::Header, "resultMsg") => Node::Leaf(Leaf::ResultMsg),
            (Node::Body, "items") => Node::Items,
            (Node::Body, "totalCount") => Node::Leaf(Leaf::TotalCount),
            (Node::Body, "pageNo") => Node::Leaf(Leaf::PageNo),
            (Node::Body, "numOfRows") => Node::Leaf(Leaf::NumOfRows),
            (Node::Items, "item") => Node::Item,
            (Node::Item, tag) => {
                Field::from_tag(tag).map_or(Node::Ignored, |f| Node::Leaf(Leaf::Field(f)))
            }
            (Node::ServiceError, "cmmMsgHeader") => Node::MsgHeader,
            (Node::MsgHeader, "errMsg") => Node::Leaf(Leaf::ErrMsg),
            (Node::MsgHeader, "returnAuthMsg") => Node::Leaf(Leaf::AuthMsg),
            (Node::MsgHeader, "returnReasonCode") => Node::Leaf(Leaf::ReasonCode),
            _ => Node::Ignored,
        })
    }

    fn root_node(&mut self, tag: &str) -> Result<Node, ParseError> {
        if self.root.is_some() {
            return Err(ParseError::Malformed("more than one root element".into()));
        }
        let (root, node) = match tag {
            "response" => (Root::Response, Node::Response),
            "OpenAPI_ServiceResponse" => (Root::ServiceError, Node::ServiceError),
            other => {
                let shown: String = other.chars().take(40).collect();
                return Err(ParseError::Malformed(format!(
                    "unexpected root element <{shown}>"
                )));
            }
        };
        self.root = Some(root);
        Ok(node)
    }

    fn open(&mut self, node: Node) {
        if node == Node::Item {
            self.current = Deal::default();
        }
    }

    fn close(&mut self, node: Node, raw: &str) -> Result<(), ParseError> {
        match node {
            Node::Item => self.deals.push(std::mem::take(&mut self.current)),
            Node::Response | Node::ServiceError => self.root_closed = true,
            Node::Leaf(Leaf::Field(field)) => field.assign(&mut self.current, raw),
            Node::Leaf(Leaf::ResultCode) => self.result_code = text(raw),
            Node::Leaf(Leaf::ResultMsg) => self.result_msg = text(raw),
            Node::Leaf(Leaf::ErrMsg) => self.err_msg = text(raw),
            Node::Leaf(Leaf::AuthMsg) => self.auth_msg = text(raw),
            Node::Leaf(Leaf::ReasonCode) => self.reason_code = text(raw),
            Node::Leaf(Leaf::TotalCount) => self.total_count = count(raw, "totalCount")?,
            Node::Leaf(Leaf::PageNo) => self.page_no = count(raw, "pageNo")?,
            Node::Leaf(Leaf::NumOfRows) => self.num_of_rows = count(raw, "numOfRows")?,
            Node::Header | Node::Body | Node::Items | Node::MsgHeader | Node::Ignored => {}
        }
        Ok(())
    }

    fn finish(self) -> Result<Page, ParseError> {
        let Some(root) = self.root else {
            return Err(ParseError::Malformed(
                "the answer is empty or not XML".into(),
            ));
        };
        if !self.root_closed {
            return Err(ParseError::Malformed(
                "the answer was cut off before its end".into(),
            ));
        }
        if root == Root::ServiceError {
            return Err(ParseError::Gateway {
                code: self.reason_code.unwrap_or_default(),
                message: short(self.auth_msg.or(self.err_msg).unwrap_or_default()),
            });
        }
        let code = self
            .result_code
            .ok_or_else(|| ParseError::Malformed("the answer carries no result code".into()))?;
        match code_number(&code) {
            Some(0) => {
                let found = u32::try_from(self.deals.len()).unwrap_or(u32::MAX);
                Ok(Page {
                    total_count: self.total_count.unwrap_or(found),
                    page_no: self.page_no.unwrap_or(1),
                    num_of_rows: self.num_of_rows.unwrap_or(found),
                    deals: self.deals,
                })
            }
            Some(3) => Ok(Page {
                total_count: 0,
                page_no: self.page_no.unwrap_or(1),
                num_of_rows: self.num_of_rows.unwrap_or(0),
                deals: Vec::new(),
            }),
            _ => Err(ParseError::Gateway {
                code,
                message: short(self.result_msg.unwrap_or_default()),
            }),
        }
    }
}

/// The numeric value of a result code: `000`, `00` and `0` are all success, `03` and `3`
/// both mean no data, and so on; `None` for a code that is not a number.
pub(crate) fn code_number(code: &str) -> Option<u16> {
    let code = code.trim();
    if code.is_empty() || !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    code.parse().ok()
}

/// The gateway's message, bounded so a strange answer cannot flood an error.
fn short(message: String) -> String {
    if message.chars().count() <= 120 {
        message
    } else {
        message.chars().take(120).collect()
    }
}

fn text(raw: &str) -> Option<String> {
    let trimmed = raw.trim();
    (!trimmed.is_empty()).then(|| trimmed.to_owned())
}

fn int<T: std::str::FromStr>(raw: &str) -> Option<T> {
    raw.trim().parse().ok()
}

fn int_in(raw: &str, min: u32, max: u32) -> Option<u32> {
    int::<u32>(raw).filter(|v| (min..=max).contains(v))
}

fn area(raw: &str) -> Option<f64> {
    int::<f64>(raw).filter(|v| v.is_finite() && *v >= 0.0)
}

/// `1,125,000` → 1125000. Commas and surrounding spaces are the only extras accepted.
fn amount(raw: &str) -> Option<u64> {
    let trimmed = raw.trim();
    if trimmed.is_empty() {
        return None;
    }
    let mut value: u64 = 0;
    for byte in trimmed.bytes() {
        match byte {
            b',' => {}
            b'0'..=b'9' => {
                value = value.checked_mul(10)?.checked_add(u64::from(byte - b'0'))?;
            }
            _ => return None,
        }
    }
    Some(value)
}

fn count(raw: &str, tag: &str) -> Result<Option<u32>, ParseError> {
    let trimmed = raw.trim();
    if trimmed.is_empty() {
        return Ok(None);
    }
    trimmed
        .parse()
        .map(Some)
        .map_err(|_| ParseError::Malformed(format!("<{tag}> is not a number: {trimmed:.20}")))
}

#[cfg(test)]
#[path = "parse_tests.rs"]
mod tests;

//! Prompts: the common questions as ready-made requests, for clients that offer them (as
//! slash commands or a prompt picker). Each turns a few arguments into one user message that
//! names the right tools with their arguments filled in, so the model spends one call
//! where it might otherwise guess months or spend a call per month. Months and dates are
//! worked out here, in Korean time; a region that resolves is passed as its code.

use chrono::{DateTime, Duration, Utc};
use rmcp::{
    ErrorData,
    handler::server::wrapper::Parameters,
    model::{GetPromptResult, PromptMessage, Role},
    prompt, prompt_router,
    schemars::JsonSchema,
};
use serde::Deserialize;

use super::RealEstateServer;
use crate::{
    regions::RegionIndex,
    tools::{calendar::YearMonth, regions::resolve_region_argument},
};

/// Arguments of `district_price_trend`.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
pub(super) struct PriceTrendPrompt {
    /// 시군구 name or 5-digit code, e.g. 마포구 or 11440.
    region: String,
    /// 아파트 (default), 오피스텔, 빌라, 단독 or 상가 (or apartment, officetel, villa,
    /// single_house, commercial).
    property_type: Option<String>,
    /// 매매 (default) or 전세 (or trade, rent).
    deal_type: Option<String>,
    /// How many months back, 1 to 36 (default 12).
    months: Option<String>,
    /// Size to look at, e.g. 84㎡ or 34평 (default: all sizes).
    area: Option<String>,
}

/// Arguments of `jeonse_ratio_check`.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
pub(super) struct JeonseCheckPrompt {
    /// 시군구 name or 5-digit code, e.g. 노원구.
    region: String,
    /// An apartment complex to look at closely, e.g. 은마 (optional).
    complex: Option<String>,
    /// How many months back, 1 to 12 (default 6).
    months: Option<String>,
}

/// Arguments of `subscription_digest`.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
pub(super) struct SubscriptionDigestPrompt {
    /// 시도 such as 서울 or 경기 (default: nationwide).
    region: Option<String>,
    /// Notices from how many days back, 1 to 180 (default 30).
    days: Option<String>,
}

// rmcp's `#[prompt]` adds an undocumented `pub fn <name>_prompt_attr()` beside each prompt.
#[allow(missing_docs)]
#[prompt_router(vis = "pub(super)")]
impl RealEstateServer {
    /// One district's price trend, as a ready-made request.
    #[prompt(
        name = "district_price_trend",
        title = "시세 추이: 한 지역의 가격 흐름",
        description = "How prices moved in one district over recent months: one \
            analyze_price_trend call with the months filled in, summarised month by month \
            with a chart."
    )]
    async fn district_price_trend(
        &self,
        Parameters(args): Parameters<PriceTrendPrompt>,
    ) -> Result<GetPromptResult, ErrorData> {
        price_trend(&self.context.regions, &args, Utc::now())
    }

    /// A like-for-like 전세가율 check, as a ready-made request.
    #[prompt(
        name = "jeonse_ratio_check",
        title = "전세가율 점검",
        description = "A district's 전세가율 compared like for like (same complex and size), \
            optionally one complex in detail, with what the ratio means for a tenant's \
            deposit."
    )]
    async fn jeonse_ratio_check(
        &self,
        Parameters(args): Parameters<JeonseCheckPrompt>,
    ) -> Result<GetPromptResult, ErrorData> {
        jeonse_check(&self.context.regions, &args, Utc::now())
    }

    /// A digest of recent subscription notices, as a ready-made request.
    #[prompt(
        name = "subscription_digest",
        title = "청약 공고 요약",
        description = "A digest of recent Applyhome (청약홈) subscription notices in a 시도: \
            what is open or coming, with house types and top prices per notice."
    )]
    async fn subscription_digest(
        &self,
        Parameters(args): Parameters<SubscriptionDigestPrompt>,
    ) -> Result<GetPromptResult, ErrorData> {
        subscription(&args, Utc::now())
    }
}

/// The user message of a prompt, with the prompt's one-line description.
fn request(description: String, text: String) -> GetPromptResult {
    GetPromptResult::new(vec![PromptMessage::new_text(Role::User, text)])
        .with_description(description)
}

fn invalid(argument: &str, problem: impl std::fmt::Display) -> ErrorData {
    ErrorData::invalid_params(
        format!("Invalid prompt argument `{argument}`: {problem}"),
        None,
    )
}

/// A blank optional argument is no argument (clients send "" for fields left empty).
fn given(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

/// A count argument within `1..=max`, `default` when not given.
fn count(argument: &str, value: &Option<String>, default: u32, max: u32) -> Result<u32, ErrorData> {
    match given(value) {
        None => Ok(default),
        Some(text) => text
            .trim_end_matches(['개', '월', '일'])
            .parse::<u32>()
            .ok()
            .filter(|n| (1..=max).contains(n))
            .ok_or_else(|| {
                invalid(
                    argument,
                    format!("\"{text}\" is not a number from 1 to {max}."),
                )
            }),
    }
}

/// `region` as the tools should receive it: the code and name when it resolves to one
/// district, otherwise as typed (the tool then lists the candidates for the user).
fn region_argument(regions: &RegionIndex, region: &str) -> Result<(String, String), ErrorData> {
    let region = region.trim();
    if region.is_empty() || region.chars().count() > 100 {
        return Err(invalid(
            "region",
            "give a 시군구 name or 5-digit code, e.g. 마포구.",
        ));
    }
    Ok(match resolve_region_argument(regions, region) {
        Ok(resolved) => (resolved.lawd_cd, resolved.name),
        Err(_) => (region.to_owned(), region.to_owned()),
    })
}

/// The last `months` months up to the previous one (the newest month still fills up).
fn recent_months(months: u32, now: DateTime<Utc>) -> (YearMonth, YearMonth) {
    let last = YearMonth::current_kst(now).previous();
    let first = (1..months).fold(last, |month, _| month.previous());
    (first, last)
}

const PROPERTY_TYPES: [(&str, &str, &[&str]); 5] = [
    ("apartment", "아파트", &["아파트", "apt"]),
    ("officetel", "오피스텔", &["오피스텔"]),
    (
        "villa",
        "빌라(연립·다세대)",
        &["빌라", "연립", "다세대", "연립다세대"],
    ),
    (
        "single_house",
        "단독·다가구",
        &["단독", "다가구", "단독주택", "주택"],
    ),
    (
        "commercial",
        "상업업무용",
        &["상가", "상업", "상업용", "상업업무용", "빌딩"],
    ),
];

/// The tools' `property_type` and its Korean label.
fn property_type(value: &Option<String>) -> Result<(&'static str, &'static str), ErrorData> {
    let Some(text) = given(value) else {
        return Ok(("apartment", "아파트"));
    };
    PROPERTY_TYPES
        .iter()
        .find(|(name, _, aliases)| text.eq_ignore_ascii_case(name) || aliases.contains(&text))
        .map(|(name, label, _)| (*name, *label))
        .ok_or_else(|| invalid("property_type", "use 아파트, 오피스텔, 빌라, 단독 or 상가."))
}

/// The tools' `deal_type` and its Korean label.
fn deal_type(value: &Option<String>) -> Result<(&'static str, &'static str), ErrorData> {
    match given(value) {
        None => Ok(("trade", "매매")),
        Some(text) if text.eq_ignore_ascii_case("trade") || text == "매매" => {
            Ok(("trade", "매매"))
        }
        Some(text)
            if text.eq_ignore_ascii_case("rent")
                || ["전세", "월세", "전월세", "임대"].contains(&text) =>
        {
            Ok(("rent", "전세"))
        }
        Some(_) => Err(invalid("deal_type", "use 매매 or 전세.")),
    }
}

fn price_trend(
    regions: &RegionIndex,
    args: &PriceTrendPrompt,
    now: DateTime<Utc>,
) -> Result<GetPromptResult, ErrorData> {
    let (code, name) = region_argument(regions, &args.region)?;
    let (property, property_label) = property_type(&args.property_type)?;
    let (deal, deal_label) = deal_type(&args.deal_type)?;
    let months = count("months", &args.months, 12, 36)?;
    let (first, last) = recent_months(months, now);
    let area = match given(&args.area) {
        Some(area) => format!(
            "\n- 면적 조건 \"{area}\": 전용면적 ㎡로 바꿔 area_min/area_max로 거세요 (34평은 전용 \
             84㎡ 안팎이라 80–90)."
        ),
        None => String::new(),
    };
    let text = format!(
        "{name}의 {property_label} {deal_label} 시세가 {first}부터 {last}까지 {months}개월 동안 \
         어떻게 움직였는지 알려 주세요.\n\n\
         - analyze_price_trend를 한 번 호출하세요: region_code \"{code}\", property_type \
         \"{property}\", deal_type \"{deal}\", from_month \"{first}\", to_month \"{last}\", chart \
         true.{area}\n\
         - 지역 이름이 여러 곳을 가리킨다는 결과가 오면 후보를 보여 주고 어느 곳인지 물어보세요.\n\
         - 월별 거래 건수와 중위가, 평당 중위가, 전월·전년 동월 대비 변화율을 표로 정리하고 기간 \
         전체 변화(range_change)를 한 문장으로 말해 주세요. thin으로 표시된 달(거래 5건 미만)은 \
         비교하지 말고 그렇다고 밝혀 주세요.\n\
         - 금액은 만원 단위입니다: 억 단위로 읽기 쉽게 바꿔 주세요. 결과의 notes는 빠짐없이 \
         전해 주세요."
    );
    Ok(request(
        format!("{name} {property_label} {deal_label} 시세 추이, {first}–{last}"),
        text,
    ))
}

fn jeonse_check(
    regions: &RegionIndex,
    args: &JeonseCheckPrompt,
    now: DateTime<Utc>,
) -> Result<GetPromptResult, ErrorData> {
    let (code, name) = region_argument(regions, &args.region)?;
    let months = count("months", &args.months, 6, 12)?;
    let (first, last) = recent_months(months, now);
    let complex = given(&args.complex);
    if complex.is_some_and(|c| c.chars().count() > 50) {
        return Err(invalid(
            "complex",
            "give the complex name or a distinctive part of it.",
        ));
    }
    let window = format!("from_month \"{first}\", to_month \"{last}\"");
    let mut text = format!(
        "{name} 아파트의 전세가율을 같은 단지·같은 면적끼리 비교해서 확인해 주세요 \
         ({first}–{last}).\n\n\
         - analyze_jeonse_ratio를 호출하세요: region_code \"{code}\", property_type \
         \"apartment\", {window}, chart true.\n"
    );
    if let Some(complex) = complex {
        text.push_str(&format!(
            "- 그다음 get_complex_summary로 \"{complex}\" 단지를 보세요: region_code \"{code}\", \
             complex_name \"{complex}\", {window}. 이름이 여러 단지에 맞으면 목록을 보여 주고 \
             어느 단지인지 물어보세요.\n"
        ));
    }
    text.push_str(
        "- 지역 전세가율은 ratio.median_pct로 말하고, p25_pct–p75_pct 범위와 표본(단지·면적 \
         그룹 수, 매매·전세 건수)을 함께 알려 주세요. thin 그룹과 한쪽 거래만 있는 그룹은 \
         비율에서 빠졌다고 밝혀 주세요.\n\
         - 전세가율이 높을수록 매매가가 내려갈 때 보증금을 온전히 돌려받기 어려워질 수 있습니다 \
         (흔히 80% 안팎부터 주의 신호로 봅니다). 다만 참고 지표일 뿐이니, 계약 전에 등기부의 \
         선순위 채권과 보증보험 가입 가능 여부를 확인하라고 덧붙여 주세요.",
    );
    Ok(request(
        format!("{name} 전세가율 점검, {first}–{last}"),
        text,
    ))
}

fn subscription(
    args: &SubscriptionDigestPrompt,
    now: DateTime<Utc>,
) -> Result<GetPromptResult, ErrorData> {
    let days = count("days", &args.days, 30, 180)?;
    let since = crate::kst::day(now) - Duration::days(i64::from(days));
    let region = given(&args.region);
    if region.is_some_and(|r| r.chars().count() > 20) {
        return Err(invalid("region", "give a 시도 such as 서울 or 경기."));
    }
    let (place, filter) = match region {
        Some(region) => (region.to_owned(), format!("region \"{region}\", ")),
        None => ("전국".to_owned(), String::new()),
    };
    let text = format!(
        "{place} 아파트 청약 공고 중 모집공고일이 {since} 이후인 것을 정리해 주세요.\n\n\
         - get_apt_subscription_info를 호출하세요: {filter}notice_date_from \"{since}\", limit \
         100. has_more가 true이면 page를 늘려 나머지도 가져오세요.\n\
         - status가 open 또는 upcoming인 공고마다 get_apt_subscription_detail(house_manage_no)로 \
         주택형, 일반·특별공급 세대수, 최고 분양가(공급면적 평당)를 확인하세요.\n\
         - 단지명, 위치, 청약 접수 기간, 당첨자 발표일, 공급 세대수, 주택형 범위, 최고 분양가를 \
         표로 보여 주세요. 접수 중인 공고를 먼저, 다음으로 접수 예정, 마감된 공고는 끝에 짧게.\n\
         - 마감된 공고의 경쟁률은 get_apt_subscription_competition으로 볼 수 있다고 알려 주세요. \
         금액은 만원 단위입니다."
    );
    Ok(request(
        format!("{place} 청약 공고 요약, {since} 이후"),
        text,
    ))
}

#[cfg(test)]
#[path = "prompts_tests.rs"]
mod tests;

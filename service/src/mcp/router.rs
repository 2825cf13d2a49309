//! Tool declarations: names, titles, descriptions and annotations, each a thin call into
//! [`crate::tools`]; the thirteen transaction tools come from their table
//! ([`transaction_tools`]). Names are part of the public interface (people's saved prompts
//! use them): never rename one.

use std::sync::Arc;

use rmcp::{
    handler::server::{
        router::tool::ToolRouter,
        tool::schema_for_output,
        wrapper::{Json, Parameters},
    },
    model::CallToolResult,
    tool, tool_router,
};

use super::{RealEstateServer, charted::charted_result, outline, schemas, transaction_tools};
use crate::tools::{
    ToolError,
    analytics::{
        self, CompareRegionsArgs, CompareRegionsOutput, ComplexSummaryArgs, ComplexSummaryOutput,
        JeonseRatioArgs, JeonseRatioOutput, PriceTrendArgs, PriceTrendOutput,
    },
    calendar::{self, YearMonthOutput},
    finance::{
        self, CashflowArgs, CashflowOutput, GrowthArgs, GrowthOutput, LoanPaymentArgs,
        LoanPaymentOutput,
    },
    regions::{self, GetRegionCodeArgs, RegionCodeOutput},
    subscriptions::{
        self, SubscriptionCompetitionOutput, SubscriptionDetailOutput, SubscriptionInfoArgs,
        SubscriptionInfoOutput, SubscriptionNoticeArgs, SubscriptionResultsArgs,
        SubscriptionResultsOutput,
    },
};

#[tool_router(vis = "pub(super)")]
impl RealEstateServer {
    #[tool(
        name = "get_region_code",
        title = "Region name → legal district code (법정동코드)",
        description = "Turns a Korean region name (시도/시군구/읍면동, abbreviations such as 분당 or \
            서울 마포구, or a 10-digit code) into the 5-digit district code (LAWD_CD). status \
            `resolved` gives lawd_cd; `ambiguous` lists the candidates (ask the user); \
            `renamed` explains a reorganisation (e.g. 인천 중구, 2026-07) with the new code(s). \
            Offline; no quota.",
        annotations(read_only_hint = true, open_world_hint = false, idempotent_hint = true)
    )]
    async fn get_region_code(
        &self,
        Parameters(args): Parameters<GetRegionCodeArgs>,
    ) -> Result<Json<RegionCodeOutput>, ToolError> {
        regions::get_region_code(&self.context.regions, args).map(Json)
    }

    #[tool(
        name = "get_current_year_month",
        title = "Current month in Korea",
        description = "Returns the current month in Korea (KST, UTC+9) as YYYYMM, plus the \
            previous month. Use it for '이번 달', '최근', '지난달' instead of guessing: the \
            newest month is still incomplete because deals are reported up to 30 days late.",
        annotations(
            read_only_hint = true,
            open_world_hint = false,
            idempotent_hint = false
        )
    )]
    async fn get_current_year_month(&self) -> Json<YearMonthOutput> {
        Json(calendar::get_current_year_month())
    }

    #[tool(
        name = "calculate_loan_payment",
        title = "Loan repayment calculator (대출 상환액)",
        description = "Monthly payment, total interest and a schedule summary for a loan. \
            Amounts in 만원. Methods: equal_payment (원리금균등), equal_principal (원금균등), \
            bullet (만기일시). Optional grace period (거치기간) of interest-only months.",
        annotations(read_only_hint = true, open_world_hint = false, idempotent_hint = true)
    )]
    async fn calculate_loan_payment(
        &self,
        Parameters(args): Parameters<LoanPaymentArgs>,
    ) -> Result<Json<LoanPaymentOutput>, ToolError> {
        finance::loan_payment(args).map(Json)
    }

    #[tool(
        name = "calculate_compound_growth",
        title = "Compound growth calculator (복리 적립)",
        description = "Future value of an initial amount plus optional monthly contributions \
            at a compound annual rate, with a year-by-year table. Amounts in 만원.",
        annotations(read_only_hint = true, open_world_hint = false, idempotent_hint = true)
    )]
    async fn calculate_compound_growth(
        &self,
        Parameters(args): Parameters<GrowthArgs>,
    ) -> Result<Json<GrowthOutput>, ToolError> {
        finance::compound_growth(args).map(Json)
    }

    #[tool(
        name = "calculate_monthly_cashflow",
        title = "Monthly cash flow calculator (월 현금흐름)",
        description = "Free cash flow per month and per year from rent and other income minus \
            loan payment, 관리비, tax and other expenses, with an optional vacancy rate and \
            cash-on-cash return. Amounts in 만원 per month.",
        annotations(read_only_hint = true, open_world_hint = false, idempotent_hint = true)
    )]
    async fn calculate_monthly_cashflow(
        &self,
        Parameters(args): Parameters<CashflowArgs>,
    ) -> Result<Json<CashflowOutput>, ToolError> {
        finance::monthly_cashflow(args).map(Json)
    }

    #[tool(
        name = "get_apt_subscription_info",
        title = "Apartment subscription notices (청약홈 분양정보)",
        description = "Applyhome (청약홈) apartment subscription notices (분양 공고): \
            house name, address, supply size, notice, application, winner and contract dates, \
            builder, move-in month, notice URL and a status (upcoming, open, closed). Set \
            notice_date_from for current notices.",
        annotations(read_only_hint = true, open_world_hint = true, idempotent_hint = true)
    )]
    async fn get_apt_subscription_info(
        &self,
        Parameters(args): Parameters<SubscriptionInfoArgs>,
    ) -> Result<Json<SubscriptionInfoOutput>, ToolError> {
        subscriptions::subscription_info(&self.context.odcloud, args)
            .await
            .map(Json)
    }

    #[tool(
        name = "get_apt_subscription_results",
        title = "Subscription statistics (청약 신청자·당첨자·경쟁률 통계)",
        description = "Applyhome (청약홈) monthly subscription statistics: \
            applicants or winners by region or age, competition rates by region, winning-score \
            (가점) ranges. Choose `kind`, then a month or a range.",
        annotations(read_only_hint = true, open_world_hint = true, idempotent_hint = true)
    )]
    async fn get_apt_subscription_results(
        &self,
        Parameters(args): Parameters<SubscriptionResultsArgs>,
    ) -> Result<Json<SubscriptionResultsOutput>, ToolError> {
        subscriptions::subscription_results(&self.context.odcloud, args)
            .await
            .map(Json)
    }

    #[tool(
        name = "get_apt_subscription_detail",
        title = "Subscription notice detail and house types (청약 공고 상세·주택형별 공급)",
        description = "One Applyhome (청약홈) APT notice in full with its house \
            types (주택형): exclusive and supply area, 일반공급 and 특별공급 households by \
            category (신혼부부, 생애최초, …) and the highest price (also per 평 of supply area). \
            Pass house_manage_no from get_apt_subscription_info.",
        annotations(read_only_hint = true, open_world_hint = true, idempotent_hint = true)
    )]
    async fn get_apt_subscription_detail(
        &self,
        Parameters(args): Parameters<SubscriptionNoticeArgs>,
    ) -> Result<Json<SubscriptionDetailOutput>, ToolError> {
        subscriptions::subscription_detail(&self.context.odcloud, args)
            .await
            .map(Json)
    }

    #[tool(
        name = "get_apt_subscription_competition",
        title = "Subscription competition by house type (단지별 청약 경쟁률)",
        description = "The 일반공급 competition of one Applyhome (청약홈) APT \
            notice: applications and rates per house type, rank (1순위/2순위) and residence \
            class; per type the 1순위 rate and whether it was undersubscribed (미달). Pass \
            house_manage_no from get_apt_subscription_info.",
        annotations(read_only_hint = true, open_world_hint = true, idempotent_hint = true)
    )]
    async fn get_apt_subscription_competition(
        &self,
        Parameters(args): Parameters<SubscriptionNoticeArgs>,
    ) -> Result<Json<SubscriptionCompetitionOutput>, ToolError> {
        subscriptions::subscription_competition(&self.context.odcloud, args)
            .await
            .map(Json)
    }

    #[tool(
        name = "analyze_price_trend",
        title = "Price trend over months (시세 추이 분석)",
        description = "How prices moved in one district over up to 36 months, in one \
            call: per month the transaction summary, month-over-month and year-over-year change \
            of the median per ㎡ (thin months, under 5 deals, are not compared), plus the whole \
            range. deal_type rent follows 전세 deposits (월세 apart). chart: true adds a line \
            chart.",
        output_schema = schema_for_output::<PriceTrendOutput>(),
        annotations(read_only_hint = true, open_world_hint = true, idempotent_hint = true)
    )]
    async fn analyze_price_trend(
        &self,
        Parameters(args): Parameters<PriceTrendArgs>,
    ) -> Result<CallToolResult, ToolError> {
        let context = &self.context;
        analytics::analyze_price_trend(&context.molit, &context.regions, &args)
            .await
            .and_then(charted_result)
    }

    #[tool(
        name = "compare_regions",
        title = "Compare districts side by side (지역 비교)",
        description = "Ranks 2 to 8 districts for one property and deal type over one month \
            or up to 12, with the same filters for all: by median price per ㎡ (default), \
            median price or deal count, each with its pooled summary and a `thin` flag under 5 \
            deals. Use area_min/area_max to compare like with like. chart: true adds a bar \
            chart.",
        output_schema = schema_for_output::<CompareRegionsOutput>(),
        annotations(read_only_hint = true, open_world_hint = true, idempotent_hint = true)
    )]
    async fn compare_regions(
        &self,
        Parameters(args): Parameters<CompareRegionsArgs>,
    ) -> Result<CallToolResult, ToolError> {
        let context = &self.context;
        analytics::compare_regions(&context.molit, &context.regions, &args)
            .await
            .and_then(charted_result)
    }

    #[tool(
        name = "analyze_jeonse_ratio",
        title = "Jeonse-to-price ratio, like for like (전세가율 분석)",
        description = "전세가율 of a district, like for like: sales and 전세 leases are \
            paired by complex and area band over the same months (up to 12; 3–6 is typical), \
            each pair gives median 전세 ÷ median sale, and the district figure is the median and \
            spread of those ratios. include_wolse converts 월세 at conversion_rate_pct. chart: \
            true adds a scatter chart.",
        output_schema = schema_for_output::<JeonseRatioOutput>(),
        annotations(read_only_hint = true, open_world_hint = true, idempotent_hint = true)
    )]
    async fn analyze_jeonse_ratio(
        &self,
        Parameters(args): Parameters<JeonseRatioArgs>,
    ) -> Result<CallToolResult, ToolError> {
        let context = &self.context;
        analytics::analyze_jeonse_ratio(&context.molit, &context.regions, &args)
            .await
            .and_then(charted_result)
    }

    #[tool(
        name = "get_complex_summary",
        title = "One apartment complex at a glance (단지 요약)",
        description = "One complex over up to 24 months: sales and 전세/월세 leases by \
            area band (with 전세가율), recent deals, cancelled sales (해제) and record highs \
            (신고가) within the window. complex_name may be a distinctive part; when it fits \
            several complexes the error lists them: ask the user, then pass the full name and \
            dong.",
        annotations(read_only_hint = true, open_world_hint = true, idempotent_hint = true)
    )]
    async fn get_complex_summary(
        &self,
        Parameters(args): Parameters<ComplexSummaryArgs>,
    ) -> Result<Json<ComplexSummaryOutput>, ToolError> {
        let context = &self.context;
        analytics::get_complex_summary(&context.molit, &context.regions, &args)
            .await
            .map(Json)
    }
}

/// Every tool the server offers, as `tools/list` publishes it: the methods above and the
/// transaction table, each output schema published as its outline ([`outline::outline`]),
/// and every schema in standard JSON Schema ([`schemas::standardize`]).
pub(super) fn published_tools() -> ToolRouter<RealEstateServer> {
    let mut router = RealEstateServer::tool_router() + transaction_tools::router();
    for route in router.map.values_mut() {
        if let Some(full) = &route.attr.output_schema {
            route.attr.output_schema = Some(Arc::new(outline::outline(full)));
        }
    }
    schemas::standardize(router)
}

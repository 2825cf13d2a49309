//! Tool declarations: names, titles, descriptions and annotations, each a thin call into
//! [`crate::tools`]. Names are part of the public interface (people's saved prompts use
//! them): never rename one.

use rmcp::{
    handler::server::{
        tool::schema_for_output,
        wrapper::{Json, Parameters},
    },
    model::CallToolResult,
    tool, tool_router,
};

use super::{RealEstateServer, charted::charted_result};
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
    transactions::{self, TransactionArgs, TransactionsOutput},
};
use crate::upstream::molit::Dataset;

#[tool_router(vis = "pub(super)")]
impl RealEstateServer {
    #[tool(
        name = "get_region_code",
        title = "Region name → legal district code (법정동코드)",
        description = "Turns a Korean region name into the 5-digit code (LAWD_CD) the \
            transaction tools need: 시도/시군구/읍면동 names, abbreviations (서울 마포구, 분당, \
            공덕동) and 5- or 10-digit codes. status `resolved` gives `lawd_cd`; `ambiguous` \
            lists every candidate (ask the user to choose); `renamed` explains a reorganisation \
            (e.g. 인천 중구 → 제물포구/영종구, 2026-07) and gives the new code(s). Offline; no quota.",
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
        description = "Applyhome (청약홈) apartment subscription notices (분양 공고): house name, \
            address, supply size, notice and application dates, winners' announcement, \
            contract dates, builder, move-in month and the notice URL, with a status (upcoming, \
            open, closed). Filter by region (서울, 경기, …), address or house name fragments, and \
            notice date range (YYYY-MM-DD); set notice_date_from for current notices.",
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
        description = "Applyhome (청약홈) subscription statistics by month: applicants by region \
            or age, winners by region or age, competition rates by region, and winning-score \
            (가점) ranges. Choose `kind`, then a month (YYYYMM) or a range, and optionally a \
            region or residence class.",
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
        description = "One Applyhome (청약홈) APT notice in full, with its house-type (주택형) table: exclusive and supply area, 일반공급 and 특별공급 households (by category: 신혼부부, 생애최초, 다자녀, …) and the highest price (분양최고금액, 만원, also per 평 of supply area). Pass the notice's house_manage_no from get_apt_subscription_info (notice_no only when asked to choose).",
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
        description = "The 일반공급 competition of one Applyhome (청약홈) APT notice: per house type (주택형) and rank (1순위/2순위) and residence class (해당지역, 기타경기, 기타지역), applications and the published rate; per type the 1순위 rate and whether it was undersubscribed (미달), plus totals. Pass the notice's house_manage_no from get_apt_subscription_info. For region-wide monthly rates use get_apt_subscription_results.",
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
        name = "get_apartment_trades_detail",
        title = "Apartment sales with address and complex id (아파트 매매 상세)",
        description = "Apartment (아파트) sale deals for one district and contract month from MOLIT's detailed feed: everything get_apartment_trades gives plus each deal's road-name address, 10-digit legal dong code and MOLIT complex id (complex_id, stable across months: use it to follow one complex). Needs its own data.go.kr approval. region_code takes a 5-digit code or a region name; year_month is YYYYMM. Filters: dong, name_contains, area_min/area_max (㎡). The summary covers all matching deals, cancelled ones excluded and counted; `limit` caps only the rows.",
        annotations(read_only_hint = true, open_world_hint = true, idempotent_hint = true)
    )]
    async fn get_apartment_trades_detail(
        &self,
        Parameters(args): Parameters<TransactionArgs>,
    ) -> Result<Json<TransactionsOutput>, ToolError> {
        self.transactions(Dataset::AptTradeDev, &args).await
    }

    #[tool(
        name = "get_presale_trades",
        title = "Presale and occupancy right resales (분양권·입주권 전매)",
        description = "Resales of apartment presale rights (분양권) and redevelopment occupancy rights (입주권) reported to MOLIT for one district and contract month; each row says which right (ownership). region_code takes a 5-digit code or a region name; year_month is YYYYMM. Filters: dong, name_contains, area_min/area_max (전용면적 ㎡). The summary (count, median, mean, min, max in 만원, per ㎡ and per 평) covers all matching deals, cancelled ones excluded and counted; `limit` caps only the rows.",
        annotations(read_only_hint = true, open_world_hint = true, idempotent_hint = true)
    )]
    async fn get_presale_trades(
        &self,
        Parameters(args): Parameters<TransactionArgs>,
    ) -> Result<Json<TransactionsOutput>, ToolError> {
        self.transactions(Dataset::SilvTrade, &args).await
    }

    #[tool(
        name = "get_land_trades",
        title = "Land sale prices (토지 매매)",
        description = "Land (토지) sale deals reported to MOLIT for one district and contract month: area traded (거래면적 ㎡), 지목 (land_category), 용도지역 (land_use), share sales (share_deal: the price is for a share). Lot numbers are partly masked and there are no names, so name_contains is refused. region_code takes a 5-digit code or a region name; year_month is YYYYMM. Filters: dong, area_min/area_max. The summary (median, mean, min, max in 만원, per ㎡ and per 평) covers all matching deals, cancelled ones excluded and counted.",
        annotations(read_only_hint = true, open_world_hint = true, idempotent_hint = true)
    )]
    async fn get_land_trades(
        &self,
        Parameters(args): Parameters<TransactionArgs>,
    ) -> Result<Json<TransactionsOutput>, ToolError> {
        self.transactions(Dataset::LandTrade, &args).await
    }

    #[tool(
        name = "get_industrial_trades",
        title = "Factory and warehouse sales (공장·창고 매매)",
        description = "Factory, warehouse and similar (공장·창고 등) sale deals reported to MOLIT for one district and contract month: building use, building area (area_m2) and plot area, zoning, share sales. No names, so name_contains is refused; lot numbers are partly masked. region_code takes a 5-digit code or a region name; year_month is YYYYMM. Filters: dong, area_min/area_max (건물면적 ㎡). The summary (median, mean, min, max in 만원, per ㎡ and per 평) covers all matching deals, cancelled ones excluded and counted.",
        annotations(read_only_hint = true, open_world_hint = true, idempotent_hint = true)
    )]
    async fn get_industrial_trades(
        &self,
        Parameters(args): Parameters<TransactionArgs>,
    ) -> Result<Json<TransactionsOutput>, ToolError> {
        self.transactions(Dataset::InduTrade, &args).await
    }

    #[tool(
        name = "get_apartment_trades",
        title = "Apartment sale prices (아파트 매매 실거래가)",
        description = "Apartment (아파트) sale deals reported to MOLIT for one district and contract month. region_code takes a 5-digit code or a region name (an ambiguous name returns the candidates); year_month is YYYYMM. Filters: dong, name_contains, area_min/area_max (㎡). Every page of the month is fetched; the summary (count, median, mean, min, max in 만원, per ㎡ and per 평) covers all matching deals, cancelled deals excluded and counted; `limit` caps only the rows returned.",
        annotations(read_only_hint = true, open_world_hint = true, idempotent_hint = true)
    )]
    async fn get_apartment_trades(
        &self,
        Parameters(args): Parameters<TransactionArgs>,
    ) -> Result<Json<TransactionsOutput>, ToolError> {
        self.transactions(Dataset::AptTrade, &args).await
    }

    #[tool(
        name = "get_apartment_rent",
        title = "Apartment leases (아파트 전월세)",
        description = "Apartment (아파트) 전세 and 월세 leases reported to MOLIT for one district and contract month; 전세 (monthly rent 0) is summarised apart from 월세. region_code takes a 5-digit code or a region name (an ambiguous name returns the candidates); year_month is YYYYMM. Filters: dong, name_contains, area_min/area_max (㎡). Every page of the month is fetched; the summary (count, median, mean, min, max in 만원, per ㎡ and per 평) covers all matching deals, cancelled deals excluded and counted; `limit` caps only the rows returned.",
        annotations(read_only_hint = true, open_world_hint = true, idempotent_hint = true)
    )]
    async fn get_apartment_rent(
        &self,
        Parameters(args): Parameters<TransactionArgs>,
    ) -> Result<Json<TransactionsOutput>, ToolError> {
        self.transactions(Dataset::AptRent, &args).await
    }

    #[tool(
        name = "get_officetel_trades",
        title = "Officetel sale prices (오피스텔 매매)",
        description = "Officetel (오피스텔) sale deals reported to MOLIT for one district and contract month. region_code takes a 5-digit code or a region name (an ambiguous name returns the candidates); year_month is YYYYMM. Filters: dong, name_contains, area_min/area_max (㎡). Every page of the month is fetched; the summary (count, median, mean, min, max in 만원, per ㎡ and per 평) covers all matching deals, cancelled deals excluded and counted; `limit` caps only the rows returned.",
        annotations(read_only_hint = true, open_world_hint = true, idempotent_hint = true)
    )]
    async fn get_officetel_trades(
        &self,
        Parameters(args): Parameters<TransactionArgs>,
    ) -> Result<Json<TransactionsOutput>, ToolError> {
        self.transactions(Dataset::OffiTrade, &args).await
    }

    #[tool(
        name = "get_officetel_rent",
        title = "Officetel leases (오피스텔 전월세)",
        description = "Officetel (오피스텔) 전세 and 월세 leases for one district and contract month; 전세 is summarised apart from 월세. region_code takes a 5-digit code or a region name (an ambiguous name returns the candidates); year_month is YYYYMM. Filters: dong, name_contains, area_min/area_max (㎡). Every page of the month is fetched; the summary (count, median, mean, min, max in 만원, per ㎡ and per 평) covers all matching deals, cancelled deals excluded and counted; `limit` caps only the rows returned.",
        annotations(read_only_hint = true, open_world_hint = true, idempotent_hint = true)
    )]
    async fn get_officetel_rent(
        &self,
        Parameters(args): Parameters<TransactionArgs>,
    ) -> Result<Json<TransactionsOutput>, ToolError> {
        self.transactions(Dataset::OffiRent, &args).await
    }

    #[tool(
        name = "get_villa_trades",
        title = "Villa sale prices (연립·다세대 매매)",
        description = "Row-house and multi-family (연립·다세대, '빌라') sale deals for one district and contract month. region_code takes a 5-digit code or a region name (an ambiguous name returns the candidates); year_month is YYYYMM. Filters: dong, name_contains, area_min/area_max (㎡). Every page of the month is fetched; the summary (count, median, mean, min, max in 만원, per ㎡ and per 평) covers all matching deals, cancelled deals excluded and counted; `limit` caps only the rows returned.",
        annotations(read_only_hint = true, open_world_hint = true, idempotent_hint = true)
    )]
    async fn get_villa_trades(
        &self,
        Parameters(args): Parameters<TransactionArgs>,
    ) -> Result<Json<TransactionsOutput>, ToolError> {
        self.transactions(Dataset::RhTrade, &args).await
    }

    #[tool(
        name = "get_villa_rent",
        title = "Villa leases (연립·다세대 전월세)",
        description = "Row-house and multi-family (연립·다세대, '빌라') 전세 and 월세 leases for one district and contract month. region_code takes a 5-digit code or a region name (an ambiguous name returns the candidates); year_month is YYYYMM. Filters: dong, name_contains, area_min/area_max (㎡). Every page of the month is fetched; the summary (count, median, mean, min, max in 만원, per ㎡ and per 평) covers all matching deals, cancelled deals excluded and counted; `limit` caps only the rows returned.",
        annotations(read_only_hint = true, open_world_hint = true, idempotent_hint = true)
    )]
    async fn get_villa_rent(
        &self,
        Parameters(args): Parameters<TransactionArgs>,
    ) -> Result<Json<TransactionsOutput>, ToolError> {
        self.transactions(Dataset::RhRent, &args).await
    }

    #[tool(
        name = "get_single_house_trades",
        title = "House sale prices (단독·다가구 매매)",
        description = "Detached and multi-household house (단독·다가구) sale deals for one district and contract month; area is gross floor area. region_code takes a 5-digit code or a region name (an ambiguous name returns the candidates); year_month is YYYYMM. Filters: dong, name_contains, area_min/area_max (㎡). Every page of the month is fetched; the summary (count, median, mean, min, max in 만원, per ㎡ and per 평) covers all matching deals, cancelled deals excluded and counted; `limit` caps only the rows returned.",
        annotations(read_only_hint = true, open_world_hint = true, idempotent_hint = true)
    )]
    async fn get_single_house_trades(
        &self,
        Parameters(args): Parameters<TransactionArgs>,
    ) -> Result<Json<TransactionsOutput>, ToolError> {
        self.transactions(Dataset::ShTrade, &args).await
    }

    #[tool(
        name = "get_single_house_rent",
        title = "House leases (단독·다가구 전월세)",
        description = "Detached and multi-household house (단독·다가구) 전세 and 월세 leases for one district and contract month. region_code takes a 5-digit code or a region name (an ambiguous name returns the candidates); year_month is YYYYMM. Filters: dong, name_contains, area_min/area_max (㎡). Every page of the month is fetched; the summary (count, median, mean, min, max in 만원, per ㎡ and per 평) covers all matching deals, cancelled deals excluded and counted; `limit` caps only the rows returned.",
        annotations(read_only_hint = true, open_world_hint = true, idempotent_hint = true)
    )]
    async fn get_single_house_rent(
        &self,
        Parameters(args): Parameters<TransactionArgs>,
    ) -> Result<Json<TransactionsOutput>, ToolError> {
        self.transactions(Dataset::ShRent, &args).await
    }

    #[tool(
        name = "get_commercial_trade",
        title = "Commercial building sales (상업업무용 매매)",
        description = "Commercial and business building (상가·사무실·빌딩, 상업업무용) sale deals for one district and contract month. region_code takes a 5-digit code or a region name (an ambiguous name returns the candidates); year_month is YYYYMM. Filters: dong, name_contains, area_min/area_max (㎡). Every page of the month is fetched; the summary (count, median, mean, min, max in 만원, per ㎡ and per 평) covers all matching deals, cancelled deals excluded and counted; `limit` caps only the rows returned.",
        annotations(read_only_hint = true, open_world_hint = true, idempotent_hint = true)
    )]
    async fn get_commercial_trade(
        &self,
        Parameters(args): Parameters<TransactionArgs>,
    ) -> Result<Json<TransactionsOutput>, ToolError> {
        self.transactions(Dataset::NrgTrade, &args).await
    }

    #[tool(
        name = "analyze_price_trend",
        title = "Price trend over months (시세 추이 분석)",
        description = "How prices moved in one district over a range of months (up to 36), in one call instead of one per month. Per month: deal count, median, mean, min, max (만원), median per ㎡ and per 평, month-over-month and year-over-year change of the median per ㎡; months with fewer than 5 deals are flagged `thin` and not compared. property_type apartment|officetel|villa|single_house|commercial; deal_type trade (매매) or rent (전세 deposits; 월세 apart). Same filters as the transaction tools (dong, name_contains, area_min/area_max: 80–90 for 84㎡/34평). Cancelled deals and outliers (documented rule) are excluded and counted; `source` tells which months came from cache, what failed and the quota used. chart: true adds a PNG line chart with deal-count bars.",
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
        description = "Compares 2 to 8 districts (codes or names) for one property and deal type over one month or a range of up to 12 (from_month, optional to_month), with the same filters for all, and ranks them by median price per ㎡ (default), median price, or deal count. Each district: its pooled summary (count, median, mean, min, max, per ㎡ and per 평), a `thin` flag under 5 deals, months fetched or failed. Use area_min/area_max to compare like with like. chart: true adds a PNG bar chart.",
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
        description = "전세가율 of a district computed like for like: sales and 전세 leases are paired by complex (dong + name) and area band over the same months (up to 12; 3–6 is typical), each pair gets median 전세 ÷ median sale, and the district figure is the median and spread (quartiles, min, max) of those ratios with sample sizes. Never divides district-wide medians. Apartments, officetels or villas. include_wolse converts 월세 to a 전세 equivalent at conversion_rate_pct (default 5.0 %/year, stated in the result). chart: true adds a PNG scatter (ratio against sale price).",
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
        description = "Everything on one complex over a window of up to 24 months: sales and 전세/월세 leases by area band (count, median, min, max, per 평, 전세가율), recent sales and leases, cancelled sales (해제), and record highs (신고가) set within the window. complex_name takes the name or a distinctive part (spaces ignored); if it fits several complexes the error lists them with their dong and deal counts: ask the user, then pass the full name and `dong`. Apartments (default), officetels or villas.",
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

impl RealEstateServer {
    async fn transactions(
        &self,
        dataset: Dataset,
        args: &TransactionArgs,
    ) -> Result<Json<TransactionsOutput>, ToolError> {
        let context = &self.context;
        transactions::run(&context.molit, &context.regions, dataset, args)
            .await
            .map(Json)
    }
}

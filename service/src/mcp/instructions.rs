//! The `instructions` a client hands its model: how to pick tools for Korean questions, and
//! what every tool shares, said here once instead of in each tool's description.

/// Sent in `initialize` and `server/discover` results.
pub(super) const INSTRUCTIONS: &str = "\
Korean public real-estate data (국토교통부 실거래가, 청약홈) and calculators.

Choosing a tool:
- 지역/동네 이름 → call get_region_code first when unsure of the 5-digit code (LAWD_CD). \
  Data tools also accept a region name and resolve it; an ambiguous name such as \
  \"중구\" returns the candidates: ask the user which one. A 읍면동 (\"공덕동\") as \
  region_code narrows the figures to that 읍면동.
- 매매/실거래가/시세 → *_trades tools; 전세/월세/전월세/임대 → *_rent tools.
  아파트 → apartment; 오피스텔 → officetel; 빌라/연립/다세대 → villa; \
  단독/다가구/주택 → single_house; 상가/상업용/업무용/빌딩 → get_commercial_trade; \
  분양권/입주권 → get_presale_trades; 토지/땅 → get_land_trades; 공장/창고 → \
  get_industrial_trades; 도로명 주소·단지 고유번호가 필요하면 → get_apartment_trades_detail.
- 추이/변화/몇 달간/올해 → analyze_price_trend (one call for up to 36 months, not one per \
  month); 지역 비교/어디가 더 비싸 → compare_regions; 전세가율 → analyze_jeonse_ratio \
  (matched by complex and size); 특정 단지/신고가/해제 → get_complex_summary. Set \
  chart: true when the user wants to see it.
- 청약/분양 공고 → get_apt_subscription_info; 그 공고의 주택형·분양가·특별공급 → \
  get_apt_subscription_detail; 그 공고의 경쟁률 → get_apt_subscription_competition \
  (both take the notice's house_manage_no); 지역별 월간 청약 통계 → \
  get_apt_subscription_results.
- 대출 상환액/이자 → calculate_loan_payment; 적립/복리 → calculate_compound_growth; \
  월 현금흐름/수익 → calculate_monthly_cashflow.
- 이번 달/최근 → call get_current_year_month (Korean time) rather than guessing the month. \
  The newest month is still incomplete: deals are reported up to 30 days late.

Conventions: every amount is in 만원 (10,000 KRW); 1억 = 10,000만원. Areas are in ㎡ on the \
result's area_basis (전용면적 for homes); 1평 = 3.3058㎡, and \"34평\" is a supply area of about \
84㎡ 전용 (area_min 80, area_max 90). Per-평 prices of deals divide by 전용면적, 분양가 \
평당 by 공급면적: compare 분양가 with top_price_per_pyeong_exclusive_manwon. Months are YYYYMM. Filters: dong and name_contains \
match fragments, ignoring spaces and case.

Reading results: a transaction tool fetches every page of the month, and its summary \
(count, median, mean, min, max, per ㎡ and per 평; 전세 and 월세 apart) covers every matching \
deal even when `limit` returns fewer rows. Cancelled deals (해제) stay in rows marked \
cancelled but never enter a figure. Analytics tools also leave out outliers by a \
documented rule (exclude_outliers: false keeps them), flag thin months or groups, and \
list failed months. Every data result has `source`: cached (no quota used), age_seconds and \
upstream_calls (requests counted against the daily data.go.kr quota); repeated questions \
are served from cache. source.budget says what is left of today's request budget; a \
question too large for it is answered with the newest months that fit: ask again with those \
months, or tell the user when the budget resets. Relay `notes` to the user. A failure is a \
tool result with a sentence saying what to do.";

//! Answers recorded from the live RTMS services, read with the real parser and compared tag
//! for tag with what the stand-in serves, so neither can drift from the real format. Where
//! each answer comes from, and which datasets have none, is in
//! `tests/fixtures/upstream/README.md`.

use quick_xml::{Reader, events::Event};
use testkit::molit::{
    Kind, SuccessStyle, auth_message, generate, render_page, render_service_error,
};

use super::{Dataset, DealKind, MolitError, MolitErrorKind, Page, ParseError, parse_page};

/// A recorded answer: its file name under `tests/fixtures/upstream/molit/` and its text.
type Recorded = Option<(&'static str, &'static str)>;

macro_rules! recorded {
    ($name:literal) => {
        Some((
            $name,
            include_str!(concat!("../../../tests/fixtures/upstream/molit/", $name)),
        ))
    };
}

/// Every dataset with its recorded answer, or `None` where no real answer was found.
const RECORDED: [(Dataset, Recorded); 13] = [
    (Dataset::AptTrade, recorded!("apt-trade.xml")),
    (Dataset::AptRent, recorded!("apt-rent.xml")),
    (Dataset::OffiTrade, recorded!("offi-trade.xml")),
    (Dataset::OffiRent, recorded!("offi-rent.xml")),
    (Dataset::RhTrade, recorded!("rh-trade.xml")),
    (Dataset::RhRent, None),
    (Dataset::ShTrade, None),
    (Dataset::ShRent, None),
    (Dataset::NrgTrade, recorded!("nrg-trade.xml")),
    (Dataset::AptTradeDev, None),
    (Dataset::SilvTrade, None),
    (Dataset::LandTrade, recorded!("land-trade.xml")),
    (Dataset::InduTrade, None),
];

/// The gateway's bare answer to a key it does not accept.
const UNAUTHORIZED: &str =
    include_str!("../../../tests/fixtures/upstream/molit/http-401-unauthorized.txt");

const INDEX: &str = include_str!("../../../tests/fixtures/upstream/README.md");

/// The `(tag, text)` children of every `<item>`, in the order they were written.
fn items(xml: &str) -> Vec<Vec<(String, String)>> {
    let mut reader = Reader::from_str(xml);
    let mut all = Vec::new();
    let mut item: Option<Vec<(String, String)>> = None;
    let mut field: Option<(String, String)> = None;
    loop {
        match reader
            .read_event()
            .expect("recorded answers are well-formed")
        {
            Event::Start(start) => {
                let name = start.name().as_ref().to_owned();
                if name == "item" {
                    item = Some(Vec::new());
                } else if item.is_some() {
                    field = Some((name, String::new()));
                }
            }
            Event::Empty(start) => {
                if let Some(fields) = item.as_mut() {
                    let name = start.name().as_ref().to_owned();
                    fields.push((name, String::new()));
                }
            }
            Event::Text(text) => {
                if let Some((_, value)) = field.as_mut() {
                    value.push_str(&text);
                }
            }
            Event::End(end) => {
                if end.name().as_ref() == "item" {
                    all.extend(item.take());
                } else if let (Some(done), Some(fields)) = (field.take(), item.as_mut()) {
                    fields.push(done);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    all
}

fn tags(item: &[(String, String)]) -> Vec<&str> {
    item.iter().map(|(tag, _)| tag.as_str()).collect()
}

fn page_of(dataset: Dataset) -> Page {
    let (_, xml) = RECORDED
        .iter()
        .find(|(d, _)| *d == dataset)
        .and_then(|(_, r)| *r)
        .expect("a recorded answer");
    parse_page(xml.as_bytes()).expect("a recorded answer parses")
}

#[test]
fn every_dataset_is_listed_once_and_the_index_names_every_file() {
    for dataset in Dataset::ALL {
        let listed = RECORDED.iter().filter(|(d, _)| *d == dataset).count();
        assert_eq!(listed, 1, "{dataset:?}");
        let (_, recorded) = RECORDED.iter().find(|(d, _)| *d == dataset).unwrap();
        match recorded {
            Some((name, _)) => assert!(INDEX.contains(name), "the index must name {name}"),
            None => assert!(
                INDEX.contains(dataset.service()),
                "the index must say that {} has no recorded answer",
                dataset.service()
            ),
        }
    }
    assert!(INDEX.contains("http-401-unauthorized.txt"));
}

#[test]
fn every_recorded_answer_parses_into_complete_deals() {
    for (dataset, recorded) in RECORDED {
        let Some((name, xml)) = recorded else {
            continue;
        };
        let page = parse_page(xml.as_bytes()).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(page.deals.len(), items(xml).len(), "{name}");
        assert!(!page.deals.is_empty(), "{name}");
        assert!(page.total_count as usize >= page.deals.len(), "{name}");
        for deal in &page.deals {
            assert!(
                deal.deal_year.is_some() && deal.deal_month.is_some(),
                "{name}"
            );
            assert!(deal.deal_day.is_some() && deal.umd_nm.is_some(), "{name}");
            assert!(deal.sgg_cd.is_some(), "{name}");
            match dataset.kind() {
                DealKind::Trade => assert!(deal.deal_amount.is_some(), "{name}"),
                DealKind::Rent => {
                    assert!(
                        deal.deposit.is_some() && deal.monthly_rent.is_some(),
                        "{name}"
                    );
                    assert!(!deal.is_cancelled(), "{name}: leases carry no cancellation");
                }
            }
        }
    }
}

#[test]
fn apartment_sales_read_names_prices_areas_and_brokers() {
    let page = page_of(Dataset::AptTrade);
    assert_eq!((page.total_count, page.deals.len()), (15, 15));
    let first = &page.deals[0];
    assert_eq!(first.name.as_deref(), Some("산호"));
    assert_eq!(first.deal_amount, Some(215_000));
    assert_eq!(first.exclu_use_ar, Some(103.74));
    assert_eq!(first.floor, Some(9));
    assert_eq!(first.land_leasehold_gbn.as_deref(), Some("N"));
    assert_eq!(first.apt_dong, None, "a single space is no value");
    assert_eq!(first.rgst_date, None);
    assert!(page.deals.iter().all(|d| !d.is_cancelled()));
    assert!(
        page.deals
            .iter()
            .any(|d| d.estate_agent_sgg_nm.as_deref() == Some("서울 용산구, 서울 중구")),
        "two brokers are listed in one value"
    );
}

#[test]
fn apartment_leases_read_jeonse_wolse_and_renewals() {
    let page = page_of(Dataset::AptRent);
    assert_eq!(page.total_count, 571);
    let jeonse = &page.deals[0];
    assert_eq!(
        (jeonse.deposit, jeonse.monthly_rent),
        (Some(36_700), Some(0))
    );
    assert_eq!(jeonse.contract_type, None);
    let renewal = &page.deals[3];
    assert_eq!(renewal.name.as_deref(), Some("은마"));
    assert_eq!(renewal.contract_type.as_deref(), Some("갱신"));
    assert_eq!(
        (renewal.pre_deposit, renewal.pre_monthly_rent),
        (Some(50_000), Some(80))
    );
    assert_eq!(renewal.use_rr_right.as_deref(), Some("사용"));
    assert_eq!(renewal.contract_term.as_deref(), Some("25.08~27.08"));
}

#[test]
fn officetel_answers_read_their_own_name_tag_and_district_name() {
    let trades = page_of(Dataset::OffiTrade);
    assert_eq!((trades.total_count, trades.deals.len()), (19, 19));
    assert!(
        trades
            .deals
            .iter()
            .all(|d| d.sgg_nm.as_deref() == Some("서초구"))
    );
    assert!(
        trades
            .deals
            .iter()
            .any(|d| d.name.as_deref() == Some("강남역 I'PARK"))
    );
    assert!(trades.deals.iter().any(|d| d.exclu_use_ar == Some(34.0)));
    let leases = page_of(Dataset::OffiRent);
    assert_eq!(leases.total_count, 339);
    assert_eq!(leases.deals[1].monthly_rent, Some(83));
    assert_eq!(leases.deals[2].pre_monthly_rent, Some(80));
}

#[test]
fn row_house_sales_read_house_type_land_share_and_registration() {
    let page = page_of(Dataset::RhTrade);
    assert_eq!((page.total_count, page.deals.len()), (16, 16));
    assert!(
        page.deals
            .iter()
            .all(|d| matches!(d.house_type.as_deref(), Some("다세대" | "연립")))
    );
    assert!(page.deals.iter().any(|d| d.land_ar == Some(82.3083)));
    assert!(
        page.deals
            .iter()
            .any(|d| d.rgst_date.as_deref() == Some("25.06.12"))
    );
    let cancelled: Vec<_> = page.deals.iter().filter(|d| d.is_cancelled()).collect();
    assert_eq!(cancelled.len(), 1);
    assert_eq!(cancelled[0].cdeal_day.as_deref(), Some("25.06.09"));
}

#[test]
fn the_raw_commercial_page_reads_paging_blanks_and_a_cancellation() {
    let page = page_of(Dataset::NrgTrade);
    assert_eq!(
        (
            page.total_count,
            page.page_no,
            page.num_of_rows,
            page.deals.len()
        ),
        (52, 1, 10, 10),
        "a first page of ten out of 52"
    );
    let cancelled: Vec<_> = page.deals.iter().filter(|d| d.is_cancelled()).collect();
    assert_eq!(cancelled.len(), 1);
    assert_eq!(cancelled[0].cdeal_day.as_deref(), Some("25.02.11"));
    assert_eq!(cancelled[0].building_ar, Some(594.72));
    let blank = &page.deals[2];
    assert_eq!(blank.build_year, None, "a blank build year is unknown");
    assert_eq!(blank.plottage_ar, None);
    assert_eq!(page.deals[4].deal_amount, Some(1_533_000));
    assert_eq!(page.deals[0].jibun.as_deref(), Some("2**"));
    assert_eq!(page.deals[0].building_type.as_deref(), Some("일반"));
    assert_eq!(page.deals[0].share_dealing_type, None);
}

#[test]
fn land_sales_read_category_area_shares_and_cancellations() {
    let page = page_of(Dataset::LandTrade);
    assert_eq!(page.total_count, 48);
    assert_eq!(page.deals[0].umd_nm.as_deref(), Some("조종면 대보리"));
    assert_eq!(page.deals[0].jimok.as_deref(), Some("임야"));
    assert_eq!(page.deals[2].share_dealing_type.as_deref(), Some("지분"));
    assert_eq!(page.deals[2].deal_area, Some(92.56));
    assert!(page.deals[3].is_cancelled());
    assert_eq!(page.deals[3].deal_area, Some(36893.0));
}

#[test]
fn the_bare_401_is_unreadable_so_the_status_explains_it() {
    assert!(matches!(
        parse_page(UNAUTHORIZED.as_bytes()),
        Err(ParseError::Malformed(_))
    ));
    let message = MolitError::new(Dataset::AptTrade, MolitErrorKind::Status(401)).to_string();
    assert!(message.contains("DATA_GO_KR_API_KEY"), "{message}");
}

#[test]
fn the_stand_in_writes_the_recorded_tags_in_the_recorded_order() {
    for (dataset, recorded) in RECORDED {
        let Some((name, xml)) = recorded else {
            continue;
        };
        let real = items(xml);
        let real_tags = tags(&real[0]);
        let mut sorted = real_tags.clone();
        sorted.sort_unstable();
        assert_eq!(real_tags, sorted, "{name}: the service writes tags sorted");
        for item in &real {
            assert_eq!(
                tags(item),
                real_tags,
                "{name}: every item carries every tag"
            );
            assert!(
                item.iter().all(|(_, value)| !value.is_empty()),
                "{name}: blanks are a single space, never an empty element"
            );
        }
        let kind = Kind::from_service(dataset.service()).expect("the stand-in serves it");
        let served = render_page(
            SuccessStyle::Modern,
            &generate(kind, "11680", "202506", 20),
            1,
            20,
            20,
        );
        for item in items(&served) {
            assert_eq!(tags(&item), real_tags, "{name}: the stand-in drifted");
            assert!(item.iter().all(|(_, value)| !value.is_empty()), "{name}");
        }
    }
}

#[test]
fn the_stand_in_error_envelopes_reach_the_user_with_their_own_advice() {
    for code in ["02", "29", "33"] {
        let parsed = parse_page(render_service_error(code).as_bytes());
        let Err(ParseError::Gateway { code: got, message }) = parsed else {
            panic!("{code}: {parsed:?}");
        };
        assert_eq!((got.as_str(), message.as_str()), (code, auth_message(code)));
        let advice = MolitError::new(
            Dataset::NrgTrade,
            MolitErrorKind::Gateway { code: got, message },
        )
        .to_string();
        assert!(!advice.contains("not documented"), "{code}: {advice}");
    }
}

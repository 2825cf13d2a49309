//! Answers recorded from the live RTMS services, read with the real parser and compared tag
//! for tag with what the stand-in serves, so neither can drift from the real format. Where
//! each answer comes from, and which datasets have none, is in
//! `tests/fixtures/upstream/README.md`.

use quick_xml::{Reader, events::Event};
use testkit::molit::{Kind, SuccessStyle, generate, render_page};

use super::{Dataset, DealKind, Page, parse_page};

#[path = "fixture_error_tests.rs"]
mod errors;
#[path = "fixture_values_tests.rs"]
mod values;

/// How a dataset's live answer was recorded (files under `tests/fixtures/upstream/molit/`).
#[derive(Clone, Copy)]
enum Recorded {
    /// A whole answer, `<response>` to `</response>`: its file name and text.
    Page(&'static str, &'static str),
    /// `<item>` elements quoted on their own, each from a different answer.
    Items(&'static [(&'static str, &'static str)]),
    /// No recorded answer was found.
    Missing,
}

macro_rules! file {
    ($name:literal) => {
        (
            $name,
            include_str!(concat!("../../../tests/fixtures/upstream/molit/", $name)),
        )
    };
}

macro_rules! page {
    ($name:literal) => {{
        let (name, text) = file!($name);
        Recorded::Page(name, text)
    }};
}

/// Every dataset with its recorded answer.
const RECORDED: [(Dataset, Recorded); 13] = [
    (Dataset::AptTrade, page!("apt-trade.xml")),
    (Dataset::AptRent, page!("apt-rent.xml")),
    (Dataset::OfficetelTrade, page!("offi-trade.xml")),
    (Dataset::OfficetelRent, page!("offi-rent.xml")),
    (Dataset::RowHouseTrade, page!("rh-trade.xml")),
    (Dataset::RowHouseRent, Recorded::Missing),
    (Dataset::DetachedHouseTrade, Recorded::Missing),
    (Dataset::DetachedHouseRent, Recorded::Missing),
    (Dataset::CommercialTrade, page!("nrg-trade.xml")),
    (Dataset::AptTradeDetailed, page!("apt-trade-dev.xml")),
    (
        Dataset::PresaleRightTrade,
        Recorded::Items(&[
            file!("silv-trade-41220-202607.xml"),
            file!("silv-trade-41210-202603.xml"),
            file!("silv-trade-11215-202608.xml"),
        ]),
    ),
    (Dataset::LandTrade, page!("land-trade.xml")),
    (Dataset::FactoryWarehouseTrade, Recorded::Missing),
];

/// The gateway's bare answer to a key it does not accept.
const UNAUTHORIZED: &str =
    include_str!("../../../tests/fixtures/upstream/molit/http-401-unauthorized.txt");

/// The first 160 characters of a 403 answer to a key the gateway refused, blanks collapsed
/// by the recorder.
const KEY_REFUSED_PREFIX: &str =
    include_str!("../../../tests/fixtures/upstream/molit/http-403-key-not-registered.prefix.txt");

const INDEX: &str = include_str!("../../../tests/fixtures/upstream/README.md");

impl Recorded {
    /// Each recording as a page the parser reads: whole answers as recorded, quoted items
    /// inside an envelope of this test's own (the items are the recorded bytes, the
    /// envelope is not).
    fn pages(self) -> Vec<(&'static str, String)> {
        match self {
            Recorded::Page(name, text) => vec![(name, text.to_owned())],
            Recorded::Items(items) => items
                .iter()
                .map(|(name, item)| {
                    let page = format!(
                        "<response><header><resultCode>000</resultCode><resultMsg>OK</resultMsg>\
                         </header><body><items>{}</items></body></response>",
                        item.trim_end()
                    );
                    (*name, page)
                })
                .collect(),
            Recorded::Missing => Vec::new(),
        }
    }

    /// The file names, for the index check.
    fn names(self) -> Vec<&'static str> {
        match self {
            Recorded::Page(name, _) => vec![name],
            Recorded::Items(items) => items.iter().map(|(name, _)| *name).collect(),
            Recorded::Missing => Vec::new(),
        }
    }
}

fn recorded(dataset: Dataset) -> Recorded {
    RECORDED
        .iter()
        .find(|(d, _)| *d == dataset)
        .map(|(_, r)| *r)
        .expect("every dataset is listed")
}

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
    let Recorded::Page(_, xml) = recorded(dataset) else {
        panic!("{dataset:?} has no recorded page");
    };
    parse_page(xml.as_bytes()).expect("a recorded answer parses")
}

#[test]
fn every_dataset_is_listed_once_and_the_index_names_every_file() {
    for dataset in Dataset::ALL {
        let listed = RECORDED.iter().filter(|(d, _)| *d == dataset).count();
        assert_eq!(listed, 1, "{dataset:?}");
        let names = recorded(dataset).names();
        for name in &names {
            assert!(INDEX.contains(name), "the index must name {name}");
        }
        assert!(
            !names.is_empty() || INDEX.contains(dataset.service()),
            "the index must say that {} has no recorded answer",
            dataset.service()
        );
    }
    for name in [
        "http-401-unauthorized.txt",
        "http-403-key-not-registered.prefix.txt",
    ] {
        assert!(INDEX.contains(name), "the index must name {name}");
    }
}

#[test]
fn every_recorded_answer_parses_into_complete_deals() {
    for (dataset, recorded) in RECORDED {
        for (name, xml) in recorded.pages() {
            let page = parse_page(xml.as_bytes()).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(page.deals.len(), items(&xml).len(), "{name}");
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
}

#[test]
fn the_stand_in_writes_the_recorded_tags_in_the_recorded_order() {
    for (dataset, recorded) in RECORDED {
        let real: Vec<_> = recorded
            .pages()
            .iter()
            .flat_map(|(_, xml)| items(xml))
            .collect();
        let Some(first) = real.first() else {
            continue;
        };
        let service = dataset.service();
        let real_tags = tags(first);
        let mut sorted = real_tags.clone();
        sorted.sort_unstable();
        assert_eq!(
            real_tags, sorted,
            "{service}: the service writes tags sorted"
        );
        for item in &real {
            assert_eq!(
                tags(item),
                real_tags,
                "{service}: every item carries every tag"
            );
            assert!(
                item.iter().all(|(_, value)| !value.is_empty()),
                "{service}: blanks are a single space, never an empty element"
            );
        }
        let kind = Kind::from_service(service).expect("the stand-in serves it");
        let served = render_page(
            SuccessStyle::Modern,
            &generate(kind, "11680", "202506", 20),
            1,
            20,
            20,
        );
        for item in items(&served) {
            assert_eq!(tags(&item), real_tags, "{service}: the stand-in drifted");
            assert!(item.iter().all(|(_, value)| !value.is_empty()), "{service}");
        }
    }
}

//! Deal items as the RTMS services write them, and a generator of realistic ones.

use std::collections::BTreeMap;

/// Declares [`Kind`] with [`Kind::ALL`] and [`Kind::service`] from one list, so the stand-in
/// names each service once. (The service crate keeps its own list: the stand-in stands for the
/// gateway, and a client that asked for a wrong service name must fail against it.)
macro_rules! kinds {
    ($($kind:ident => $service:literal,)+) => {
        /// The RTMS services the stand-in serves.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Kind {
            $(#[doc = concat!("`", $service, "`.")] $kind,)+
        }

        impl Kind {
            /// Every kind.
            pub const ALL: [Kind; [$(Kind::$kind),+].len()] = [$(Kind::$kind),+];

            /// The gateway's service name.
            pub fn service(self) -> &'static str {
                match self {
                    $(Kind::$kind => $service,)+
                }
            }
        }
    };
}

kinds! {
    AptTrade => "RTMSDataSvcAptTrade",
    AptRent => "RTMSDataSvcAptRent",
    OfficetelTrade => "RTMSDataSvcOffiTrade",
    OfficetelRent => "RTMSDataSvcOffiRent",
    RowHouseTrade => "RTMSDataSvcRHTrade",
    RowHouseRent => "RTMSDataSvcRHRent",
    DetachedHouseTrade => "RTMSDataSvcSHTrade",
    DetachedHouseRent => "RTMSDataSvcSHRent",
    CommercialTrade => "RTMSDataSvcNrgTrade",
    AptTradeDetailed => "RTMSDataSvcAptTradeDev",
    PresaleRightTrade => "RTMSDataSvcSilvTrade",
    LandTrade => "RTMSDataSvcLandTrade",
    FactoryWarehouseTrade => "RTMSDataSvcInduTrade",
}

impl Kind {
    /// The kind serving `service`, if any.
    pub fn from_service(service: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|kind| kind.service() == service)
    }

    /// True for the lease (전월세) services.
    pub fn is_rent(self) -> bool {
        matches!(
            self,
            Kind::AptRent | Kind::OfficetelRent | Kind::RowHouseRent | Kind::DetachedHouseRent
        )
    }

    /// The tags the live service writes in every item, sorted.
    pub fn tags(self) -> Vec<&'static str> {
        super::tags::of(self)
    }
}

/// One `<item>`: tag → value, kept sorted like the live services write them.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Item {
    fields: BTreeMap<String, String>,
}

impl Item {
    /// An item of `kind` with every tag present and blank (a single space).
    pub fn blank(kind: Kind) -> Self {
        let fields = kind
            .tags()
            .iter()
            .map(|tag| ((*tag).to_owned(), " ".to_owned()))
            .collect();
        Self { fields }
    }

    /// The `seq`-th realistic item of `kind` for district `lawd_cd` and month `deal_ymd`
    /// (`YYYYMM`). Deterministic, varied: about one trade in 17 is cancelled and one lease
    /// in three is 월세.
    pub fn generated(kind: Kind, lawd_cd: &str, deal_ymd: &str, seq: u32) -> Self {
        super::generate::fill(Self::blank(kind), kind, lawd_cd, deal_ymd, seq)
    }

    /// Sets `tag` (added if the kind does not carry it, as a new upstream field would be).
    pub fn set(mut self, tag: &str, value: impl Into<String>) -> Self {
        self.fields.insert(tag.to_owned(), value.into());
        self
    }

    /// Removes `tag`, as an older service version would omit it.
    pub fn without(mut self, tag: &str) -> Self {
        self.fields.remove(tag);
        self
    }

    /// Drops every tag not in `tags`: the generator fills a superset and trims it per kind.
    pub(super) fn keep_only(mut self, tags: &[&str]) -> Self {
        self.fields.retain(|tag, _| tags.contains(&tag.as_str()));
        self
    }

    /// Sets the sale price in 만원, written with thousands commas.
    pub fn price(self, manwon: u64) -> Self {
        self.set("dealAmount", with_commas(manwon))
    }

    /// Sets a lease: deposit and monthly rent in 만원 (0 = 전세).
    pub fn lease(self, deposit: u64, monthly_rent: u64) -> Self {
        self.set("deposit", with_commas(deposit))
            .set("monthlyRent", with_commas(monthly_rent))
    }

    /// Marks the deal cancelled on `day` (`YY.MM.DD`).
    pub fn cancelled(self, day: &str) -> Self {
        self.set("cdealType", "O").set("cdealDay", day)
    }

    /// The value of `tag`, as it will be written.
    pub fn get(&self, tag: &str) -> Option<&str> {
        self.fields.get(tag).map(String::as_str)
    }

    /// The month the deal was made, `YYYYMM`, from `dealYear` and `dealMonth` (which the
    /// services write without a leading zero).
    pub fn deal_ymd(&self) -> Option<String> {
        let year = self.get("dealYear")?.trim();
        let month: u32 = self.get("dealMonth")?.trim().parse().ok()?;
        (year.len() == 4 && (1..=12).contains(&month)).then(|| format!("{year}{month:02}"))
    }

    /// Tags and values in the order they are written (sorted).
    pub fn fields(&self) -> impl Iterator<Item = (&str, &str)> {
        self.fields.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }
}

/// `count` realistic items (see [`Item::generated`]).
pub fn generate(kind: Kind, lawd_cd: &str, deal_ymd: &str, count: u32) -> Vec<Item> {
    (0..count)
        .map(|seq| Item::generated(kind, lawd_cd, deal_ymd, seq))
        .collect()
}

/// `1125000` → `1,125,000`, as the services write amounts.
pub fn with_commas(value: u64) -> String {
    let digits = value.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_written_with_thousands_commas() {
        assert_eq!(with_commas(0), "0");
        assert_eq!(with_commas(999), "999");
        assert_eq!(with_commas(1_000), "1,000");
        assert_eq!(with_commas(1_125_000), "1,125,000");
    }

    #[test]
    fn generated_items_carry_exactly_the_live_tags() {
        for kind in Kind::ALL {
            for item in generate(kind, "11680", "202503", 40) {
                let tags: Vec<_> = item.fields().map(|(tag, _)| tag).collect();
                assert_eq!(tags, kind.tags(), "{kind:?}");
                assert_eq!(
                    item.get("dealMonth"),
                    Some("3"),
                    "months are not zero-padded"
                );
            }
        }
    }

    #[test]
    fn a_deal_names_its_month_from_its_year_and_month_tags() {
        let item = Item::generated(Kind::AptRent, "11680", "202503", 0);
        assert_eq!(item.deal_ymd().as_deref(), Some("202503"));
        let december = item.set("dealYear", "2024").set("dealMonth", "12");
        assert_eq!(december.deal_ymd().as_deref(), Some("202412"));
        assert_eq!(Item::blank(Kind::AptRent).deal_ymd(), None);
        assert_eq!(december.set("dealMonth", "13").deal_ymd(), None);
    }

    #[test]
    fn detailed_items_give_each_complex_one_id_and_mostly_a_road_address() {
        let items = generate(Kind::AptTradeDetailed, "11680", "202503", 60);
        let mut ids = std::collections::BTreeMap::new();
        for item in &items {
            let name = item.get("aptNm").unwrap();
            let id = item.get("aptSeq").unwrap();
            assert!(id.starts_with("11680-"));
            assert_eq!(*ids.entry(name).or_insert(id), id, "{name}");
        }
        assert_eq!(ids.len(), 5);
        let without_road = items
            .iter()
            .filter(|i| i.get("roadNm") == Some(" "))
            .count();
        assert!(without_road > 0 && without_road < items.len() / 5);
    }

    #[test]
    fn presale_and_land_items_vary_their_own_fields() {
        let presales = generate(Kind::PresaleRightTrade, "11680", "202503", 40);
        for right in ["입", " "] {
            assert!(
                presales
                    .iter()
                    .any(|i| i.get("ownershipGbn") == Some(right))
            );
        }
        let land = generate(Kind::LandTrade, "11680", "202503", 40);
        assert!(
            land.iter()
                .any(|i| i.get("shareDealingType") == Some("지분"))
        );
        assert!(land.iter().all(|i| i.get("jibun").unwrap().ends_with("**")));
    }

    #[test]
    fn generated_months_mix_cancellations_and_lease_types() {
        let trades = generate(Kind::AptTrade, "11680", "202503", 40);
        assert!(trades.iter().any(|i| i.get("cdealType") == Some("O")));
        assert!(trades.iter().any(|i| i.get("cdealType") == Some(" ")));
        let leases = generate(Kind::AptRent, "11680", "202503", 40);
        assert!(leases.iter().any(|i| i.get("monthlyRent") == Some("0")));
        assert!(leases.iter().any(|i| i.get("monthlyRent") != Some("0")));
    }
}

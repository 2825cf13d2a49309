//! The thirteen transaction tools as one table: which MOLIT dataset each reads and how it is
//! declared to clients. The MCP layer registers one tool per row; the rows' names, titles and
//! area bases are read from here everywhere else too, so a dataset is described once.

use crate::upstream::molit::Dataset;

/// One transaction tool.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TransactionTool {
    /// The MOLIT dataset the tool reads.
    pub dataset: Dataset,
    /// The MCP tool name. Names are public interface (saved prompts use them): never change
    /// one.
    pub name: &'static str,
    /// The human-readable title clients show.
    pub title: &'static str,
    /// What sets this dataset apart, in a sentence or two. What every transaction tool
    /// shares is said once, in the server instructions.
    pub about: &'static str,
    /// What `area_m2`, the area filters and per-area prices measure.
    pub area_basis: &'static str,
    /// True when deals carry a complex or building name, so `name_contains` can filter.
    pub named: bool,
}

const EXCLUSIVE_AREA: &str = "전용면적 (exclusive-use area, ㎡), not 공급면적 (supply area)";
const BUILDING_AREA: &str = "건물면적 (building area, ㎡)";
const FLOOR_AREA: &str = "연면적 (gross floor area, ㎡)";

/// Every transaction tool, in the order clients and docs list them.
pub const TRANSACTION_TOOLS: [TransactionTool; 13] = [
    TransactionTool {
        dataset: Dataset::AptTrade,
        name: "get_apartment_trades",
        title: "Apartment sale prices (아파트 매매 실거래가)",
        about: "Apartment (아파트) sale deals reported to MOLIT.",
        area_basis: EXCLUSIVE_AREA,
        named: true,
    },
    TransactionTool {
        dataset: Dataset::AptRent,
        name: "get_apartment_rent",
        title: "Apartment leases (아파트 전월세)",
        about: "Apartment (아파트) 전세 and 월세 leases; 전세 is summarised apart from 월세.",
        area_basis: EXCLUSIVE_AREA,
        named: true,
    },
    TransactionTool {
        dataset: Dataset::OfficetelTrade,
        name: "get_officetel_trades",
        title: "Officetel sale prices (오피스텔 매매)",
        about: "Officetel (오피스텔) sale deals reported to MOLIT.",
        area_basis: EXCLUSIVE_AREA,
        named: true,
    },
    TransactionTool {
        dataset: Dataset::OfficetelRent,
        name: "get_officetel_rent",
        title: "Officetel leases (오피스텔 전월세)",
        about: "Officetel (오피스텔) 전세 and 월세 leases; 전세 is summarised apart from 월세.",
        area_basis: EXCLUSIVE_AREA,
        named: true,
    },
    TransactionTool {
        dataset: Dataset::RowHouseTrade,
        name: "get_villa_trades",
        title: "Villa sale prices (연립·다세대 매매)",
        about: "Row-house and multi-family (연립·다세대, '빌라') sale deals.",
        area_basis: EXCLUSIVE_AREA,
        named: true,
    },
    TransactionTool {
        dataset: Dataset::RowHouseRent,
        name: "get_villa_rent",
        title: "Villa leases (연립·다세대 전월세)",
        about: "Row-house and multi-family (연립·다세대, '빌라') 전세 and 월세 leases.",
        area_basis: EXCLUSIVE_AREA,
        named: true,
    },
    TransactionTool {
        dataset: Dataset::DetachedHouseTrade,
        name: "get_single_house_trades",
        title: "House sale prices (단독·다가구 매매)",
        about: "Detached and multi-household house (단독·다가구) sale deals.",
        area_basis: FLOOR_AREA,
        named: false,
    },
    TransactionTool {
        dataset: Dataset::DetachedHouseRent,
        name: "get_single_house_rent",
        title: "House leases (단독·다가구 전월세)",
        about: "Detached and multi-household house (단독·다가구) 전세 and 월세 leases.",
        area_basis: FLOOR_AREA,
        named: false,
    },
    TransactionTool {
        dataset: Dataset::CommercialTrade,
        name: "get_commercial_trade",
        title: "Commercial building sales (상업업무용 매매)",
        about: "Commercial and business building (상가·사무실·빌딩, 상업업무용) sale deals: \
            building use, zoning, share sales.",
        area_basis: BUILDING_AREA,
        named: false,
    },
    TransactionTool {
        dataset: Dataset::AptTradeDetailed,
        name: "get_apartment_trades_detail",
        title: "Apartment sales with address and complex id (아파트 매매 상세)",
        about: "Apartment sales as get_apartment_trades gives them, plus each deal's road-name \
            address, 10-digit legal dong code and MOLIT complex_id (stable across months: use \
            it to follow one complex). Needs its own data.go.kr approval.",
        area_basis: EXCLUSIVE_AREA,
        named: true,
    },
    TransactionTool {
        dataset: Dataset::PresaleRightTrade,
        name: "get_presale_trades",
        title: "Presale and occupancy right resales (분양권·입주권 전매)",
        about: "Resales of apartment presale rights (분양권) and redevelopment occupancy rights \
            (입주권); each row's ownership says which.",
        area_basis: EXCLUSIVE_AREA,
        named: true,
    },
    TransactionTool {
        dataset: Dataset::LandTrade,
        name: "get_land_trades",
        title: "Land sale prices (토지 매매)",
        about: "Land (토지) sale deals: 지목 (land_category), 용도지역 (land_use) and share sales \
            (share_deal: the price is for a share).",
        area_basis: "거래면적 (area of land traded, ㎡)",
        named: false,
    },
    TransactionTool {
        dataset: Dataset::FactoryWarehouseTrade,
        name: "get_industrial_trades",
        title: "Factory and warehouse sales (공장·창고 매매)",
        about: "Factory, warehouse and similar (공장·창고 등) sale deals: building use, plot \
            area, zoning, share sales.",
        area_basis: BUILDING_AREA,
        named: false,
    },
];

impl TransactionTool {
    /// True for flats, whose areas and per-area prices are on 전용면적 (exclusive area).
    pub fn on_exclusive_area(&self) -> bool {
        self.area_basis == EXCLUSIVE_AREA
    }

    /// The row of `dataset`.
    pub fn of(dataset: Dataset) -> &'static TransactionTool {
        TRANSACTION_TOOLS
            .iter()
            .find(|tool| tool.dataset == dataset)
            // Every dataset has a row: `every_dataset_has_exactly_one_tool` holds it.
            .unwrap_or(&TRANSACTION_TOOLS[0])
    }

    /// The description clients show: this tool's own sentence, then its area basis and name
    /// filter when they differ from the usual.
    pub fn description(&self) -> String {
        let mut text = self.about.to_owned();
        if self.area_basis != EXCLUSIVE_AREA {
            text.push_str(&format!(" Areas are {}.", self.area_basis));
        }
        if !self.named {
            text.push_str(" No names are published, so name_contains is refused.");
        }
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_dataset_has_exactly_one_tool() {
        for dataset in Dataset::ALL {
            let rows = TRANSACTION_TOOLS
                .iter()
                .filter(|tool| tool.dataset == dataset)
                .count();
            assert_eq!(rows, 1, "{dataset:?}");
            assert_eq!(TransactionTool::of(dataset).dataset, dataset);
        }
        let mut names: Vec<_> = TRANSACTION_TOOLS.iter().map(|t| t.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), TRANSACTION_TOOLS.len());
    }

    #[test]
    fn descriptions_say_what_differs_from_the_usual() {
        let land = TransactionTool::of(Dataset::LandTrade).description();
        assert!(land.starts_with("Land (토지) sale deals"), "{land}");
        assert!(land.contains("거래면적"), "{land}");
        assert!(land.contains("name_contains is refused"), "{land}");
        let apartments = TransactionTool::of(Dataset::AptTrade).description();
        assert!(!apartments.contains("Areas are"), "{apartments}");
        assert!(!apartments.contains("refused"), "{apartments}");
    }
}

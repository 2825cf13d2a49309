//! The table as lists, for the MCP resources that publish it: the 시도, the current 시군구
//! (all, or those of one 시도), and the 읍면동 of one 시군구.

use super::RegionIndex;
use super::names::normalize;

/// A 시도 with its two-digit code and how many current 시군구 it has.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sido<'a> {
    /// Two-digit code, e.g. "11".
    pub code: &'a str,
    /// Full name, e.g. "서울특별시".
    pub name: &'a str,
    /// Current 시군구 in it.
    pub districts: usize,
}

/// A current 시군구.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DistrictEntry<'a> {
    /// Five-digit `LAWD_CD`.
    pub lawd_cd: &'a str,
    /// Full name, e.g. "서울특별시 마포구".
    pub name: &'a str,
}

/// A 읍면동 or 리 below a 시군구.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DongEntry<'a> {
    /// Name below the 시군구, e.g. "공덕동" or "화양읍 범곡리".
    pub name: &'a str,
    /// Ten-digit code, when the table has one (the built-in table has none).
    pub code: Option<&'a str>,
}

impl RegionIndex {
    /// Every current 시군구, in table order (by code).
    pub fn districts(&self) -> Vec<DistrictEntry<'_>> {
        (0..self.index.current as u32)
            .map(|id| self.entry(id))
            .collect()
    }

    /// The 시도 that have current 시군구, by code.
    pub fn sidos(&self) -> Vec<Sido<'_>> {
        let mut sidos: Vec<Sido<'_>> = Vec::new();
        for district in &self.index.districts[..self.index.current] {
            match sidos.iter_mut().find(|s| s.code == district.sido()) {
                Some(sido) => sido.districts += 1,
                None => sidos.push(Sido {
                    code: district.sido(),
                    name: district.name.split(' ').next().unwrap_or(&district.name),
                    districts: 1,
                }),
            }
        }
        sidos.sort_by_key(|s| s.code);
        sidos
    }

    /// The two-digit code of a 시도 given by code ("11") or name ("서울", "서울특별시").
    pub fn sido_code(&self, key: &str) -> Option<&str> {
        let key = key.trim();
        if let Some(sido) = self.index.by_sido.get_key_value(key) {
            return Some(sido.0);
        }
        self.index
            .sido_keys
            .get(normalize(key).as_str())
            .map(|c| &**c)
    }

    /// The current 시군구 of the 시도 with two-digit `sido_code`, by code.
    pub fn districts_in(&self, sido_code: &str) -> Vec<DistrictEntry<'_>> {
        self.index
            .by_sido
            .get(sido_code)
            .into_iter()
            .flatten()
            .filter(|&&id| self.index.is_current(id))
            .map(|&id| self.entry(id))
            .collect()
    }

    fn entry(&self, id: u32) -> DistrictEntry<'_> {
        let district = &self.index.districts[id as usize];
        DistrictEntry {
            lawd_cd: &district.code,
            name: &district.name,
        }
    }

    /// The 읍면동 and 리 of the current 시군구 `lawd_cd`, in table order; `None` when the
    /// code is not a current 시군구.
    pub fn dongs_of(&self, lawd_cd: &str) -> Option<Vec<DongEntry<'_>>> {
        let id = *self.index.codes.get(lawd_cd)?;
        let dongs = self.index.district_dongs.get(id as usize)?;
        Some(
            dongs
                .iter()
                .map(|&dong| {
                    let dong = &self.index.dongs[dong as usize];
                    DongEntry {
                        name: &dong.name,
                        code: dong.code.as_deref(),
                    }
                })
                .collect(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_builtin_table_lists_every_sido_and_their_districts() {
        let index = RegionIndex::builtin_shared().unwrap();
        let sidos = index.sidos();
        let mut prefixes: Vec<&str> = index.districts().iter().map(|d| &d.lawd_cd[..2]).collect();
        prefixes.dedup();
        assert_eq!(sidos.len(), prefixes.len(), "{sidos:?}");
        let seoul = &sidos[0];
        assert_eq!(
            (seoul.code, seoul.name, seoul.districts),
            ("11", "서울특별시", 25)
        );
        assert_eq!(
            sidos.iter().map(|s| s.districts).sum::<usize>(),
            index.sigungu_count()
        );
        assert_eq!(index.districts().len(), index.sigungu_count());
        for key in ["11", "서울", "서울특별시", " 서울 "] {
            assert_eq!(index.sido_code(key), Some("11"), "{key}");
        }
        assert_eq!(index.sido_code("경기도"), Some("41"));
        assert_eq!(index.sido_code("99"), None);
        let seoul_districts = index.districts_in("11");
        assert_eq!(seoul_districts.len(), 25);
        assert!(
            seoul_districts
                .iter()
                .any(|d| d.lawd_cd == "11440" && d.name == "서울특별시 마포구")
        );
    }

    #[test]
    fn a_district_lists_its_dongs_and_an_unknown_code_none() {
        let index = RegionIndex::builtin_shared().unwrap();
        let mapo = index.dongs_of("11440").unwrap();
        assert!(mapo.iter().any(|d| d.name == "공덕동"), "{mapo:?}");
        assert!(mapo.iter().all(|d| d.code.is_none()));
        assert_eq!(index.dongs_of("99999"), None);
        assert_eq!(index.dongs_of("11"), None);
    }
}

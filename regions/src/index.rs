//! The in-memory indexes built once from a [`Table`]: every name form and code maps straight
//! to the districts it can mean, so a lookup never walks the table.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use super::Former;
use super::districts::{District, Dong};
use super::names::{SIDO_ALIASES, district_keys, dong_keys, normalize};
use super::reorg::{self, Event};
use super::suggest::Suggester;
use super::table::Table;

/// A district reached through a name key; `partial` when the key is the suffix-less form.
#[derive(Debug, Clone, Copy)]
pub(crate) struct KeyHit {
    /// District id.
    pub district: u32,
    /// The key was the name without its 시/군/구 suffix.
    pub partial: bool,
}

/// All indexes over one table. Ids are positions in `districts` and `dongs`; current
/// districts come first (`0..current`), abolished ones after.
#[derive(Debug)]
pub(crate) struct Index {
    /// Current districts, then abolished ones.
    pub districts: Vec<District>,
    /// Number of current districts.
    pub current: usize,
    /// Every 읍면동 and 리.
    pub dongs: Vec<Dong>,
    /// Current district → its 읍면동 and 리, in table order.
    pub district_dongs: Vec<Vec<u32>>,
    /// Five-digit code (current or abolished) → district.
    pub codes: HashMap<Box<str>, u32>,
    /// Ten-digit code → 읍면동 (empty for the built-in table, which has none).
    pub dong_codes: HashMap<Box<str>, u32>,
    /// Normalised 시도 name or abbreviation → two-digit 시도 code.
    pub sido_keys: HashMap<Box<str>, Box<str>>,
    /// Two-digit 시도 code → its districts.
    pub by_sido: HashMap<Box<str>, Vec<u32>>,
    /// Normalised 시군구 (or 구) name, full or without suffix → districts.
    pub local_keys: HashMap<Box<str>, Vec<KeyHit>>,
    /// Normalised name of a 시 that has 구, full or without suffix → its 구.
    pub city_keys: HashMap<Box<str>, Vec<KeyHit>>,
    /// Normalised 읍면동/리 name (see [`dong_keys`]) → 읍면동.
    pub dong_keys: HashMap<Box<str>, Vec<u32>>,
    /// Current district → abolished districts whose records it now carries.
    pub history: HashMap<u32, Vec<u32>>,
    /// Current district → the codes it had before a reorganisation, built once because
    /// every tool call that names a district hands them on.
    formers: HashMap<u32, Arc<[Former]>>,
    /// The answer for a district that never changed, shared so it is not allocated per call.
    no_formers: Arc<[Former]>,
    /// First four digits of a 구 under a 시 → those 구, to answer the 시's own code.
    pub city_children: HashMap<Box<str>, Vec<u32>>,
    /// Longest key, in characters: bounds the query segmentation.
    pub max_key_chars: usize,
    /// Typo suggestions, consulted only when nothing matches.
    pub suggester: Suggester,
}

impl Index {
    /// Indexes a table, adding the abolished districts whose successors it contains.
    pub(crate) fn build(table: Table) -> Self {
        let mut districts: Vec<District> = table
            .districts
            .into_iter()
            .map(|d| district(d.code, d.name, Vec::new(), None))
            .collect();
        let current = districts.len();
        let mut codes: HashMap<Box<str>, u32> = districts
            .iter()
            .enumerate()
            .map(|(id, d)| (d.code.clone(), id as u32))
            .collect();
        districts.extend(abolished(&districts, &codes));
        for (id, d) in districts.iter().enumerate().skip(current) {
            codes.insert(d.code.clone(), id as u32);
        }
        let dongs: Vec<Dong> = table
            .dongs
            .into_iter()
            .map(|d| Dong {
                district: d.district as u32,
                name: d.name.into(),
                code: d.code.map(Into::into),
            })
            .collect();

        let mut index = Self {
            current,
            codes,
            dong_codes: HashMap::new(),
            sido_keys: SIDO_ALIASES
                .iter()
                .map(|(alias, code)| (normalize(alias).into(), (*code).into()))
                .collect(),
            by_sido: HashMap::new(),
            local_keys: HashMap::new(),
            city_keys: HashMap::new(),
            dong_keys: HashMap::new(),
            history: HashMap::new(),
            formers: HashMap::new(),
            no_formers: Arc::from([]),
            district_dongs: vec![Vec::new(); current],
            city_children: HashMap::new(),
            max_key_chars: 0,
            suggester: Suggester::build(&districts, &dongs),
            districts,
            dongs,
        };
        index.index_districts();
        index.index_dongs();
        index.formers = index
            .history
            .iter()
            .map(|(&id, olds)| (id, index.formers_from(id, olds)))
            .collect();
        index
    }

    fn index_districts(&mut self) {
        for (id, d) in self.districts.iter().enumerate() {
            let id = id as u32;
            self.by_sido.entry(d.sido().into()).or_default().push(id);
            let tokens: Vec<&str> = d.name.split(' ').collect();
            if let Some(sido_name) = tokens.first() {
                self.sido_keys
                    .entry(normalize(sido_name).into())
                    .or_insert_with(|| d.sido().into());
            }
            if tokens.len() == 3 {
                add_keys(&mut self.city_keys, tokens[1], id);
                if (id as usize) < self.current {
                    let prefix: Box<str> = d.code[..4].into();
                    self.city_children.entry(prefix).or_default().push(id);
                }
            }
            if let Some(local) = tokens.get(1..).and_then(|t| t.last()) {
                add_keys(&mut self.local_keys, local, id);
            }
            for &successor in &d.successors {
                self.history.entry(successor).or_default().push(id);
            }
        }
        self.max_key_chars = self
            .sido_keys
            .keys()
            .chain(self.local_keys.keys())
            .chain(self.city_keys.keys())
            .map(|k| k.chars().count())
            .max()
            .unwrap_or(0);
    }

    fn index_dongs(&mut self) {
        for (id, dong) in self.dongs.iter().enumerate() {
            if let Some(dongs) = self.district_dongs.get_mut(dong.district as usize) {
                dongs.push(id as u32);
            }
            if let Some(code) = &dong.code {
                self.dong_codes.insert(code.clone(), id as u32);
            }
            for key in dong_keys(&dong.name) {
                self.max_key_chars = self.max_key_chars.max(key.chars().count());
                self.dong_keys
                    .entry(key.into())
                    .or_default()
                    .push(id as u32);
            }
        }
    }

    /// True for a current district id.
    pub(crate) fn is_current(&self, id: u32) -> bool {
        (id as usize) < self.current
    }

    /// Full name of a current district code.
    pub(crate) fn name_of(&self, code: &str) -> Option<&str> {
        let id = *self.codes.get(code)?;
        self.is_current(id)
            .then(|| &*self.districts[id as usize].name)
    }

    /// See [`super::RegionIndex::formers`].
    pub(crate) fn formers(&self, code: &str) -> Arc<[Former]> {
        self.codes
            .get(code)
            .filter(|&&id| self.is_current(id))
            .and_then(|id| self.formers.get(id))
            .unwrap_or(&self.no_formers)
            .clone()
    }

    /// The former codes of current district `id`, from the abolished districts `olds`.
    fn formers_from(&self, id: u32, olds: &[u32]) -> Arc<[Former]> {
        olds.iter()
            .map(|&old| {
                let d = &self.districts[old as usize];
                let split = d.successors.len() > 1;
                Former {
                    code: d.code.to_string(),
                    name: d.name.to_string(),
                    changed_on: d.event.and_then(|e| reorg::effective(e.date)),
                    split_dongs: split.then(|| self.dong_words(id)),
                }
            })
            .collect()
    }

    /// The 읍면동 of a district, first word of each name, each once.
    fn dong_words(&self, district: u32) -> Vec<String> {
        let mut seen: HashSet<&str> = HashSet::new();
        self.district_dongs
            .get(district as usize)
            .into_iter()
            .flatten()
            .map(|&dong| {
                self.dongs[dong as usize]
                    .name
                    .split(' ')
                    .next()
                    .unwrap_or_default()
            })
            .filter(|word| !word.is_empty() && seen.insert(word))
            .map(str::to_owned)
            .collect()
    }

    /// Number of current districts.
    pub(crate) fn district_count(&self) -> usize {
        self.current
    }

    /// Number of 읍면동 and 리.
    pub(crate) fn dong_count(&self) -> usize {
        self.dongs.len()
    }
}

fn add_keys(map: &mut HashMap<Box<str>, Vec<KeyHit>>, name: &str, district: u32) {
    for (key, partial) in district_keys(name) {
        map.entry(key.into())
            .or_default()
            .push(KeyHit { district, partial });
    }
}

fn district(
    code: String,
    name: String,
    successors: Vec<u32>,
    event: Option<&'static Event>,
) -> District {
    District {
        code: code.into(),
        name: name.into(),
        successors,
        event,
    }
}

/// Abolished districts whose code is no longer current and whose successors are all in the
/// table. A newer override file that still lists an "old" code as current wins over this list.
fn abolished(current: &[District], codes: &HashMap<Box<str>, u32>) -> Vec<District> {
    let mut out: Vec<District> = Vec::new();
    for m in reorg::moves() {
        let successors: Option<Vec<u32>> =
            m.new_codes.iter().map(|c| codes.get(*c).copied()).collect();
        if let Some(successors) = successors
            && !codes.contains_key(m.old_code)
        {
            out.push(district(
                m.old_code.to_owned(),
                m.old_name.to_owned(),
                successors,
                Some(m.event),
            ));
        }
    }
    for rename in reorg::SIDO_RENAMES {
        for (id, d) in current.iter().enumerate() {
            let old_code = format!("{}{}", rename.old_sido, &d.code[2..]);
            let taken =
                codes.contains_key(old_code.as_str()) || out.iter().any(|o| *o.code == *old_code);
            if d.sido() != rename.new_sido || taken {
                continue;
            }
            let below = d.name.split_once(' ').map_or("", |(_, rest)| rest);
            out.push(district(
                old_code,
                format!("{} {below}", rename.old_name).trim_end().to_owned(),
                vec![id as u32],
                Some(rename.event),
            ));
        }
    }
    out
}

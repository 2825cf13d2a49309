//! Answering a query: codes by direct lookup; names by splitting the normalised query into
//! [시도][시][시군구][읍면동] pieces that are all index keys, then intersecting what each
//! piece allows. Every reading of the query is kept, so a name that can mean two places is
//! reported as ambiguous rather than resolved by accident.

use super::index::{Index, KeyHit};
use super::names::normalize;
use super::{Candidate, Lookup, MatchedBy, Renamed, Resolved};

/// At most this many readings are kept; real queries have a handful.
const MAX_READINGS: usize = 64;

/// One way of splitting the query into known pieces.
#[derive(Debug, Clone, Copy, Default)]
struct Reading<'a> {
    sido: Option<&'a str>,
    city: Option<&'a [KeyHit]>,
    local: Option<&'a [KeyHit]>,
    dong: Option<&'a [u32]>,
}

/// A district a reading allows, with the 읍면동 that narrowed it, if any.
#[derive(Debug, Clone, Copy)]
struct Hit {
    district: u32,
    dong: Option<u32>,
    how: MatchedBy,
}

/// The state of one segmentation: the query, its character boundaries and the readings found.
struct Splitter<'i, 'k> {
    index: &'i Index,
    key: &'k str,
    bounds: Vec<usize>,
    last_stage: u8,
    out: Vec<Reading<'i>>,
}

impl<'i> Splitter<'i, '_> {
    /// Tries every known piece starting at character `at`, at `stage` or a later one.
    fn walk(&mut self, at: usize, stage: u8, reading: Reading<'i>) {
        let end = self.bounds.len() - 1;
        if at == end {
            let named = reading.sido.is_some()
                || reading.city.is_some()
                || reading.local.is_some()
                || reading.dong.is_some();
            if named && self.out.len() < MAX_READINGS {
                self.out.push(reading);
            }
            return;
        }
        let index = self.index;
        for piece_stage in stage..=self.last_stage {
            for next in at + 1..=end.min(at + index.max_key_chars) {
                let piece = &self.key[self.bounds[at]..self.bounds[next]];
                let mut step = reading;
                let found = match piece_stage {
                    0 => index.sido_keys.get(piece).map(|c| step.sido = Some(c)),
                    1 => index.city_keys.get(piece).map(|h| step.city = Some(h)),
                    2 => index.local_keys.get(piece).map(|h| step.local = Some(h)),
                    _ => index.dong_keys.get(piece).map(|d| step.dong = Some(d)),
                };
                if found.is_some() {
                    self.walk(next, piece_stage + 1, step);
                }
            }
        }
    }
}

impl Index {
    /// See [`super::RegionIndex::lookup`].
    pub(crate) fn lookup(&self, query: &str) -> Lookup {
        let key = normalize(query);
        if !key.is_empty() && key.bytes().all(|b| b.is_ascii_digit()) {
            return self.lookup_code(&key);
        }
        let hits: Vec<Hit> = self
            .readings(&key, 3)
            .iter()
            .flat_map(|reading| self.hits(reading))
            .collect();
        if hits.is_empty() {
            return Lookup::NotFound {
                suggestions: self.suggestions(&key),
            };
        }
        self.conclude(&hits)
    }

    fn lookup_code(&self, code: &str) -> Lookup {
        let not_found = Lookup::NotFound {
            suggestions: Vec::new(),
        };
        let (district_code, dong_code) = match code.len() {
            5 => (code, None),
            10 => (&code[..5], Some(code)),
            _ => return not_found,
        };
        let Some(&id) = self.codes.get(district_code) else {
            return match self.city_children.get(&district_code[..4]) {
                Some(children) if district_code.ends_with('0') => Lookup::Ambiguous {
                    candidates: children.iter().map(|&d| self.candidate(d, None)).collect(),
                },
                _ => not_found,
            };
        };
        if !self.is_current(id) {
            return self.renamed(id, &self.districts[id as usize].successors);
        }
        let mut resolved = self.resolved(id, None, MatchedBy::Code);
        if let Some(full) = dong_code.filter(|c| !c.ends_with("00000")) {
            resolved.matched_by = MatchedBy::FullCode;
            match self.dong_codes.get(full) {
                Some(&dong) => {
                    resolved.dong = Some(self.dongs[dong as usize].name.to_string());
                    resolved.dong_code = Some(full.to_owned());
                }
                None if self.dong_codes.is_empty() => push_note(
                    &mut resolved.note,
                    format!(
                        "The loaded table has no 읍면동 codes, so only the 시군구 part of {full} \
                         was used."
                    ),
                ),
                None => push_note(
                    &mut resolved.note,
                    format!("{full} is not a current 읍면동 code; only its 시군구 part was used."),
                ),
            }
        }
        Lookup::Resolved(resolved)
    }

    /// All ways to split `key` into known pieces, in order 시도, 시, 시군구, 읍면동. With
    /// `last_stage` 2 the 읍면동 piece is not tried (used to find a known prefix).
    fn readings(&self, key: &str, last_stage: u8) -> Vec<Reading<'_>> {
        let mut splitter = Splitter {
            index: self,
            key,
            bounds: key
                .char_indices()
                .map(|(i, _)| i)
                .chain([key.len()])
                .collect(),
            last_stage,
            out: Vec::new(),
        };
        splitter.walk(0, 0, Reading::default());
        splitter.out
    }

    /// Every district (current, and the successors of old ones) that the 시도/시/시군구 pieces
    /// of `key` can mean; empty when `key` is not made of such pieces.
    pub(crate) fn districts_named_by(&self, key: &str) -> Vec<u32> {
        self.readings(key, 2)
            .iter()
            .filter_map(|r| self.districts_of(r))
            .flatten()
            .flat_map(|(d, _)| {
                let successors = &self.districts[d as usize].successors;
                std::iter::once(d).chain(successors.iter().copied())
            })
            .collect()
    }

    /// The districts (and 읍면동) one reading allows.
    fn hits(&self, reading: &Reading<'_>) -> Vec<Hit> {
        let districts = self.districts_of(reading);
        let Some(dongs) = reading.dong else {
            return districts
                .unwrap_or_default()
                .into_iter()
                .map(|(district, partial)| Hit {
                    district,
                    dong: None,
                    how: if partial {
                        MatchedBy::PartialName
                    } else {
                        MatchedBy::Name
                    },
                })
                .collect();
        };
        let dong_hit = |district, dong| Hit {
            district,
            dong: Some(dong),
            how: MatchedBy::Dong,
        };
        match districts {
            None => dongs
                .iter()
                .map(|&d| dong_hit(self.dongs[d as usize].district, d))
                .collect(),
            Some(allowed) => {
                let mut out = Vec::new();
                for (district, _) in allowed {
                    let successors = &self.districts[district as usize].successors;
                    for &dong in dongs {
                        let home = self.dongs[dong as usize].district;
                        if home == district || successors.contains(&home) {
                            out.push(dong_hit(district, dong));
                        }
                    }
                }
                out
            }
        }
    }

    /// Districts allowed by the 시도/시/시군구 pieces of a reading (`None`: unconstrained),
    /// each with whether a shortened name form was used.
    fn districts_of(&self, reading: &Reading<'_>) -> Option<Vec<(u32, bool)>> {
        let in_sido = |id: u32| {
            reading
                .sido
                .is_none_or(|s| self.districts[id as usize].sido() == s)
        };
        let in_city = |id: u32| {
            reading
                .city
                .is_none_or(|hits| hits.iter().any(|h| h.district == id))
        };
        let city_partial = reading
            .city
            .is_some_and(|hits| hits.iter().all(|h| h.partial));
        if let Some(hits) = reading.local.or(reading.city) {
            let partial_city = reading.local.is_some() && city_partial;
            return Some(
                hits.iter()
                    .filter(|h| in_sido(h.district) && in_city(h.district))
                    .map(|h| (h.district, h.partial || partial_city))
                    .collect(),
            );
        }
        let sido = reading.sido?;
        Some(
            self.by_sido
                .get(sido)
                .map(|ids| ids.iter().map(|&id| (id, false)).collect())
                .unwrap_or_default(),
        )
    }

    /// Turns the hits of every reading into one answer.
    fn conclude(&self, hits: &[Hit]) -> Lookup {
        let mut current: Vec<(u32, Vec<u32>, MatchedBy)> = Vec::new();
        let mut old: Vec<(u32, Vec<u32>)> = Vec::new();
        for hit in hits {
            if self.is_current(hit.district) {
                match current.iter_mut().find(|(d, _, _)| *d == hit.district) {
                    Some((_, dongs, how)) => {
                        dongs.extend(hit.dong.filter(|d| !dongs.contains(d)));
                        *how = (*how).min(hit.how);
                    }
                    None => current.push((hit.district, hit.dong.into_iter().collect(), hit.how)),
                }
                continue;
            }
            let successors: Vec<u32> = match hit.dong {
                Some(dong) => vec![self.dongs[dong as usize].district],
                None => self.districts[hit.district as usize].successors.clone(),
            };
            match old.iter_mut().find(|(d, _)| *d == hit.district) {
                Some((_, list)) => {
                    for s in successors {
                        if !list.contains(&s) {
                            list.push(s);
                        }
                    }
                }
                None => old.push((hit.district, successors)),
            }
        }
        old.retain(|(_, successors)| {
            successors
                .iter()
                .any(|s| !current.iter().any(|(d, _, _)| d == s))
        });
        match (current.as_slice(), old.as_slice()) {
            ([], [(district, successors)]) => self.renamed(*district, successors),
            ([(district, dongs, how)], []) => {
                Lookup::Resolved(self.resolved(*district, Some(dongs), *how))
            }
            _ => {
                let mut candidates: Vec<Candidate> = current
                    .iter()
                    .map(|(d, dongs, _)| self.candidate(*d, single(dongs)))
                    .collect();
                for (district, successors) in &old {
                    for &s in successors {
                        if !candidates
                            .iter()
                            .any(|c| *c.lawd_cd == *self.districts[s as usize].code)
                        {
                            let mut candidate = self.candidate(s, None);
                            candidate.note = Some(self.former(*district));
                            candidates.push(candidate);
                        }
                    }
                }
                Lookup::Ambiguous { candidates }
            }
        }
    }

    fn resolved(&self, district: u32, dongs: Option<&[u32]>, how: MatchedBy) -> Resolved {
        let d = &self.districts[district as usize];
        let mut note = self.history.get(&district).map(|olds| {
            olds.iter()
                .map(|&o| self.former(o))
                .collect::<Vec<_>>()
                .join(" ")
        });
        let dong = dongs.and_then(single).map(|id| &self.dongs[id as usize]);
        if let Some(dongs) = dongs.filter(|d| d.len() > 1) {
            let names: Vec<&str> = dongs
                .iter()
                .map(|&i| &*self.dongs[i as usize].name)
                .collect();
            push_note(
                &mut note,
                format!("Several 읍면동 here match: {}.", names.join(", ")),
            );
        }
        Resolved {
            lawd_cd: d.code.to_string(),
            name: d.name.to_string(),
            matched_by: how,
            dong: dong.map(|x| x.name.to_string()),
            dong_code: dong.and_then(|x| x.code.as_deref().map(str::to_owned)),
            note,
        }
    }

    fn renamed(&self, district: u32, successors: &[u32]) -> Lookup {
        let d = &self.districts[district as usize];
        let (reason, date) = d.event.map_or(("", ""), |e| (e.reason, e.date));
        Lookup::Renamed(Renamed {
            old_code: d.code.to_string(),
            old_name: d.name.to_string(),
            reason: reason.to_owned(),
            date: date.to_owned(),
            new: successors
                .iter()
                .map(|&s| self.candidate(s, None))
                .collect(),
        })
    }

    pub(crate) fn candidate(&self, district: u32, dong: Option<u32>) -> Candidate {
        let d = &self.districts[district as usize];
        Candidate {
            lawd_cd: d.code.to_string(),
            name: d.name.to_string(),
            dong: dong.map(|id| self.dongs[id as usize].name.to_string()),
            note: None,
        }
    }

    /// "Formerly 전라남도 목포시 (46110) until 2026-07: …" for an abolished district.
    pub(crate) fn former(&self, old: u32) -> String {
        let d = &self.districts[old as usize];
        match d.event {
            Some(e) => format!(
                "Formerly {} ({}) until {}: {}.",
                d.name, d.code, e.date, e.reason
            ),
            None => format!("Formerly {} ({}).", d.name, d.code),
        }
    }
}

fn single(ids: &[u32]) -> Option<u32> {
    match ids {
        [only] => Some(*only),
        _ => None,
    }
}

fn push_note(note: &mut Option<String>, text: String) {
    match note {
        Some(existing) => {
            existing.push(' ');
            existing.push_str(&text);
        }
        None => *note = Some(text),
    }
}

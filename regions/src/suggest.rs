//! Typo suggestions for a query that matched nothing. Only this path compares the query with
//! names one by one, and it first narrows them with a character index so a miss stays cheap.

use std::collections::HashMap;

use super::districts::{District, Dong};
use super::names::{SIDO_ALIASES, dong_keys, normalize};

/// What a suggestion points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Target {
    District(u32),
    Dong(u32),
}

#[derive(Debug)]
struct Entry {
    chars: Vec<char>,
    target: Target,
}

/// Every name form worth suggesting, with an index from each character to the forms that
/// contain it.
#[derive(Debug)]
pub(crate) struct Suggester {
    entries: Vec<Entry>,
    postings: HashMap<char, Vec<u32>>,
    /// Entry ids in the order of their text, to find the names a query begins.
    sorted: Vec<u32>,
}

impl Suggester {
    /// Collects the forms of every district (full, short-시도, local, 시+구) and every 읍면동.
    pub(crate) fn build(districts: &[District], dongs: &[Dong]) -> Self {
        let mut entries = Vec::new();
        for (id, district) in districts.iter().enumerate() {
            let target = Target::District(id as u32);
            let mut forms = district_forms(district);
            forms.sort();
            forms.dedup();
            entries.extend(forms.into_iter().map(|form| Entry {
                chars: form.chars().collect(),
                target,
            }));
        }
        for (id, dong) in dongs.iter().enumerate() {
            let target = Target::Dong(id as u32);
            entries.extend(dong_keys(&dong.name).into_iter().map(|key| Entry {
                chars: key.chars().collect(),
                target,
            }));
        }
        let mut postings: HashMap<char, Vec<u32>> = HashMap::new();
        for (id, entry) in entries.iter().enumerate() {
            let mut seen: Vec<char> = entry.chars.to_vec();
            seen.sort_unstable();
            seen.dedup();
            for c in seen {
                postings.entry(c).or_default().push(id as u32);
            }
        }
        let mut sorted: Vec<u32> = (0..entries.len() as u32).collect();
        sorted.sort_by(|a, b| entries[*a as usize].chars.cmp(&entries[*b as usize].chars));
        Self {
            entries,
            postings,
            sorted,
        }
    }

    /// Names that begin with `query` (at least two characters: "일산" → 일산동구, 일산서구),
    /// 시군구 before 읍면동 and shortest first, then names within a small edit distance, closest first; restricted
    /// to the targets `accept` allows, each target once. The rank is 0 for a name that begins
    /// with the query and the edit distance plus one otherwise.
    pub(crate) fn nearest(
        &self,
        query: &str,
        accept: impl Fn(Target) -> bool,
        limit: usize,
    ) -> Vec<(usize, Target)> {
        let chars: Vec<char> = query.chars().collect();
        let mut out: Vec<(usize, Target)> = Vec::with_capacity(limit);
        let mut push = |rank: usize, target: Target| {
            if out.len() < limit && !out.iter().any(|(_, t)| *t == target) {
                out.push((rank, target));
            }
        };
        for target in self.beginning_with(&chars, &accept) {
            push(0, target);
        }
        for (distance, target) in self.within_distance(&chars, &accept) {
            push(distance + 1, target);
        }
        out
    }

    fn beginning_with(&self, query: &[char], accept: &impl Fn(Target) -> bool) -> Vec<Target> {
        const MAX_PREFIX_MATCHES: usize = 200;
        if query.len() < 2 {
            return Vec::new();
        }
        let start = self
            .sorted
            .partition_point(|&id| *self.entries[id as usize].chars < *query);
        let mut found: Vec<&Entry> = self.sorted[start..]
            .iter()
            .map(|&id| &self.entries[id as usize])
            .take_while(|entry| entry.chars.starts_with(query))
            .filter(|entry| entry.chars.len() > query.len() && accept(entry.target))
            .take(MAX_PREFIX_MATCHES)
            .collect();
        found.sort_by_key(|entry| (matches!(entry.target, Target::Dong(_)), entry.chars.len()));
        found.into_iter().map(|entry| entry.target).collect()
    }

    /// Targets whose name is within a small edit distance of `query`, closest first.
    fn within_distance(
        &self,
        query: &[char],
        accept: &impl Fn(Target) -> bool,
    ) -> Vec<(usize, Target)> {
        let max_distance = allowed_distance(query.len());
        if query.is_empty() || max_distance == 0 {
            return Vec::new();
        }
        let query = query.to_vec();
        let mut distinct = query.clone();
        distinct.sort_unstable();
        distinct.dedup();
        let needed = distinct.len().saturating_sub(max_distance).max(1);
        // Count, per entry, how many of the query's distinct characters it contains; an
        // entry within `max_distance` edits must contain at least `needed` of them.
        let mut shared = vec![0u8; self.entries.len()];
        let mut candidates: Vec<u32> = Vec::new();
        for c in &distinct {
            for &id in self.postings.get(c).map_or(&[][..], Vec::as_slice) {
                let count = &mut shared[id as usize];
                *count = count.saturating_add(1);
                if usize::from(*count) == needed {
                    candidates.push(id);
                }
            }
        }
        let mut found: Vec<(usize, u32, Target)> = Vec::new();
        for id in candidates {
            let entry = &self.entries[id as usize];
            if entry.chars.len().abs_diff(query.len()) > max_distance
                || (query.len() <= 2 && matches!(entry.target, Target::Dong(_)))
                || !accept(entry.target)
            {
                continue;
            }
            let distance = strsim::generic_levenshtein(&query, &entry.chars);
            if distance <= max_distance {
                found.push((distance, id, entry.target));
            }
        }
        found.sort_unstable_by_key(|&(distance, id, _)| (distance, id));
        found
            .into_iter()
            .map(|(distance, _, target)| (distance, target))
            .collect()
    }
}

/// How many edits a query of `len` characters may be away from a suggestion: Korean place
/// names are short, so one wrong syllable is already a large change.
fn allowed_distance(len: usize) -> usize {
    match len {
        0 => 0,
        1..=5 => 1,
        6..=9 => 2,
        _ => 3,
    }
}

fn district_forms(district: &District) -> Vec<String> {
    let tokens: Vec<&str> = district.name.split(' ').collect();
    let short_sido = SIDO_ALIASES
        .iter()
        .find(|(_, code)| *code == district.sido())
        .map_or("", |(alias, _)| alias);
    let mut forms = vec![normalize(&district.name)];
    if let [_, below @ ..] = tokens.as_slice()
        && !below.is_empty()
    {
        let below = below.concat();
        forms.push(normalize(&format!("{short_sido}{below}")));
        forms.push(normalize(&below));
        if let Some(local) = tokens.last() {
            forms.push(normalize(local));
        }
    }
    forms
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allowed_distance_grows_with_length() {
        assert_eq!(allowed_distance(0), 0);
        assert_eq!(allowed_distance(3), 1);
        assert_eq!(allowed_distance(7), 2);
        assert_eq!(allowed_distance(12), 3);
    }
}

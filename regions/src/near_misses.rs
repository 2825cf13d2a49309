//! Near misses for a query that matched nothing, as candidates the user can confirm: the
//! [`Suggester`](super::suggest::Suggester)'s closest names turned into current codes.

use super::Candidate;
use super::index::Index;
use super::suggest::Target;

/// At most this many suggestions are offered.
const SUGGESTIONS: usize = 5;

impl Index {
    /// Near misses for a query that matched nothing: first under the longest known prefix
    /// ("서울 마포구 공덕똥" → 읍면동 of 마포구), then over every name.
    pub(crate) fn suggestions(&self, key: &str) -> Vec<Candidate> {
        let mut found = Vec::new();
        let bounds: Vec<usize> = key.char_indices().map(|(i, _)| i).skip(1).collect();
        for &split in bounds.iter().rev() {
            let allowed = self.districts_named_by(&key[..split]);
            if allowed.is_empty() {
                continue;
            }
            found = self.suggester.nearest(
                &key[split..],
                |t| allowed.contains(&self.target_district(t)),
                SUGGESTIONS,
            );
            break;
        }
        for near in self.suggester.nearest(key, |_| true, SUGGESTIONS) {
            if !found.iter().any(|(_, t)| *t == near.1) {
                found.push(near);
            }
        }
        found.sort_by_key(|(distance, _)| *distance);
        let mut out: Vec<Candidate> = Vec::new();
        for (_, target) in found {
            let candidates = match target {
                Target::Dong(dong) => {
                    vec![self.candidate(self.dongs[dong as usize].district, Some(dong))]
                }
                Target::District(d) if self.is_current(d) => vec![self.candidate(d, None)],
                Target::District(d) => self.districts[d as usize]
                    .successors
                    .iter()
                    .map(|&s| Candidate {
                        note: Some(self.former(d)),
                        ..self.candidate(s, None)
                    })
                    .collect(),
            };
            for c in candidates {
                if out.len() < SUGGESTIONS && !out.contains(&c) {
                    out.push(c);
                }
            }
        }
        out
    }

    fn target_district(&self, target: Target) -> u32 {
        match target {
            Target::District(d) => d,
            Target::Dong(dong) => self.dongs[dong as usize].district,
        }
    }
}

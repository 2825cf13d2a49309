//! Finding one complex from a name fragment, among the complexes that actually traded or
//! leased in the district and range.
//!
//! Names are compared folded (spaces and letter case ignored). An exact folded match wins;
//! otherwise the fragment must be contained in exactly one complex's name. A complex is a
//! legal dong plus a name, since common names (현대, 삼성, 한신) recur across dongs. Anything
//! else is an error that lists the candidates, or the closest names when nothing matched, so
//! the model can ask the user instead of guessing.

use std::collections::BTreeMap;

use crate::{
    tools::{
        ToolError,
        transactions::{Filters, name_key},
    },
    upstream::molit::Deal,
};

/// Candidates listed in an ambiguity error.
const LISTED: usize = 10;
/// Lowest Jaro–Winkler similarity for a "did you mean" suggestion.
const SUGGESTION_SIMILARITY: f64 = 0.6;

/// The complex a name fragment resolved to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Chosen {
    /// Name as most deals spell it.
    pub(super) name: String,
    /// Legal dong.
    pub(super) dong: String,
    /// Folded name, the key deals are matched on.
    pub(super) folded: String,
    /// How it was chosen, for the result.
    pub(super) how: String,
}

impl Chosen {
    /// True when `deal` belongs to this complex.
    pub(super) fn owns(&self, deal: &Deal) -> bool {
        deal.umd_nm.as_deref() == Some(self.dong.as_str())
            && deal
                .name
                .as_deref()
                .is_some_and(|name| name_key(name) == self.folded)
    }
}

#[derive(Default)]
struct Tally {
    deals: u32,
    spellings: BTreeMap<String, u32>,
}

impl Tally {
    fn name(&self) -> String {
        self.spellings
            .iter()
            .max_by_key(|(_, n)| **n)
            .map(|(name, _)| name.clone())
            .unwrap_or_default()
    }
}

/// Picks the complex `query` names among the `deals` whose legal dong passes `filters`
/// (a `dong` fragment, or the 읍면동 `region_code` named).
pub(super) fn choose<'a>(
    query: &str,
    filters: &Filters,
    deals: impl IntoIterator<Item = &'a Deal>,
) -> Result<Chosen, ToolError> {
    let wanted = name_key(query);
    let mut complexes: BTreeMap<(String, String), Tally> = BTreeMap::new();
    for deal in deals {
        let (Some(name), Some(deal_dong)) = (deal.name.as_deref(), deal.umd_nm.as_deref()) else {
            continue;
        };
        if !filters.in_dong(deal_dong) {
            continue;
        }
        let tally = complexes
            .entry((deal_dong.to_owned(), name_key(name)))
            .or_default();
        tally.deals += 1;
        *tally.spellings.entry(name.to_owned()).or_default() += 1;
    }
    let exact: Vec<_> = complexes
        .iter()
        .filter(|((_, folded), _)| *folded == wanted)
        .collect();
    let containing: Vec<_> = complexes
        .iter()
        .filter(|((_, folded), _)| folded.contains(wanted.as_str()))
        .collect();
    let (pick, how) = match (exact.as_slice(), containing.as_slice()) {
        ([one], _) => (*one, "exact name match".to_owned()),
        ([], [one]) => (
            *one,
            format!("the only complex whose name contains \"{query}\""),
        ),
        ([], []) => {
            let dong = filters.applied().dong;
            return Err(not_found(query, dong.as_deref(), &complexes));
        }
        ([], many) | (many, _) => return Err(ambiguous(query, many)),
    };
    let ((dong, folded), tally) = pick;
    Ok(Chosen {
        name: tally.name(),
        dong: dong.clone(),
        folded: folded.clone(),
        how,
    })
}

type Entry<'a> = (&'a (String, String), &'a Tally);

fn ambiguous(query: &str, many: &[Entry<'_>]) -> ToolError {
    let mut sorted = many.to_vec();
    sorted.sort_by_key(|(_, tally)| std::cmp::Reverse(tally.deals));
    let listed: Vec<String> = sorted
        .iter()
        .take(LISTED)
        .map(|((dong, _), tally)| format!("{} ({dong}, {} deals)", tally.name(), tally.deals))
        .collect();
    let more = sorted.len().saturating_sub(LISTED);
    let more = if more > 0 {
        format!(" and {more} more")
    } else {
        String::new()
    };
    ToolError::invalid_argument(
        "complex_name",
        format!(
            "\"{query}\" matches {} complexes in this district and range: {}{more}. Ask the \
             user which one they mean, then pass its full name (and `dong` when two share a \
             name). The months are cached, so asking again costs no quota.",
            sorted.len(),
            listed.join("; ")
        ),
    )
}

fn not_found(
    query: &str,
    dong: Option<&str>,
    complexes: &BTreeMap<(String, String), Tally>,
) -> ToolError {
    let wanted = name_key(query);
    let mut scored: Vec<(f64, &(String, String), &Tally)> = complexes
        .iter()
        .map(|(key, tally)| (strsim::jaro_winkler(&wanted, &key.1), key, tally))
        .filter(|(score, _, _)| *score >= SUGGESTION_SIMILARITY)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0));
    let within = dong.map_or(String::new(), |d| format!(" in dongs matching \"{d}\""));
    let closest: Vec<String> = scored
        .iter()
        .take(5)
        .map(|(_, (dong, _), tally)| format!("{} ({dong})", tally.name()))
        .collect();
    let hint = if closest.is_empty() {
        " Check the spelling, the district and the property type, or widen the range: only \
         complexes with deals in the range can be found."
            .to_owned()
    } else {
        format!(
            " Closest names: {}. Confirm with the user before using one.",
            closest.join("; ")
        )
    };
    ToolError::invalid_argument(
        "complex_name",
        format!(
            "no complex named like \"{query}\" had deals{within} in this district and range \
             ({} complexes did).{hint}",
            complexes.len()
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{
        tools::{regions::ResolvedRegion, transactions::FilterArgs},
        upstream::molit::Dataset,
    };

    /// Filters with `dong` as given (a fragment), or none.
    fn dong(dong: Option<&str>) -> Filters {
        let args = FilterArgs {
            dong: dong.map(str::to_owned),
            ..FilterArgs::default()
        };
        Filters::new(Dataset::AptTrade, "get_complex_summary", &args).unwrap()
    }

    /// Filters for a `region_code` that named the 읍면동 `place`.
    fn in_place(place: &str) -> Filters {
        let region = ResolvedRegion {
            dong: Some(place.into()),
            ..ResolvedRegion::default()
        };
        dong(None).for_region(&region)
    }

    fn deal(dong: &str, name: &str) -> Deal {
        Deal {
            umd_nm: Some(dong.into()),
            name: Some(name.into()),
            ..Deal::default()
        }
    }

    fn sample() -> Vec<Deal> {
        vec![
            deal("대치동", "래미안대치팰리스"),
            deal("대치동", "래미안 대치 팰리스"),
            deal("대치동", "래미안대치팰리스"),
            deal("도곡동", "래미안도곡"),
            deal("역삼동", "현대"),
            deal("대치동", "현대"),
            deal("대치동", "은마"),
        ]
    }

    #[test]
    fn a_unique_fragment_or_an_exact_name_is_chosen() {
        let deals = sample();
        let chosen = choose("래미안 대치", &dong(None), &deals).unwrap();
        assert_eq!(chosen.name, "래미안대치팰리스");
        assert_eq!(chosen.dong, "대치동");
        assert!(chosen.how.contains("only complex"));
        assert_eq!(deals.iter().filter(|d| chosen.owns(d)).count(), 3);
        let exact = choose("은마", &dong(None), &deals).unwrap();
        assert_eq!(exact.how, "exact name match");
    }

    #[test]
    fn an_ambiguous_fragment_lists_every_candidate() {
        let deals = sample();
        let error = choose("래미안", &dong(None), &deals).unwrap_err();
        let message = error.message();
        assert!(message.contains("matches 2 complexes"), "{message}");
        assert!(
            message.contains("래미안대치팰리스 (대치동, 3 deals)"),
            "{message}"
        );
        assert!(
            message.contains("래미안도곡 (도곡동, 1 deals)"),
            "{message}"
        );
    }

    #[test]
    fn the_same_name_in_two_dongs_needs_the_dong() {
        let deals = sample();
        let error = choose("현대", &dong(None), &deals).unwrap_err();
        assert!(error.message().contains("`dong`"), "{}", error.message());
        let chosen = choose("현대", &dong(Some("역삼")), &deals).unwrap();
        assert_eq!(chosen.dong, "역삼동");
    }

    #[test]
    fn a_dong_from_region_code_is_matched_as_a_whole_place() {
        let deals = vec![
            deal("신중동", "현대"),
            deal("중동", "현대"),
            deal("범곡리", "한신"),
        ];
        let chosen = choose("현대", &in_place("중동"), &deals).unwrap();
        assert_eq!(chosen.dong, "중동");
        let chosen = choose("한신", &in_place("화양읍 범곡리"), &deals).unwrap();
        assert_eq!(chosen.dong, "범곡리");
    }

    #[test]
    fn no_match_suggests_the_closest_names() {
        let deals = sample();
        let error = choose("래미안대치팰래스", &dong(None), &deals).unwrap_err();
        assert!(
            error.message().contains("Closest names: 래미안대치팰리스"),
            "{}",
            error.message()
        );
    }
}

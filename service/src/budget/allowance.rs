//! What is left today, and the refusal that explains a budget too small for a request.

use std::fmt;

use super::{Quota, day::Reset};

/// Requests left of a daily limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Left {
    /// Requests that may still be sent today.
    pub left: u64,
    /// The daily limit.
    pub limit: u64,
}

impl Left {
    pub(super) fn of(spent: u64, limit: Option<u64>) -> Option<Self> {
        limit.map(|limit| Self {
            left: limit.saturating_sub(spent),
            limit,
        })
    }
}

/// Which budget is too small.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// The caller's own daily budget.
    Caller,
    /// The server's daily budget for one dataset.
    Dataset(Quota),
}

/// What the budgets still allow today, read before spending.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Allowance {
    /// The caller's budget; `None` when it is off or no call is being served.
    pub caller: Option<Left>,
    /// The server's budget per dataset asked about; empty when it is off.
    pub datasets: Vec<(Quota, Left)>,
    /// When the budgets start again.
    pub reset: Reset,
}

impl Allowance {
    /// True when no budget limits anything, so no cost needs estimating.
    pub fn is_unlimited(&self) -> bool {
        self.caller.is_none() && self.datasets.is_empty()
    }

    /// The first budget that `costs` (requests per dataset) would overrun, if any.
    pub fn overrun(&self, costs: &[(Quota, u64)]) -> Option<OverBudget> {
        let over = |scope, left: Left, needed: u64| {
            (needed > left.left).then_some(OverBudget {
                scope,
                left: left.left,
                limit: left.limit,
                needed,
                reset: self.reset,
            })
        };
        let total = costs.iter().map(|(_, n)| n).sum();
        if let Some(found) = self
            .caller
            .and_then(|left| over(Scope::Caller, left, total))
        {
            return Some(found);
        }
        self.datasets.iter().find_map(|&(quota, left)| {
            let needed = costs
                .iter()
                .filter(|(q, _)| *q == quota)
                .map(|(_, n)| n)
                .sum();
            over(Scope::Dataset(quota), left, needed)
        })
    }
}

/// A request refused, before it was sent, because a daily budget cannot cover it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OverBudget {
    /// The budget that is too small.
    pub scope: Scope,
    /// Requests it still allows today.
    pub left: u64,
    /// Its daily limit.
    pub limit: u64,
    /// Requests that were needed.
    pub needed: u64,
    /// When it starts again.
    pub reset: Reset,
}

impl OverBudget {
    /// The budget and what is left of it, as a clause: "only 3 of this caller's 2000 …".
    pub fn shortfall(&self) -> String {
        match self.scope {
            Scope::Caller => format!(
                "only {} of this caller's {} daily data.go.kr requests are left \
                 (DAILY_BUDGET_PER_CALLER)",
                self.left, self.limit
            ),
            Scope::Dataset(quota) => format!(
                "only {} of this server's {} daily requests to {} ({}) are left \
                 (DAILY_BUDGET_PER_DATASET)",
                self.left, self.limit, quota.label, quota.id
            ),
        }
    }
}

impl fmt::Display for OverBudget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.left, self.scope) {
            (0, Scope::Caller) => write!(
                f,
                "No request was sent: this caller's daily budget of {} data.go.kr requests is \
                 used up (DAILY_BUDGET_PER_CALLER; on a server without login every user shares \
                 it).",
                self.limit
            )?,
            (0, Scope::Dataset(quota)) => write!(
                f,
                "No request was sent: this server's daily budget of {} requests to {} ({}) is \
                 used up (DAILY_BUDGET_PER_DATASET, kept below the key's data.go.kr quota).",
                self.limit, quota.label, quota.id
            )?,
            _ => write!(
                f,
                "No request was sent: this needs {} more requests, but {}.",
                self.needed,
                self.shortfall()
            )?,
        }
        write!(
            f,
            " Answers already in the cache are still free. {}",
            self.reset.sentence()
        )
    }
}

impl std::error::Error for OverBudget {}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use chrono::NaiveDate;

    use super::*;
    use crate::budget::tests::{RENTS, TRADES};

    fn allowance(caller: Option<u64>, trades: u64) -> Allowance {
        Allowance {
            caller: caller.map(|left| Left { left, limit: 100 }),
            datasets: vec![(
                TRADES,
                Left {
                    left: trades,
                    limit: 50,
                },
            )],
            reset: Reset {
                day: NaiveDate::from_ymd_opt(2026, 5, 2).unwrap(),
                remaining: Duration::from_secs(5 * 3600),
            },
        }
    }

    #[test]
    fn the_caller_counts_every_dataset_and_a_dataset_only_its_own() {
        let costs = [(TRADES, 4), (RENTS, 8)];
        assert_eq!(allowance(Some(12), 4).overrun(&costs), None);
        let over = allowance(Some(11), 4).overrun(&costs).unwrap();
        assert_eq!(
            (over.scope, over.needed, over.left),
            (Scope::Caller, 12, 11)
        );
        let over = allowance(None, 3).overrun(&costs).unwrap();
        assert_eq!(over.scope, Scope::Dataset(TRADES));
        assert!(allowance(None, 3).overrun(&[(RENTS, 1_000)]).is_none());
    }

    #[test]
    fn a_refusal_names_the_budget_its_variable_and_the_reset() {
        let spent = allowance(Some(0), 9).overrun(&[(TRADES, 1)]).unwrap();
        let text = spent.to_string();
        assert!(text.contains("used up"), "{text}");
        assert!(text.contains("DAILY_BUDGET_PER_CALLER"), "{text}");
        assert!(text.contains("2026-05-02 00:00 KST"), "{text}");
        assert!(text.contains("in 5 hours"), "{text}");
        let short = allowance(None, 3)
            .overrun(&[(TRADES, 5)])
            .unwrap()
            .to_string();
        assert!(short.contains("needs 5 more requests"), "{short}");
        assert!(short.contains("only 3 of this server's 50"), "{short}");
        assert!(
            short.contains("아파트 매매 (RTMSDataSvcAptTrade)"),
            "{short}"
        );
    }
}

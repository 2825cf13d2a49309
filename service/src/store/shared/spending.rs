//! The budgets' day counters in Redis, shared by every replica.
//!
//! One hash per Korean day (`…:spending:<day>`), expiring an hour after that day's midnight:
//! fields `dataset:<id>`, `caller:<hash>` with `label:<hash>` beside it, `overflow:` and
//! `callers` (how many have their own counter). A charge is one Lua script, so checking the
//! limits and adding to every counter happen as one step whichever replica runs it. The hash
//! is written at every request, so an LRU-evicting Redis keeps it ahead of any cached month.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveTime};
use futures::future::{BoxFuture, FutureExt};
use redis::AsyncCommands;

use super::{PREFIX, RedisStore};
use crate::{
    budget::{
        FallibleUsage, Kind, MAX_TRACKED_CALLERS, Named, NamedCharge, OVERFLOW_LABEL, OverLimit,
        Spending,
    },
    kst,
};

/// KEYS[1]: the day's hash. ARGV[1]: when it expires (Unix seconds). ARGV[2]: most callers
/// with a counter of their own. Then five per charge: kind, name, label, amount, limit (-1:
/// none). Returns {-1, 0} when charged, else {index, spent} of the first full counter.
pub(super) const CHARGE: &str = r"
local day = KEYS[1]
local max_callers = tonumber(ARGV[2])
local n = (#ARGV - 2) / 5
local fields, new = {}, {}
local callers = tonumber(redis.call('HGET', day, 'callers') or '0')
for i = 1, n do
  local at = 2 + (i - 1) * 5
  local kind, name = ARGV[at + 1], ARGV[at + 2]
  local field = kind .. ':' .. name
  if kind == 'caller' and redis.call('HEXISTS', day, field) == 0 then
    if callers < max_callers then new[i] = true else field = 'overflow:' end
  end
  local spent = tonumber(redis.call('HGET', day, field) or '0')
  local amount, limit = tonumber(ARGV[at + 4]), tonumber(ARGV[at + 5])
  if limit >= 0 and spent + amount > limit then return {i - 1, spent} end
  fields[i] = field
end
for i = 1, n do
  local at = 2 + (i - 1) * 5
  if new[i] then
    redis.call('HINCRBY', day, 'callers', 1)
    redis.call('HSET', day, 'label:' .. ARGV[at + 2], ARGV[at + 3])
  end
  redis.call('HINCRBY', day, fields[i], tonumber(ARGV[at + 4]))
end
redis.call('EXPIREAT', day, ARGV[1])
return {-1, 0}
";

fn day_key(day: NaiveDate) -> String {
    format!("{PREFIX}spending:{day}")
}

/// An hour after the midnight (KST) that ends `day`, in Unix seconds: late stragglers of the
/// day still find its counters, and the hash then goes by itself.
fn expires(day: NaiveDate) -> i64 {
    let next = day.succ_opt().unwrap_or(day);
    (next.and_time(NaiveTime::MIN).and_utc() - kst::OFFSET).timestamp() + 3600
}

fn field(counter: &Named) -> String {
    format!("{}:{}", counter.kind.as_str(), counter.name)
}

impl FallibleUsage for RedisStore {
    fn counted_in(&self) -> String {
        format!("the shared cache at {}", self.inner.location)
    }

    fn try_charge(
        &self,
        day: NaiveDate,
        charges: Vec<NamedCharge>,
    ) -> BoxFuture<'static, Result<Result<(), OverLimit>, String>> {
        let store = self.clone();
        async move {
            let mut invocation = store.inner.charge.key(day_key(day));
            invocation.arg(expires(day)).arg(MAX_TRACKED_CALLERS);
            for charge in &charges {
                let limit = charge
                    .limit
                    .map_or(-1, |l| i64::try_from(l).unwrap_or(i64::MAX));
                invocation
                    .arg(charge.counter.kind.as_str())
                    .arg(&charge.counter.name)
                    .arg(&charge.counter.label)
                    .arg(charge.amount)
                    .arg(limit);
            }
            let mut connection = store.connection();
            let (index, spent): (i64, i64) = invocation
                .invoke_async(&mut connection)
                .await
                .map_err(|e| e.to_string())?;
            Ok(match usize::try_from(index) {
                Ok(index) => Err(OverLimit {
                    index,
                    spent: u64::try_from(spent).unwrap_or(0),
                }),
                Err(_) => Ok(()),
            })
        }
        .boxed()
    }

    fn try_read(
        &self,
        day: NaiveDate,
        counters: Vec<Named>,
    ) -> BoxFuture<'static, Result<Vec<u64>, String>> {
        let store = self.clone();
        async move {
            let mut fields: Vec<String> = counters.iter().map(field).collect();
            fields.push("callers".to_owned());
            fields.push("overflow:".to_owned());
            let mut connection = store.connection();
            let values: Vec<Option<u64>> = redis::cmd("HMGET")
                .arg(day_key(day))
                .arg(&fields)
                .query_async(&mut connection)
                .await
                .map_err(|e| e.to_string())?;
            let at = |i: usize| values.get(i).copied().flatten();
            let full = at(counters.len()).unwrap_or(0) >= MAX_TRACKED_CALLERS as u64;
            let overflow = at(counters.len() + 1).unwrap_or(0);
            Ok(counters
                .iter()
                .enumerate()
                .map(|(i, counter)| match at(i) {
                    Some(spent) => spent,
                    None if counter.kind == Kind::Caller && full => overflow,
                    None => 0,
                })
                .collect())
        }
        .boxed()
    }

    fn try_spending(&self, day: NaiveDate) -> BoxFuture<'static, Result<Spending, String>> {
        let store = self.clone();
        async move {
            let mut connection = store.connection();
            let all: Vec<(String, String)> = connection
                .hgetall(day_key(day))
                .await
                .map_err(|e| e.to_string())?;
            let labels: HashMap<&str, &str> = all
                .iter()
                .filter_map(|(f, v)| Some((f.strip_prefix("label:")?, v.as_str())))
                .collect();
            let (mut datasets, mut callers) = (Vec::new(), Vec::new());
            for (name, value) in &all {
                let spent = value.parse::<u64>().unwrap_or(0);
                if let Some(id) = name.strip_prefix("dataset:") {
                    datasets.push((id.to_owned(), spent));
                } else if let Some(hash) = name.strip_prefix("caller:") {
                    let label = labels.get(hash).copied().unwrap_or(hash);
                    callers.push((label.to_owned(), spent));
                } else if name == "overflow:" {
                    callers.push((OVERFLOW_LABEL.to_owned(), spent));
                }
            }
            Ok(Spending::of(datasets, callers))
        }
        .boxed()
    }
}

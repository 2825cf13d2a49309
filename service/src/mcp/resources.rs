//! The district table as MCP resources, for clients that let people (or models) attach
//! context: the current 시군구 codes nationwide or per 시도, and the 읍면동 of one 시군구 (the
//! names the `dong` filter matches). CSV keeps them small: the nationwide list is ~8 KB, one
//! 시도 well under 2 KB. The data is the table the tools resolve names with, so what a
//! resource lists is exactly what `region_code` accepts.

use std::{collections::HashMap, sync::Arc};

use percent_encoding::percent_decode_str;
use rmcp::{
    ErrorData,
    model::{ReadResourceResult, Resource, ResourceContents, ResourceTemplate},
};

use crate::regions::{DistrictEntry, RegionIndex};

const DISTRICTS: &str = "regions://districts";
const DISTRICTS_OF: &str = "regions://districts/";
const DONGS_OF: &str = "regions://dongs/";
const CSV: &str = "text/csv";

/// The nationwide and per-시도 district lists, written once when the server starts: the
/// table never changes while it runs, so `resources/list` and `resources/read` hand out
/// these copies instead of writing every CSV again.
pub(super) struct RegionResources {
    /// The table the lists were written from; also answers the 읍면동 template.
    regions: Arc<RegionIndex>,
    /// What `resources/list` shows: the nationwide list, then one per 시도.
    listed: Vec<Resource>,
    /// The nationwide CSV.
    nationwide: String,
    /// Two-digit 시도 code → its CSV.
    by_sido: HashMap<String, String>,
}

impl RegionResources {
    /// Writes the lists of `regions`.
    pub(super) fn new(regions: Arc<RegionIndex>) -> Self {
        let source = regions.source().to_string();
        let nationwide = districts_csv(&regions.districts());
        let mut listed = vec![
            Resource::new(DISTRICTS, "districts")
                .with_title("시군구 codes (LAWD_CD), nationwide")
                .with_description(format!(
                    "Every current 시군구 with the 5-digit code region_code takes (CSV: \
                     lawd_cd,name). Table: {source}."
                ))
                .with_mime_type(CSV)
                .with_size(size(&nationwide)),
        ];
        let mut by_sido = HashMap::new();
        for sido in regions.sidos() {
            let csv = districts_csv(&regions.districts_in(sido.code));
            listed.push(
                Resource::new(
                    format!("{DISTRICTS_OF}{}", sido.code),
                    format!("districts-{}", sido.code),
                )
                .with_title(format!("{} 시군구 codes", sido.name))
                .with_description(format!(
                    "The {} current 시군구 of {} with their 5-digit codes (CSV: lawd_cd,name).",
                    sido.districts, sido.name
                ))
                .with_mime_type(CSV)
                .with_size(size(&csv)),
            );
            by_sido.insert(sido.code.to_owned(), csv);
        }
        Self {
            regions,
            listed,
            nationwide,
            by_sido,
        }
    }

    /// The resources `resources/list` shows: the nationwide 시군구 list and one per 시도.
    pub(super) fn list(&self) -> Vec<Resource> {
        self.listed.clone()
    }
}

/// The templates `resources/templates/list` shows.
pub(super) fn templates() -> Vec<ResourceTemplate> {
    vec![
        ResourceTemplate::new(format!("{DISTRICTS_OF}{{sido}}"), "districts-of-sido")
            .with_title("시군구 codes of one 시도")
            .with_description(
                "The current 시군구 of one 시도 with their 5-digit codes (CSV: lawd_cd,name). \
                 sido: a two-digit code (11) or a name (서울, 경기도).",
            )
            .with_mime_type(CSV),
        ResourceTemplate::new(format!("{DONGS_OF}{{lawd_cd}}"), "dongs-of-district")
            .with_title("읍면동 of one 시군구")
            .with_description(
                "The 읍면동 (and 리) names of one 시군구, as the dong filter matches them (CSV). \
                 lawd_cd: the 5-digit code, e.g. 11440.",
            )
            .with_mime_type(CSV),
    ]
}

impl RegionResources {
    /// The contents of `uri`, or a resource-not-found error saying which URIs exist.
    pub(super) fn read(&self, uri: &str) -> Result<ReadResourceResult, ErrorData> {
        let regions = &self.regions;
        let csv = if uri == DISTRICTS {
            Some(self.nationwide.clone())
        } else if let Some(key) = uri.strip_prefix(DISTRICTS_OF) {
            let key = percent_decode_str(key).decode_utf8_lossy();
            regions
                .sido_code(&key)
                .map(|code| match self.by_sido.get(code) {
                    Some(csv) => csv.clone(),
                    // A 시도 known only by its old code has no current 시군구: an empty list.
                    None => districts_csv(&regions.districts_in(code)),
                })
        } else if let Some(code) = uri.strip_prefix(DONGS_OF) {
            regions.dongs_of(code.trim()).map(|dongs| {
                let with_codes = dongs.iter().any(|d| d.code.is_some());
                let mut csv = String::from(if with_codes { "name,code\n" } else { "name\n" });
                for dong in dongs {
                    csv.push_str(&field(dong.name));
                    if with_codes {
                        csv.push(',');
                        csv.push_str(dong.code.unwrap_or_default());
                    }
                    csv.push('\n');
                }
                csv
            })
        } else {
            None
        };
        let csv = csv.ok_or_else(|| {
            ErrorData::resource_not_found(
                format!(
                    "No resource `{uri}`. The district table is at {DISTRICTS}, \
                 {DISTRICTS_OF}{{sido}} (a 시도 code such as 11 or a name such as 서울) and \
                 {DONGS_OF}{{lawd_cd}} (a current 5-digit 시군구 code; get_region_code finds it)."
                ),
                None,
            )
        })?;
        Ok(ReadResourceResult::new(vec![
            ResourceContents::text(csv, uri).with_mime_type(CSV),
        ]))
    }
}

fn districts_csv(districts: &[DistrictEntry<'_>]) -> String {
    let mut csv = String::from("lawd_cd,name\n");
    for district in districts {
        csv.push_str(district.lawd_cd);
        csv.push(',');
        csv.push_str(&field(district.name));
        csv.push('\n');
    }
    csv
}

/// A CSV field, quoted when it holds a comma, a quote or a line break (RFC 4180).
fn field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_owned()
    }
}

fn size(text: &str) -> u64 {
    u64::try_from(text.len()).unwrap_or(u64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn builtin() -> RegionResources {
        RegionResources::new(RegionIndex::builtin_shared().unwrap())
    }

    fn text(result: &ReadResourceResult) -> &str {
        match &result.contents[0] {
            ResourceContents::TextResourceContents { text, .. } => text,
            other => panic!("not text: {other:?}"),
        }
    }

    #[test]
    fn a_sido_reads_by_code_or_by_name_and_lists_its_districts() {
        let resources = builtin();
        let by_code = resources.read("regions://districts/11").unwrap();
        let by_name = resources
            .read("regions://districts/%EC%84%9C%EC%9A%B8")
            .unwrap();
        assert_eq!(text(&by_code), text(&by_name));
        let csv = text(&by_code);
        assert!(csv.starts_with("lawd_cd,name\n"), "{csv}");
        assert!(csv.contains("11440,서울특별시 마포구\n"), "{csv}");
        assert_eq!(csv.lines().count(), 26);
    }

    #[test]
    fn the_listed_sizes_are_the_sizes_read() {
        let resources = builtin();
        let listed = resources.list();
        assert_eq!(listed.len(), 1 + resources.regions.sidos().len());
        for resource in listed {
            let read = resources.read(&resource.uri).unwrap();
            assert_eq!(resource.size, Some(size(text(&read))), "{}", resource.uri);
        }
    }

    #[test]
    fn unknown_uris_are_not_found_with_the_uris_that_exist() {
        let resources = builtin();
        for uri in [
            "regions://districts/99",
            "regions://dongs/11",
            "file:///etc/passwd",
        ] {
            let error = resources.read(uri).unwrap_err();
            assert!(
                error.message.contains("regions://districts"),
                "{uri}: {error:?}"
            );
        }
    }

    #[test]
    fn fields_with_commas_or_quotes_are_quoted() {
        assert_eq!(field("공덕동"), "공덕동");
        assert_eq!(field("a,b"), "\"a,b\"");
        assert_eq!(field("say \"hi\""), "\"say \"\"hi\"\"\"");
    }
}

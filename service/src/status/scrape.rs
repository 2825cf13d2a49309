//! Reading the server's `/metrics` page back: the samples of the OpenMetrics text format.

/// One sample: a metric name, its labels and its value.
#[derive(Debug, Clone, PartialEq)]
pub struct Sample {
    /// The full name, e.g. `real_estate_mcp_cache_lookups_total`.
    pub name: String,
    /// Label names and values, in the page's order.
    pub labels: Vec<(String, String)>,
    /// The value.
    pub value: f64,
}

impl Sample {
    /// The value of label `name`, if present.
    pub fn label(&self, name: &str) -> Option<&str> {
        self.labels
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Every sample on the page; comment lines (`# HELP`, `# TYPE`, `# EOF`) and lines that do
/// not read as samples are skipped.
pub fn parse(page: &str) -> Vec<Sample> {
    page.lines()
        .filter(|line| !line.starts_with('#'))
        .filter_map(sample)
        .collect()
}

fn sample(line: &str) -> Option<Sample> {
    let name_end = line.find(['{', ' '])?;
    let name = line[..name_end].to_owned();
    let (labels, rest) = if line[name_end..].starts_with('{') {
        labels(&line[name_end + 1..])?
    } else {
        (Vec::new(), &line[name_end..])
    };
    let value = rest.split_whitespace().next()?.parse().ok()?;
    Some(Sample {
        name,
        labels,
        value,
    })
}

/// `name="value",…}` → the pairs and what follows the closing brace.
fn labels(mut text: &str) -> Option<(Vec<(String, String)>, &str)> {
    let mut pairs = Vec::new();
    loop {
        text = text.trim_start_matches(',');
        if let Some(rest) = text.strip_prefix('}') {
            return Some((pairs, rest));
        }
        let (name, rest) = text.split_once("=\"")?;
        let mut value = String::new();
        let mut chars = rest.char_indices();
        let end = loop {
            match chars.next()? {
                (i, '"') => break i,
                (_, '\\') => match chars.next()?.1 {
                    'n' => value.push('\n'),
                    other => value.push(other),
                },
                (_, c) => value.push(c),
            }
        };
        pairs.push((name.to_owned(), value));
        text = &rest[end + 1..];
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn samples_with_and_without_labels_are_read() {
        let page = "# HELP x Some help.\n# TYPE x counter\n\
                    x_total{a=\"1\",b=\"say \\\"hi\\\"\"} 3\nplain 4.5\n# EOF\n";
        let samples = parse(page);
        assert_eq!(samples.len(), 2);
        assert_eq!(samples[0].name, "x_total");
        assert_eq!(samples[0].label("a"), Some("1"));
        assert_eq!(samples[0].label("b"), Some("say \"hi\""));
        assert_eq!(samples[0].value, 3.0);
        assert_eq!(samples[1].name, "plain");
        assert!(samples[1].labels.is_empty());
        assert_eq!(samples[1].value, 4.5);
    }

    #[test]
    fn broken_lines_are_skipped() {
        assert!(parse("x{a=\"1\" 3\ny{a=1} 2\nz\n").is_empty());
    }
}

//! Settings that let the server start but will not work as the owner expects, or that leave
//! it open to strangers. `serve` logs them at startup; `verify` reports them when it can read
//! the deployment's configuration. One list, so both say the same thing.

use url::{Host, Url};

use crate::auth::{AccessList, AuthConfig};
use crate::config::Config;
use crate::host::{HostKind, host_kind};

/// One finding: the variable at fault, what is wrong, and what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Advice {
    /// The variable to look at.
    pub variable: &'static str,
    /// What is wrong, in a sentence.
    pub problem: String,
    /// The fix.
    pub fix: String,
    /// Strangers can use the server: say it so it cannot be missed.
    pub prominent: bool,
}

impl Advice {
    fn new(variable: &'static str, problem: String, fix: impl Into<String>) -> Self {
        Self {
            variable,
            problem,
            fix: fix.into(),
            prominent: false,
        }
    }
}

/// Every finding for `config`, most serious first.
pub fn review(config: &Config) -> Vec<Advice> {
    let mut found: Vec<Advice> = open_on_public(config).into_iter().collect();
    found.extend(domain_shape(config.domain.as_deref()));
    if let AuthConfig::Guarded(guarded) = &config.auth {
        if guarded.access == Some(AccessList::Anyone) {
            found.push(Advice::new(
                "ALLOWED_USERS",
                "is `*`: anyone who can log in at your provider may use the server and your \
                 data quota"
                    .to_owned(),
                "list the subjects or e-mail addresses to let in instead (the service logs the \
                 subject of every login it refuses), and turn off sign-ups at the provider",
            ));
        }
        if let Some(provider) = &guarded.provider
            && provider.audience != guarded.resource
        {
            let slash = if provider.audience.trim_end_matches('/') == guarded.resource {
                " (they differ only in the trailing slash)"
            } else {
                ""
            };
            found.push(Advice::new(
                provider.audience_variable,
                format!(
                    "is {} but MCP clients ask for tokens for {}{slash}; tokens they get will be \
                     refused as issued for another audience",
                    provider.audience, guarded.resource
                ),
                format!(
                    "remove {} (it defaults to PUBLIC_BASE_URL/mcp) and make the provider's \
                     API identifier exactly {}",
                    provider.audience_variable, guarded.resource
                ),
            ));
        }
    }
    found
}

/// A one-line summary of who may use the server, for `verify`.
pub fn access_summary(config: &Config) -> String {
    match &config.auth {
        AuthConfig::Open => "AUTH_MODE=none: no login, anyone who reaches it".to_owned(),
        AuthConfig::Guarded(guarded) => match &guarded.access {
            Some(access) => format!("AUTH_MODE=oauth; ALLOWED_USERS: {}", access.describe()),
            None => "AUTH_MODE=oauth with the built-in client credentials only".to_owned(),
        },
    }
}

/// `AUTH_MODE=none` while `DOMAIN` or `PUBLIC_BASE_URL` names a public address.
fn open_on_public(config: &Config) -> Option<Advice> {
    if !matches!(config.auth, AuthConfig::Open) {
        return None;
    }
    let (variable, host) = config
        .domain
        .as_deref()
        .and_then(domain_host)
        .map(|host| ("DOMAIN", host))
        .or_else(|| {
            let url = config.public_base_url.as_ref()?;
            let host = url.host()?.to_owned();
            Some(("PUBLIC_BASE_URL", host))
        })?;
    let public = match &host {
        Host::Domain(name) => host_kind(&Host::Domain(name.as_str())),
        Host::Ipv4(ip) => host_kind(&Host::Ipv4(*ip)),
        Host::Ipv6(ip) => host_kind(&Host::Ipv6(*ip)),
    } == HostKind::Public;
    public.then(|| Advice {
        prominent: true,
        ..Advice::new(
            variable,
            format!(
                "names the public address {host} while AUTH_MODE=none: anyone on the internet \
                 who finds it can use this server and spend your data.go.kr quota"
            ),
            "set AUTH_MODE=oauth with a provider and ALLOWED_USERS (docs/setup-oauth.md), or \
             leave DOMAIN empty while you try it on your own network",
        )
    })
}

/// `DOMAIN` holding a scheme or a path: Caddy takes it as part of the site address, so
/// `http://` turns HTTPS off and a path hides every other path (the OAuth documents).
fn domain_shape(domain: Option<&str>) -> Option<Advice> {
    let domain = domain?.trim();
    // compose's own fallback for an empty DOMAIN, never written by a person.
    if domain == "http://" {
        return None;
    }
    let scheme = domain.contains("://");
    let rest = domain.split_once("://").map_or(domain, |(_, rest)| rest);
    let path = rest.contains('/');
    if !scheme && !path {
        return None;
    }
    let host = domain_host(domain).map_or_else(|| rest.to_owned(), |h| h.to_string());
    let what = match (scheme, path) {
        (true, true) => "a scheme and a path",
        (true, false) => "a scheme",
        _ => "a path",
    };
    Some(Advice::new(
        "DOMAIN",
        format!(
            "holds {what} ({domain}); Caddy reads it as the site address, so `http://` turns \
             HTTPS off and a path leaves /.well-known and /mcp unserved"
        ),
        format!("write the bare host name: DOMAIN={host}"),
    ))
}

/// The host a `DOMAIN` value names, whatever else it holds.
fn domain_host(domain: &str) -> Option<Host<String>> {
    let url = if domain.contains("://") {
        Url::parse(domain)
    } else {
        Url::parse(&format!("https://{domain}"))
    };
    url.ok()?.host().map(|host| host.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(pairs: &[(&str, &str)]) -> Config {
        let mut builder = ::config::Config::builder();
        for (key, value) in pairs {
            builder = builder.set_override(*key, *value).unwrap();
        }
        crate::config::from_sources(&builder.build().unwrap()).unwrap()
    }

    fn variables(found: &[Advice]) -> Vec<&'static str> {
        found.iter().map(|a| a.variable).collect()
    }

    #[test]
    fn a_plain_local_setup_has_nothing_to_say() {
        assert!(review(&config(&[])).is_empty());
        let local = config(&[
            ("domain", "http://"),
            ("public_base_url", "http://localhost"),
        ]);
        assert!(review(&local).is_empty());
        let lan = config(&[("public_base_url", "http://192.168.0.10")]);
        assert!(review(&lan).is_empty());
    }

    #[test]
    fn open_mode_on_a_public_address_is_prominent() {
        for pairs in [
            &[("domain", "home.ddns.net")][..],
            &[("public_base_url", "https://home.ddns.net")][..],
        ] {
            let found = review(&config(pairs));
            assert_eq!(found.len(), 1, "{found:?}");
            assert!(found[0].prominent);
            assert!(found[0].problem.contains("home.ddns.net"), "{found:?}");
        }
    }

    #[test]
    fn a_domain_with_a_scheme_or_path_is_named_with_the_bare_host() {
        let oauth = [
            ("auth_mode", "oauth"),
            ("public_base_url", "https://home.ddns.net"),
            ("oauth_client_id", "scripts"),
            ("oauth_client_secret", "0123456789abcdef0123456789abcdef"),
        ];
        for domain in [
            "https://home.ddns.net",
            "home.ddns.net/mcp",
            "http://home.ddns.net/",
        ] {
            let mut pairs = oauth.to_vec();
            pairs.push(("domain", domain));
            let found = review(&config(&pairs));
            assert_eq!(variables(&found), ["DOMAIN"], "{domain}");
            assert!(found[0].fix.ends_with("DOMAIN=home.ddns.net"), "{found:?}");
        }
    }

    #[test]
    fn an_audience_other_than_the_resource_and_anyone_are_named() {
        let found = review(&config(&[
            ("auth_mode", "oauth"),
            ("public_base_url", "https://home.ddns.net"),
            ("auth0_domain", "t.auth0.com"),
            ("auth0_audience", "https://home.ddns.net/mcp/"),
            ("allowed_users", "*"),
        ]));
        assert_eq!(variables(&found), ["ALLOWED_USERS", "AUTH0_AUDIENCE"]);
        assert!(found[1].problem.contains("trailing slash"), "{found:?}");
    }
}

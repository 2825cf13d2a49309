//! The OAuth side of `verify`: the metadata documents clients read before they log in, the
//! provider's own discovery document, and (only when asked) Dynamic Client Registration.

use serde_json::{Value, json};

use super::probe::{Answer, Http};
use super::report::{CheckId, VerifyReport};
use super::target::Target;

/// Where ChatGPT sends people back after login; any registered redirect works for the test.
const TEST_REDIRECT: &str = "https://chatgpt.com/connector_platform_oauth_redirect";

/// The protected-resource metadata as served.
#[derive(Debug, Clone)]
pub(super) struct ProtectedResource {
    pub resource: String,
    pub authorization_servers: Vec<String>,
}

/// One metadata URL: where, the HTTP status (0: no answer), and the document if it was served
/// (`Err` says what is wrong with it).
type Form = (String, u16, Option<Result<ProtectedResource, String>>);

/// What each of the two metadata URLs gave.
pub(super) struct MetadataLookup {
    /// The path-suffixed form, then the root form.
    forms: Vec<Form>,
}

impl MetadataLookup {
    /// Fetches the forms not fetched yet; `first` is the answer for the path-suffixed form.
    pub(super) async fn complete(http: &Http, target: &Target, first: &Answer) -> MetadataLookup {
        let [suffixed, root] = target.protected_resource_urls();
        let mut forms = vec![(suffixed, first.status, parse_protected_resource(first))];
        let second = http.get(&root).await.ok();
        let status = second.as_ref().map_or(0, |a| a.status);
        forms.push((
            root,
            status,
            second.as_ref().and_then(parse_protected_resource),
        ));
        MetadataLookup { forms }
    }

    /// True when neither form is served at all: the server does not do OAuth.
    pub(super) fn absent(&self) -> bool {
        self.forms.iter().all(|(_, _, parsed)| parsed.is_none())
    }

    /// Reports the ProtectedResource check and returns the document to check further.
    pub(super) fn report(&self, report: &mut VerifyReport) -> Option<ProtectedResource> {
        let mut found = None;
        let mut problems = Vec::new();
        for (url, status, parsed) in &self.forms {
            match parsed {
                Some(Ok(document)) => {
                    found.get_or_insert_with(|| document.clone());
                }
                Some(Err(problem)) => problems.push(format!("{url}: {problem}")),
                None => problems.push(format!("{url} answered HTTP {status}")),
            }
        }
        if problems.is_empty() {
            report.pass(
                CheckId::ProtectedResource,
                format!("served at {} and {}", self.forms[0].0, self.forms[1].0),
            );
        } else {
            report.fail(
                CheckId::ProtectedResource,
                problems.join("; "),
                "both forms must answer 200 with `resource` and `authorization_servers`: run the \
                 service with AUTH_MODE=oauth and PUBLIC_BASE_URL set, behind the project's \
                 caddy/Caddyfile (it routes /.well-known/ to the service)",
            );
        }
        found
    }
}

fn parse_protected_resource(answer: &Answer) -> Option<Result<ProtectedResource, String>> {
    if answer.status != 200 {
        return None;
    }
    let Some(document) = answer.json() else {
        return Some(Err(format!("not JSON: {}", answer.excerpt())));
    };
    let resource = document.get("resource").and_then(Value::as_str);
    let servers: Vec<String> = document
        .get("authorization_servers")
        .and_then(Value::as_array)
        .map(|list| {
            list.iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default();
    Some(match (resource, servers.is_empty()) {
        (Some(resource), false) => Ok(ProtectedResource {
            resource: resource.to_owned(),
            authorization_servers: servers,
        }),
        (None, _) => Err("no `resource` field".to_owned()),
        (Some(_), true) => Err("no `authorization_servers` entry".to_owned()),
    })
}

/// `resource` must be the endpoint, byte for byte.
pub(super) fn check_resource(
    report: &mut VerifyReport,
    target: &Target,
    document: &ProtectedResource,
) {
    if document.resource == target.endpoint {
        report.pass(
            CheckId::Resource,
            format!("resource is {}", document.resource),
        );
    } else {
        report.fail(
            CheckId::Resource,
            format!(
                "the metadata says resource is `{}`, but clients connect to `{}` and compare the two byte for byte",
                document.resource, target.endpoint
            ),
            format!(
                "set PUBLIC_BASE_URL={} in .env (scheme and host exactly as people type them, \
                 no trailing slash, no /mcp) and restart with `docker compose up -d`",
                target.origin
            ),
        );
    }
}

/// Seed check 2: the authorization-server metadata served on the MCP host.
pub(super) async fn check_authorization_server(
    http: &Http,
    report: &mut VerifyReport,
    target: &Target,
) -> Option<Value> {
    let urls = target.authorization_server_urls();
    let mut statuses = Vec::new();
    let mut document = None;
    for url in &urls {
        match http.get(url).await {
            Ok(answer) if answer.status == 200 => {
                if let Some(json) = answer.json() {
                    document = Some((url.clone(), json));
                    break;
                }
                statuses.push(format!("{url} is not JSON"));
            }
            Ok(answer) => statuses.push(format!("{url} answered HTTP {}", answer.status)),
            Err(failure) => statuses.push(format!("{url}: {}", failure.describe())),
        }
    }
    let Some((url, json)) = document else {
        report.fail(
            CheckId::AuthorizationServer,
            statuses.join("; "),
            "older clients look for the provider's endpoints on the MCP host: run the service \
             with AUTH_MODE=oauth behind the project's caddy/Caddyfile",
        );
        return None;
    };
    let text = |key: &str| json.get(key).and_then(Value::as_str).is_some();
    let s256 = json
        .get("code_challenge_methods_supported")
        .and_then(Value::as_array)
        .is_some_and(|list| list.iter().any(|m| m == "S256"));
    let mut missing = Vec::new();
    let mut fixes = Vec::new();
    if !text("authorization_endpoint") || !text("token_endpoint") {
        missing.push("authorization_endpoint/token_endpoint");
        fixes.push(
            "configure an OpenID provider (AUTH0_DOMAIN or OIDC_ISSUER): ChatGPT and Claude log \
             in through it; built-in client credentials only serve scripts",
        );
    }
    if !s256 {
        missing.push("S256 in code_challenge_methods_supported");
        fixes.push("use a provider that supports PKCE with S256 (Auth0 does)");
    }
    if !text("registration_endpoint") {
        missing.push("registration_endpoint");
        fixes.push(
            "enable Dynamic Client Registration at the provider (Auth0: Settings → Advanced)",
        );
    }
    if missing.is_empty() {
        report.pass(
            CheckId::AuthorizationServer,
            format!(
                "{url} lists the authorization, token and registration endpoints and PKCE S256"
            ),
        );
    } else {
        report.fail(
            CheckId::AuthorizationServer,
            format!("{url} lacks {}", missing.join(", ")),
            fixes.join("; "),
        );
    }
    Some(json)
}

/// The provider's discovery document: OpenID form first, then RFC 8414.
async fn discovery(http: &Http, issuer: &str) -> Result<Value, String> {
    let mut tried = Vec::new();
    let mut candidates = vec![format!(
        "{}/.well-known/openid-configuration",
        issuer.trim_end_matches('/')
    )];
    if let Ok(url) = url::Url::parse(issuer) {
        let path = url.path().trim_end_matches('/');
        let origin = url.origin().ascii_serialization();
        candidates.push(format!(
            "{origin}/.well-known/oauth-authorization-server{path}"
        ));
    }
    for candidate in candidates {
        match http.get(&candidate).await {
            Ok(answer) if answer.status == 200 => match answer.json() {
                Some(json) if json.get("issuer").is_some() => return Ok(json),
                _ => tried.push(format!("{candidate} has no `issuer`")),
            },
            Ok(answer) => tried.push(format!("{candidate} answered HTTP {}", answer.status)),
            Err(failure) => tried.push(format!("{candidate}: {}", failure.describe())),
        }
    }
    Err(tried.join("; "))
}

/// The advertised authorization server must be the provider's issuer exactly. Returns the
/// provider's discovery document.
pub(super) async fn check_issuer(
    http: &Http,
    report: &mut VerifyReport,
    document: &ProtectedResource,
    host_copy: Option<&Value>,
) -> Option<Value> {
    let advertised = document.authorization_servers.first()?.as_str();
    let provider = match discovery(http, advertised).await {
        Ok(provider) => provider,
        Err(tried) => {
            report.fail(
                CheckId::Issuer,
                format!("cannot read the discovery document of `{advertised}`: {tried}"),
                "check AUTH0_DOMAIN (your tenant's host, e.g. your-tenant.us.auth0.com) or \
                 OIDC_ISSUER (the issuer exactly as the provider spells it)",
            );
            return None;
        }
    };
    let issuer = provider
        .get("issuer")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let copied = host_copy
        .and_then(|c| c.get("issuer"))
        .and_then(Value::as_str);
    let slash_hint = if issuer.trim_end_matches('/') == advertised.trim_end_matches('/') {
        " They differ only in the trailing slash, which clients do not forgive (Auth0's issuer ends with `/`)."
    } else {
        ""
    };
    if issuer != advertised {
        report.fail(
            CheckId::Issuer,
            format!("the metadata names `{advertised}`, but the provider calls itself `{issuer}`.{slash_hint}"),
            "for Auth0 set AUTH0_DOMAIN to the tenant host only; for other providers copy \
             `issuer` from its /.well-known/openid-configuration into OIDC_ISSUER exactly",
        );
    } else if let Some(copied) = copied.filter(|c| *c != issuer) {
        report.fail(
            CheckId::Issuer,
            format!("the authorization-server metadata on this host says issuer `{copied}`, the provider says `{issuer}`"),
            "restart the service so it re-reads the provider's discovery document",
        );
    } else {
        report.pass(CheckId::Issuer, format!("`{issuer}` everywhere"));
    }
    Some(provider)
}

/// Seed check 4: registers a client with the provider. Creates a real client, so only on request.
pub(super) async fn check_registration(
    http: &Http,
    report: &mut VerifyReport,
    register: bool,
    provider: Option<&Value>,
    host_copy: Option<&Value>,
) {
    let endpoint = [provider, host_copy]
        .into_iter()
        .flatten()
        .find_map(|doc| doc.get("registration_endpoint").and_then(Value::as_str));
    let Some(endpoint) = endpoint else {
        report.skip(
            CheckId::Registration,
            "no registration endpoint is advertised",
        );
        return;
    };
    if !register {
        report.skip(
            CheckId::Registration,
            format!("not tried: add --register-client to create a test client at {endpoint} (delete it afterwards)"),
        );
        return;
    }
    let body = json!({"client_name": "real-estate-mcp verify", "redirect_uris": [TEST_REDIRECT]});
    let fix = "enable Dynamic Client Registration (Auth0: Settings → Advanced), give third-party \
               applications default permissions on the API, and promote the login connection to \
               a domain-level connection (docs/setup-oauth.md)";
    match http.post_json(endpoint, &[], &body).await {
        Ok(answer) if matches!(answer.status, 200 | 201) => {
            // The answer holds a client secret: only the id is ever shown.
            let id = answer.json().and_then(|j| {
                j.get("client_id")
                    .and_then(Value::as_str)
                    .map(str::to_owned)
            });
            match id {
                Some(id) => report.pass(
                    CheckId::Registration,
                    format!("{endpoint} registered client `{id}`; delete it at the provider (Auth0: Applications)"),
                ),
                None => report.fail(
                    CheckId::Registration,
                    format!("{endpoint} answered {} without a client_id", answer.status),
                    fix,
                ),
            }
        }
        Ok(answer) => {
            let reason = answer
                .json()
                .and_then(|j| {
                    let text = |k| j.get(k).and_then(Value::as_str).map(str::to_owned);
                    text("error_description").or_else(|| text("error"))
                })
                .unwrap_or_else(|| format!("HTTP {}", answer.status));
            report.fail(
                CheckId::Registration,
                format!("{endpoint} refused a new client: {reason}"),
                fix,
            );
        }
        Err(failure) => report.fail(
            CheckId::Registration,
            format!("{endpoint}: {}", failure.describe()),
            "check that the provider's registration endpoint is reachable from the internet",
        ),
    }
}

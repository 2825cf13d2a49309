//! `GET /`: a small page for a person who opens the server's address in a browser.
//!
//! It says what the server is, the MCP address to paste into ChatGPT or Claude, whether
//! sign-in is required, and where the connect guides are, in Korean and then English. It
//! holds no secret and calls no upstream service, so it is safe to serve to anyone (Caddy
//! routes exactly `/` to it in both modes) and costs no quota.

use std::sync::Arc;

use actix_web::{
    HttpRequest, HttpResponse,
    http::{StatusCode, header},
    web,
};
use url::Url;

use crate::{config::url_text, origin::OriginPolicy};

const TEMPLATE: &str = include_str!("front_page.html");

/// Where the user docs live, for the guide links: the repository's `docs/` on GitHub.
pub const DOCS: &str = concat!(env!("CARGO_PKG_REPOSITORY"), "/blob/main/docs");

/// No script, no outside resource, never framed: the page needs nothing but its own styles.
const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; style-src 'unsafe-inline'; \
     base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/// What the page shows about this deployment.
#[derive(Debug, Clone)]
pub struct FrontPage {
    public_base_url: Option<Url>,
    guarded: bool,
    origins: OriginPolicy,
}

impl FrontPage {
    /// The page for a server reached at `public_base_url` (when set), guarded or open.
    /// Without a public URL the address is taken from the request's `Host`, but only when
    /// `origins` accepts that name, so the page never repeats a name it was merely sent.
    pub fn new(public_base_url: Option<Url>, guarded: bool, origins: OriginPolicy) -> Self {
        Self {
            public_base_url,
            guarded,
            origins,
        }
    }

    /// The MCP endpoint to show for a request with this `Host` and forwarded scheme.
    fn mcp_url(&self, host: Option<&str>, forwarded_proto: Option<&str>) -> Option<String> {
        if let Some(url) = &self.public_base_url {
            return Some(format!("{}/mcp", url_text(url)));
        }
        let host = host.filter(|h| self.origins.host_allowed(h))?;
        let scheme = match forwarded_proto {
            Some("https") => "https",
            _ => "http",
        };
        Some(format!("{scheme}://{host}/mcp"))
    }

    /// The whole page.
    pub fn render(&self, host: Option<&str>, forwarded_proto: Option<&str>) -> String {
        let url = self.mcp_url(host, forwarded_proto);
        let plain_http = url.as_deref().is_none_or(|u| u.starts_with("http://"));
        let (http_ko, http_en) = if plain_http {
            (
                "<p class=\"note\">https 주소가 아니어서 ChatGPT와 Claude는 연결할 수 없습니다. \
                 같은 네트워크의 MCP 클라이언트에서 쓰거나, 도메인과 로그인을 설정하세요.</p>",
                "<p class=\"note\">This is not an https address, so ChatGPT and Claude cannot \
                 connect to it. Use it from MCP clients on your network, or set up a domain \
                 and sign-in.</p>",
            )
        } else {
            ("", "")
        };
        let (class, mode_ko, mode_en) = if self.guarded {
            (
                "guarded",
                "로그인 필요: 커넥터를 추가하면 이 서버의 로그인 화면(OAuth)이 열립니다.",
                "Sign-in required: adding the connector opens this server's login page (OAuth).",
            )
        } else {
            (
                "open",
                "로그인 없음: 이 주소에 닿는 누구나 쓸 수 있고, data.go.kr 하루 한도도 함께 씁니다.",
                "Open, no sign-in: anyone who can reach this address can use it, and your daily \
                 data.go.kr quota with it.",
            )
        };
        let shown = url.unwrap_or_else(|| "https://<this server>/mcp".to_owned());
        TEMPLATE
            .replace("{{VERSION}}", env!("CARGO_PKG_VERSION"))
            .replace("{{MCP_URL}}", &escape(&shown))
            .replace("{{HTTP_NOTE_KO}}", http_ko)
            .replace("{{HTTP_NOTE_EN}}", http_en)
            .replace("{{MODE_CLASS}}", class)
            .replace("{{MODE_KO}}", mode_ko)
            .replace("{{MODE_EN}}", mode_en)
            .replace("{{DOCS}}", DOCS)
    }
}

/// Registers `GET /` (and `HEAD`); other methods get 405.
pub fn configure(cfg: &mut web::ServiceConfig, page: Arc<FrontPage>) {
    cfg.service(
        web::resource("/")
            .app_data(web::Data::from(page))
            .route(web::get().to(show))
            .route(web::head().to(show))
            .default_service(web::to(|| async {
                HttpResponse::build(StatusCode::METHOD_NOT_ALLOWED)
                    .insert_header((header::ALLOW, "GET, HEAD"))
                    .finish()
            })),
    );
}

async fn show(request: HttpRequest, page: web::Data<FrontPage>) -> HttpResponse {
    let text = |name: &str| request.headers().get(name).and_then(|v| v.to_str().ok());
    let html = page.render(text("host"), text("x-forwarded-proto"));
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .insert_header((header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY))
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .insert_header((header::REFERRER_POLICY, "no-referrer"))
        .insert_header((header::CACHE_CONTROL, "no-cache"))
        .body(html)
}

/// Escapes text for HTML element content and attribute values.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn open_page(public: Option<&str>) -> FrontPage {
        let url = public.map(|u| Url::parse(u).unwrap());
        let origins = OriginPolicy::new(url.as_ref(), &[]).with_hosts(&["192.168.0.10".into()]);
        FrontPage::new(url, false, origins)
    }

    #[test]
    fn shows_the_public_address_and_the_mode() {
        let url = Url::parse("https://home.example.net").unwrap();
        let origins = OriginPolicy::new(Some(&url), &[]);
        let page = FrontPage::new(Some(url), true, origins).render(Some("evil.example"), None);
        assert!(page.contains("<code class=\"address\">https://home.example.net/mcp</code>"));
        assert!(page.contains("Sign-in required") && page.contains("로그인 필요"));
        assert!(!page.contains("not an https address"));
        assert!(!page.contains("{{"), "a placeholder was left");
        assert!(page.find("lang=\"ko\" id").unwrap() < page.find("lang=\"en\" id").unwrap());
        // Each half of the page sends its readers to the guides in its own language.
        let (korean, english) = page.split_at(page.find("lang=\"en\" id").unwrap());
        for guide in ["connect-chatgpt", "connect-claude", "troubleshooting"] {
            assert!(
                korean.contains(&format!("\"{DOCS}/ko/{guide}.md\"")),
                "{guide}"
            );
            assert!(
                english.contains(&format!("\"{DOCS}/{guide}.md\"")),
                "{guide}"
            );
        }
    }

    #[test]
    fn without_a_public_url_only_accepted_hosts_are_repeated() {
        let page = open_page(None);
        let lan = page.render(Some("192.168.0.10"), None);
        assert!(lan.contains(">http://192.168.0.10/mcp<"), "{lan}");
        assert!(lan.contains("Open, no sign-in") && lan.contains("not an https address"));
        let local = page.render(Some("localhost:8080"), Some("https"));
        assert!(local.contains(">https://localhost:8080/mcp<"));
        for foreign in ["evil.example", "<script>"] {
            let shown = page.render(Some(foreign), None);
            assert!(!shown.contains(foreign), "{foreign}");
            assert!(shown.contains("https://&lt;this server&gt;/mcp"));
        }
    }
}

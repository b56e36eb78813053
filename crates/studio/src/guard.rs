//! The studio answers only its own pages: the checks every request passes before it is
//! handled, as Jupyter makes them for a server on the learner's machine.
//!
//! A web page the learner visits elsewhere can send requests to `http://127.0.0.1:8000/`
//! too. Three rules keep it out:
//!
//! 1. **Host.** The `Host` header must name the address the studio listens on —
//!    `127.0.0.1`, `localhost` or `[::1]`, or the `--host` given — with its port. A page
//!    that rebinds its own domain name to 127.0.0.1 (DNS rebinding) sends its own name as
//!    the host, and is refused. A studio listening on every interface (`--host 0.0.0.0`)
//!    accepts any address written as an IP, since rebinding needs a name.
//! 2. **Origin.** A request that changes something (any method but GET and HEAD) must
//!    come from one of the studio's pages: a browser names the page's site in `Origin`
//!    (and, in recent ones, says `Sec-Fetch-Site: cross-site` for another site's), and
//!    another site's request is refused with 403. A script without `Origin` is let in.
//! 3. **Content type.** A body meant as JSON must say `application/json`
//!    ([`require_json`], 415 otherwise); an upload may not claim to be a form or text
//!    ([`refuse_form`]). Those three types are the ones a page elsewhere can send without
//!    the browser first asking the server's permission (CORS' "simple requests").

use std::net::IpAddr;

use tiny_http::{Method, Request};

use crate::http::Problem;

/// Which `Host` headers the studio answers.
#[derive(Clone, Debug)]
pub(crate) struct Guard {
    /// The port it listens on.
    port: u16,
    /// Host names and addresses accepted, lower case, IPv6 in brackets.
    names: Vec<String>,
    /// Listening on every interface: any IP address is accepted as the host.
    any_ip: bool,
}

/// The value of the header `name` in `request`, if present.
pub(crate) fn header<'r>(request: &'r Request, name: &'static str) -> Option<&'r str> {
    request
        .headers()
        .iter()
        .find(|h| h.field.equiv(name))
        .map(|h| h.value.as_str())
}

/// `host[:port]` split into the host (lower case, IPv6 kept in brackets) and the port.
fn split_authority(authority: &str) -> Option<(String, Option<u16>)> {
    let authority = authority.trim().to_ascii_lowercase();
    let (host, port) = if authority.starts_with('[') {
        let end = authority.find(']')?;
        let rest = &authority[end + 1..];
        let port = match rest.strip_prefix(':') {
            Some(p) => Some(p),
            None if rest.is_empty() => None,
            None => return None,
        };
        (authority[..=end].to_string(), port)
    } else {
        match authority.split_once(':') {
            Some((h, p)) => (h.to_string(), Some(p)),
            None => (authority.clone(), None),
        }
    };
    let port = match port {
        Some(p) => Some(p.parse::<u16>().ok()?),
        None => None,
    };
    (!host.is_empty()).then_some((host, port))
}

/// Whether `host` (as [`split_authority`] gives it) is written as an IP address.
fn is_ip(host: &str) -> bool {
    host.trim_start_matches('[')
        .trim_end_matches(']')
        .parse::<IpAddr>()
        .is_ok()
}

impl Guard {
    /// The guard of a studio listening on `host` (the `--host` given) and `port`.
    pub fn new(host: &str, port: u16) -> Guard {
        let mut names: Vec<String> = ["127.0.0.1", "localhost", "[::1]"]
            .map(String::from)
            .to_vec();
        let given = host.trim().to_ascii_lowercase();
        let bare = given.trim_start_matches('[').trim_end_matches(']');
        let any_ip = bare.parse::<IpAddr>().is_ok_and(|ip| ip.is_unspecified());
        if !any_ip {
            names.push(match bare.parse::<IpAddr>() {
                Ok(IpAddr::V6(_)) => format!("[{bare}]"),
                _ => bare.to_string(),
            });
        }
        Guard {
            port,
            names,
            any_ip,
        }
    }

    /// Whether `authority` (`host[:port]`) is this studio's address.
    fn is_ours(&self, authority: &str) -> bool {
        let Some((host, port)) = split_authority(authority) else {
            return false;
        };
        let port_ok = port.unwrap_or(80) == self.port;
        port_ok && (self.names.contains(&host) || (self.any_ip && is_ip(&host)))
    }

    /// The addresses accepted, for a refusal's message.
    fn expected(&self) -> String {
        let mut listed: Vec<String> = self
            .names
            .iter()
            .map(|n| format!("{n}:{}", self.port))
            .collect();
        if self.any_ip {
            listed.push(format!("any IP address with port {}", self.port));
        }
        listed.join(", ")
    }

    /// `Ok` if `request` may be handled: its `Host` is the studio's and, unless it only
    /// reads, it comes from one of the studio's own pages; else 403 saying why.
    pub fn check(&self, request: &Request) -> Result<(), Problem> {
        let Some(host) = header(request, "Host") else {
            return Err(Problem::new(
                403,
                format!(
                    "the request names no Host; the studio answers requests to {}",
                    self.expected()
                ),
            ));
        };
        if !self.is_ours(host) {
            return Err(Problem::new(
                403,
                format!(
                    "the studio answers requests to {}, not to {host:?} (a page elsewhere \
                     that renamed this machine, as DNS rebinding does, is refused)",
                    self.expected()
                ),
            ));
        }
        if matches!(request.method(), Method::Get | Method::Head) {
            return Ok(());
        }
        if let Some(origin) = header(request, "Origin") {
            let own = origin
                .trim()
                .strip_prefix("http://")
                .is_some_and(|authority| authority.eq_ignore_ascii_case(host.trim()));
            if !own {
                return Err(Problem::new(
                    403,
                    format!(
                        "a {} from another site ({origin}) is refused: the studio takes \
                         requests that change something only from its own pages at http://{host}",
                        request.method()
                    ),
                ));
            }
        }
        if header(request, "Sec-Fetch-Site").is_some_and(|s| s.eq_ignore_ascii_case("cross-site")) {
            return Err(Problem::new(
                403,
                format!(
                    "a {} from another site is refused: the studio takes requests that change \
                     something only from its own pages",
                    request.method()
                ),
            ));
        }
        Ok(())
    }
}

/// The request's media type (`application/json` of `application/json; charset=utf-8`),
/// lower case, if it has one.
fn media_type(request: &Request) -> Option<String> {
    header(request, "Content-Type").map(|v| {
        v.split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase()
    })
}

/// 415 unless the body is declared `application/json`.
pub(crate) fn require_json(request: &Request) -> Result<(), Problem> {
    match media_type(request) {
        Some(t) if t == "application/json" => Ok(()),
        found => Err(Problem::new(
            415,
            format!(
                "send the body as JSON with Content-Type: application/json (got {})",
                found.map_or("no Content-Type".to_string(), |t| t.to_string())
            ),
        )),
    }
}

/// 415 if an upload says it is a form or text: the types another site's page may send
/// without asking (an image's own type, or none, is what the pages send).
pub(crate) fn refuse_form(request: &Request) -> Result<(), Problem> {
    match media_type(request) {
        Some(t)
            if matches!(
                t.as_str(),
                "text/plain" | "multipart/form-data" | "application/x-www-form-urlencoded"
            ) =>
        {
            Err(Problem::new(
                415,
                format!(
                    "send the image's bytes themselves (Content-Type image/png, image/jpeg or \
                     none), not {t}"
                ),
            ))
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_are_split_and_matched() {
        assert_eq!(
            split_authority("LocalHost:8000"),
            Some(("localhost".into(), Some(8000)))
        );
        assert_eq!(
            split_authority("[::1]:80"),
            Some(("[::1]".into(), Some(80)))
        );
        assert_eq!(split_authority("[::1]x"), None);
        assert_eq!(split_authority("a:b"), None);
        let local = Guard::new("127.0.0.1", 8000);
        for ok in ["127.0.0.1:8000", "localhost:8000", "[::1]:8000"] {
            assert!(local.is_ours(ok), "{ok}");
        }
        for bad in [
            "127.0.0.1:8001",
            "evil.example:8000",
            "127.0.0.1",
            "10.0.0.2:8000",
        ] {
            assert!(!local.is_ours(bad), "{bad}");
        }
        let named = Guard::new("studio.lan", 80);
        assert!(named.is_ours("studio.lan") && named.is_ours("studio.lan:80"));
        let everywhere = Guard::new("0.0.0.0", 8000);
        assert!(everywhere.is_ours("10.0.0.2:8000") && everywhere.is_ours("[fe80::1]:8000"));
        assert!(!everywhere.is_ours("evil.example:8000"));
        assert!(Guard::new("::1", 8000).is_ours("[::1]:8000"));
    }
}

//! Who may enter a guarded server (`ALLOWED_USERS`): a verified token is not enough, because
//! anyone who can sign up at the provider can get one. Tokens from the built-in client
//! credentials are the owner's own and always pass.

use std::collections::HashSet;

use super::config_error::AuthConfigError;

/// The value of `ALLOWED_USERS` that lets in anyone who can log in at the provider.
pub const ANYONE: &str = "*";

/// The configured access list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AccessList {
    /// `ALLOWED_USERS=*`: every valid token, on purpose.
    Anyone,
    /// Exactly these subjects and e-mail addresses.
    Only(Entries),
}

/// The entries: every one is compared exactly with the token's subject; those that look like
/// e-mail addresses also with its verified address, without regard to case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entries {
    subjects: HashSet<String>,
    emails: HashSet<String>,
}

/// What a verified token offers to the access list.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Candidate<'a> {
    /// The token's subject.
    pub(crate) subject: &'a str,
    /// The e-mail address the provider vouches for, if any.
    pub(crate) email: Option<&'a str>,
    /// Issued by this server's own `/oauth/token`.
    pub(crate) own: bool,
}

impl AccessList {
    /// Parses `ALLOWED_USERS`: entries separated by commas or spaces; `*` alone for anyone.
    /// `None` when the variable is unset or empty.
    pub(crate) fn parse(value: Option<&str>) -> Result<Option<AccessList>, AuthConfigError> {
        let entries: Vec<&str> = value
            .unwrap_or_default()
            .split(|c: char| c == ',' || c.is_whitespace())
            .filter(|entry| !entry.is_empty())
            .collect();
        match entries.as_slice() {
            [] => Ok(None),
            [ANYONE] => Ok(Some(AccessList::Anyone)),
            _ if entries.contains(&ANYONE) => Err(AuthConfigError::new(
                "ALLOWED_USERS",
                "mixes `*` (anyone who can log in) with named users; write either `*` alone or \
                 only the subjects and e-mail addresses to let in",
            )),
            _ => Ok(Some(AccessList::Only(Entries {
                subjects: entries.iter().map(|e| (*e).to_owned()).collect(),
                emails: entries
                    .iter()
                    .filter(|e| is_email(e))
                    .map(|e| e.to_lowercase())
                    .collect(),
            }))),
        }
    }

    /// Whether `candidate` may enter.
    pub(crate) fn admits(&self, candidate: Candidate<'_>) -> bool {
        match self {
            AccessList::Anyone => true,
            _ if candidate.own => true,
            AccessList::Only(entries) => {
                entries.subjects.contains(candidate.subject)
                    || candidate
                        .email
                        .is_some_and(|email| entries.emails.contains(&email.to_lowercase()))
            }
        }
    }

    /// Whether any entry is an e-mail address (then tokens need the e-mail claim).
    pub(crate) fn has_emails(&self) -> bool {
        matches!(self, AccessList::Only(entries) if !entries.emails.is_empty())
    }

    /// A short description for logs and `verify`, e.g. "2 subjects and 1 e-mail address".
    pub fn describe(&self) -> String {
        match self {
            AccessList::Anyone => "`*`: anyone who can log in at the provider".to_owned(),
            AccessList::Only(entries) => {
                let count = |n: usize, one: &str, many: &str| {
                    format!("{n} {}", if n == 1 { one } else { many })
                };
                let parts: Vec<String> = [
                    (
                        entries.subjects.len() - entries.emails.len(),
                        "subject",
                        "subjects",
                    ),
                    (entries.emails.len(), "e-mail address", "e-mail addresses"),
                ]
                .into_iter()
                .filter(|(n, _, _)| *n > 0)
                .map(|(n, one, many)| count(n, one, many))
                .collect();
                parts.join(" and ")
            }
        }
    }
}

/// An entry with `@` in it is an e-mail address unless it looks like a provider subject
/// (`connection|id`), which may contain one.
fn is_email(entry: &str) -> bool {
    entry.contains('@') && !entry.contains('|')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(value: &str) -> AccessList {
        AccessList::parse(Some(value)).unwrap().unwrap()
    }

    fn user<'a>(subject: &'a str, email: Option<&'a str>) -> Candidate<'a> {
        Candidate {
            subject,
            email,
            own: false,
        }
    }

    #[test]
    fn parses_subjects_emails_and_the_explicit_anyone() {
        assert_eq!(AccessList::parse(None).unwrap(), None);
        assert_eq!(AccessList::parse(Some(" , ")).unwrap(), None);
        assert_eq!(list(" * "), AccessList::Anyone);
        let err = AccessList::parse(Some("*, auth0|1")).unwrap_err();
        assert_eq!(err.variable, "ALLOWED_USERS");
        let only = list("auth0|1, Owner@Example.com google-oauth2|x@y");
        assert_eq!(only.describe(), "2 subjects and 1 e-mail address");
        assert!(only.has_emails());
        assert!(!list("auth0|1").has_emails());
    }

    #[test]
    fn admits_listed_subjects_and_emails_only() {
        let only = list("auth0|1,owner@example.com");
        assert!(only.admits(user("auth0|1", None)));
        assert!(only.admits(user("auth0|2", Some("OWNER@example.com"))));
        assert!(!only.admits(user("auth0|2", Some("stranger@example.com"))));
        assert!(!only.admits(user("auth0|2", None)));
        assert!(!only.admits(user("AUTH0|1", None)), "subjects are exact");
        // Some providers use the address as subject: then it matches as a subject too.
        assert!(only.admits(user("owner@example.com", None)));
        assert!(list("*").admits(user("anyone", None)));
    }

    #[test]
    fn the_owners_own_client_always_passes() {
        let own = Candidate {
            subject: "my-scripts",
            email: None,
            own: true,
        };
        assert!(list("auth0|1").admits(own));
    }
}

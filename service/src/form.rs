//! The submission a user asks for, validated field by field before anything is submitted.

use serde::Deserialize;

use crate::error::ServiceError;

/// A validated submission.
#[derive(Clone, Debug, PartialEq)]
pub struct Submission {
    /// YARN queue.
    pub queue: String,
    /// Container memory in MiB (from 0.5 to 8 GiB).
    pub memory_mb: u32,
    /// Container vcores (1 to 4).
    pub vcores: u32,
    /// The script to run.
    pub script: Vec<u8>,
    /// Application name.
    pub name: String,
    /// For a long-lived application, the user's keytab (it logs in from it once its delegation
    /// tokens reach their max lifetime); `None`: a short-lived one.
    pub long_lived_keytab: Option<Vec<u8>>,
}

/// The raw fields, as a form or JSON carries them.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct RawSubmission {
    /// Queue name.
    pub queue: Option<String>,
    /// Memory in GiB (0.5 to 8).
    pub memory_gib: Option<String>,
    /// Vcores (1 to 4).
    pub vcores: Option<String>,
    /// The script's text.
    pub script: Option<Vec<u8>>,
    /// Application name (optional).
    pub name: Option<String>,
    /// `on` (or `true`, `1`, `yes`) for a long-lived application.
    pub long_lived: Option<String>,
    /// The user's keytab, for a long-lived application.
    pub keytab: Option<Vec<u8>>,
}

/// The largest keytab accepted, in bytes (a user's keytab is a few hundred).
pub const MAX_KEYTAB: usize = 64 * 1024;

fn bad(field: &str, message: impl Into<String>) -> ServiceError {
    ServiceError::BadField { field: field.into(), message: message.into() }
}

impl RawSubmission {
    /// Checks every field; the first bad one is named with what is allowed.
    pub fn validate(self, queues: &[String], max_script: usize) -> Result<Submission, ServiceError> {
        let queue = self.queue.filter(|q| !q.is_empty()).unwrap_or_else(|| "default".into());
        if !queues.contains(&queue) {
            return Err(bad("queue", format!("unknown queue `{queue}`; allowed: {}", queues.join(", "))));
        }
        let memory_text = self.memory_gib.unwrap_or_else(|| "1".into());
        let gib: f64 =
            memory_text.trim().parse().map_err(|_| bad("memory_gib", format!("`{memory_text}` is not a number; use 0.5 to 8 (GiB)")))?;
        if !(0.5..=8.0).contains(&gib) || !gib.is_finite() {
            return Err(bad("memory_gib", format!("{gib} is out of range; use 0.5 to 8 (GiB)")));
        }
        let vcores_text = self.vcores.unwrap_or_else(|| "1".into());
        let vcores: u32 =
            vcores_text.trim().parse().map_err(|_| bad("vcores", format!("`{vcores_text}` is not a whole number; use 1 to 4")))?;
        if !(1..=4).contains(&vcores) {
            return Err(bad("vcores", format!("{vcores} is out of range; use 1 to 4")));
        }
        let script = self.script.unwrap_or_default();
        if script.iter().all(u8::is_ascii_whitespace) {
            return Err(bad("script", "the script is empty; upload a shell script"));
        }
        if script.len() > max_script {
            return Err(bad("script", format!("the script has {} bytes; the limit is {max_script}", script.len())));
        }
        let name = self.name.filter(|n| !n.trim().is_empty()).unwrap_or_else(|| "yarnsec-script".into());
        if name.len() > 128 || name.chars().any(char::is_control) {
            return Err(bad("name", "use at most 128 printable characters"));
        }
        let long_lived = match self.long_lived.as_deref().map(str::trim).map(str::to_ascii_lowercase).as_deref() {
            None | Some("" | "off" | "false" | "0" | "no") => false,
            Some("on" | "true" | "1" | "yes") => true,
            Some(other) => return Err(bad("long_lived", format!("`{other}` is neither on nor off"))),
        };
        let keytab = self.keytab.filter(|k| !k.is_empty());
        let long_lived_keytab = match (long_lived, keytab) {
            (false, None) => None,
            (false, Some(_)) => {
                return Err(bad("keytab", "a keytab is only for a long-lived application; tick long_lived, or leave the keytab out"))
            }
            (true, None) => {
                return Err(bad(
                    "keytab",
                    "a long-lived application needs your keytab: it logs in from it when its delegation tokens reach their max lifetime (`ktutil` or `kadmin ktadd` makes one)",
                ))
            }
            (true, Some(k)) if k.len() > MAX_KEYTAB => {
                return Err(bad("keytab", format!("the keytab has {} bytes; the limit is {MAX_KEYTAB}", k.len())))
            }
            (true, Some(k)) => match yarnsec_hadoop::kerberos::keytab_principals(&k) {
                Ok(p) if !p.is_empty() => Some(k),
                Ok(_) => return Err(bad("keytab", "the keytab holds no entry")),
                Err(e) => return Err(bad("keytab", e.to_string())),
            },
        };
        Ok(Submission { queue, memory_mb: (gib * 1024.0).round() as u32, vcores, script, name, long_lived_keytab })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(q: &str, m: &str, v: &str, s: &str) -> RawSubmission {
        RawSubmission {
            queue: Some(q.into()),
            memory_gib: Some(m.into()),
            vcores: Some(v.into()),
            script: Some(s.as_bytes().to_vec()),
            name: None,
            ..RawSubmission::default()
        }
    }

    /// A keytab with one entry for `alice/h@R.TEST`.
    fn keytab() -> Vec<u8> {
        let mut e = vec![0, 2];
        for s in ["R.TEST", "alice", "h"] {
            e.extend((s.len() as u16).to_be_bytes());
            e.extend(s.as_bytes());
        }
        e.extend([0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 17, 0, 0]);
        let mut k = vec![5, 2];
        k.extend((e.len() as i32).to_be_bytes());
        k.extend(e);
        k
    }

    #[test]
    fn a_long_lived_submission_needs_a_keytab_and_a_short_one_refuses_it() {
        let queues = vec!["default".to_string()];
        let with =
            |flag: &str, k: Option<Vec<u8>>| RawSubmission { long_lived: Some(flag.into()), keytab: k, ..raw("default", "1", "1", "x") };
        assert_eq!(with("on", Some(keytab())).validate(&queues, 100).unwrap().long_lived_keytab, Some(keytab()));
        assert_eq!(with("", None).validate(&queues, 100).unwrap().long_lived_keytab, None);
        for (r, says) in [
            (with("on", None), "needs your keytab"),
            (with("true", Some(b"#!/bin/sh".to_vec())), "not a keytab"),
            (with("", Some(keytab())), "only for a long-lived"),
            (with("maybe", None), "neither on nor off"),
            (with("1", Some(vec![5, 2])), "no entry"),
            (with("yes", Some([vec![5, 2], vec![0; MAX_KEYTAB]].concat())), "the limit is"),
        ] {
            let e = r.validate(&queues, 100).unwrap_err().to_string();
            assert!(e.contains(says), "{e}");
        }
    }

    #[test]
    fn accepts_the_ranges_and_names_each_bad_field() {
        let queues = vec!["default".to_string()];
        let ok = raw("default", "0.5", "4", "id -un").validate(&queues, 100).unwrap();
        assert_eq!((ok.memory_mb, ok.vcores), (512, 4));
        for (r, field) in [
            (raw("prod", "1", "1", "x"), "queue"),
            (raw("default", "0.4", "1", "x"), "memory_gib"),
            (raw("default", "8.5", "1", "x"), "memory_gib"),
            (raw("default", "NaN", "1", "x"), "memory_gib"),
            (raw("default", "lots", "1", "x"), "memory_gib"),
            (raw("default", "1", "0", "x"), "vcores"),
            (raw("default", "1", "5", "x"), "vcores"),
            (raw("default", "1", "1.5", "x"), "vcores"),
            (raw("default", "1", "1", "  \n"), "script"),
            (raw("default", "1", "1", &"x".repeat(101)), "script"),
        ] {
            match r.validate(&queues, 100) {
                Err(ServiceError::BadField { field: f, .. }) => assert_eq!(f, field),
                other => panic!("expected {field} to be refused, got {other:?}"),
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn never_panics(q in ".{0,20}", m in ".{0,10}", v in ".{0,5}", s in proptest::collection::vec(proptest::num::u8::ANY, 0..300)) {
            let _ = RawSubmission { queue: Some(q), memory_gib: Some(m), vcores: Some(v), script: Some(s.clone()), name: None, long_lived: Some("on".into()), keytab: Some([vec![5, 2], s].concat()) }.validate(&["default".into()], 200);
        }
    }
}

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
}

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
        Ok(Submission { queue, memory_mb: (gib * 1024.0).round() as u32, vcores, script, name })
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
            let _ = RawSubmission { queue: Some(q), memory_gib: Some(m), vcores: Some(v), script: Some(s), name: None }.validate(&["default".into()], 200);
        }
    }
}

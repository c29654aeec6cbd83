//! What a submission led to: the submitter's answer, as its user saw it, and the application
//! found at the ResourceManager; and reading application ids out of answers (a URL, a page, a
//! command's output). The answer's id is only a clue: [`crate::found`] checks it against the
//! ResourceManager.

use crate::found::FoundBy;

/// A submission and the application it led to, as the ResourceManager reports it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Submission {
    /// The user yarnsec submitted as.
    pub user: String,
    /// The application name yarnsec asked for.
    pub name: String,
    /// The application.
    pub application_id: String,
    /// The name the application carries at the ResourceManager.
    pub app_name: String,
    /// How it was found.
    pub found_by: FoundBy,
    /// What the submitter answered (or the command printed).
    pub answer: Answer,
}

impl Submission {
    /// Whether the application carries the name yarnsec asked for (a submitter that names its
    /// applications itself does not).
    pub fn named_as_asked(&self) -> bool {
        self.app_name == self.name
    }

    /// The submission in one line, for evidence.
    pub fn describe(&self) -> String {
        format!("{}: {}; the submitter answered {}", self.application_id, self.found_by.describe(), self.answer.describe())
    }
}

/// What a submitter answered, as its user saw it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Answer {
    /// One line: `303, Location: …`, `200`, `the request failed: …`, `the command exited 0`.
    pub said: String,
    /// The body or the output, cut to a few hundred characters.
    pub body: String,
    /// The application id it names, if any (not yet checked against the ResourceManager).
    pub named: Option<String>,
}

impl Answer {
    /// The answer, in one paragraph for reports.
    pub fn describe(&self) -> String {
        if self.body.trim().is_empty() {
            self.said.clone()
        } else {
            format!("{}; body: {}", self.said, self.body.trim())
        }
    }
}

/// The application id on a "Submitted application" line of a submitter's output (YARN's client
/// logs one when it submits).
pub fn submitted_id_in_output(output: &str) -> Option<String> {
    output.lines().filter(|l| l.contains("Submitted application")).find_map(application_id_in_output)
}

/// The application id a submitter's output names: the one on a "Submitted application" line,
/// else the first one anywhere.
pub fn application_id_in_output(output: &str) -> Option<String> {
    let ids = |line: &str| -> Option<String> {
        line.match_indices("application_").find_map(|(start, _)| {
            let rest = &line[start..];
            let end = rest.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(rest.len());
            let id = &rest[..end];
            let parts: Vec<&str> = id.split('_').collect();
            (parts.len() == 3 && parts[1..].iter().all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))).then(|| id.to_string())
        })
    };
    output.lines().filter(|l| l.contains("Submitted application")).find_map(ids).or_else(|| output.lines().find_map(ids))
}

/// The YARN application id a URL names (a tracking or proxy URL), if any.
pub fn application_id_in(url: &str) -> Option<&str> {
    url.split(['/', '?', '#', '=', '&']).find(|p| p.starts_with("application_") && application_id_in_output(p).as_deref() == Some(*p))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_submitted_application_is_taken_from_the_line_that_says_so() {
        let out = "INFO Client: previous application_1_0001 was done\n\
                   2026-12-01 21:40:27,141 INFO impl.YarnClientImpl: Submitted application application_1796161212778_0002\n\
                   INFO Client: tracking http://h:8088/proxy/application_1796161212778_0002/";
        assert_eq!(application_id_in_output(out).as_deref(), Some("application_1796161212778_0002"));
        assert_eq!(application_id_in_output("see http://h/proxy/application_17_0003/ now").as_deref(), Some("application_17_0003"));
        assert_eq!(application_id_in_output("application_ is not an id; application_x_1 neither"), None);
        assert_eq!(application_id_in_output("application_ is not one, application_5_0001 is").as_deref(), Some("application_5_0001"));
        assert_eq!(application_id_in_output(""), None);
    }

    proptest::proptest! {
        /// Whatever a command prints, reading it never panics, and an id found is in the output
        /// and has the shape `application_<digits>_<digits>`.
        #[test]
        fn any_output_yields_a_well_formed_id_or_none(output in "(?s).{0,300}", id in "application_[0-9]{1,13}_[0-9]{1,6}") {
            if let Some(found) = application_id_in_output(&output) {
                proptest::prop_assert!(output.contains(&found));
                let parts: Vec<&str> = found.split('_').collect();
                proptest::prop_assert!(parts.len() == 3 && parts[1].parse::<u64>().is_ok() && parts[2].parse::<u64>().is_ok());
            }
            let said = format!("{output}\nINFO impl.YarnClientImpl: Submitted application {id}\n");
            proptest::prop_assert_eq!(application_id_in_output(&said), Some(id));
        }
    }

    #[test]
    fn application_ids_are_found_in_tracking_and_proxy_urls() {
        let id = "application_1795459530178_0001";
        assert_eq!(application_id_in(&format!("http://h:8088/proxy/{id}/")), Some(id));
        assert_eq!(application_id_in(&format!("http://h:8088/cluster/app/{id}")), Some(id));
        assert_eq!(application_id_in(&format!("http://h:8080/done?app={id}&x=1")), Some(id));
        assert_eq!(application_id_in("http://h:8080/"), None);
        assert_eq!(application_id_in("http://h:8080/application_status"), None);
    }
}

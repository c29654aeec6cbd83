//! `report.md`: the checklist with its boxes filled, the reason and the evidence under each item.

use std::fmt::Write as _;

use yarnsec_scenarios::Status;

use super::{first_sentence, label, Report};

fn checkbox(status: Status) -> &'static str {
    match status {
        Status::Pass => "[x]",
        Status::Fail => "[ ]",
        Status::NotApplicable => "[-]",
        Status::Skipped => "[?]",
    }
}

/// The report as Markdown.
pub fn to_markdown(report: &Report) -> String {
    let p = &report.profile;
    let s = &report.summary;
    let mut out = String::new();
    let _ = writeln!(out, "# yarnsec: YARN Application Security checklist\n");
    let _ = writeln!(out, "Service **{}** on a `{}` cluster: Kerberos tickets live {} s (renewable {} s), delegation tokens are renewed every {} s and die after {} s, RPC protection `{}`.\n", report.service, p.name, p.ticket_lifetime_s, p.renew_lifetime_s, p.token_renew_interval_s, p.token_max_lifetime_s, p.rpc_protection);
    let _ = writeln!(
        out,
        "Started {}, took {:.0} s. **{} PASS, {} FAIL, {} NOT APPLICABLE, {} SKIPPED.**\n",
        report.started_at, report.duration_s, s.pass, s.fail, s.not_applicable, s.skipped
    );
    if !report.run_errors.is_empty() {
        let _ = writeln!(out, "## The run could not judge everything\n");
        for e in &report.run_errors {
            let _ = writeln!(out, "```text");
            for line in e.lines() {
                let _ = writeln!(out, "{line}");
            }
            let _ = writeln!(out, "```\n");
        }
    }
    summary_table(&mut out, report);
    let _ = writeln!(out, "Legend: `[x]` PASS, `[ ]` FAIL, `[-]` NOT APPLICABLE, `[?]` SKIPPED.");
    let mut section = "";
    // Evidence shown once: the first item that cites a piece shows it, later ones point there.
    let mut shown: std::collections::HashMap<(&str, &str), &str> = std::collections::HashMap::new();
    for item in &report.items {
        if item.section != section {
            section = &item.section;
            let _ = writeln!(out, "\n## {section}\n");
        }
        let _ = writeln!(out, "- {} <a id=\"{}\"></a>**{}** {}  ", checkbox(item.status), item.id.to_lowercase(), item.id, item.text);
        let _ = writeln!(out, "  {}: {} ({:.1} s)", label(item.status), item.reason, item.duration_s);
        if let Some(fix) = &item.fix {
            let _ = writeln!(out, "  \n  **Fix:** {fix}.");
        }
        for (k, e) in item.evidence.iter().enumerate() {
            if let Some(first) = shown.get(&(e.kind.as_str(), e.body.as_str())) {
                let _ = writeln!(out, "\n  {} ({}): shown under [{first}](#{}).", e.title, e.kind, first.to_lowercase());
                continue;
            }
            shown.insert((e.kind.as_str(), e.body.as_str()), item.id.as_str());
            // Screenshots and pictures are files beside the report; a screenshot's evidence names
            // its file, a picture's holds the SVG written to `picture_path`.
            if e.kind == "screenshot" || e.kind == "picture" {
                let file = if e.kind == "picture" { super::picture_path(&item.id, k) } else { e.body.clone() };
                let _ = writeln!(out, "\n  {} ({}):  \n  ![{}]({file})", e.title, e.kind, e.title);
                continue;
            }
            let _ = writeln!(out, "\n  <details><summary>{} ({})</summary>\n\n  ```text", e.title, e.kind);
            for line in e.body.lines() {
                let _ = writeln!(out, "  {line}");
            }
            let _ = writeln!(out, "  ```\n  </details>");
        }
    }
    out
}

/// Every item in one table, FAILs first, then SKIPPED, PASS and NOT APPLICABLE, each with the first
/// sentence of its reason: what a reader scans before the details.
fn summary_table(out: &mut String, report: &Report) {
    let _ = writeln!(out, "| item | verdict | why |\n|---|---|---|");
    for i in report.by_urgency() {
        let _ = writeln!(
            out,
            "| [{}](#{}) | {} | {} |",
            i.id,
            i.id.to_lowercase(),
            label(i.status),
            first_sentence(&i.reason).replace('|', "\\|")
        );
    }
    out.push('\n');
}

#[cfg(test)]
mod tests {
    #[test]
    fn snapshot() {
        insta::assert_snapshot!(super::to_markdown(&super::super::tests::sample()));
    }
}

#[cfg(test)]
mod run_error_tests {
    /// A run that could not judge everything says so once, above the items, with the output.
    #[test]
    fn the_runs_own_error_comes_first_and_once() {
        let report = super::super::tests::sample()
            .with_run_errors(vec!["the submitter did not submit alice's application within 300 s\n--- its output ---\nuploading".into()]);
        let md = super::to_markdown(&report);
        let at = md.find("## The run could not judge everything").expect("the run's error is shown");
        assert!(at < md.find("## Client").unwrap(), "{md}");
        assert_eq!(md.matches("did not submit alice's application").count(), 1, "{md}");
        // The summary table lists FAILs first.
        let table = &md[md.find("| item | verdict | why |").unwrap()..];
        assert!(table.find("| FAIL |").unwrap() < table.find("| PASS |").unwrap(), "{table}");
        let junit = super::super::to_junit(&report);
        assert!(junit.contains("the run") && junit.contains("<error"), "{junit}");
    }
}

#[cfg(test)]
mod evidence_once_tests {
    use yarnsec_scenarios::{Evidence, ItemResult, Status};

    /// The AM's token file cited by C1, C2 and C3 is printed once; the others point to it.
    #[test]
    fn the_same_evidence_is_printed_once_and_referred_to() {
        let mut report = super::super::tests::sample();
        let tokens = Evidence::new("token", "the AM's token file", "alias: kind=HDFS_DELEGATION_TOKEN owner=alice seq=7");
        for (id, title) in [("C1", "AM tokens"), ("C2", "the AM's tokens")] {
            let item = report.items.iter_mut().find(|i| i.id == id).unwrap();
            item.evidence = vec![Evidence { title: title.into(), ..tokens.clone() }];
        }
        report.items.push(ItemResult {
            id: "C3".into(),
            section: "Client".into(),
            text: "text of C3".into(),
            status: Status::Pass,
            reason: "it holds".into(),
            evidence: vec![tokens.clone(), Evidence::new("token", "another file", "alias: kind=TIMELINE_DELEGATION_TOKEN")],
            duration_s: 1.0,
            fix: None,
        });
        let md = super::to_markdown(&report);
        assert_eq!(md.matches("seq=7").count(), 1, "{md}");
        assert!(md.contains("the AM's tokens (token): shown under [C1](#c1)."), "{md}");
        assert!(md.contains("the AM's token file (token): shown under [C1](#c1)."), "{md}");
        // Different evidence of the same kind is still shown.
        assert!(md.contains("TIMELINE_DELEGATION_TOKEN"), "{md}");
    }
}

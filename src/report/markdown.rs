//! `report.md`: the checklist with its boxes filled, the reason and the evidence under each item.

use std::fmt::Write as _;

use yarnsec_scenarios::Status;

use super::Report;

fn checkbox(status: Status) -> &'static str {
    match status {
        Status::Pass => "[x]",
        Status::Fail => "[ ]",
        Status::NotApplicable => "[-]",
        Status::Skipped => "[?]",
    }
}

fn label(status: Status) -> &'static str {
    match status {
        Status::Pass => "PASS",
        Status::Fail => "FAIL",
        Status::NotApplicable => "NOT APPLICABLE",
        Status::Skipped => "SKIPPED",
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
    let _ = writeln!(out, "Legend: `[x]` PASS, `[ ]` FAIL, `[-]` NOT APPLICABLE, `[?]` SKIPPED.");
    let mut section = "";
    for item in &report.items {
        if item.section != section {
            section = &item.section;
            let _ = writeln!(out, "\n## {section}\n");
        }
        let _ = writeln!(out, "- {} **{}** {}  ", checkbox(item.status), item.id, item.text);
        let _ = writeln!(out, "  {}: {} ({:.1} s)", label(item.status), item.reason, item.duration_s);
        for e in &item.evidence {
            // Screenshots are files beside the report; the evidence names them.
            if e.kind == "screenshot" {
                let _ = writeln!(out, "\n  {} (screenshot):  \n  ![{}]({})", e.title, e.title, e.body);
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

#[cfg(test)]
mod tests {
    #[test]
    fn snapshot() {
        insta::assert_snapshot!(super::to_markdown(&super::super::tests::sample()));
    }
}

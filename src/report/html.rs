//! `report.html`: the same content as `report.md` in one self-contained file (styles inline,
//! screenshots as data URLs, pictures of time as inline SVG, no JavaScript), for CI artifact
//! viewers that show HTML but not Markdown.

use std::fmt::Write as _;

use base64::Engine as _;
use yarnsec_scenarios::Status;

use super::{first_sentence, label, picture_path, Report};

const STYLE: &str = "body{font-family:sans-serif;max-width:1000px;margin:2em auto;padding:0 1em;color:#222}\
table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:3px 8px;text-align:left;vertical-align:top}\
.PASS{color:#1a7f37}.FAIL{color:#cf222e;font-weight:bold}.SKIPPED{color:#9a6700}.NA{color:#666}\
.item{border-top:1px solid #ddd;padding:.6em 0}.fix{background:#fff8c5;padding:.3em .6em}\
pre{background:#f6f8fa;padding:.6em;overflow-x:auto;font-size:12px}img,svg{max-width:100%;height:auto}";

/// XML/HTML text: `&`, `<`, `>` and quotes escaped.
fn esc(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

fn class(status: Status) -> &'static str {
    match status {
        Status::NotApplicable => "NA",
        s => label(s),
    }
}

/// The report as one HTML page. `read` gives the bytes of a file beside the report (a
/// screenshot named by its evidence), so the page holds it; a file it cannot give is named
/// instead.
///
/// ```
/// # fn show(report: &yarnsec::report::Report, dir: &std::path::Path) {
/// let html = yarnsec::report::to_html(report, |path| std::fs::read(dir.join(path)).ok());
/// assert!(html.starts_with("<!DOCTYPE html>"));
/// # }
/// ```
pub fn to_html(report: &Report, read: impl Fn(&str) -> Option<Vec<u8>>) -> String {
    let p = &report.profile;
    let s = &report.summary;
    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>yarnsec: {}</title><style>{STYLE}</style></head><body>\n",
        esc(&report.service)
    );
    let _ = writeln!(out, "<h1>yarnsec: YARN Application Security checklist</h1>");
    let _ = writeln!(
        out,
        "<p>Service <b>{}</b> on a <code>{}</code> cluster: Kerberos tickets live {} s (renewable {} s), delegation tokens are renewed every {} s and die after {} s, RPC protection <code>{}</code>.</p>",
        esc(&report.service),
        esc(&p.name),
        p.ticket_lifetime_s,
        p.renew_lifetime_s,
        p.token_renew_interval_s,
        p.token_max_lifetime_s,
        esc(&p.rpc_protection)
    );
    let _ = writeln!(
        out,
        "<p>Started {}, took {:.0} s. <b>{} PASS, {} FAIL, {} NOT APPLICABLE, {} SKIPPED.</b></p>",
        esc(&report.started_at),
        report.duration_s,
        s.pass,
        s.fail,
        s.not_applicable,
        s.skipped
    );
    if !report.run_errors.is_empty() {
        let _ = writeln!(out, "<h2>The run could not judge everything</h2>");
        for e in &report.run_errors {
            let _ = writeln!(out, "<pre>{}</pre>", esc(e));
        }
    }
    let _ = writeln!(out, "<table><tr><th>item</th><th>verdict</th><th>why</th></tr>");
    for i in report.by_urgency() {
        let _ = writeln!(
            out,
            "<tr><td><a href=\"#{}\">{}</a></td><td class=\"{}\">{}</td><td>{}</td></tr>",
            i.id.to_lowercase(),
            esc(&i.id),
            class(i.status),
            label(i.status),
            esc(&first_sentence(&i.reason))
        );
    }
    let _ = writeln!(out, "</table>");
    let mut section = "";
    let mut shown: std::collections::HashMap<(&str, &str), &str> = std::collections::HashMap::new();
    for item in &report.items {
        if item.section != section {
            section = &item.section;
            let _ = writeln!(out, "<h2>{}</h2>", esc(section));
        }
        let _ = writeln!(
            out,
            "<div class=\"item\" id=\"{}\"><b>{}</b> {}<br><span class=\"{}\">{}</span>: {} ({:.1} s)",
            item.id.to_lowercase(),
            esc(&item.id),
            esc(&item.text),
            class(item.status),
            label(item.status),
            esc(&item.reason),
            item.duration_s
        );
        if let Some(fix) = &item.fix {
            let _ = writeln!(out, "<p class=\"fix\"><b>Fix:</b> {}.</p>", esc(fix));
        }
        for (k, e) in item.evidence.iter().enumerate() {
            if let Some(first) = shown.get(&(e.kind.as_str(), e.body.as_str())) {
                let _ = writeln!(
                    out,
                    "<p>{} ({}): shown under <a href=\"#{}\">{}</a>.</p>",
                    esc(&e.title),
                    esc(&e.kind),
                    first.to_lowercase(),
                    esc(first)
                );
                continue;
            }
            shown.insert((e.kind.as_str(), e.body.as_str()), item.id.as_str());
            match e.kind.as_str() {
                // The SVG is the project's own (its text escaped where it draws it).
                "picture" => {
                    let _ = writeln!(
                        out,
                        "<figure>{}<figcaption>{} ({})</figcaption></figure>",
                        e.body,
                        esc(&e.title),
                        picture_path(&item.id, k)
                    );
                }
                "screenshot" => match read(&e.body) {
                    Some(png) => {
                        let _ = writeln!(
                            out,
                            "<figure><img alt=\"{}\" src=\"data:image/png;base64,{}\"><figcaption>{}</figcaption></figure>",
                            esc(&e.title),
                            base64::engine::general_purpose::STANDARD.encode(png),
                            esc(&e.title)
                        );
                    }
                    None => {
                        let _ = writeln!(out, "<p>{} (screenshot {}, not found beside the report)</p>", esc(&e.title), esc(&e.body));
                    }
                },
                _ => {
                    let _ = writeln!(
                        out,
                        "<details><summary>{} ({})</summary><pre>{}</pre></details>",
                        esc(&e.title),
                        esc(&e.kind),
                        esc(&e.body)
                    );
                }
            }
        }
        let _ = writeln!(out, "</div>");
    }
    out.push_str("</body></html>\n");
    out
}

#[cfg(test)]
mod tests {
    use yarnsec_scenarios::Evidence;

    #[test]
    fn snapshot() {
        insta::assert_snapshot!(super::to_html(&super::super::tests::sample(), |_| Some(b"png".to_vec())));
    }

    /// One file: the screenshot inline, the picture inline, no scripts, every text escaped.
    #[test]
    fn the_page_holds_everything_and_runs_nothing() {
        let mut report = super::super::tests::sample();
        let svg = r#"<svg xmlns="http://www.w3.org/2000/svg"><title>t</title></svg>"#;
        report.items[0].evidence.push(Evidence::new("picture", "alice's long-lived run", svg));
        report.items[1].evidence.push(Evidence::new("picture", "the same run", svg));
        let html = super::to_html(&report, |path| (path == "T3/1-form-as-alice.png").then(|| vec![1, 2, 3]));
        assert!(html.contains("data:image/png;base64,AQID"), "{html}");
        assert_eq!(html.matches("<svg").count(), 1, "{html}");
        assert!(html.contains("the same run (picture): shown under <a href=\"#c1\">C1</a>."), "{html}");
        assert!(!html.contains("<script"), "{html}");
        assert!(html.contains("text of C1 &lt;with&gt; &amp; &quot;markup&quot;"), "{html}");
        let missing = super::to_html(&super::super::tests::sample(), |_| None);
        assert!(missing.contains("not found beside the report"), "{missing}");
    }
}

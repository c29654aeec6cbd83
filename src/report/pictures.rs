//! Pictures of time (SVG evidence, [`yarnsec_scenarios::timeline`]) as files beside the report:
//! `report.md` links them, `report.html` holds them inline.

use super::Report;

/// Where the picture that is evidence `index` of item `id` is written, relative to the report
/// directory.
pub fn picture_path(id: &str, index: usize) -> String {
    format!("pictures/{}-{}.svg", id.to_lowercase(), index + 1)
}

/// Every picture of the report, once (the first item that cites it names it): its path relative
/// to the report directory and its SVG text.
///
/// ```
/// # use yarnsec::report::{pictures, Report};
/// # fn show(report: &Report, dir: &std::path::Path) -> std::io::Result<()> {
/// for (path, svg) in pictures(report) {
///     let file = dir.join(path);
///     std::fs::create_dir_all(file.parent().unwrap())?;
///     std::fs::write(file, svg)?;
/// }
/// # Ok(()) }
/// ```
pub fn pictures(report: &Report) -> Vec<(String, &str)> {
    let mut out: Vec<(String, &str)> = Vec::new();
    for item in &report.items {
        for (k, e) in item.evidence.iter().enumerate() {
            if e.kind == "picture" && !out.iter().any(|(_, svg)| *svg == e.body) {
                out.push((picture_path(&item.id, k), e.body.as_str()));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use yarnsec_scenarios::Evidence;

    /// A picture cited by L1 and L2 is one file, named after L1; report.md links that file once.
    #[test]
    fn a_picture_is_one_file_linked_from_the_first_item() {
        let mut report = super::super::tests::sample();
        let svg = "<svg xmlns=\"http://www.w3.org/2000/svg\"></svg>";
        report.items[0].evidence.push(Evidence::new("picture", "alice's run", svg));
        report.items[1].evidence.insert(0, Evidence::new("picture", "alice's run", svg));
        let files = super::pictures(&report);
        assert_eq!(files, vec![("pictures/c1-2.svg".to_string(), svg)]);
        let md = super::super::to_markdown(&report);
        assert!(md.contains("![alice's run](pictures/c1-2.svg)"), "{md}");
        assert_eq!(md.matches(".svg").count(), 1, "{md}");
        let junit = super::super::to_junit(&report);
        assert!(!junit.contains("<svg") && !junit.contains("&lt;svg"), "{junit}");
        // C2 cites the picture C1 printed: JUnit names the file that exists.
        assert_eq!(junit.matches("see pictures/c1-2.svg beside report.md").count(), 2, "{junit}");
        assert!(!junit.contains("c2-1.svg"), "{junit}");
    }
}

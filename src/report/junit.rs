//! `junit.xml`: one test case per checklist item (FAIL is a failure, N/A and SKIPPED are skipped).

use std::time::Duration;

use quick_junit::{NonSuccessKind, Report as Junit, TestCase, TestCaseStatus, TestSuite};
use yarnsec_scenarios::Status;

use super::Report;

/// The report as JUnit XML.
pub fn to_junit(report: &Report) -> String {
    let files = super::pictures(report);
    let file_of = |svg: &str| files.iter().find(|(_, s)| *s == svg).map_or("", |(path, _)| path.as_str()).to_string();
    let mut suite = TestSuite::new(format!("yarnsec checklist ({}, {})", report.service, report.profile.name));
    for item in &report.items {
        // A picture is SVG: CI viewers show its title and where the report keeps it.
        let evidence = item
            .evidence
            .iter()
            .map(|e| match e.kind.as_str() {
                "picture" => format!("[picture] {}\n(see {} beside report.md)", e.title, file_of(&e.body)),
                _ => format!("[{}] {}\n{}", e.kind, e.title, e.body),
            })
            .collect::<Vec<_>>()
            .join("\n\n");
        let status = match item.status {
            Status::Pass => TestCaseStatus::success(),
            Status::Fail => {
                let mut s = TestCaseStatus::non_success(NonSuccessKind::Failure);
                let fix = item.fix.as_ref().map(|f| format!("fix: {f}\n\n")).unwrap_or_default();
                s.set_message(item.reason.clone()).set_description(format!("{fix}{evidence}"));
                s
            }
            Status::NotApplicable | Status::Skipped => {
                let mut s = TestCaseStatus::skipped();
                let label = if item.status == Status::Skipped { "SKIPPED" } else { "NOT_APPLICABLE" };
                s.set_message(format!("{label}: {}", item.reason));
                s
            }
        };
        let mut case = TestCase::new(format!("{} {}", item.id, item.text), status);
        case.set_classname(item.section.clone()).set_time(Duration::from_secs_f64(item.duration_s));
        if item.status == Status::Pass {
            case.set_system_out(format!("{}\n\n{evidence}", item.reason));
        }
        suite.add_test_case(case);
    }
    for e in &report.run_errors {
        let mut s = TestCaseStatus::non_success(NonSuccessKind::Error);
        s.set_message(e.lines().next().unwrap_or_default().to_string()).set_description(e.clone());
        suite.add_test_case(TestCase::new("the run", s));
    }
    suite.set_time(Duration::from_secs_f64(report.duration_s));
    let mut junit = Junit::new("yarnsec");
    junit.add_test_suite(suite);
    junit.to_string().expect("the JUnit report serializes")
}

#[cfg(test)]
mod tests {
    #[test]
    fn snapshot() {
        insta::assert_snapshot!(super::to_junit(&super::super::tests::sample()));
    }
}

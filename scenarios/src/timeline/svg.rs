//! Drawing a [`Timeline`] as one self-contained SVG (no scripts, no external fonts or styles), so
//! it shows inline in Markdown viewers, in `report.html` and as a file.

use std::fmt::Write as _;

use super::{clock, PointKind, SpanKind, Timeline};

const WIDTH: f64 = 960.0;
const PLOT_X0: f64 = 260.0;
const PLOT_X1: f64 = 940.0;
const AXIS_Y: f64 = 44.0;
const LANES_Y: f64 = 56.0;
const LANE_H: f64 = 28.0;
const LABEL_CHARS: usize = 40;

/// Tick spacings tried, in seconds: the first giving at most ten ticks is used.
const STEPS_S: [i64; 12] = [5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200];

fn colour(kind: SpanKind) -> &'static str {
    match kind {
        SpanKind::Application => "#59a14f",
        SpanKind::Ticket => "#4e79a7",
        SpanKind::Token => "#f28e2b",
    }
}

/// XML text: `&`, `<`, `>` and quotes escaped.
fn esc(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

fn shorten(text: &str, chars: usize) -> String {
    if text.chars().count() <= chars {
        text.to_string()
    } else {
        format!("{}…", text.chars().take(chars - 1).collect::<String>())
    }
}

impl Timeline {
    /// The x coordinate of a time (clamped to the plot).
    fn x(&self, ms: i64) -> f64 {
        let span = (self.to_ms - self.from_ms).max(1) as f64;
        let at = (ms.clamp(self.from_ms, self.to_ms) - self.from_ms) as f64 / span;
        PLOT_X0 + at * (PLOT_X1 - PLOT_X0)
    }

    /// The picture, as SVG text.
    pub fn to_svg(&self) -> String {
        let lanes_end = LANES_Y + LANE_H * self.lanes.len() as f64;
        let marks_end = lanes_end + 16.0 * self.marks.len() as f64;
        let height = marks_end + 40.0;
        let mut s = String::new();
        let _ = writeln!(
            s,
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height:.0}" viewBox="0 0 {WIDTH} {height:.0}" font-family="sans-serif" font-size="12">"#
        );
        let _ = writeln!(s, r#"<title>{}</title>"#, esc(&self.title));
        let _ = writeln!(s, r##"<rect width="100%" height="100%" fill="#ffffff"/>"##);
        let _ = writeln!(s, r#"<text x="8" y="18" font-size="14" font-weight="bold">{}</text>"#, esc(&self.title));
        for i in (0..self.lanes.len()).step_by(2) {
            let top = LANES_Y + LANE_H * i as f64;
            let _ = writeln!(s, r##"<rect x="0" y="{top:.1}" width="{WIDTH}" height="{LANE_H}" fill="#f4f4f4"/>"##);
        }
        self.axis(&mut s, lanes_end);
        for (i, lane) in self.lanes.iter().enumerate() {
            let mid = LANES_Y + LANE_H * i as f64 + LANE_H / 2.0;
            let _ = writeln!(
                s,
                r#"<text x="8" y="{:.1}"><title>{}</title>{}</text>"#,
                mid + 4.0,
                esc(&lane.label),
                esc(&shorten(&lane.label, LABEL_CHARS))
            );
            for span in &lane.spans {
                let (x0, x1) = (self.x(span.from_ms), self.x(span.to_ms));
                let w = (x1 - x0).max(1.0);
                let c = colour(span.kind);
                let _ = writeln!(
                    s,
                    r#"<rect x="{x0:.1}" y="{:.1}" width="{w:.1}" height="16" fill="{c}" fill-opacity="0.35" stroke="{c}"><title>{} ({} to {} UTC)</title></rect>"#,
                    mid - 8.0,
                    esc(&span.label),
                    clock(span.from_ms),
                    clock(span.to_ms)
                );
                if w > span.label.chars().count() as f64 * 6.5 + 8.0 {
                    let _ = writeln!(s, r#"<text x="{:.1}" y="{:.1}" font-size="11">{}</text>"#, x0 + 4.0, mid + 4.0, esc(&span.label));
                }
            }
            for p in &lane.points {
                let x = self.x(p.at_ms);
                let tip = format!("<title>{} ({} UTC)</title>", esc(&p.label), clock(p.at_ms));
                let _ = match p.kind {
                    PointKind::WriteOk => {
                        writeln!(s, r##"<circle cx="{x:.1}" cy="{mid:.1}" r="5" fill="#2ca02c">{tip}</circle>"##)
                    }
                    PointKind::WriteFailed | PointKind::Cancelled => {
                        let c = if p.kind == PointKind::WriteFailed { "#d62728" } else { "#333333" };
                        writeln!(
                            s,
                            r#"<path d="M{:.1} {:.1} L{:.1} {:.1} M{:.1} {:.1} L{:.1} {:.1}" stroke="{c}" stroke-width="2.5">{tip}</path>"#,
                            x - 5.0,
                            mid - 5.0,
                            x + 5.0,
                            mid + 5.0,
                            x - 5.0,
                            mid + 5.0,
                            x + 5.0,
                            mid - 5.0
                        )
                    }
                    PointKind::Renewed => writeln!(
                        s,
                        r##"<path d="M{x:.1} {:.1} L{x:.1} {:.1}" stroke="#333333" stroke-width="2.5">{tip}</path>"##,
                        mid - 10.0,
                        mid + 10.0
                    ),
                    PointKind::Login => writeln!(
                        s,
                        r##"<path d="M{:.1} {:.1} L{:.1} {:.1} L{:.1} {:.1} Z" fill="#1f4e79">{tip}</path>"##,
                        x,
                        mid - 7.0,
                        x - 6.0,
                        mid + 5.0,
                        x + 6.0,
                        mid + 5.0
                    ),
                };
            }
        }
        for (i, m) in self.marks.iter().enumerate() {
            let x = self.x(m.at_ms);
            let y = lanes_end + 14.0 + 16.0 * i as f64;
            let anchor = if x > (PLOT_X0 + PLOT_X1) / 2.0 { "end" } else { "start" };
            let _ = writeln!(s, r##"<path d="M{x:.1} {AXIS_Y} L{x:.1} {:.1}" stroke="#7f7f7f" stroke-dasharray="4 3"/>"##, y - 10.0);
            let _ = writeln!(
                s,
                r##"<text x="{x:.1}" y="{y:.1}" text-anchor="{anchor}" fill="#555555">{} {} UTC</text>"##,
                esc(&m.label),
                clock(m.at_ms)
            );
        }
        self.legend(&mut s, marks_end + 28.0);
        s.push_str("</svg>\n");
        s
    }

    /// The time axis: a tick and a clock time every 5 s, 10 s, … 2 h, or whole hours: at most ten.
    fn axis(&self, s: &mut String, lanes_end: f64) {
        let span_s = ((self.to_ms - self.from_ms) / 1000).max(1);
        let step = STEPS_S.iter().copied().find(|st| span_s / st <= 10).unwrap_or_else(|| (span_s + 36_000 - 1) / 36_000 * 3600) * 1000;
        let _ = writeln!(s, r##"<path d="M{PLOT_X0} {AXIS_Y} L{PLOT_X1} {AXIS_Y}" stroke="#333333"/>"##);
        let mut t = (self.from_ms + step - 1).div_euclid(step) * step;
        while t <= self.to_ms {
            let x = self.x(t);
            let _ = writeln!(
                s,
                r##"<path d="M{x:.1} {:.1} L{x:.1} {lanes_end:.1}" stroke="#dddddd"/><text x="{x:.1}" y="{:.1}" text-anchor="middle" fill="#333333">{}</text>"##,
                AXIS_Y,
                AXIS_Y - 6.0,
                clock(t)
            );
            t += step;
        }
        let _ = writeln!(s, r##"<text x="8" y="{:.1}" fill="#333333">UTC</text>"##, AXIS_Y - 6.0);
    }

    fn legend(&self, s: &mut String, y: f64) {
        let items: [(&str, &str); 8] = [
            (r##"<rect x="0" y="-10" width="14" height="10" fill="#59a14f" fill-opacity="0.35" stroke="#59a14f"/>"##, "application"),
            (r##"<rect x="0" y="-10" width="14" height="10" fill="#4e79a7" fill-opacity="0.35" stroke="#4e79a7"/>"##, "ticket"),
            (
                r##"<rect x="0" y="-10" width="14" height="10" fill="#f28e2b" fill-opacity="0.35" stroke="#f28e2b"/>"##,
                "token: issue to max date",
            ),
            (r##"<path d="M7 -12 L7 2" stroke="#333333" stroke-width="2.5"/>"##, "renewed"),
            (r##"<path d="M7 -11 L1 0 L13 0 Z" fill="#1f4e79"/>"##, "login"),
            (r##"<circle cx="7" cy="-5" r="5" fill="#2ca02c"/>"##, "write ok"),
            (r##"<path d="M2 -10 L12 0 M2 0 L12 -10" stroke="#d62728" stroke-width="2.5"/>"##, "write failed"),
            (r##"<path d="M2 -10 L12 0 M2 0 L12 -10" stroke="#333333" stroke-width="2.5"/>"##, "cancelled"),
        ];
        let mut x = 8.0;
        for (shape, text) in items {
            let _ = writeln!(s, r#"<g transform="translate({x:.0} {y:.0})">{shape}<text x="18" y="0">{text}</text></g>"#);
            x += 24.0 + text.chars().count() as f64 * 6.8;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::*;

    /// A token that dies while the application lives on, the writes stopping with it.
    pub fn sample() -> Timeline {
        let s = 1_764_900_000_000; // 2025-12-05 02:00:00 UTC
        Timeline::fitted(
            "application_1_0001 <alice's> long-lived run",
            vec![
                Lane {
                    label: "application_1_0001 (alice)".into(),
                    spans: vec![Span { from_ms: s, to_ms: s + 420_000, kind: SpanKind::Application, label: "RUNNING".into() }],
                    points: vec![],
                },
                Lane {
                    label: "alice's tickets from the node (KDC)".into(),
                    spans: vec![Span { from_ms: s + 5_000, to_ms: s + 125_000, kind: SpanKind::Ticket, label: "ticket".into() }],
                    points: vec![Point { at_ms: s + 5_000, kind: PointKind::Login, label: "alice@EXAMPLE.COM".into() }],
                },
                Lane {
                    label: "HDFS token seq 7 of the workers, a label long enough to be cut".into(),
                    spans: vec![Span { from_ms: s + 2_000, to_ms: s + 302_000, kind: SpanKind::Token, label: "seq 7".into() }],
                    points: vec![
                        Point { at_ms: s + 62_000, kind: PointKind::Renewed, label: "renewed by yarn".into() },
                        Point { at_ms: s + 410_000, kind: PointKind::Cancelled, label: "cancelled".into() },
                    ],
                },
                Lane {
                    label: "the probe's writes".into(),
                    spans: vec![],
                    points: vec![
                        Point { at_ms: s + 20_000, kind: PointKind::WriteOk, label: "put=ok".into() },
                        Point { at_ms: s + 320_000, kind: PointKind::WriteFailed, label: "put=failed".into() },
                    ],
                },
            ],
            vec![Mark { at_ms: s + 302_000, label: "first tokens' max date".into() }, Mark { at_ms: s + 362_000, label: "checked".into() }],
        )
    }

    #[test]
    fn snapshot() {
        insta::assert_snapshot!(sample().to_svg());
    }

    /// Well-formed XML, whatever the labels hold.
    #[test]
    fn the_svg_is_well_formed_and_escapes_its_text() {
        let svg = sample().to_svg();
        let mut reader = quick_xml::Reader::from_str(&svg);
        loop {
            match reader.read_event() {
                Ok(quick_xml::events::Event::Eof) => break,
                Ok(_) => {}
                Err(e) => panic!("not well-formed at {}: {e}\n{svg}", reader.buffer_position()),
            }
        }
        assert!(svg.contains("&lt;alice&apos;s&gt;") || svg.contains("&lt;alice's&gt;"), "{svg}");
        assert!(!svg.contains("<script"), "{svg}");
    }

    /// Times outside the axis are drawn at its edge, never outside the picture.
    #[test]
    fn times_are_clamped_to_the_plot() {
        let t = Timeline { title: "t".into(), from_ms: 1_000, to_ms: 2_000, lanes: vec![], marks: vec![] };
        assert_eq!(t.x(0), super::PLOT_X0);
        assert_eq!(t.x(5_000), super::PLOT_X1);
        let empty = Timeline::fitted("nothing", vec![], vec![]);
        assert!(empty.to_svg().starts_with("<svg"));
    }
}

//! The "YARN Application Security" checklist as scenarios (one module per item), and the
//! `SubmissionService` trait they drive. Not written yet: see the checklist issue. Item ids follow
//! the checklist's order: C1–C7, A1–A7, K1–K2, L1–L7, T1–T9.

//! Progress on long work (image builds, cluster start), on stderr: spinners on a terminal, one
//! line per finished step otherwise (CI logs).

use std::io::IsTerminal;
use std::time::{Duration, Instant};

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Where steps are shown. Cheap to clone.
#[derive(Clone, Debug)]
pub struct Progress {
    multi: MultiProgress,
    quiet: bool,
    tty: bool,
}

impl Progress {
    /// Progress on stderr.
    pub fn stderr() -> Self {
        let tty = std::io::stderr().is_terminal();
        let target = if tty { ProgressDrawTarget::stderr() } else { ProgressDrawTarget::hidden() };
        Self { multi: MultiProgress::with_draw_target(target), quiet: false, tty }
    }

    /// No output at all (library use in tests that print their own).
    pub fn hidden() -> Self {
        Self { multi: MultiProgress::with_draw_target(ProgressDrawTarget::hidden()), quiet: true, tty: false }
    }

    /// Starts a step.
    pub fn step(&self, name: impl Into<String>) -> Step {
        let name = name.into();
        let bar = self.multi.add(ProgressBar::new_spinner());
        bar.set_style(ProgressStyle::with_template("{spinner} {prefix:.bold} {wide_msg} {elapsed}").expect("the template is valid"));
        bar.set_prefix(name.clone());
        bar.enable_steady_tick(Duration::from_millis(120));
        if !self.quiet && !self.tty {
            eprintln!("yarnsec: {name} ...");
        }
        Step { bar, name, started: Instant::now(), quiet: self.quiet, tty: self.tty, last_line: None }
    }
}

/// One running step.
#[derive(Debug)]
pub struct Step {
    bar: ProgressBar,
    name: String,
    started: Instant,
    quiet: bool,
    tty: bool,
    last_line: Option<Instant>,
}

impl Step {
    /// Shows what the step is doing now.
    pub fn message(&self, msg: impl Into<String>) {
        let msg: String = msg.into();
        self.bar.set_message(msg.chars().take(100).collect::<String>());
    }

    /// Ends the step successfully with a note (e.g. "cached"); returns how long it took.
    pub fn done(self, note: &str) -> Duration {
        self.finish('✔', note)
    }

    /// Ends the step with `mark` (shown on a terminal) and a note; returns how long it took.
    pub fn finish(self, mark: char, note: &str) -> Duration {
        let took = self.started.elapsed();
        self.bar.finish_and_clear();
        if !self.quiet {
            if self.tty {
                self.bar.println(format!("{mark} {} {note} ({:.1}s)", self.name, took.as_secs_f64()));
            } else {
                eprintln!("yarnsec: {} {note} ({:.1}s)", self.name, took.as_secs_f64());
            }
        }
        took
    }

    /// Reports what the step waits for: on a terminal in its spinner line, otherwise as a log
    /// line at most every `every` (CI logs stay short).
    pub fn waiting(&mut self, msg: &str, every: Duration) {
        if self.tty {
            self.message(msg);
        } else if !self.quiet && self.last_line.is_none_or(|t| t.elapsed() >= every) {
            self.last_line = Some(Instant::now());
            eprintln!("yarnsec: {} {msg}", self.name);
        }
    }

    /// Ends the step with what its work came to: done with `note(&value)`, or failed; passes
    /// the result on.
    ///
    /// ```
    /// let progress = yarnsec_harness::progress::Progress::hidden();
    /// let r: Result<u8, &str> = progress.step("kdc").end(Ok(1), |n| format!("{n} realm"));
    /// assert_eq!(r, Ok(1));
    /// ```
    pub fn end<T, E>(self, result: Result<T, E>, note: impl FnOnce(&T) -> String) -> Result<T, E> {
        match &result {
            Ok(value) => {
                self.done(&note(value));
            }
            Err(_) => self.fail(),
        }
        result
    }

    /// Ends the step as failed.
    pub fn fail(self) {
        self.bar.finish_and_clear();
        if !self.quiet {
            eprintln!("yarnsec: {} failed after {:.1}s", self.name, self.started.elapsed().as_secs_f64());
        }
    }

    /// Time since the step started.
    pub fn elapsed(&self) -> Duration {
        self.started.elapsed()
    }
}

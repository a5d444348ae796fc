//! Verification reports: each check with what was checked, its outcome and why.
//!
//! A signature that does not verify is a [`Outcome::Fail`] check, not an error; malformed input
//! is an [`Error`](crate::Error) before any report exists.

use core::fmt;

use crate::deviation::Deviation;

/// The outcome of one check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Outcome {
    /// The check passed.
    Pass,
    /// The check failed: the object is not valid.
    Fail,
    /// Not a failure, but worth a look (a recommendation of the notes not met, a value the
    /// specification leaves open).
    Warn,
    /// The check could not be made (missing data) or was not asked for.
    Skipped,
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Outcome::Pass => "pass",
            Outcome::Fail => "FAIL",
            Outcome::Warn => "warn",
            Outcome::Skipped => "skipped",
        })
    }
}

/// One check of a verification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Check {
    /// What was checked (a short stable name, e.g. `signature`, `systemCert.keyUsage`).
    pub what: &'static str,
    /// The outcome.
    pub outcome: Outcome,
    /// Why, in words.
    pub why: String,
}

impl Check {
    pub(crate) fn new(what: &'static str, outcome: Outcome, why: impl Into<String>) -> Self {
        Check {
            what,
            outcome,
            why: why.into(),
        }
    }
}

impl fmt::Display for Check {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "[{}] {}: {}", self.outcome, self.what, self.why)
    }
}

/// A verification report.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Report {
    /// The checks, in the order made.
    pub checks: Vec<Check>,
    /// Deviations tolerated in lenient mode.
    pub deviations: Vec<Deviation>,
}

impl Report {
    /// No check failed and the signature check passed.
    pub fn is_valid(&self) -> bool {
        !self.checks.iter().any(|c| c.outcome == Outcome::Fail)
            && self
                .checks
                .iter()
                .any(|c| c.what == "signature" && c.outcome == Outcome::Pass)
    }

    /// The check named `what`.
    pub fn check(&self, what: &str) -> Option<&Check> {
        self.checks.iter().find(|c| c.what == what)
    }

    /// The failed checks.
    pub fn failures(&self) -> impl Iterator<Item = &Check> {
        self.checks.iter().filter(|c| c.outcome == Outcome::Fail)
    }

    pub(crate) fn push(&mut self, what: &'static str, outcome: Outcome, why: impl Into<String>) {
        self.checks.push(Check::new(what, outcome, why));
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{}",
            if self.is_valid() {
                "VALID"
            } else {
                "NOT VALID"
            }
        )?;
        for c in &self.checks {
            writeln!(f, "  {c}")?;
        }
        for d in &self.deviations {
            writeln!(f, "  tolerated: {d}")?;
        }
        Ok(())
    }
}

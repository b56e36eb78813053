//! Rounds: each section run several times, ours then PyTorch's, and each side's best
//! median kept, so that both sides meet the same moments of a busy machine.

use std::fmt;

use super::child::{ChildError, SectionRun, Side};
use super::machine::Machine;
use super::measure::{Figure, best_of_rounds};
use super::report::{Networks, PyTorch, Report};

/// Both sides' results over the sections.
#[derive(Debug, Default)]
pub struct Gathered {
    ours: Vec<Figure>,
    theirs: Vec<Figure>,
    networks: Vec<Networks>,
    capability: Option<String>,
    version: Option<String>,
}

impl Gathered {
    /// The report of this run; `pytorch`: whether PyTorch ran beside ours.
    pub fn into_report(self, machine: Machine, rounds: usize, pytorch: bool) -> Report {
        let unknown = || "unknown".to_string();
        let pytorch = if pytorch {
            PyTorch::SameRun {
                figures: self.theirs,
                version: self.version.unwrap_or_else(unknown),
                capability: self.capability.unwrap_or_else(unknown),
            }
        } else {
            PyTorch::Recorded
        };
        Report {
            machine,
            rounds,
            ours: self.ours,
            pytorch,
            networks: self.networks,
        }
    }
}

/// A section's child process failed.
#[derive(Debug)]
pub struct SectionFailed {
    section: String,
    side: Side,
    source: ChildError,
}

impl fmt::Display for SectionFailed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let SectionFailed {
            section,
            side,
            source,
        } = self;
        write!(f, "bench section {section} ({side}): {source}")
    }
}

impl std::error::Error for SectionFailed {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.source)
    }
}

/// Runs `rounds` rounds of each section, one section after another; each round runs ours
/// and then, with `pytorch`, PyTorch's, each through `run` (a child process). Each side's
/// figures are its best medians over the rounds ([`best_of_rounds`]).
pub fn gather(
    sections: &[&str],
    rounds: usize,
    pytorch: bool,
    mut run: impl FnMut(Side, &str) -> Result<SectionRun, ChildError>,
) -> Result<Gathered, SectionFailed> {
    let sides: &[Side] = if pytorch {
        &[Side::Ours, Side::PyTorch]
    } else {
        &[Side::Ours]
    };
    let mut gathered = Gathered::default();
    for &section in sections {
        let (mut ours, mut theirs) = (Vec::new(), Vec::new());
        let (mut our_net, mut their_net) = (None, None);
        for round in 1..=rounds {
            for &side in sides {
                eprintln!("bench: {section}, round {round} of {rounds}: {side} ...");
                let out = run(side, section).map_err(|source| SectionFailed {
                    section: section.to_string(),
                    side,
                    source,
                })?;
                match side {
                    Side::Ours => {
                        ours.push(out.figures);
                        our_net = out.network;
                    }
                    Side::PyTorch => {
                        theirs.push(out.figures);
                        their_net = out.network;
                        gathered.capability = gathered.capability.or(out.capability);
                        gathered.version = gathered.version.or(out.version);
                    }
                }
            }
        }
        gathered.ours.extend(best_of_rounds(&ours));
        gathered.theirs.extend(best_of_rounds(&theirs));
        if let (Some(ours), Some(pytorch)) = (our_net, their_net) {
            let section = section.to_string();
            gathered.networks.push(Networks {
                section,
                ours,
                pytorch,
            });
        }
    }
    Ok(gathered)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A fake child: ours at `ours` µs per XOR step, PyTorch's at `theirs`, both with the
    /// same network; the round number is added to both so rounds differ.
    fn fake(calls: &mut Vec<(Side, String)>, side: Side, section: &str) -> SectionRun {
        calls.push((side, section.to_string()));
        let round = calls.iter().filter(|c| c.0 == side).count() as f64;
        let base = if side == Side::Ours { 6.0 } else { 300.0 };
        SectionRun {
            figures: vec![Figure::from_runs(
                &format!("{section}_step_us"),
                "us",
                vec![base + round],
            )],
            network: Some("9\t1x2".to_string()),
            capability: (side == Side::PyTorch).then(|| "AVX2".to_string()),
            version: None,
        }
    }

    #[test]
    fn rounds_interleave_ours_and_theirs_and_keep_each_sides_best() {
        let mut calls = Vec::new();
        let g = gather(&["xor"], 2, true, |side, s| Ok(fake(&mut calls, side, s))).unwrap();
        let order: Vec<Side> = calls.iter().map(|c| c.0).collect();
        assert_eq!(
            order,
            [Side::Ours, Side::PyTorch, Side::Ours, Side::PyTorch]
        );
        // Times: the best median is the lowest, round 1's (6 + 1 and 300 + 1).
        assert_eq!((g.ours[0].median, g.ours[0].max), (7.0, 8.0));
        assert_eq!((g.theirs[0].median, g.theirs[0].max), (301.0, 302.0));
        assert_eq!(g.capability.as_deref(), Some("AVX2"));
        assert_eq!(g.networks[0].ours, g.networks[0].pytorch);
    }

    #[test]
    fn without_pytorch_only_ours_runs_and_the_column_is_recorded() {
        let mut calls = Vec::new();
        let g = gather(&["xor", "lesson3"], 1, false, |side, s| {
            Ok(fake(&mut calls, side, s))
        })
        .unwrap();
        assert!(calls.iter().all(|c| c.0 == Side::Ours) && calls.len() == 2);
        assert!(g.theirs.is_empty() && g.networks.is_empty());
        let machine = Machine {
            cpu: "x".to_string(),
            extensions: Vec::new(),
        };
        let report = g.into_report(machine, 1, false);
        assert!(matches!(report.pytorch, PyTorch::Recorded));
        assert_eq!(report.ours.len(), 2);
    }

    #[test]
    fn a_failed_child_names_its_section_and_side() {
        let err = gather(&["lesson6"], 1, true, |side, s| match side {
            Side::Ours => Ok(fake(&mut Vec::new(), side, s)),
            Side::PyTorch => Err(ChildError::Start(std::io::Error::other("no such file"))),
        })
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "bench section lesson6 (PyTorch): cannot start: no such file"
        );
    }
}

//! The `marginalia` binary: the CLI, and (without a subcommand) the GUI.

use clap::Parser;
use marginalia::cli::{Cli, run};
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Some(cmd) => run(cmd),
        None => {
            eprintln!(
                "The Marginalia window is not available in this build yet. Use a subcommand; see `marginalia --help`."
            );
            ExitCode::from(2)
        }
    }
}

//! `marginalia manpage`: one roff page covering every subcommand. The top
//! of the page is clap_mangen's (name, synopsis, description, options);
//! then each subcommand, nested ones too, gets its own part with its
//! usage, its description and its arguments; the version ends it.

use super::args::Cli;
use clap::{Arg, Command, CommandFactory};
use std::io::Write;

/// Writes the page to `out`.
pub fn write(out: &mut dyn Write) -> std::io::Result<()> {
    let mut cmd = Cli::command();
    cmd.build();
    let man = clap_mangen::Man::new(cmd.clone());
    // Every part but clap_mangen's list of subcommands, which points to
    // one page per subcommand; here they are all on this page.
    man.render_title(out)?;
    man.render_name_section(out)?;
    man.render_synopsis_section(out)?;
    man.render_description_section(out)?;
    man.render_options_section(out)?;
    writeln!(out, ".SH \"COMMANDS IN DETAIL\"")?;
    for sub in shown(&cmd) {
        command(out, sub)?;
    }
    man.render_version_section(out)?;
    Ok(())
}

/// The subcommands a reader needs: not hidden, not clap's own `help`.
fn shown(cmd: &Command) -> impl Iterator<Item = &Command> {
    cmd.get_subcommands()
        .filter(|s| !s.is_hide_set() && s.get_name() != "help")
}

/// Text safe in a roff line: backslashes and dashes escaped, characters
/// beyond ASCII as `\[uXXXX]` (troff reads bytes), and a leading `.` or
/// `'` kept from reading as a request.
fn esc(original: &str) -> String {
    let mut text = String::with_capacity(original.len());
    for c in original.chars() {
        match c {
            '\\' => text.push_str("\\e"),
            '-' => text.push_str("\\-"),
            c if c.is_ascii() => text.push(c),
            c => text.push_str(&format!("\\[u{:04X}]", u32::from(c))),
        }
    }
    if text.starts_with('.') || text.starts_with('\'') {
        format!("\\&{text}")
    } else {
        text
    }
}

/// One subcommand's part, then its own subcommands'.
fn command(out: &mut dyn Write, sub: &Command) -> std::io::Result<()> {
    let usage = sub.clone().render_usage().to_string();
    let usage = usage.trim_start_matches("Usage:").trim();
    writeln!(out, ".SS \"{}\"", esc(usage).replace('"', "\\(dq"))?;
    let about = sub
        .get_long_about()
        .or(sub.get_about())
        .map(|a| a.to_string())
        .unwrap_or_default();
    for para in about.split("\n\n") {
        writeln!(out, ".PP")?;
        for line in para.lines() {
            writeln!(out, "{}", esc(line))?;
        }
    }
    for arg in sub.get_arguments().filter(|a| !a.is_hide_set()) {
        argument(out, arg)?;
    }
    for nested in shown(sub) {
        command(out, nested)?;
    }
    Ok(())
}

/// `--flag VALUE` or `NAME`, then its help.
fn argument(out: &mut dyn Write, arg: &Arg) -> std::io::Result<()> {
    let values: Vec<String> = arg
        .get_value_names()
        .map(|v| v.iter().map(|n| format!("\\fI{}\\fR", esc(n))).collect())
        .unwrap_or_default();
    let takes_value = arg.get_action().takes_values();
    let name = match (arg.get_long(), arg.get_short()) {
        (Some(l), Some(s)) => format!("\\fB\\-{s}\\fR, \\fB\\-\\-{}\\fR", esc(l)),
        (Some(l), None) => format!("\\fB\\-\\-{}\\fR", esc(l)),
        (None, Some(s)) => format!("\\fB\\-{s}\\fR"),
        (None, None) => values
            .first()
            .cloned()
            .unwrap_or_else(|| format!("\\fI{}\\fR", esc(arg.get_id().as_str()))),
    };
    let shown_values = if arg.is_positional() || !takes_value {
        String::new()
    } else if values.is_empty() {
        format!(" \\fI{}\\fR", esc(&arg.get_id().as_str().to_uppercase()))
    } else {
        format!(" {}", values.join(" "))
    };
    writeln!(out, ".TP")?;
    writeln!(out, "{name}{shown_values}")?;
    let help = arg
        .get_long_help()
        .or(arg.get_help())
        .map(|h| h.to_string())
        .unwrap_or_default();
    let choices: Vec<String> = arg
        .get_possible_values()
        .iter()
        .filter(|v| !v.is_hide_set())
        .map(|v| v.get_name().to_string())
        .collect();
    let mut text = help.replace('\n', " ");
    if !choices.is_empty() && takes_value {
        text.push_str(&format!(" [one of: {}]", choices.join(", ")));
    }
    writeln!(out, "{}", esc(text.trim()))
}

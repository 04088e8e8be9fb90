//! The command line. Exit codes: 0 ok, 1 problems found (invalid project,
//! quote not found or ambiguous, a refused edit), 2 unusable input
//! (unreadable or malformed file, bad arguments).

use crate::model::{Command, Document, History, Project, SpanId};
use crate::store;
use anyhow::{Context, anyhow};
use std::path::Path;
use std::process::ExitCode;

/// Prints one line to standard output. Unlike `println!`, a closed pipe
/// (`marginalia stats P.ron | head -1`) does not panic: the write error goes
/// up with `?`, and [`run`] ends the command quietly, as ripgrep does.
macro_rules! say {
    ($($arg:tt)*) => {
        write_line(format_args!($($arg)*))?
    };
}

// After `say!`, which they use.
mod args;
mod assist;
mod exchange;
mod manpage;
mod project;
mod retext;
mod schema;
mod sourcing;
mod spans;
mod team;

pub use args::{Cli, Cmd, ExportFormatArg, ImportFormatArg, LabelAction, SourceAction, StatusArg};
pub use spans::find_quote;

/// Writes a line to stdout; errors (a closed pipe among them) are returned.
fn write_line(args: std::fmt::Arguments) -> CliResult {
    use std::io::Write;
    writeln!(std::io::stdout().lock(), "{args}").map_err(|e| unusable(anyhow::Error::from(e)))
}

/// True when the error is standard output's reader going away.
fn is_closed_pipe(error: &anyhow::Error) -> bool {
    error
        .downcast_ref::<std::io::Error>()
        .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
}

/// A CLI failure with its exit code.
#[derive(Debug)]
pub struct CliError {
    /// 1 = problems found, 2 = unusable input.
    pub code: u8,
    /// What went wrong, with context.
    pub error: anyhow::Error,
}

/// Problems found in otherwise usable input (exit 1).
fn problem(error: anyhow::Error) -> CliError {
    CliError { code: 1, error }
}

/// Unusable input (exit 2).
fn unusable(error: impl Into<anyhow::Error>) -> CliError {
    CliError {
        code: 2,
        error: error.into(),
    }
}

type CliResult<T = ()> = Result<T, CliError>;

/// Runs a subcommand and maps the result to an exit code, printing errors.
pub fn run(cmd: Cmd) -> ExitCode {
    match dispatch(cmd) {
        Ok(code) => ExitCode::from(code),
        // The reader (`head`, a pager) has what it wanted: not an error.
        Err(e) if is_closed_pipe(&e.error) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {}", error_chain(&e.error));
            ExitCode::from(e.code)
        }
    }
}

/// The error and its causes joined by ": ", leaving out a cause whose text
/// the message before it already says (errors that name their source in
/// their own message would otherwise say it twice).
fn error_chain(error: &anyhow::Error) -> String {
    let mut out = String::new();
    for cause in error.chain() {
        let text = cause.to_string();
        if out.contains(&text) {
            continue;
        }
        if !out.is_empty() {
            out.push_str(": ");
        }
        out.push_str(&text);
    }
    out
}

fn dispatch(cmd: Cmd) -> CliResult<u8> {
    match cmd {
        Cmd::New {
            project,
            name,
            texts,
            read,
        } => project::new(&project, name, &texts, &read.options()).map(|()| 0),
        Cmd::Add {
            project,
            texts,
            read,
        } => project::add(&project, &texts, &read.options()),
        Cmd::Extract { file, json, read } => {
            exchange::extract(&file, json, &read.options()).map(|()| 0)
        }
        Cmd::Tag {
            project,
            doc,
            label,
            quote,
            occurrence,
            note,
            attrs,
        } => spans::tag(&project, &doc, &label, &quote, occurrence, note, &attrs).map(|()| 0),
        Cmd::Attr {
            project,
            span,
            key,
            value,
        } => spans::attr(&project, span, key, value).map(|()| 0),
        Cmd::Retag {
            project,
            span,
            label,
        } => spans::retag(&project, span, &label).map(|()| 0),
        Cmd::Untag { project, span } => spans::untag(&project, SpanId(span)).map(|()| 0),
        Cmd::Note {
            project,
            span,
            text,
        } => {
            let note = Some(text.trim().to_string()).filter(|t| !t.is_empty());
            edit(&project, Command::SetNote(SpanId(span), note)).map(|_| 0)
        }
        Cmd::Retext {
            project,
            doc,
            text,
            dry_run,
            json,
        } => retext::retext(&project, &doc, &text, dry_run, json),
        Cmd::Unlink { project, link } => {
            edit(&project, Command::RemoveLink(crate::model::LinkId(link))).map(|_| 0)
        }
        Cmd::Link {
            project,
            from,
            to,
            kind,
        } => spans::link(&project, from, to, kind).map(|()| 0),
        Cmd::Check { projects } => project::check(&projects),
        Cmd::Stats { project, json } => project::stats(&project, json).map(|()| 0),
        Cmd::Status {
            project,
            doc,
            status,
        } => project::status(&project, &doc, status.map(Into::into)).map(|()| 0),
        Cmd::Search {
            project,
            pattern,
            regex,
            case_sensitive,
            doc,
            json,
        } => assist::search(
            &project,
            pattern,
            regex,
            case_sensitive,
            doc.as_deref(),
            json,
        ),
        Cmd::Suggest {
            project,
            doc,
            label,
            json,
            apply,
            score,
            learned,
            min_score,
        } => assist::suggest(
            &project,
            doc.as_deref(),
            label.as_deref(),
            assist::SuggestHow {
                json,
                apply,
                score,
                learned,
                min_score,
            },
        ),
        Cmd::Learn {
            project,
            label,
            json,
        } => assist::learn(&project, &label, json).map(|()| 0),
        Cmd::Rules { project, on, off } => assist::rules(&project, &on, &off).map(|()| 0),
        Cmd::Agree {
            projects,
            mode,
            json,
        } => team::agree(&projects, mode, json),
        Cmd::Merge {
            base,
            ours,
            theirs,
            out,
        } => team::merge(&base, &ours, &theirs, &out, true),
        Cmd::MergeDriver { base, ours, theirs } => team::merge(&base, &ours, &theirs, &ours, false),
        Cmd::Label { project, action } => schema::label(&project, action).map(|()| 0),
        Cmd::Sources { project, doc, json } => {
            sourcing::report(&project, doc.as_deref(), json).map(|()| 0)
        }
        Cmd::Source { project, action } => sourcing::registry(&project, action).map(|()| 0),
        Cmd::Export {
            project,
            format,
            out,
            doc,
            label,
        } => exchange::export(&project, format.into(), &out, doc, label).map(|()| 0),
        Cmd::Import {
            project,
            format,
            input,
        } => exchange::import(&project, format.into(), &input),
        Cmd::Completions { shell } => {
            let mut cmd = <args::Cli as clap::CommandFactory>::command();
            clap_complete::generate(shell, &mut cmd, "marginalia", &mut std::io::stdout());
            Ok(0)
        }
        Cmd::Manpage => manpage::write(&mut std::io::stdout())
            .context("writing the man page")
            .map(|()| 0)
            .map_err(unusable),
        #[cfg(feature = "gui")]
        Cmd::Drive { project } => crate::ui::drive::run(project).map(|()| 0).map_err(unusable),
    }
}

/// Loads a project, printing warnings; failures are exit 2.
pub fn load(path: &Path) -> CliResult<Project> {
    let loaded = if path == Path::new("-") {
        // `-`: the project from standard input (read-only commands, or
        // `export`; a command that saves refuses, see `save`).
        let mut text = String::new();
        std::io::Read::read_to_string(&mut std::io::stdin().lock(), &mut text)
            .context("reading the project from standard input")
            .map_err(unusable)?;
        store::load_str(&text, Path::new("<standard input>")).map_err(unusable)?
    } else {
        store::load(path).map_err(unusable)?
    };
    for w in &loaded.warnings {
        eprintln!("{}: {w}", path.display());
    }
    Ok(loaded.project)
}

fn save(project: &Project, path: &Path) -> CliResult {
    if path == Path::new("-") {
        return Err(unusable(anyhow!(
            "a project read from standard input (-) cannot be saved back; give its file instead"
        )));
    }
    store::save(project, path)
        .with_context(|| format!("saving {}", path.display()))
        .map_err(unusable)
}

/// Runs one command as the analyst's own edit: a `new` article it
/// annotates becomes `in-progress`.
fn exec(project: &mut Project, command: Command) -> CliResult<crate::model::Created> {
    History::new()
        .execute_by_hand(project, command)
        .map_err(|e| problem(anyhow!(e)))
}

/// Resolves a document by id or exact title (exit 1 when missing).
fn find_doc<'p>(project: &'p Project, key: &str) -> CliResult<&'p Document> {
    project.find_document(key).ok_or_else(|| {
        let known: Vec<String> = project
            .documents()
            .map(|d| format!("{} ({})", d.id, d.title))
            .collect();
        problem(anyhow!(
            "no document with id or title {key:?}; documents: {}",
            known.join(", ")
        ))
    })
}

/// Loads, runs one command, saves.
fn edit(path: &Path, command: Command) -> CliResult<crate::model::Created> {
    let mut project = load(path)?;
    let created = exec(&mut project, command)?;
    save(&project, path)?;
    Ok(created)
}

//! The command line. Exit codes: 0 ok, 1 problems found (invalid project,
//! quote not found or ambiguous, a refused edit), 2 unusable input
//! (unreadable or malformed file, bad arguments).

use crate::formats::text::import_file;
use crate::formats::{ExportFormat, ImportFormat};
use crate::model::{
    ATTRIBUTED_TO, Command, DocId, Document, History, Label, LabelId, Project, Rgb, Severity,
    SpanId,
};
use crate::store;
use anyhow::{Context, anyhow};
use clap::{Parser, Subcommand};
use std::path::{Path, PathBuf};
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
mod assist;
mod retext;
mod team;

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

/// Marginalia: annotate claims, figures and source attributions in news articles.
///
/// Run with no subcommand (or with a PROJECT.ron or FILE.txt) to open the
/// workbench window.
#[derive(Debug, Parser)]
#[command(name = "marginalia", version, args_conflicts_with_subcommands = true)]
pub struct Cli {
    /// Subcommand to run; without one, the GUI opens.
    #[command(subcommand)]
    pub command: Option<Cmd>,
    /// A project (.ron) or article (.txt) to open in the GUI.
    pub path: Option<PathBuf>,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Cmd {
    /// Create a project with the default schema and the given articles.
    New {
        /// Project file to create (must not exist).
        project: PathBuf,
        /// Project name (defaults to the file name).
        #[arg(long)]
        name: Option<String>,
        /// UTF-8 text files to add as documents (`-` reads standard input).
        texts: Vec<PathBuf>,
    },
    /// Add articles (UTF-8 .txt files) to a project.
    Add {
        /// Project file.
        project: PathBuf,
        /// Text files (`-` reads standard input).
        #[arg(required = true)]
        texts: Vec<PathBuf>,
    },
    /// Tag the N-th occurrence of an exact quote; prints the new span id.
    Tag {
        /// Project file.
        project: PathBuf,
        /// Document id or exact title.
        #[arg(long)]
        doc: String,
        /// Label id, e.g. claim, figure, source.
        #[arg(long)]
        label: String,
        /// Exact text to tag. Repeat for a discontinuous span: each further
        /// quote is its first occurrence after the previous one.
        #[arg(long, required = true)]
        quote: Vec<String>,
        /// Which occurrence of the first quote to tag (1-based); required
        /// when it is not unique.
        #[arg(long)]
        occurrence: Option<usize>,
        /// Note to attach.
        #[arg(long)]
        note: Option<String>,
        /// An attribute value, KEY=VALUE (repeatable), as the label declares.
        #[arg(long = "attr", value_name = "KEY=VALUE")]
        attrs: Vec<String>,
    },
    /// Give a span another label (links the new label cannot have are
    /// removed, and counted).
    Retag {
        /// Project file.
        project: PathBuf,
        /// Span id.
        span: u64,
        /// The new label id.
        label: String,
    },
    /// Delete a span with its links and the events and notes that use it
    /// (it says what else went).
    Untag {
        /// Project file.
        project: PathBuf,
        /// Span id.
        span: u64,
    },
    /// Set a span's note; an empty TEXT clears it.
    Note {
        /// Project file.
        project: PathBuf,
        /// Span id.
        span: u64,
        /// The note.
        text: String,
    },
    /// Replace an article's text with a new version of it: every span
    /// follows its text (kept, moved or fuzzy) or becomes an orphan. Exit 0
    /// when nothing was orphaned, 1 otherwise.
    Retext {
        /// Project file.
        project: PathBuf,
        /// The article (id or exact title).
        #[arg(long)]
        doc: String,
        /// The new text (.txt, UTF-8; `-` reads standard input).
        text: PathBuf,
        /// Report only; save nothing.
        #[arg(long)]
        dry_run: bool,
        /// Print JSON: {"spans":[{"id","status","start","end","score"}]}.
        #[arg(long)]
        json: bool,
    },
    /// Delete a link.
    Unlink {
        /// Project file.
        project: PathBuf,
        /// Link id.
        link: u64,
    },
    /// Set a span's attribute; an empty VALUE clears it.
    Attr {
        /// Project file.
        project: PathBuf,
        /// Span id.
        span: u64,
        /// Attribute name, as the label declares it.
        key: String,
        /// The value ("" clears it; "true" sets a flag).
        value: String,
    },
    /// Link a span to another (e.g. a claim to its source); prints the link id.
    Link {
        /// Project file.
        project: PathBuf,
        /// Span id the link starts from (claim or figure).
        from: u64,
        /// Span id the link points to (source attribution).
        to: u64,
        /// Link type.
        #[arg(long = "type", default_value = ATTRIBUTED_TO)]
        kind: String,
    },
    /// Validate a project: exit 0 valid, 1 invalid, 2 unreadable.
    Check {
        /// Project files.
        #[arg(required = true)]
        projects: Vec<PathBuf>,
    },
    /// Find text in the articles; prints the matches (code points), exit 1
    /// when there are none.
    Search {
        /// Project file.
        project: PathBuf,
        /// Text to find (a regex with --regex).
        pattern: String,
        /// PATTERN is a regex.
        #[arg(long)]
        regex: bool,
        /// Match case exactly (plain text ignores case by default).
        #[arg(long)]
        case_sensitive: bool,
        /// Only this document (id or exact title).
        #[arg(long)]
        doc: Option<String>,
        /// Print JSON: {"matches":[{"document","start","end","text"}]}.
        #[arg(long)]
        json: bool,
    },
    /// Pattern suggestions for figures and source attributions (built-in
    /// rules and the project's own patterns).
    Suggest {
        /// Project file.
        project: PathBuf,
        /// Only this document (id or exact title).
        #[arg(long)]
        doc: Option<String>,
        /// Only suggestions of this label.
        #[arg(long)]
        label: Option<String>,
        /// Print JSON: {"suggestions":[{"document","label","start","end","text","rule"}]}.
        #[arg(long)]
        json: bool,
        /// Tag every suggestion (one undo step) and save.
        #[arg(long)]
        apply: bool,
        /// Print the built-in rules' precision and recall against this
        /// project's own figure and source spans.
        #[arg(long)]
        score: bool,
    },
    /// List the built-in suggestion rule sets, or turn some on or off (a
    /// project setting): money, percent, count, "number words", range,
    /// date, attribution.
    Rules {
        /// Project file.
        project: PathBuf,
        /// Turn this rule set on (repeatable).
        #[arg(long)]
        on: Vec<String>,
        /// Turn this rule set off (repeatable).
        #[arg(long)]
        off: Vec<String>,
    },
    /// Pairwise F1 agreement between annotators' projects (bratiaa's
    /// definitions): per label, per article and in total, as the mean and
    /// population SD over pairs, plus link agreement.
    Agree {
        /// Two or more project files, one per annotator.
        #[arg(required = true, num_args = 2..)]
        projects: Vec<PathBuf>,
        /// How spans are compared.
        #[arg(long, value_enum, default_value = "instance")]
        mode: team::ModeArg,
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Three-way merge of project versions: additions from both sides
    /// (renumbered so ids never collide), deletions applied, field-level
    /// changes combined. Conflicts are recorded in the output, with ours
    /// standing; exit 0 when clean, 1 with conflicts.
    Merge {
        /// The common ancestor.
        base: PathBuf,
        /// Our version.
        ours: PathBuf,
        /// Their version.
        theirs: PathBuf,
        /// Where to write the merged project.
        #[arg(short, long)]
        out: PathBuf,
    },
    /// git merge driver: `marginalia merge-driver %O %A %B` merges into %A;
    /// exit 0 when clean, 1 on conflicts (recorded in the file, which still
    /// opens).
    MergeDriver {
        /// The common ancestor (%O).
        base: PathBuf,
        /// Ours (%A); receives the result.
        ours: PathBuf,
        /// Theirs (%B).
        theirs: PathBuf,
    },
    /// Show documents, spans per label, links and spans per document.
    Stats {
        /// Project file.
        project: PathBuf,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Export spans: csv, json, jsonl, brat (a folder), w3c or html.
    Export {
        /// Project file.
        project: PathBuf,
        /// Output format.
        #[arg(long, value_enum)]
        format: ExportFormatArg,
        /// Output file (a folder for brat).
        #[arg(short = 'o', long = "output")]
        out: PathBuf,
        /// Only this document (id or exact title).
        #[arg(long)]
        doc: Option<String>,
        /// Only these labels (repeat or comma-separate).
        #[arg(long, value_delimiter = ',')]
        label: Vec<String>,
    },
    /// Import annotations (brat, jsonl or our json) into a project.
    Import {
        /// Project file (updated in place; the old one is kept as .bak).
        project: PathBuf,
        /// Input format.
        #[arg(long, value_enum)]
        format: ImportFormatArg,
        /// Input file (or brat folder).
        input: PathBuf,
    },
    /// Test hook: run the workbench headless, reading commands on stdin.
    #[cfg(feature = "gui")]
    #[command(hide = true)]
    Drive {
        /// Project to open.
        project: Option<PathBuf>,
    },
    /// List or change the label schema.
    Label {
        /// Project file.
        project: PathBuf,
        /// What to do.
        #[command(subcommand)]
        action: LabelAction,
    },
}

/// Label schema subcommands.
#[derive(Debug, Subcommand)]
pub enum LabelAction {
    /// List the labels.
    List,
    /// Add a label.
    Add {
        /// Label id (a-z, 0-9, _ or -).
        id: String,
        /// Display name.
        #[arg(long)]
        name: String,
        /// Colour as #rrggbb.
        #[arg(long, default_value = "#999999")]
        color: String,
        /// Hotkey that tags with this label in the GUI.
        #[arg(long)]
        key: Option<char>,
    },
    /// Remove a label together with its spans and their links.
    Remove {
        /// Label id.
        id: String,
    },
    /// Declare which labels a link type may connect (refused when an
    /// existing link would break the rule).
    Rule {
        /// Link type, e.g. attributed_to.
        link_type: String,
        /// Labels its links may start from (repeat or comma-separate; none: any).
        #[arg(long, value_delimiter = ',')]
        from: Vec<String>,
        /// Labels its links may end at (repeat or comma-separate; none: any).
        #[arg(long, value_delimiter = ',')]
        to: Vec<String>,
    },
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

/// `--format` of `export`: the CLI's names for [`ExportFormat`], kept here
/// so that the formats layer does not depend on clap.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportFormatArg {
    /// One row per span.
    Csv,
    /// The whole project as JSON.
    Json,
    /// doccano-style JSON lines.
    Jsonl,
    /// brat standoff folder.
    Brat,
    /// W3C Web Annotation JSON-LD.
    W3c,
    /// Standalone HTML report.
    Html,
}

impl From<ExportFormatArg> for ExportFormat {
    fn from(f: ExportFormatArg) -> Self {
        match f {
            ExportFormatArg::Csv => ExportFormat::Csv,
            ExportFormatArg::Json => ExportFormat::Json,
            ExportFormatArg::Jsonl => ExportFormat::Jsonl,
            ExportFormatArg::Brat => ExportFormat::Brat,
            ExportFormatArg::W3c => ExportFormat::W3c,
            ExportFormatArg::Html => ExportFormat::Html,
        }
    }
}

/// `--format` of `import`: the CLI's names for [`ImportFormat`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ImportFormatArg {
    /// brat standoff folder (or one .ann with its .txt).
    Brat,
    /// doccano JSONL (entities/relations, or the older label form).
    Jsonl,
    /// Marginalia's own JSON export.
    Json,
}

impl From<ImportFormatArg> for ImportFormat {
    fn from(f: ImportFormatArg) -> Self {
        match f {
            ImportFormatArg::Brat => ImportFormat::Brat,
            ImportFormatArg::Jsonl => ImportFormat::Jsonl,
            ImportFormatArg::Json => ImportFormat::Json,
        }
    }
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
            eprintln!("error: {:#}", e.error);
            ExitCode::from(e.code)
        }
    }
}

fn dispatch(cmd: Cmd) -> CliResult<u8> {
    match cmd {
        Cmd::New {
            project,
            name,
            texts,
        } => new(&project, name, &texts).map(|()| 0),
        Cmd::Add { project, texts } => add(&project, &texts).map(|()| 0),
        Cmd::Tag {
            project,
            doc,
            label,
            quote,
            occurrence,
            note,
            attrs,
        } => tag(&project, &doc, &label, &quote, occurrence, note, &attrs).map(|()| 0),
        Cmd::Attr {
            project,
            span,
            key,
            value,
        } => attr(&project, span, key, value).map(|()| 0),
        Cmd::Retag {
            project,
            span,
            label,
        } => retag(&project, span, &label).map(|()| 0),
        Cmd::Untag { project, span } => untag(&project, SpanId(span)).map(|()| 0),
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
        } => link(&project, from, to, kind).map(|()| 0),
        Cmd::Check { projects } => check(&projects),
        Cmd::Stats { project, json } => stats(&project, json).map(|()| 0),
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
        } => assist::suggest(
            &project,
            doc.as_deref(),
            label.as_deref(),
            json,
            apply,
            score,
        ),
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
        Cmd::Label { project, action } => label(&project, action).map(|()| 0),
        Cmd::Export {
            project,
            format,
            out,
            doc,
            label,
        } => export(&project, format.into(), &out, doc, label).map(|()| 0),
        Cmd::Import {
            project,
            format,
            input,
        } => import(&project, format.into(), &input),
        #[cfg(feature = "gui")]
        Cmd::Drive { project } => crate::ui::drive::run(project).map(|()| 0).map_err(unusable),
    }
}

/// Loads a project, printing warnings; failures are exit 2.
pub fn load(path: &Path) -> CliResult<Project> {
    let loaded = store::load(path).map_err(unusable)?;
    for w in &loaded.warnings {
        eprintln!("{}: {w}", path.display());
    }
    Ok(loaded.project)
}

fn save(project: &Project, path: &Path) -> CliResult {
    store::save(project, path)
        .with_context(|| format!("saving {}", path.display()))
        .map_err(unusable)
}

fn exec(project: &mut Project, command: Command) -> CliResult<crate::model::Created> {
    History::new()
        .execute(project, command)
        .map_err(|e| problem(anyhow!(e)))
}

fn import_all(paths: &[PathBuf]) -> CliResult<Vec<Command>> {
    paths
        .iter()
        .map(|p| {
            let t = import_file(p).map_err(unusable)?;
            Ok(Command::AddDocument {
                title: t.title,
                origin: t.origin,
                text: t.text,
            })
        })
        .collect()
}

fn new(path: &Path, name: Option<String>, texts: &[PathBuf]) -> CliResult {
    if path.exists() {
        return Err(unusable(anyhow!(
            "{} already exists; use `marginalia add` to add articles to it",
            path.display()
        )));
    }
    let name = name.unwrap_or_else(|| {
        path.file_stem()
            .map_or("Untitled project".into(), |s| s.to_string_lossy().into())
    });
    let mut project = Project::new(&name);
    let commands = import_all(texts)?;
    let created = exec(
        &mut project,
        Command::Group("add articles".into(), commands),
    )?;
    save(&project, path)?;
    say!(
        "created {} with {} document(s)",
        path.display(),
        created.documents.len()
    );
    Ok(())
}

fn add(path: &Path, texts: &[PathBuf]) -> CliResult {
    let mut project = load(path)?;
    let commands = import_all(texts)?;
    let created = exec(
        &mut project,
        Command::Group("add articles".into(), commands),
    )?;
    save(&project, path)?;
    for id in created.documents {
        if let Some(d) = project.document(id) {
            say!("added document {id}: {}", d.title);
        }
    }
    Ok(())
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

/// Char range of the N-th (1-based) occurrence of `quote` in `doc`.
pub fn find_quote(
    doc: &Document,
    quote: &str,
    occurrence: Option<usize>,
) -> anyhow::Result<(usize, usize)> {
    if quote.is_empty() {
        return Err(anyhow!("the quote is empty"));
    }
    let text = doc.text.as_str();
    let hits: Vec<usize> = text.match_indices(quote).map(|(b, _)| b).collect();
    let byte = match (hits.len(), occurrence) {
        (0, _) => {
            return Err(anyhow!(
                "quote {quote:?} does not occur in document {} ({})",
                doc.id,
                doc.title
            ));
        }
        (1, None) => hits[0],
        (n, None) => {
            return Err(anyhow!(
                "quote {quote:?} is ambiguous: it occurs {n} times in document {}; pass --occurrence 1..{n}",
                doc.id
            ));
        }
        (n, Some(k)) if k == 0 || k > n => {
            return Err(anyhow!(
                "--occurrence {k} is out of range: the quote occurs {n} time(s) in document {}",
                doc.id
            ));
        }
        (_, Some(k)) => hits[k - 1],
    };
    let start = doc.text.char_of(byte);
    Ok((start, start + quote.chars().count()))
}

fn tag(
    path: &Path,
    doc_key: &str,
    label: &str,
    quotes: &[String],
    occurrence: Option<usize>,
    note: Option<String>,
    attr_args: &[String],
) -> CliResult {
    let mut project = load(path)?;
    let doc = find_doc(&project, doc_key)?;
    let label = LabelId(label.into());
    if project.label(&label).is_none() {
        let known: Vec<&str> = project.labels().iter().map(|l| l.id.as_str()).collect();
        return Err(problem(anyhow!(
            "unknown label {label:?}; the schema has: {}",
            known.join(", ")
        )));
    }
    let mut fragments = Vec::new();
    for (i, quote) in quotes.iter().enumerate() {
        let fragment = match fragments.last() {
            None => find_quote(doc, quote, occurrence),
            Some(&(_, after)) => find_quote_after(doc, quote, after),
        };
        let f = fragment.map_err(|e| problem(anyhow!("quote {}: {e}", i + 1)))?;
        fragments.push(f);
    }
    let mut attrs = std::collections::BTreeMap::new();
    for a in attr_args {
        let Some((k, v)) = a.split_once('=') else {
            return Err(unusable(anyhow!("--attr {a:?} is not KEY=VALUE")));
        };
        attrs.insert(k.trim().to_string(), v.trim().to_string());
    }
    let doc = doc.id;
    if let Some(twin) = project.same_span(doc, &label, &fragments, None) {
        // Tagging it again would stack an identical twin that counts twice.
        if note.is_some() || !attrs.is_empty() {
            return Err(problem(anyhow!(
                "span {twin} already has this label and covers exactly this text; set its note or attributes with `note`/`attr` instead"
            )));
        }
        eprintln!(
            "marginalia: span {twin} already has this label and covers exactly this text; nothing added"
        );
        say!("{twin}");
        return Ok(());
    }
    let created = exec(
        &mut project,
        Command::AddSpanWith {
            doc,
            label,
            fragments,
            attrs,
            note,
            created: crate::clock::now_rfc3339(),
        },
    )?;
    save(&project, path)?;
    if let Some(id) = created.spans.first() {
        say!("{id}");
    }
    Ok(())
}

/// The first occurrence of `quote` starting at or after char `after`.
fn find_quote_after(doc: &Document, quote: &str, after: usize) -> anyhow::Result<(usize, usize)> {
    if quote.is_empty() {
        return Err(anyhow!("the quote is empty"));
    }
    let from = doc.text.byte_of(after);
    let byte = doc.text.as_str()[from..]
        .find(quote)
        .map(|b| from + b)
        .ok_or_else(|| {
            anyhow!(
                "quote {quote:?} does not occur after the previous one in document {}",
                doc.id
            )
        })?;
    let start = doc.text.char_of(byte);
    Ok((start, start + quote.chars().count()))
}

/// Loads, runs one command, saves.
fn edit(path: &Path, command: Command) -> CliResult<crate::model::Created> {
    let mut project = load(path)?;
    let created = exec(&mut project, command)?;
    save(&project, path)?;
    Ok(created)
}

fn retag(path: &Path, span: u64, label: &str) -> CliResult {
    let label = LabelId(label.into());
    let created = edit(path, Command::RetagSpan(SpanId(span), label))?;
    if !created.removed_links.is_empty() {
        say!(
            "removed {} link(s) that the new label cannot have",
            created.removed_links.len()
        );
    }
    Ok(())
}

/// Deletes a span and says what else went with it (events that used it,
/// links, notes), which `retag` likewise says of links.
fn untag(path: &Path, span: SpanId) -> CliResult {
    let created = edit(path, Command::RemoveSpan(span))?;
    if let Some(also) = created.removed.besides(&[span]) {
        say!("removed span {span}; also removed {also}");
    }
    Ok(())
}

/// Sets an attribute as an analyst writes it: "2,000" is stored as 2000, a
/// range "2,000–3,000" fills `value` and `value_max`.
fn attr(path: &Path, span: u64, key: String, value: String) -> CliResult {
    let mut project = load(path)?;
    let id = SpanId(span);
    let label = project
        .span(id)
        .and_then(|s| project.label(&s.label))
        .ok_or_else(|| problem(anyhow!("span {span} does not exist")))?;
    let values = match label.typed_values(&key, &value) {
        Ok(v) => v,
        // An undeclared name gets the model's own message.
        Err(_) if label.attribute(&key).is_none() => {
            vec![(
                key,
                Some(value.trim().to_string()).filter(|v| !v.is_empty()),
            )]
        }
        Err(e) => return Err(problem(anyhow!("span {span}: {e}"))),
    };
    let commands = values
        .into_iter()
        .map(|(k, v)| Command::SetAttr(id, k, v))
        .collect();
    exec(
        &mut project,
        Command::Group("set attributes".into(), commands),
    )?;
    save(&project, path)
}

fn link(path: &Path, from: u64, to: u64, kind: String) -> CliResult {
    let mut project = load(path)?;
    let created = exec(
        &mut project,
        Command::AddLink {
            from: SpanId(from),
            to: SpanId(to),
            kind,
        },
    )?;
    save(&project, path)?;
    if let Some(id) = created.links.first() {
        say!("{id}");
    }
    Ok(())
}

/// Checks each project; returns the worst exit code.
fn check(paths: &[PathBuf]) -> CliResult<u8> {
    let mut worst = 0;
    for path in paths {
        match store::check(path) {
            Ok(problems) => {
                let errors = problems
                    .iter()
                    .filter(|p| p.severity == Severity::Error)
                    .count();
                let conflicts = problems
                    .iter()
                    .filter(|p| p.severity == Severity::Conflict)
                    .count();
                for p in &problems {
                    say!("{}: {p}", path.display());
                }
                if errors > 0 {
                    say!("{}: invalid ({errors} error(s))", path.display());
                    worst = worst.max(1);
                } else if conflicts > 0 {
                    say!(
                        "{}: {conflicts} unsettled merge conflict(s); settle them in the window (Project → Conflicts)",
                        path.display()
                    );
                    worst = worst.max(1);
                } else {
                    say!("{}: ok", path.display());
                }
            }
            Err(e) => {
                eprintln!("error: {e}");
                worst = 2;
            }
        }
    }
    Ok(worst)
}

/// Summary numbers for `stats`.
#[derive(Debug, serde::Serialize)]
struct Stats {
    name: String,
    documents: usize,
    spans: usize,
    links: usize,
    spans_per_label: std::collections::BTreeMap<String, usize>,
    per_document: Vec<DocStats>,
}

#[derive(Debug, serde::Serialize)]
struct DocStats {
    id: DocId,
    title: String,
    chars: usize,
    spans: usize,
    spans_per_label: std::collections::BTreeMap<String, usize>,
}

fn stats(path: &Path, json: bool) -> CliResult {
    let project = load(path)?;
    let per_label = |doc: Option<DocId>| {
        project
            .counts_by_label(doc)
            .into_iter()
            .map(|(id, n)| (id.0.to_string(), n))
            .collect()
    };
    let s = Stats {
        name: project.name().to_string(),
        documents: project.documents().len(),
        spans: project.spans().len(),
        links: project.links().len(),
        spans_per_label: per_label(None),
        per_document: project
            .documents()
            .map(|d| DocStats {
                id: d.id,
                title: d.title.clone(),
                chars: d.text.char_len(),
                spans: project.span_count_in(d.id),
                spans_per_label: per_label(Some(d.id)),
            })
            .collect(),
    };
    if json {
        let text = serde_json::to_string_pretty(&s).map_err(|e| unusable(anyhow!(e)))?;
        say!("{text}");
        return Ok(());
    }
    say!("project:   {}", s.name);
    say!("documents: {}", s.documents);
    say!("spans:     {}", s.spans);
    for l in project.labels() {
        say!(
            "  {:<12} {:>5}  ({})",
            l.id.as_str(),
            s.spans_per_label.get(l.id.as_str()).unwrap_or(&0),
            l.name
        );
    }
    say!("links:     {}", s.links);
    for d in &s.per_document {
        let counts: Vec<String> = project
            .labels()
            .iter()
            .map(|l| {
                format!(
                    "{} {}",
                    d.spans_per_label.get(l.id.as_str()).unwrap_or(&0),
                    l.id
                )
            })
            .collect();
        say!(
            "document {}: {} spans ({}) in {} chars: {}",
            d.id,
            d.spans,
            counts.join(", "),
            d.chars,
            d.title
        );
    }
    Ok(())
}

fn label(path: &Path, action: LabelAction) -> CliResult {
    let mut project = load(path)?;
    match action {
        LabelAction::List => {
            for l in project.labels() {
                let key = l.hotkey.map_or("-".to_string(), |k| k.to_string());
                say!("{}\t{}\t{}\tkey {}", l.id, l.name, l.color, key);
            }
            for t in project.link_types() {
                say!("link {}\t{}", t.id, t.describe());
            }
            return Ok(());
        }
        LabelAction::Add {
            id,
            name,
            color,
            key,
        } => {
            let id = LabelId::new(&id).map_err(|e| unusable(anyhow!(e)))?;
            let color: Rgb = color.parse().map_err(|e: String| unusable(anyhow!(e)))?;
            // A command key would run the command and tag at once.
            #[cfg(feature = "gui")]
            if let Some(b) = key.and_then(crate::ui::commands::command_on_typed_key) {
                return Err(problem(anyhow!(
                    "key {:?} is the workbench's key for “{}”; choose another",
                    key.unwrap_or_default(),
                    b.title
                )));
            }
            exec(
                &mut project,
                Command::AddLabel(Label::new(id, &name, color, key)),
            )?;
        }
        LabelAction::Remove { id } => {
            exec(&mut project, Command::RemoveLabel(LabelId(id.into())))?;
        }
        LabelAction::Rule {
            link_type,
            from,
            to,
        } => {
            let ids = |v: Vec<String>| v.into_iter().map(|s| LabelId(s.trim().into())).collect();
            // Role names kept from an imported corpus stay.
            let roles = project.link_type(&link_type).and_then(|t| t.roles.clone());
            let rule = crate::model::LinkType {
                id: link_type,
                from: ids(from),
                to: ids(to),
                roles,
            };
            exec(&mut project, Command::SetLinkType(rule))?;
        }
    }
    save(&project, path)
}

fn export(
    path: &Path,
    format: ExportFormat,
    out: &Path,
    doc: Option<String>,
    labels: Vec<String>,
) -> CliResult {
    let project = load(path)?;
    let mut filter = crate::formats::Filter::default();
    if let Some(key) = doc {
        filter.doc = Some(find_doc(&project, &key)?.id);
    }
    if !labels.is_empty() {
        let mut set = std::collections::BTreeSet::new();
        for l in labels {
            let id = LabelId(l.trim().into());
            if project.label(&id).is_none() {
                return Err(problem(anyhow!("unknown label {:?}", id.as_str())));
            }
            set.insert(id);
        }
        filter.labels = Some(set);
    }
    let written = crate::formats::export(&project, format, out, &filter).map_err(unusable)?;
    say!(
        "wrote {} span(s) to {} file(s) under {}",
        written.spans,
        written.files.len(),
        out.display()
    );
    Ok(())
}

fn import(path: &Path, format: ImportFormat, input: &Path) -> CliResult<u8> {
    let mut project = load(path)?;
    let (command, report) = crate::formats::import(&project, format, input).map_err(unusable)?;
    exec(&mut project, command)?;
    save(&project, path)?;
    say!("{report}");
    Ok(u8::from(report.has_problems()))
}

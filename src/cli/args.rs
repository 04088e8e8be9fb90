//! The command line's arguments, as clap parses them.

use super::team::ModeArg;
use crate::formats::{ExportFormat, ImportFormat};
use crate::model::{ATTRIBUTED_TO, DocStatus};
use clap::{Parser, Subcommand};
use std::path::PathBuf;

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

/// How article files are read.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct ReadArgs {
    /// Read text in this encoding instead of detecting it (UTF-8,
    /// windows-1252, Shift_JIS, EUC-KR, GB18030…).
    #[arg(long, value_name = "NAME")]
    pub encoding: Option<String>,
    /// An EPUB as one article instead of one per chapter.
    #[arg(long)]
    pub whole_book: bool,
}

impl ReadArgs {
    /// As extraction options.
    pub fn options(&self) -> crate::formats::extract::Options {
        crate::formats::extract::Options {
            encoding: self.encoding.clone(),
            whole_book: self.whole_book,
        }
    }
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
        /// Article files: text in any common encoding, web pages, PDF,
        /// Word, OpenDocument, EPUB or Markdown (`-` reads standard input),
        /// or http(s) addresses to fetch.
        texts: Vec<PathBuf>,
        #[command(flatten)]
        read: ReadArgs,
    },
    /// Add articles (text in any common encoding, saved web pages, PDF,
    /// Word, OpenDocument, EPUB, Markdown; every one under a folder; or a
    /// page fetched from an http(s) address) to a project; texts it already
    /// has are skipped.
    Add {
        /// Project file.
        project: PathBuf,
        /// Article files, folders (read recursively) or http(s) addresses
        /// (`-` reads standard input).
        #[arg(required = true)]
        texts: Vec<PathBuf>,
        #[command(flatten)]
        read: ReadArgs,
    },
    /// Print the text extracted from a file (web page, PDF, Word,
    /// OpenDocument, EPUB, Markdown or text); touches no project.
    Extract {
        /// The file, or an http(s) address to fetch.
        file: PathBuf,
        /// One JSON object: text, title, author, published, url, site,
        /// language, format, encoding, sha256 (missing ones null).
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        read: ReadArgs,
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
        /// Only learned suggestions (a tagger per label, trained on the
        /// annotated articles).
        #[arg(long)]
        learned: bool,
        /// Show learned suggestions at least this sure (0 to 1) instead of
        /// each label's threshold; 0 gives the taggers' best guesses.
        #[arg(long, value_name = "S")]
        min_score: Option<f32>,
    },
    /// Train a tagger per span label on the annotated articles (done, or
    /// imported) and print its held-out precision, recall and F1, and the
    /// threshold at which its suggestions are at least 85% precise.
    Learn {
        /// Project file.
        project: PathBuf,
        /// Only these labels (repeat; default: every label with enough
        /// spans).
        #[arg(long)]
        label: Vec<String>,
        /// Print JSON: {"labels": [{"label", "train_docs", "train_spans",
        /// "precision", "recall", "f1", "threshold", "train_ms", "tags"}]}
        /// ("tags": the tag set chosen on held-out articles, BIO or BILOU).
        #[arg(long)]
        json: bool,
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
        mode: ModeArg,
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
    /// Print an article's status, or set it: new, in-progress, done or
    /// skipped.
    Status {
        /// Project file.
        project: PathBuf,
        /// Article id or exact title.
        doc: String,
        /// The status to set (without it, the status is printed).
        status: Option<StatusArg>,
    },
    /// Show documents, spans per label, links and spans per document.
    Stats {
        /// Project file.
        project: PathBuf,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Export spans: csv, json, jsonl, brat (a folder), w3c, html or schemaorg.
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
    /// The sourcing analysis: unsourced claims, anonymous-only claims,
    /// single-source claims, distinct sources per article, kinds, the top
    /// sources and the editorial checks.
    Sources {
        /// Project file.
        project: PathBuf,
        /// Only this article (id or exact title).
        #[arg(long)]
        doc: Option<String>,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// List or change the source registry.
    Source {
        /// Project file.
        project: PathBuf,
        /// What to do.
        #[command(subcommand)]
        action: SourceAction,
    },
    /// List or change the label schema.
    Label {
        /// Project file.
        project: PathBuf,
        /// What to do.
        #[command(subcommand)]
        action: LabelAction,
    },
    /// Print a shell completion script (e.g. `marginalia completions bash
    /// > ~/.local/share/bash-completion/completions/marginalia`).
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff), one page covering every subcommand
    /// (`marginalia manpage | man -l -`).
    Manpage,
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
    /// Mark a link type, or an event type with its roles, as attribution:
    /// its content (the link's start, or the --content role) rests on its
    /// source (the link's end, or the --source role; an event type without
    /// --source records attributions with no source).
    Attribution {
        /// Link type or event type, e.g. attributed_to or Attribution.
        #[arg(value_name = "TYPE")]
        relation: String,
        /// For an event type: the role of the content.
        #[arg(long)]
        content: Option<String>,
        /// For an event type: the role of the source.
        #[arg(long)]
        source: Option<String>,
    },
    /// Set which labels are claims, figures or sources (or none of these).
    Role {
        /// Label id.
        label: String,
        /// claim, figure, source or none.
        role: String,
    },
}

/// Source registry subcommands.
#[derive(Debug, Subcommand)]
pub enum SourceAction {
    /// List the entries with their mentions.
    List {
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Add an entry; prints its id.
    Add {
        /// Canonical name.
        name: String,
        /// named, described or anonymous.
        #[arg(long)]
        identification: String,
        /// official, organisation, expert, participant, document, media,
        /// social-media, observation or other.
        #[arg(long)]
        kind: String,
        /// Another name it goes by (repeat for more).
        #[arg(long)]
        alias: Vec<String>,
        /// Wikidata id, e.g. Q42.
        #[arg(long)]
        wikidata: Option<String>,
        /// Who it works for or belongs to.
        #[arg(long)]
        affiliation: Option<String>,
    },
    /// Make a source span mention an entry.
    Assign {
        /// Span id.
        span: u64,
        /// Registry entry id.
        source_id: u64,
    },
    /// Merge one entry into another (its mentions move; its names become aliases).
    Merge {
        /// The entry that goes.
        source_id: u64,
        /// The entry that stays.
        into_id: u64,
    },
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
    /// schema.org Claim and ClaimReview JSON-LD (for fact-checkers).
    Schemaorg,
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
            ExportFormatArg::Schemaorg => ExportFormat::Schemaorg,
        }
    }
}

/// An article's status as the command line spells it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum StatusArg {
    /// Not touched yet.
    New,
    /// Edited, not finished.
    InProgress,
    /// Finished.
    Done,
    /// Left out on purpose.
    Skipped,
}

impl From<StatusArg> for DocStatus {
    fn from(s: StatusArg) -> Self {
        match s {
            StatusArg::New => DocStatus::New,
            StatusArg::InProgress => DocStatus::InProgress,
            StatusArg::Done => DocStatus::Done,
            StatusArg::Skipped => DocStatus::Skipped,
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

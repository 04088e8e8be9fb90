//! `marginalia-perf`: measures the workbench on a synthetic corpus and
//! compares it with the naive one-LayoutJob view, side by side in one run.
//!
//! `cargo run --release --bin marginalia-perf -- [--text-mb N] [--spans N] [--json]`

// A measuring tool on generated data, not a data path: a missing workspace
// or view here is a bug in the harness itself (see RELIABILITY.md).
#![allow(clippy::expect_used)]

use clap::Parser;
use egui::text::{LayoutJob, TextFormat};
use marginalia::formats::{self, ExportFormat, Filter};
use marginalia::model::{
    ATTRIBUTED_TO, DocId, Document, Edit, History, LabelId, Link, LinkId, Project, Span, SpanId,
};
use marginalia::ui::app::{App, AppOptions};
use marginalia::ui::commands::UiCommand;
use marginalia::ui::files::AppDirs;
use marginalia::ui::workspace::Workspace;
use serde_json::{Map, Value, json};
use std::sync::Arc;
use std::time::{Duration, Instant};

#[derive(Parser)]
#[command(about = "Measure Marginalia's frame, edit, load, save and export times")]
struct Args {
    /// Size of the synthetic document in MB.
    #[arg(long, default_value_t = 10.0)]
    text_mb: f64,
    /// Number of spans.
    #[arg(long, default_value_t = 100_000)]
    spans: usize,
    /// Spread the text and spans over this many articles.
    #[arg(long, default_value_t = 1)]
    docs: usize,
    /// Seed of the corpus generator.
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// Print one flat JSON object.
    #[arg(long)]
    json: bool,
    /// Internal: load this project, scroll, edit and save it, and print the
    /// peak RSS in MB (run in a fresh child process).
    #[arg(long, hide = true)]
    rss_probe: Option<std::path::PathBuf>,
    /// Internal: open this project file three times and print each time
    /// in ms (for profiles of loading).
    #[arg(long, hide = true)]
    time_load: Option<std::path::PathBuf>,
    /// Write the synthetic project (of --text-mb and --spans) to this path
    /// and exit: for opening it in the app, or heap profiles.
    #[arg(long)]
    write_project: Option<std::path::PathBuf>,
    /// Score article extraction on the ScrapingHub benchmark in this
    /// folder (`ground-truth.json`, `html/`) and print the figures.
    #[arg(long)]
    aeb: Option<std::path::PathBuf>,
    /// Train learned taggers on PolNeAR's `train/` (its first 10, 20, 100
    /// articles and all) and score them on `dev/`: exact span F1 per label,
    /// training and tagging times, and the precision at the chosen
    /// threshold.
    #[arg(long)]
    learn_polnear: Option<std::path::PathBuf>,
    /// With --learn-polnear: the numbers of training articles to try
    /// (0 means all of them).
    #[arg(long, value_delimiter = ',', default_values_t = [10usize, 20, 100, 0])]
    learn_sizes: Vec<usize>,
    /// Time the sourcing analysis on PolNeAR (`train/` and `dev/` of this
    /// folder in one project) and print the figures (`sources_ms`).
    #[arg(long)]
    polnear: Option<std::path::PathBuf>,
    /// Internal: only the many-articles measures (for profiles of them).
    #[arg(long, hide = true)]
    only_corpus: bool,
    /// Scroll frames sampled for the naive baseline (each can take long).
    #[arg(long, default_value_t = 40)]
    naive_frames: usize,
}

/// Tiny deterministic generator (SplitMix64).
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

const EN: [&str; 24] = [
    "workers",
    "factory",
    "source",
    "told",
    "Daily",
    "NK",
    "officials",
    "China",
    "border",
    "quarantine",
    "reportedly",
    "the",
    "and",
    "of",
    "were",
    "said",
    "restaurant",
    "trade",
    "companies",
    "wages",
    "loyalty",
    "fund",
    "Pyongyang",
    "authorities",
];
const KO: [&str; 10] = [
    "북한",
    "노동자",
    "중국",
    "소식통",
    "데일리NK",
    "공장",
    "식당",
    "무역",
    "당국",
    "격리",
];

/// Paragraphs of mixed English, Korean and numbers, about `bytes` long.
fn corpus(bytes: usize, rng: &mut Rng) -> String {
    let mut s = String::with_capacity(bytes + 1024);
    while s.len() < bytes {
        let words = 40 + rng.below(100);
        for w in 0..words {
            if w > 0 {
                s.push(' ');
            }
            match rng.below(10) {
                0 | 1 => s.push_str(KO[rng.below(KO.len())]),
                2 => s.push_str(&format!("RMB {}", rng.below(5000))),
                3 if rng.below(3) == 0 => s.push_str(&format!("{}%", rng.below(100))),
                _ => s.push_str(EN[rng.below(EN.len())]),
            }
        }
        s.push_str(".\n");
        if rng.below(3) == 0 {
            s.push('\n');
        }
    }
    s
}

/// A project with one document and `n` overlapping spans plus links.
fn project(mb: f64, n: usize, seed: u64) -> Project {
    corpus_project(mb, n, seed, 1)
}

/// A project of `docs` articles sharing `mb` of text and `n` overlapping
/// spans (claims linked to sources in their own article).
fn corpus_project(mb: f64, n: usize, seed: u64, docs: usize) -> Project {
    let docs = docs.max(1);
    let mut rng = Rng(seed);
    let mut p = Project::new("perf");
    let per_doc = (mb * 1_000_000.0) as usize / docs;
    let labels = ["claim", "figure", "source"];
    let mut next_span = 1u64;
    let mut next_link = 1u64;
    for d in 0..docs {
        let text = corpus(per_doc.max(200), &mut rng);
        let title = if docs == 1 {
            "Synthetic".to_string()
        } else {
            let words: Vec<&str> = (0..3).map(|_| EN[rng.below(EN.len())]).collect();
            format!("Report {:05}: {}", d + 1, words.join(" "))
        };
        let id = DocId(d as u64 + 1);
        let doc = Document::new(
            id,
            &title,
            Some(format!("feed/report-{:05}.txt", d + 1)),
            &text,
        );
        let len = doc.text.char_len();
        let _ = p.apply(Edit::InsertDocument(doc));
        let here = n / docs + usize::from(d < n % docs);
        let mut sources = Vec::new();
        let mut claims = Vec::new();
        for i in 0..here {
            let start = rng.below(len.saturating_sub(250).max(1));
            let end = (start + 5 + rng.below(if i % 3 == 0 { 200 } else { 40 })).min(len);
            let label = labels[i % 3];
            let span_id = SpanId(next_span);
            next_span += 1;
            let span = Span::new(
                span_id,
                id,
                LabelId(label.into()),
                start..end.max(start + 1).min(len),
                (i % 10 == 0).then(|| "checked".to_string()),
                "2026-11-23T00:00:00Z",
            );
            if p.apply(Edit::InsertSpan(span)).is_ok() {
                match label {
                    "source" => sources.push(span_id),
                    "claim" => claims.push(span_id),
                    _ => {}
                }
            }
        }
        for from in claims.iter().take(here / 4) {
            if sources.is_empty() {
                break;
            }
            let to = sources[rng.below(sources.len())];
            let _ = p.apply(Edit::InsertLink(Link {
                id: LinkId(next_link),
                from: *from,
                to,
                kind: ATTRIBUTED_TO.into(),
            }));
            next_link += 1;
        }
    }
    p
}

const SCREEN: egui::Vec2 = egui::vec2(1400.0, 900.0);

fn input() -> egui::RawInput {
    egui::RawInput {
        screen_rect: Some(egui::Rect::from_min_size(egui::Pos2::ZERO, SCREEN)),
        ..Default::default()
    }
}

/// One frame of the real workbench: UI pass plus tessellation, in ms.
fn frame(ctx: &egui::Context, app: &mut App) -> f64 {
    let t = Instant::now();
    let c = ctx.clone();
    let mut out = ctx.run_ui(input(), |ui| app.frame(&c, ui));
    let prims = ctx.tessellate(std::mem::take(&mut out.shapes), out.pixels_per_point);
    std::hint::black_box(prims);
    out.textures_delta.clear();
    t.elapsed().as_secs_f64() * 1000.0
}

#[derive(Default, Clone, Copy)]
struct Stats {
    p50: f64,
    p95: f64,
    p99: f64,
    max: f64,
    n: usize,
}

fn stats(mut v: Vec<f64>) -> Stats {
    if v.is_empty() {
        return Stats::default();
    }
    v.sort_by(|a, b| a.total_cmp(b));
    let q = |p: f64| v[((v.len() - 1) as f64 * p).round() as usize];
    Stats {
        p50: q(0.5),
        p95: q(0.95),
        p99: q(0.99),
        max: v[v.len() - 1],
        n: v.len(),
    }
}

fn workbench(project: Project) -> (egui::Context, App) {
    let ctx = egui::Context::default();
    let mut app = App::new(
        &ctx,
        AppOptions {
            open: None,
            native_dialogs: false,
            dirs: AppDirs {
                config: None,
                data: None,
            },
            autosave_interval: Duration::from_secs(5),
            reopen_last: false,
            learn_gate: None,
        },
    );
    app.ws = Some(Workspace::new(project, None));
    (ctx, app)
}

struct ScrollResult {
    scroll: Stats,
    jump: Stats,
    first_frame_ms: f64,
    frames: usize,
}

/// Scrolls the real workbench from top to bottom at 300 px per frame, then
/// jumps to random spans.
fn scroll_workbench(
    project: Project,
    jumps: usize,
    seed: u64,
) -> (ScrollResult, egui::Context, App) {
    // The spans to jump to, chosen now: the first is the last span, the
    // rest at random. (Only these ids are kept: a list of every span's id
    // would add the harness's own megabytes to the session's peak RSS.)
    let n_spans = project.spans().len();
    let mut rng = Rng(seed ^ 0x5eed);
    let picks: Vec<usize> = (0..jumps)
        .map(|i| {
            if i == 0 {
                n_spans.saturating_sub(1)
            } else {
                rng.below(n_spans)
            }
        })
        .collect();
    let wanted: std::collections::BTreeSet<usize> = picks.iter().copied().collect();
    let found: std::collections::HashMap<usize, SpanId> = project
        .spans()
        .enumerate()
        .filter(|(i, _)| wanted.contains(i))
        .map(|(i, s)| (i, s.id))
        .collect();
    let jump_ids: Vec<SpanId> = picks.iter().filter_map(|i| found.get(i).copied()).collect();
    drop((wanted, found));
    let (ctx, mut app) = workbench(project);
    // The window is up before a project opens (the start screen): warm it
    // without the project, then time the project's first frame.
    let ws = app.ws.take();
    frame(&ctx, &mut app);
    frame(&ctx, &mut app);
    let t = Instant::now();
    app.ws = ws;
    frame(&ctx, &mut app);
    let first_frame_ms = ms(t);
    frame(&ctx, &mut app);
    // Suggestions show by default on articles (not on book-length
    // texts); where they show, they are made in the background: measure
    // with them in place.
    let waiting = Instant::now();
    while app
        .ws
        .as_ref()
        .is_some_and(|w| w.suggestions_shown() && !w.suggestions.ready())
        && waiting.elapsed() < Duration::from_secs(120)
    {
        std::thread::sleep(Duration::from_millis(20));
        frame(&ctx, &mut app);
    }
    let mut times = Vec::new();
    let mut offset = 0.0f32;
    loop {
        offset += 300.0;
        let total = {
            let view = app
                .ws
                .as_mut()
                .and_then(|w| w.current_view())
                .expect("view");
            view.set_scroll_offset(offset);
            view.content_height()
        };
        times.push(frame(&ctx, &mut app));
        if offset > total {
            break;
        }
    }
    let frames = times.len();
    let scroll = stats(times);
    let mut jump_times = Vec::new();
    for id in jump_ids {
        let ws = app.ws.as_mut().expect("ws");
        ws.select_span(id);
        jump_times.push(frame(&ctx, &mut app));
    }
    (
        ScrollResult {
            scroll,
            jump: stats(jump_times),
            first_frame_ms,
            frames,
        },
        ctx,
        app,
    )
}

/// The naive view: the whole text as one LayoutJob with background
/// sections in a ScrollArea.
fn naive_job(project: &Project) -> LayoutJob {
    let doc = project.document(DocId(1)).expect("doc");
    let text = doc.text.as_str();
    let mut job = LayoutJob::default();
    let mut cuts: Vec<usize> = project
        .spans_in(DocId(1))
        .flat_map(|s| [s.start, s.end])
        .collect();
    cuts.push(0);
    cuts.push(doc.text.char_len());
    cuts.sort_unstable();
    cuts.dedup();
    let font = egui::FontId::proportional(16.0);
    let mut active = project.spans_in(DocId(1)).peekable();
    let mut open: Vec<&Span> = Vec::new();
    for w in cuts.windows(2) {
        let (a, b) = (w[0], w[1]);
        while let Some(s) = active.peek() {
            if s.start <= a {
                open.push(active.next().expect("peeked"));
            } else {
                break;
            }
        }
        open.retain(|s| s.end > a);
        let bg = open
            .last()
            .and_then(|s| project.label(&s.label))
            .map_or(egui::Color32::TRANSPARENT, |l| {
                egui::Color32::from_rgba_unmultiplied(l.color.0, l.color.1, l.color.2, 70)
            });
        let r = doc.text.byte_range(a..b);
        job.append(
            &text[r],
            0.0,
            TextFormat {
                font_id: font.clone(),
                background: bg,
                ..Default::default()
            },
        );
    }
    job.wrap.max_width = 900.0;
    job
}

fn naive_frame(ctx: &egui::Context, job: &Arc<LayoutJob>, offset: f32) -> f64 {
    let t = Instant::now();
    let mut out = ctx.run_ui(input(), |ui| {
        egui::CentralPanel::default().show(ui, |ui| {
            egui::ScrollArea::vertical()
                .vertical_scroll_offset(offset)
                .show(ui, |ui| {
                    ui.label(egui::WidgetText::LayoutJob(job.clone()));
                });
        });
    });
    let prims = ctx.tessellate(std::mem::take(&mut out.shapes), out.pixels_per_point);
    std::hint::black_box(prims);
    out.textures_delta.clear();
    t.elapsed().as_secs_f64() * 1000.0
}

fn peak_rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

/// Records a number rounded to 3 decimals.
fn put(out: &mut Out, k: &str, v: f64) {
    out.insert(k.to_string(), json!((v * 1000.0).round() / 1000.0));
}

fn ms(t: Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1000.0
}

/// A realistic session in a fresh process: open the file, scroll to the
/// end, jump, tag, save. Prints the peak RSS in MB.
fn rss_probe(path: &std::path::Path) -> anyhow::Result<()> {
    let project = marginalia::store::load(path)?.project;
    let (r, ctx, mut app) = scroll_workbench(project, 20, 1);
    std::hint::black_box(r.frames);
    app.run(
        &ctx,
        UiCommand::TagRange {
            doc: DocId(1),
            label: LabelId("figure".into()),
            start: 10,
            end: 20,
        },
    );
    frame(&ctx, &mut app);
    let ws = app.ws.as_ref().expect("ws");
    marginalia::store::save(&ws.project, &path.with_extension("probe.ron"))?;
    println!("{}", peak_rss_mb());
    Ok(())
}

/// Timings, sizes and counts, by key: what `--json` prints.
type Out = Map<String, Value>;

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    if let Some(path) = &args.rss_probe {
        return rss_probe(path);
    }
    if let Some(path) = &args.time_load {
        return time_load(path);
    }
    if let Some(dir) = &args.aeb {
        let report = marginalia::formats::extract::benchmark::run(dir)?;
        println!("{}", serde_json::to_string(&report)?);
        return Ok(());
    }
    if let Some(dir) = &args.learn_polnear {
        let out = measure_learning(dir, &args.learn_sizes)?;
        println!("{}", Value::Object(out));
        return Ok(());
    }
    if let Some(dir) = &args.polnear {
        let out = measure_sources(dir)?;
        println!("{}", Value::Object(out));
        return Ok(());
    }
    if let Some(path) = &args.write_project {
        let p = corpus_project(args.text_mb, args.spans, args.seed, args.docs);
        return marginalia::store::save(&p, path).map_err(Into::into);
    }
    let mut out = Out::new();
    put(&mut out, "text_mb", args.text_mb);
    put(&mut out, "spans", args.spans as f64);
    let started = Instant::now();
    measure_flatness(&mut out, &args);

    let t = Instant::now();
    let p = corpus_project(args.text_mb, args.spans, args.seed, args.docs);
    put(&mut out, "generate_ms", ms(t));
    put(&mut out, "docs", p.documents().len() as f64);
    if args.only_corpus {
        measure_corpus(&mut out, &p, args.seed);
        println!("{}", Value::Object(out));
        return Ok(());
    }
    let text = p.document(DocId(1)).map(|d| d.text.as_str()).unwrap_or("");
    let text_len = text.chars().count();
    put(
        &mut out,
        "paragraphs_est",
        text.matches('\n').count() as f64,
    );

    let edit_range = measure_workbench(&mut out, &p, args.seed);
    let dir = std::env::temp_dir().join(format!("marginalia-perf-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let ron_path = measure_load_and_save(&mut out, &p, &dir)?;
    measure_exports(&mut out, &p, &dir)?;
    measure_find_and_suggest(&mut out, &p);
    measure_corpus_fresh(&mut out, &args)?;
    measure_team(&mut out, &p);
    measure_retext(&mut out, &p);
    let text_mb_actual = p.documents().map(|d| d.text.as_str().len()).sum::<usize>() as f64 / 1e6;
    measure_rss(&mut out, &ron_path, text_mb_actual)?;
    measure_naive(&mut out, &p, args.naive_frames, edit_range);
    let _ = std::fs::remove_dir_all(&dir);
    put(&mut out, "total_s", started.elapsed().as_secs_f64());
    put(&mut out, "text_chars", text_len as f64);
    put_ratios(&mut out);
    if args.json {
        println!("{}", Value::Object(out));
    } else {
        println!(
            "Marginalia perf: {:.1} MB, {} spans, {} chars",
            args.text_mb, args.spans, text_len
        );
        for (k, v) in &out {
            println!("  {k:<24} {v}");
        }
    }
    Ok(())
}

/// Gold spans of a brat `.ann`: (label, start, end) of its one-fragment
/// `T` lines.
fn ann_spans(ann: &str) -> Vec<(String, usize, usize)> {
    ann.lines()
        .filter(|l| l.starts_with('T'))
        .filter_map(|l| {
            let mid = l.split('\t').nth(1)?;
            let mut parts = mid.split(' ');
            let label = parts.next()?.to_string();
            let start = parts.next()?.parse().ok()?;
            let end = parts.next()?.parse().ok()?;
            (parts.next().is_none()).then_some((label, start, end))
        })
        .collect()
}

/// Learned taggers on PolNeAR: train on the first N training articles,
/// score every dev article by exact span match.
fn measure_learning(dir: &std::path::Path, sizes: &[usize]) -> anyhow::Result<Out> {
    use marginalia::assist::learn::features::featurize;
    use marginalia::assist::learn::{self, FeatureCache, choose_threshold};
    use marginalia::model::{History, LabelId, Project};
    let mut out = Out::new();
    let mut p = Project::with_labels("PolNeAR", Vec::new());
    let (command, _) = marginalia::formats::import(
        &p,
        marginalia::formats::ImportFormat::Brat,
        &dir.join("train"),
    )?;
    History::new().execute(&mut p, command)?;
    let docs = learn::training_docs(&p);
    // The dev articles and their gold spans.
    let mut dev = Vec::new();
    let mut names: Vec<_> = std::fs::read_dir(dir.join("dev"))?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "ann"))
        .collect();
    names.sort();
    for ann in names {
        let text = std::fs::read_to_string(ann.with_extension("txt"))?;
        let text = marginalia::model::text::normalize_newlines(&text).into_owned();
        let gold = ann_spans(&std::fs::read_to_string(&ann)?);
        dev.push((featurize(&text), gold));
    }
    put(&mut out, "dev_articles", dev.len() as f64);
    // Gold spans whose ends fall on token boundaries (the most an exact
    // match can find).
    for label in ["Source", "Cue", "Content"] {
        let (mut aligned, mut all) = (0usize, 0usize);
        for (f, gold) in &dev {
            for g in gold.iter().filter(|g| g.0 == label) {
                all += 1;
                let starts = f.tokens.iter().any(|t| t.start == g.1);
                let ends = f.tokens.iter().any(|t| t.end == g.2);
                aligned += usize::from(starts && ends);
            }
        }
        put(
            &mut out,
            &format!("{label}_gold_token_aligned_pct"),
            (aligned as f64 / all.max(1) as f64 * 1000.0).round() / 10.0,
        );
    }
    let mut cache = FeatureCache::default();
    let t = Instant::now();
    for d in &docs {
        cache.get(&p, *d);
    }
    put(&mut out, "featurize_train_ms", ms(t));
    for n in sizes.iter().map(|n| if *n == 0 { docs.len() } else { *n }) {
        let train_docs = &docs[..n.min(docs.len())];
        // The project as an analyst would have it: the first n articles
        // annotated, the rest skipped.
        let mut sub = p.clone();
        let keep: std::collections::BTreeSet<_> = train_docs.iter().copied().collect();
        let drop: Vec<_> = sub
            .documents()
            .map(|d| d.id)
            .filter(|d| !keep.contains(d))
            .collect();
        for d in drop {
            sub.apply(marginalia::model::Edit::SetDocumentStatus(
                d,
                marginalia::model::DocStatus::Skipped,
            ))?;
        }
        let labels: Vec<LabelId> = ["Source", "Cue", "Content"]
            .iter()
            .map(|l| LabelId((*l).into()))
            .collect();
        let t = Instant::now();
        let learned = learn::learn(&sub, &labels, &mut cache);
        put(&mut out, &format!("learn_{n}_ms"), ms(t));
        for (tagger, report) in &learned {
            let label = report.label.as_str();
            let (mut right, mut guessed, mut gold_n) = (0usize, 0usize, 0usize);
            let mut guesses: Vec<(f32, bool)> = Vec::new();
            let t = Instant::now();
            for (f, gold) in &dev {
                let gold: std::collections::BTreeSet<(usize, usize)> = gold
                    .iter()
                    .filter(|g| g.0 == label)
                    .map(|g| (g.1, g.2))
                    .collect();
                gold_n += gold.len();
                for (a, b, c) in tagger.tag(f) {
                    guessed += 1;
                    let ok = gold.contains(&(a, b));
                    right += usize::from(ok);
                    guesses.push((c, ok));
                }
            }
            let tag_ms = ms(t) / dev.len().max(1) as f64;
            let prec = right as f64 / guessed.max(1) as f64;
            let rec = right as f64 / gold_n.max(1) as f64;
            let f1 = if prec + rec > 0.0 {
                2.0 * prec * rec / (prec + rec)
            } else {
                0.0
            };
            let key = format!("{label}_{n}");
            let pct = |x: f64| (x * 1000.0).round() / 10.0;
            put(&mut out, &format!("{key}_f1"), pct(f1));
            put(&mut out, &format!("{key}_p"), pct(prec));
            put(&mut out, &format!("{key}_r"), pct(rec));
            put(&mut out, &format!("{key}_train_ms"), report.train_ms);
            put(&mut out, &format!("{key}_bias"), f64::from(report.bias));
            // 1: BILOU tags were chosen on the held-out articles, 0: BIO.
            let bilou = report.scheme == learn::perceptron::Scheme::Bilou;
            put(
                &mut out,
                &format!("{key}_bilou"),
                f64::from(u8::from(bilou)),
            );
            put(&mut out, &format!("{key}_tag_ms_per_article"), tag_ms);
            put(
                &mut out,
                &format!("{key}_heldout_f1"),
                pct(f64::from(report.f1.unwrap_or(0.0))),
            );
            match report.threshold {
                Some(th) => {
                    let shown: Vec<_> = guesses.iter().filter(|g| g.0 >= th).collect();
                    let ok = shown.iter().filter(|g| g.1).count();
                    put(&mut out, &format!("{key}_threshold"), f64::from(th));
                    put(&mut out, &format!("{key}_shown"), shown.len() as f64);
                    put(
                        &mut out,
                        &format!("{key}_shown_precision"),
                        pct(ok as f64 / shown.len().max(1) as f64),
                    );
                    put(
                        &mut out,
                        &format!("{key}_shown_of_gold"),
                        pct(shown.len() as f64 / gold_n.max(1) as f64),
                    );
                }
                None => {
                    eprintln!("{key}: {}", report.why.clone().unwrap_or_default());
                    put(&mut out, &format!("{key}_threshold"), -1.0)
                }
            }
            // How well confidence ranks: the most confident tenth's
            // precision on dev.
            let mut ranked = guesses.clone();
            ranked.sort_by(|a, b| b.0.total_cmp(&a.0));
            let top = &ranked[..ranked.len().div_ceil(10)];
            put(
                &mut out,
                &format!("{key}_top_tenth_precision"),
                pct(top.iter().filter(|g| g.1).count() as f64 / top.len().max(1) as f64),
            );
            let _ = choose_threshold(&guesses);
        }
    }
    Ok(out)
}

/// The sourcing analysis on PolNeAR's training and development articles in
/// one project: the whole analysis (`sources_ms`, best of five), and after
/// one edit the main-thread time to bring a kept analysis up to date
/// (`sources_edit_ms`: the touched article again, then the combination).
fn measure_sources(dir: &std::path::Path) -> anyhow::Result<Out> {
    use marginalia::analysis::sourcing::{Cache, analyse};
    use marginalia::model::{Attribution, Command, Edit, History, Project};
    let mut out = Out::new();
    let mut p = Project::with_labels("PolNeAR", Vec::new());
    let mut h = History::new();
    let t = Instant::now();
    for part in ["train", "dev"] {
        let (command, _) = marginalia::formats::import(
            &p,
            marginalia::formats::ImportFormat::Brat,
            &dir.join(part),
        )?;
        h.execute(&mut p, command)?;
    }
    put(&mut out, "import_ms", ms(t));
    let sourcing = p
        .sourcing()
        .clone()
        .with_attribution(Attribution {
            relation: "Attribution".into(),
            content: Some("Content".into()),
            source: Some("Source".into()),
        })
        .with_attribution(Attribution {
            relation: "Attribution-no-source".into(),
            content: Some("Content".into()),
            source: None,
        });
    h.execute(
        &mut p,
        Command::Edits("roles".into(), vec![Edit::SetSourcing(sourcing)]),
    )?;
    let mut best = f64::MAX;
    let mut claims = 0;
    for _ in 0..5 {
        let t = Instant::now();
        let a = analyse(&p);
        best = best.min(ms(t));
        claims = a.totals.claims;
    }
    put(&mut out, "articles", p.documents().len() as f64);
    put(&mut out, "claims", claims as f64);
    put(&mut out, "sources_ms", best);
    let mut cache = Cache::default();
    let t = Instant::now();
    cache.refresh(&p, std::time::Duration::from_secs(60));
    put(&mut out, "sources_cache_fill_ms", ms(t));
    // One edit: a source span's mention cleared and set back.
    let span = p
        .spans()
        .find(|s| s.label.as_str() == "Source")
        .map(|s| s.id)
        .ok_or_else(|| anyhow::anyhow!("no Source span in {}", dir.display()))?;
    let entry = marginalia::model::SourceEntry::new(
        marginalia::model::SourceId(0),
        "a probe",
        marginalia::model::Identification::Named,
        marginalia::model::SourceKind::Other,
    );
    let (id, add) = marginalia::model::registry::add(&p, entry);
    h.execute(&mut p, add)?;
    cache.refresh(&p, std::time::Duration::from_secs(60));
    let mut times = Vec::new();
    for k in 0..20 {
        let assign = marginalia::model::registry::assign(&p, span, (k % 2 == 0).then_some(id));
        h.execute(&mut p, assign)?;
        let t = Instant::now();
        let fresh = cache.refresh(&p, std::time::Duration::from_millis(6));
        times.push(ms(t));
        anyhow::ensure!(fresh.done(), "one edit left the analysis stale");
    }
    let s = stats(times);
    put(&mut out, "sources_edit_ms", s.p50);
    put(&mut out, "sources_edit_max_ms", s.max);
    Ok(out)
}

/// [`measure_corpus`] in a fresh process on the same project, as the RSS
/// probe is: by then this harness holds about a gigabyte of copies, which
/// made the article list's p99 twice what the app itself shows.
fn measure_corpus_fresh(out: &mut Out, args: &Args) -> anyhow::Result<()> {
    let child = std::process::Command::new(std::env::current_exe()?)
        .args(["--only-corpus", "--json"])
        .args(["--text-mb", &args.text_mb.to_string()])
        .args(["--spans", &args.spans.to_string()])
        .args(["--seed", &args.seed.to_string()])
        .args(["--docs", &args.docs.to_string()])
        .output()?;
    if !child.status.success() {
        anyhow::bail!(
            "the corpus measurement failed: {}",
            String::from_utf8_lossy(&child.stderr)
        );
    }
    let measured: Out = serde_json::from_slice(&child.stdout)?;
    // Its own copies of the figures measured here already are left out.
    for (k, v) in measured {
        out.entry(k).or_insert(v);
    }
    Ok(())
}

/// Opens a project file three times and prints each time in ms.
fn time_load(path: &std::path::Path) -> anyhow::Result<()> {
    for _ in 0..3 {
        let t = Instant::now();
        let loaded = marginalia::store::load(path)?;
        println!("{:.1}", ms(t));
        drop(loaded);
    }
    Ok(())
}

/// Flatness: the same scroll at 100 KB and 1 MB (spans scaled alike).
fn measure_flatness(out: &mut Out, args: &Args) {
    let per_mb = args.spans as f64 / args.text_mb.max(0.001);
    for (mb, key) in [(0.1, "100kb"), (1.0, "1mb")] {
        if mb >= args.text_mb {
            continue;
        }
        let p = project(mb, (per_mb * mb) as usize, args.seed);
        let (r, _, _) = scroll_workbench(p, 50, args.seed);
        put(out, &format!("frame_p50_ms_{key}"), r.scroll.p50);
        put(out, &format!("frame_p99_ms_{key}"), r.scroll.p99);
        put(out, &format!("jump_p99_ms_{key}"), r.jump.p99);
    }
}

/// (a) scrolling and jumps on the real workbench, then (c) a tagging edit
/// in view and a retag, each with its frame. Returns the edited range.
fn measure_workbench(out: &mut Out, p: &Project, seed: u64) -> std::ops::Range<usize> {
    let (r, ctx, mut app) = scroll_workbench(p.clone(), 200, seed);
    put(out, "first_frame_ms", r.first_frame_ms);
    put(out, "scroll_frames", r.frames as f64);
    put(out, "frame_p50_ms", r.scroll.p50);
    put(out, "frame_p95_ms", r.scroll.p95);
    put(out, "frame_p99_ms", r.scroll.p99);
    put(out, "frame_max_ms", r.scroll.max);
    put(out, "jump_p50_ms", r.jump.p50);
    put(out, "jump_p99_ms", r.jump.p99);
    put(out, "jump_max_ms", r.jump.max);
    if !out.contains_key("frame_p99_ms_100kb") {
        put(out, "frame_p99_ms_100kb", r.scroll.p99);
    }
    let first_in_view = {
        let ws = app.ws.as_mut().expect("ws");
        let view = ws.current_view().expect("view");
        view.set_scroll_offset(view.content_height() / 2.0);
        view.first_visible_char()
    };
    frame(&ctx, &mut app);
    // Five tags in view, each through the dispatcher as a key press would,
    // with its frame; the median is the figure (one sample is noise here),
    // the first (which also starts the article) and the slowest are kept.
    let (edits, last_render) = five_edits(out, &ctx, &mut app, first_in_view);
    put(out, "edit_frame_first_ms", edits[0]);
    put(out, "edit_render_ms", last_render);
    let s = stats(edits);
    put(out, "edit_frame_ms", s.p50);
    put(out, "edit_frame_max_ms", s.max);
    // The same with suggestions hidden: they show on an article, not on a
    // book-length text, so this is the like-for-like figure between one
    // long article and many short ones.
    if let Some(w) = app.ws.as_mut() {
        w.suggestions.visible = false;
    }
    frame(&ctx, &mut app);
    let (edits, _) = five_edits(out, &ctx, &mut app, first_in_view + 2);
    put(out, "edit_frame_unsuggested_ms", stats(edits).p50);
    if let Some(w) = app.ws.as_mut() {
        w.suggestions.visible = true;
    }
    edit_diagnostics(out, app.ws.as_mut().expect("ws"));
    let edit_range = first_in_view + 3..first_in_view + 12;
    let new_id = app.ws.as_ref().and_then(|w| w.selected);
    if let Some(id) = new_id {
        let t = Instant::now();
        app.run(
            &ctx,
            UiCommand::Retag {
                span: id,
                label: LabelId("claim".into()),
            },
        );
        frame(&ctx, &mut app);
        put(out, "retag_frame_ms", ms(t));
    }
    edit_range
}

/// Five tags 40 chars apart from `first` in doc 1, each with its frame:
/// their times (command + frame) and the last frame's render time.
fn five_edits(out: &mut Out, ctx: &egui::Context, app: &mut App, first: usize) -> (Vec<f64>, f64) {
    let mut edits = Vec::new();
    let mut last_render = 0.0;
    for k in 0..5 {
        let start = first + 3 + 40 * k;
        let t = Instant::now();
        app.run(
            ctx,
            UiCommand::TagRange {
                doc: DocId(1),
                label: LabelId("figure".into()),
                start,
                end: start + 9,
            },
        );
        let exec_ms = ms(t);
        let t = Instant::now();
        last_render = frame(ctx, app);
        edits.push(ms(t) + exec_ms);
        if k == 0 && !out.contains_key("edit_exec_ms") {
            put(out, "edit_exec_ms", exec_ms);
        }
    }
    (edits, last_render)
}

/// Where an edit frame's time goes (measured after the edit frame so they
/// do not warm its caches): the span list following one more edit,
/// against building it from the index; the counts; a project clone.
fn edit_diagnostics(out: &mut Out, ws: &mut Workspace) {
    let before = ws.span_list_len();
    let extra = ws.project.spans_in(DocId(1)).next().map(|s| s.id);
    if let Some(id) = extra {
        let _ = ws
            .history
            .execute(&mut ws.project, marginalia::model::Command::RemoveSpan(id));
    }
    let t = Instant::now();
    let n = ws.span_list_len();
    put(out, "diag_span_list_follow_ms", ms(t));
    assert_eq!(n + usize::from(extra.is_some()), before);
    let _ = ws.history.undo(&mut ws.project);
    // The list with a label hidden is kept as rows; without, it is the
    // index itself.
    let hidden: std::collections::BTreeSet<LabelId> = [LabelId("source".into())].into();
    let t = Instant::now();
    let rebuilt = marginalia::ui::span_list::SpanList::build(&ws.project, DocId(1), &hidden);
    put(out, "diag_span_list_rebuild_ms", ms(t));
    std::hint::black_box(rebuilt);
    let t = Instant::now();
    let c = ws.counts().len();
    put(out, "diag_counts_rebuild_ms", ms(t));
    std::hint::black_box(c);
    let t = Instant::now();
    let snapshot = ws.project.clone();
    put(out, "diag_project_clone_ms", ms(t));
    drop(snapshot);
}

/// (d) load and save, against serde_json on the same data. Returns the
/// saved project file.
fn measure_load_and_save(
    out: &mut Out,
    p: &Project,
    dir: &std::path::Path,
) -> anyhow::Result<std::path::PathBuf> {
    // Best of three, ours and serde_json taking turns: one slow round on
    // this shared machine would otherwise decide the ratio.
    let ron_path = dir.join("perf.ron");
    let json_path = dir.join("perf.json");
    let (mut save, mut load, mut save_json, mut load_json) = [f64::MAX; 4].into();
    for _ in 0..3 {
        let t = Instant::now();
        marginalia::store::save(p, &ron_path)?;
        save = save.min(ms(t));
        let t = Instant::now();
        let loaded = marginalia::store::load(&ron_path)?;
        load = load.min(ms(t));
        drop(loaded);
        let t = Instant::now();
        let value = formats::json::to_json(p, &Filter::default());
        let bytes = serde_json::to_vec(&value)?;
        marginalia::store::atomic_write(&json_path, &bytes, false)?; // durable, like save
        save_json = save_json.min(ms(t));
        drop((value, bytes));
        let t = Instant::now();
        let text = std::fs::read_to_string(&json_path)?;
        let parsed: formats::json::JsonProject = serde_json::from_str(&text)?;
        load_json = load_json.min(ms(t));
        drop((text, parsed));
    }
    put(out, "save_ms", save);
    put(out, "load_ms", load);
    put(out, "save_json_ms", save_json);
    put(out, "load_json_ms", load_json);
    let file_mb = std::fs::metadata(&ron_path)?.len() as f64 / 1e6;
    put(out, "project_file_mb", file_mb);
    Ok(ron_path)
}

/// (e) exports of all spans, against serde_json writing the same rows
/// (one array per span: the CSV's columns) to a file the same way.
fn measure_exports(out: &mut Out, p: &Project, dir: &std::path::Path) -> anyhow::Result<()> {
    let t = Instant::now();
    let csv_bytes = formats::csv::export(p, &Filter::default())?;
    put(out, "csv_build_ms", ms(t));
    put(out, "csv_mb", csv_bytes.len() as f64 / 1e6);
    let t = Instant::now();
    marginalia::store::replace_without_sync(&dir.join("perf-bytes.csv"), &csv_bytes)?;
    put(out, "csv_write_ms", ms(t));
    drop(csv_bytes);
    let t = Instant::now();
    let bytes = serde_json::to_vec(&csv_like_rows(p))?;
    put(out, "export_json_build_ms", ms(t));
    let w = Instant::now();
    marginalia::store::replace_without_sync(&dir.join("perf-rows.json"), &bytes)?;
    put(out, "export_json_write_ms", ms(w));
    put(out, "export_json_ms", ms(t));
    let t = Instant::now();
    formats::export(
        p,
        ExportFormat::Csv,
        &dir.join("perf.csv"),
        &Filter::default(),
    )?;
    put(out, "csv_export_ms", ms(t));
    let t = Instant::now();
    formats::export(p, ExportFormat::Brat, &dir.join("brat"), &Filter::default())?;
    put(out, "brat_export_ms", ms(t));
    Ok(())
}

/// One CSV row's columns, for serde_json to write.
#[derive(serde::Serialize)]
struct Row<'a>(
    u64,
    &'a str,
    u64,
    &'a str,
    usize,
    usize,
    &'a str,
    &'a str,
    String,
    String,
    &'a str,
);

/// Every span as the CSV's columns.
fn csv_like_rows(p: &Project) -> Vec<Row<'_>> {
    let mut sources: std::collections::HashMap<SpanId, Vec<&Span>> =
        std::collections::HashMap::new();
    for l in p.links() {
        if let Some(to) = p.span(l.to) {
            sources.entry(l.from).or_default().push(to);
        }
    }
    let mut rows = Vec::with_capacity(p.spans().len());
    for d in p.documents() {
        for s in p.spans_in(d.id) {
            let src = sources.get(&s.id).map(Vec::as_slice).unwrap_or(&[]);
            rows.push(Row(
                d.id.0,
                &d.title,
                s.id.0,
                s.label.as_str(),
                s.start,
                s.end,
                d.text.slice(s.start..s.end),
                s.note.as_deref().unwrap_or(""),
                src.iter()
                    .map(|x| x.id.0.to_string())
                    .collect::<Vec<_>>()
                    .join(";"),
                src.iter()
                    .map(|x| d.text.slice(x.start..x.end))
                    .collect::<Vec<_>>()
                    .join(" | "),
                &s.created,
            ));
        }
    }
    rows
}

/// (h) find and suggest on the whole article, then scrolling with both
/// showing.
fn measure_find_and_suggest(out: &mut Out, p: &Project) {
    let query = marginalia::assist::search::Query {
        pattern: r"RMB \d+".into(),
        regex: true,
        case_sensitive: false,
    };
    let t = Instant::now();
    let found = marginalia::assist::search::search(p, &query, None).expect("search");
    put(out, "search_ms", ms(t));
    put(out, "search_matches", found.len() as f64);
    let mut bare = Project::with_schema("bare", p.labels().to_vec(), Vec::new());
    if let Some(d) = p.document(DocId(1)) {
        let _ = bare.apply(Edit::InsertDocument(d.clone()));
    }
    let t = Instant::now();
    let suggested = marginalia::assist::suggest::suggest(&bare, DocId(1));
    put(out, "suggest_ms", ms(t));
    put(out, "suggestions", suggested.len() as f64);
    drop((bare, suggested));
    find_and_suggest_scrolling(out, p);
}

/// Scrolling with every match of a common word highlighted and the
/// suggestions shown, and accepting a suggestion with both showing.
fn find_and_suggest_scrolling(out: &mut Out, p: &Project) {
    let (ctx, mut app) = workbench(p.clone());
    frame(&ctx, &mut app);
    app.run(&ctx, UiCommand::OpenFind);
    if let Some(f) = app.ws.as_mut().and_then(|w| w.find.as_mut()) {
        f.query.pattern = "the".into();
    }
    app.run(&ctx, UiCommand::FindChanged);
    // On, as View → Suggestions turns them on for a long text.
    if let Some(w) = app.ws.as_mut() {
        w.suggestions.turn_on();
    }
    frame(&ctx, &mut app);
    let matches = app
        .ws
        .as_ref()
        .and_then(|w| w.find.as_ref())
        .map_or(0, |f| f.matches.len());
    put(out, "find_highlights", matches as f64);
    let waiting = Instant::now();
    while !app.ws.as_ref().is_some_and(|w| w.suggestions.ready())
        && waiting.elapsed() < Duration::from_secs(120)
    {
        std::thread::sleep(Duration::from_millis(20));
        frame(&ctx, &mut app);
    }
    let mut times = Vec::new();
    for i in 0..400 {
        let view = app
            .ws
            .as_mut()
            .and_then(|w| w.current_view())
            .expect("view");
        let total = view.content_height();
        view.set_scroll_offset(total * i as f32 / 400.0);
        times.push(frame(&ctx, &mut app));
    }
    let s = stats(times);
    put(out, "find_suggest_frame_p50_ms", s.p50);
    put(out, "find_suggest_frame_p99_ms", s.p99);
    // A tag with both showing (command + frame).
    let t = Instant::now();
    app.run(&ctx, UiCommand::AcceptSuggestion);
    app.run(&ctx, UiCommand::AcceptSuggestion);
    frame(&ctx, &mut app);
    put(out, "accept_suggestion_frame_ms", ms(t));
}

/// Many articles: the article list scrolled top to bottom, switching to
/// random articles, keystrokes in the article filter, and a search of
/// every article against the same search of one article of the same text.
fn measure_corpus(out: &mut Out, p: &Project, seed: u64) {
    let docs: Vec<DocId> = p.documents().map(|d| d.id).collect();
    let n = docs.len();
    let (ctx, mut app) = workbench(p.clone());
    // The list's cost, like for like: suggestions show on an article but
    // not on a book-length one, so with ten articles the text view would
    // paint none and with ten thousand a screenful. find_suggest_frame
    // measures them.
    if let Some(w) = app.ws.as_mut() {
        w.suggestions.visible = false;
    }
    frame(&ctx, &mut app);
    frame(&ctx, &mut app);
    // Seven rows (about 300 px, as the text view's scroll) per frame, top
    // to bottom and round again: the same number of frames at any size, so
    // that p99 is the same rank of the same sample size.
    let mut times = Vec::new();
    let frames = 1500;
    for i in 0..frames {
        if let Some(ws) = app.ws.as_mut() {
            ws.articles.scroll_to_row = Some(i * 7 % n.max(1));
        }
        times.push(frame(&ctx, &mut app));
    }
    let s = stats(times);
    put(out, "doc_list_frame_p50_ms", s.p50);
    put(out, "doc_list_frame_p99_ms", s.p99);
    let mut rng = Rng(seed ^ 0xd0c5);
    let mut times = Vec::new();
    for _ in 0..100 {
        let d = docs[rng.below(n)];
        let t = Instant::now();
        app.run(&ctx, UiCommand::ShowDocument(d));
        frame(&ctx, &mut app);
        times.push(ms(t));
    }
    let s = stats(times);
    put(out, "doc_switch_p50_ms", s.p50);
    put(out, "doc_switch_p99_ms", s.p99);
    // Each keystroke: the filter's new text, and the frame that shows it.
    let mut times = Vec::new();
    for query in ["report 0", "wages china", "border trade", "feed/report-0"] {
        for end in 1..=query.len() {
            let t = Instant::now();
            if let Some(ws) = app.ws.as_mut() {
                ws.articles.filter = query[..end].to_string();
            }
            frame(&ctx, &mut app);
            times.push(ms(t));
        }
    }
    let s = stats(times);
    put(out, "doc_filter_p50_ms", s.p50);
    put(out, "doc_filter_p99_ms", s.p99);
    drop((ctx, app));
    let query = marginalia::assist::search::Query {
        pattern: "workers".into(),
        regex: false,
        case_sensitive: false,
    };
    let t = Instant::now();
    let found = marginalia::assist::search::search(p, &query, None).expect("search");
    put(out, "search_all_ms", ms(t));
    put(out, "search_all_matches", found.len() as f64);
    drop(found);
    // The same text as one article.
    let joined: String = p
        .documents()
        .map(|d| d.text.as_str())
        .collect::<Vec<_>>()
        .join("\n");
    let mut one = Project::new("one");
    let _ = one.apply(Edit::InsertDocument(Document::new(
        DocId(1),
        "All",
        None,
        &joined,
    )));
    drop(joined);
    let t = Instant::now();
    let found = marginalia::assist::search::search(&one, &query, None).expect("search");
    put(out, "search_one_article_ms", ms(t));
    std::hint::black_box(found);
}

/// `p` with `edit` applied to `changed` spans, every `every`th from
/// `offset`.
fn vary(
    p: &Project,
    changed: usize,
    every: usize,
    offset: usize,
    edit: &dyn Fn(&Span) -> Edit,
) -> Project {
    let mut q = p.clone();
    let ids: Vec<SpanId> = p.spans().map(|s| s.id).collect();
    for id in ids.iter().skip(offset).step_by(every.max(1)).take(changed) {
        if let Some(s) = q.span(*id) {
            let e = edit(s);
            let _ = q.apply(e);
        }
    }
    q
}

/// (g) team work: agreement and a three-way merge between versions of the
/// project that differ in 1% of their spans.
fn measure_team(out: &mut Out, p: &Project) {
    use marginalia::team::agree::{Mode, agree};
    let n = p.spans().len();
    let changed = (n / 100).max(1);
    let step = n / changed;
    let moved = vary(p, changed, step, 0, &|s: &Span| {
        Edit::SetSpanRange(s.id, s.start, s.end.saturating_sub(1).max(s.start + 1))
    });
    let pair = [("a".to_string(), p), ("b".to_string(), &moved)];
    let t = Instant::now();
    let a = agree(&pair, Mode::Instance).expect("agree");
    put(out, "agree_ms", ms(t));
    put(out, "agree_total", a.total.mean.unwrap_or(f64::NAN));
    let t = Instant::now();
    let a = agree(&pair, Mode::Token).expect("agree");
    put(out, "agree_token_ms", ms(t));
    std::hint::black_box(a);
    // Ours notes 0.5% of the spans, theirs retags another 0.5%.
    let half = (changed / 2).max(1);
    let ours = vary(p, changed, step * 2, 0, &|s: &Span| {
        Edit::SetSpanNote(s.id, Some("ours".into()))
    });
    let theirs = vary(p, changed, step * 2, step, &|s: &Span| {
        let label = if s.label.as_str() == "claim" {
            "figure"
        } else {
            "claim"
        };
        Edit::SetSpanLabel(s.id, LabelId(label.into()))
    });
    let t = Instant::now();
    let merged = marginalia::team::merge::merge(p, &ours, &theirs);
    put(out, "merge_ms", ms(t));
    put(out, "merge_conflicts", merged.new_conflicts as f64);
    put(out, "merge_changed_each_side", half as f64);
}

/// (i) re-anchoring after an edit near the top (an editor's note prepended
/// and a word corrected in the first paragraph), and after a word changed
/// in every tenth paragraph.
fn measure_retext(out: &mut Out, p: &Project) {
    use marginalia::model::anchor::{Status, plan_retext};
    let Some(d) = p.document(DocId(1)) else {
        return;
    };
    let old = d.text.as_str();
    let cut = old.char_indices().nth(40).map_or(0, |(b, _)| b);
    let new = format!(
        "Editor's note: this article was corrected.\n\n{}X{}",
        &old[..cut],
        &old[cut..]
    );
    let mut q = p.clone();
    let t = Instant::now();
    let plan = plan_retext(&q, DocId(1), &new, &|_| {}).expect("plan");
    let planned = ms(t);
    let t2 = Instant::now();
    History::new()
        .execute(&mut q, plan.command())
        .expect("retext");
    let applied = ms(t2);
    put(out, "retext_ms", ms(t));
    put(out, "retext_plan_ms", planned);
    put(out, "retext_apply_ms", applied);
    put(out, "retext_orphaned", plan.count(Status::Orphaned) as f64);
    let mut n = 0;
    let scattered: String = old
        .split_inclusive('\n')
        .map(|line| {
            n += 1;
            if n % 10 == 0 {
                line.replacen(" the ", " a ", 1)
            } else {
                line.to_string()
            }
        })
        .collect();
    let t = Instant::now();
    let plan = plan_retext(p, DocId(1), &scattered, &|_| {}).expect("plan");
    put(out, "retext_scattered_ms", ms(t));
    put(
        out,
        "retext_scattered_fuzzy",
        plan.count(Status::Fuzzy) as f64,
    );
    put(
        out,
        "retext_scattered_orphaned",
        plan.count(Status::Orphaned) as f64,
    );
}

/// (f) peak RSS of a real session (open, scroll, jump, tag, save) in a
/// fresh process, and of this harness (which holds several copies).
fn measure_rss(out: &mut Out, ron_path: &std::path::Path, text_mb: f64) -> anyhow::Result<()> {
    let probe = std::process::Command::new(std::env::current_exe()?)
        .arg("--rss-probe")
        .arg(ron_path)
        .output()?;
    let probe_mb: f64 = String::from_utf8_lossy(&probe.stdout)
        .trim()
        .parse()
        .unwrap_or(f64::NAN);
    put(out, "peak_rss_mb", probe_mb);
    put(out, "harness_peak_rss_mb", peak_rss_mb());
    // Against the text actually generated (articles end on whole
    // sentences, so many articles hold a little more than asked for).
    put(out, "text_mb_actual", text_mb);
    put(out, "rss_budget_mb", 2.0 * text_mb + 80.0);
    Ok(())
}

/// (b) the naive baseline on the same document: scrolling, and the frame
/// after the same edit (a new job, laid out again).
fn measure_naive(out: &mut Out, p: &Project, frames: usize, edit_range: std::ops::Range<usize>) {
    let job = Arc::new(naive_job(p));
    let nctx = egui::Context::default();
    let t = Instant::now();
    naive_frame(&nctx, &job, 0.0);
    put(out, "naive_first_frame_ms", ms(t));
    let total_height = {
        let mut h = 0.0;
        let _ = nctx.run_ui(input(), |ui| {
            h = ui.fonts_mut(|f| f.layout_job((*job).clone())).rect.height();
        });
        h
    };
    let mut naive = Vec::new();
    for i in 0..frames {
        let off = total_height * i as f32 / frames.max(1) as f32;
        naive.push(naive_frame(&nctx, &job, off));
    }
    let n = stats(naive);
    put(out, "naive_frame_p50_ms", n.p50);
    put(out, "naive_frame_p95_ms", n.p95);
    put(out, "naive_frame_p99_ms", n.p99);
    put(out, "naive_frame_max_ms", n.max);
    put(out, "naive_frames", n.n as f64);
    let mut edited = p.clone();
    let _ = edited.apply(Edit::InsertSpan(Span::new(
        SpanId(u64::MAX / 2),
        DocId(1),
        LabelId("figure".into()),
        edit_range,
        None,
        String::new(),
    )));
    let t = Instant::now();
    let job2 = Arc::new(naive_job(&edited));
    naive_frame(&nctx, &job2, total_height / 2.0);
    put(out, "naive_edit_frame_ms", ms(t));
}

/// The workbench against the naive view, and flatness, as ratios.
fn put_ratios(out: &mut Out) {
    let get = |k: &str| out.get(k).and_then(Value::as_f64).unwrap_or(f64::NAN);
    let ratios = [
        (
            "naive_edit_ratio",
            get("naive_edit_frame_ms") / get("edit_frame_ms"),
            10.0,
        ),
        (
            "naive_scroll_ratio",
            get("naive_frame_p50_ms") / get("frame_p50_ms"),
            10.0,
        ),
        (
            "flatness_p99_ratio",
            get("frame_p99_ms") / get("frame_p99_ms_100kb"),
            100.0,
        ),
        (
            "search_all_ratio",
            get("search_all_ms") / get("search_one_article_ms"),
            100.0,
        ),
        (
            "load_json_ratio",
            get("load_ms") / get("load_json_ms"),
            100.0,
        ),
        (
            "save_json_ratio",
            get("save_ms") / get("save_json_ms"),
            100.0,
        ),
    ];
    for (key, value, scale) in ratios {
        out.insert(key.into(), json!((value * scale).round() / scale));
    }
}

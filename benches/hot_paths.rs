//! Criterion benches for the hot pieces: the span overlap query for a
//! visible range, the paragraph-height index, code-point offset conversion,
//! and RON save/load. `cargo bench --bench hot_paths`.

#![allow(clippy::unwrap_used, clippy::expect_used)] // bench setup on generated data

use criterion::{Criterion, criterion_group, criterion_main};
use marginalia::model::{DocId, DocText, Document, Edit, LabelId, Project, Span, SpanId};
use marginalia::ui::geometry::{HeightIndex, split_paragraphs};
use std::hint::black_box;

fn text(mb: usize) -> String {
    let para = "North Korean workers in China 북한 노동자 were paid RMB 10 a day, a source told Daily NK. ";
    let mut s = String::new();
    while s.len() < mb * 1_000_000 {
        s.push_str(para);
        s.push_str(para);
        s.push('\n');
    }
    s
}

fn project(mb: usize, spans: usize) -> Project {
    let t = text(mb);
    let mut p = Project::new("bench");
    let doc = Document::new(DocId(1), "bench", None, &t);
    let len = doc.text.char_len();
    p.apply(Edit::InsertDocument(doc)).unwrap();
    let mut x: u64 = 12345;
    for i in 0..spans {
        x = x
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let start = (x >> 33) as usize % (len - 300);
        let span = Span::new(
            SpanId(i as u64 + 1),
            DocId(1),
            LabelId(["claim", "figure", "source"][i % 3].into()),
            start..start + 5 + i % 200,
            None,
            "2026-11-23T00:00:00Z",
        );
        p.apply(Edit::InsertSpan(span)).unwrap();
    }
    p
}

fn benches(c: &mut Criterion) {
    let p = project(10, 100_000);
    let len = p.document(DocId(1)).unwrap().text.char_len();
    c.bench_function(
        "spans_overlapping: 2,000-char visible range, 100k spans",
        |b| {
            let mut at = 0;
            b.iter(|| {
                at = (at + 7_919_117) % (len - 2_000);
                black_box(p.spans_overlapping(DocId(1), at..at + 2_000).len())
            })
        },
    );

    let doc_text = DocText::new(text(10));
    let paragraphs = split_paragraphs(&doc_text);
    let mut heights = HeightIndex::new(paragraphs.iter().map(|p| p.chars.len() as f32 / 5.0));
    c.bench_function(
        "height index: set one + find offset (10 MB of paragraphs)",
        |b| {
            let mut i = 0;
            b.iter(|| {
                i = (i + 7_919) % heights.len();
                heights.set(i, 30.0);
                black_box(heights.find(heights.total() * 0.37))
            })
        },
    );
    c.bench_function("height index: build from estimates (10 MB)", |b| {
        b.iter(|| {
            black_box(
                HeightIndex::new(paragraphs.iter().map(|p| p.chars.len() as f32 / 5.0)).total(),
            )
        })
    });

    c.bench_function(
        "offsets: char→byte and byte→char in 10 MB of mixed text",
        |b| {
            let n = doc_text.char_len();
            let mut ch = 0;
            b.iter(|| {
                ch = (ch + 1_234_577) % n;
                let byte = doc_text.byte_of(ch);
                black_box(doc_text.char_of(byte))
            })
        },
    );

    let small = project(1, 10_000);
    let ron = marginalia::store::to_ron_string(&small).unwrap();
    c.bench_function("RON save (to string): 1 MB, 10k spans", |b| {
        b.iter(|| black_box(marginalia::store::to_ron_string(&small).unwrap().len()))
    });
    c.bench_function("RON load (parse + validate): 1 MB, 10k spans", |b| {
        b.iter(|| {
            black_box(
                marginalia::store::load_str(&ron, std::path::Path::new("b.ron"))
                    .unwrap()
                    .project
                    .spans()
                    .len(),
            )
        })
    });
}

criterion_group! {
    name = hot;
    config = Criterion::default().sample_size(20);
    targets = benches
}
criterion_main!(hot);

//! The sourcing analysis through the real binary: `sources --json` keyed as
//! promised and recomputed independently from the JSON export (on the
//! sample and on PolNeAR), the registry CLI, `label attribution`, the
//! schema.org export, the brat round trip of the registry, and version 3
//! files opening with their source kinds moved onto the registry.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure report

mod peers;

use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_marginalia"));
    c.env("MARGINALIA_NOW", "2026-12-07T00:00:00Z");
    c
}

fn run(args: &[&str]) -> Output {
    let o = bin().args(args).output().unwrap();
    assert!(
        o.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    o
}

fn json(args: &[&str]) -> Value {
    serde_json::from_slice(&run(args).stdout).unwrap()
}

fn sample(dir: &Path) -> PathBuf {
    let path = dir.join("sample.ron");
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("projects/daily-nk-workers.ron"),
        &path,
    )
    .unwrap();
    path
}

fn keys(v: &Value) -> Vec<&str> {
    v.as_object().unwrap().keys().map(String::as_str).collect()
}

/// The counts of `sources --json`, worked out again from the JSON export
/// alone, the way a script would: claims and figures by label, sources
/// through `attributed_to` links and attribution events, identification
/// from the registry.
fn recompute(export: &Value) -> BTreeMap<u64, [usize; 6]> {
    let sourcing = &export["sourcing"];
    let list = |k: &str| -> BTreeSet<String> {
        sourcing[k]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap().to_string())
            .collect()
    };
    let (claim_labels, figure_labels, source_labels) =
        (list("claims"), list("figures"), list("sources"));
    let rules: Vec<&Value> = sourcing["attributions"]
        .as_array()
        .unwrap()
        .iter()
        .collect();
    let identification: HashMap<u64, String> = export["sources"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|e| {
                    (
                        e["id"].as_u64().unwrap(),
                        e["identification"].as_str().unwrap().to_string(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    let spans: HashMap<u64, &Value> = export["spans"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["id"].as_u64().unwrap(), s))
        .collect();
    // content span → source spans; plus every content and source span.
    let mut attributed: HashMap<u64, BTreeSet<u64>> = HashMap::new();
    let mut contents: BTreeSet<u64> = BTreeSet::new();
    let mut sources: BTreeSet<u64> = BTreeSet::new();
    for l in export["links"].as_array().unwrap() {
        let kind = l["type"].as_str().unwrap();
        if rules
            .iter()
            .any(|r| r["relation"] == kind && r.get("content").is_none())
        {
            let (from, to) = (l["from"].as_u64().unwrap(), l["to"].as_u64().unwrap());
            attributed.entry(from).or_default().insert(to);
            contents.insert(from);
            sources.insert(to);
        }
    }
    for e in export["events"].as_array().cloned().unwrap_or_default() {
        let Some(rule) = rules.iter().find(|r| r["relation"] == e["type"]) else {
            continue;
        };
        let role = |k: &str| -> Vec<u64> {
            e["args"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|a| rule.get(k).is_some_and(|r| a[0] == *r))
                .filter_map(|a| a[1].as_u64())
                .collect()
        };
        let srcs = role("source");
        for c in role("content") {
            contents.insert(c);
            attributed
                .entry(c)
                .or_default()
                .extend(srcs.iter().copied());
        }
        sources.extend(srcs);
    }
    let mut out: BTreeMap<u64, [usize; 6]> = BTreeMap::new();
    for d in export["documents"].as_array().unwrap() {
        out.insert(d["id"].as_u64().unwrap(), [0; 6]);
    }
    for (id, s) in &spans {
        let label = s["label"].as_str().unwrap();
        let doc = s["document"].as_u64().unwrap();
        let row = out.get_mut(&doc).unwrap();
        let figure = figure_labels.contains(label);
        if figure {
            row[1] += 1;
            continue;
        }
        if !(claim_labels.contains(label) || contents.contains(id)) {
            continue;
        }
        row[0] += 1;
        // Distinct sources: an entry once, an unassigned span once each.
        let mut distinct: BTreeSet<String> = BTreeSet::new();
        let mut idents: Vec<Option<String>> = Vec::new();
        for src in attributed.get(id).into_iter().flatten() {
            match spans.get(src).and_then(|s| s["source"].as_u64()) {
                Some(e) => {
                    if distinct.insert(format!("e{e}")) {
                        idents.push(identification.get(&e).cloned());
                    }
                }
                None => {
                    distinct.insert(format!("s{src}"));
                    idents.push(None);
                }
            }
        }
        if distinct.is_empty() {
            row[2] += 1;
        }
        let all_unnamed = !idents.is_empty()
            && idents
                .iter()
                .all(|i| matches!(i.as_deref(), Some("described" | "anonymous")));
        if all_unnamed {
            row[3] += 1;
        }
        if distinct.len() == 1 {
            row[4] += 1;
        }
    }
    // Distinct entries each article's source spans mention.
    let mut entries: HashMap<u64, BTreeSet<u64>> = HashMap::new();
    for (id, s) in &spans {
        let label = s["label"].as_str().unwrap();
        if (source_labels.contains(label) || sources.contains(id))
            && let Some(e) = s["source"].as_u64()
        {
            entries
                .entry(s["document"].as_u64().unwrap())
                .or_default()
                .insert(e);
        }
    }
    for (doc, row) in out.iter_mut() {
        row[5] = entries.get(doc).map_or(0, BTreeSet::len);
    }
    out
}

fn reported(report: &Value) -> BTreeMap<u64, [usize; 6]> {
    report["articles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            let n = |k: &str| a[k].as_u64().unwrap() as usize;
            (
                a["document"].as_u64().unwrap(),
                [
                    n("claims"),
                    n("figures"),
                    n("unsourced"),
                    n("anonymous_only"),
                    n("single_source"),
                    n("distinct_sources"),
                ],
            )
        })
        .collect()
}

#[test]
fn sources_json_is_keyed_as_promised_and_agrees_with_the_export() {
    let dir = tempfile::tempdir().unwrap();
    let p = sample(dir.path());
    let p = p.to_str().unwrap();
    let report = json(&["sources", p, "--json"]);
    assert_eq!(keys(&report), ["articles", "findings", "sources", "totals"]);
    let counts = [
        "anonymous_only",
        "claims",
        "distinct_sources",
        "figures",
        "kinds",
        "single_source",
        "unsourced",
    ];
    let mut with_doc = counts.to_vec();
    with_doc.push("document");
    with_doc.sort_unstable();
    assert_eq!(keys(&report["articles"][0]), with_doc);
    assert_eq!(keys(&report["totals"]), counts);
    assert_eq!(
        keys(&report["sources"][0]),
        [
            "articles",
            "claims",
            "id",
            "identification",
            "kind",
            "mentions",
            "name"
        ]
    );
    assert_eq!(
        keys(&report["findings"][0]),
        ["check", "document", "message", "span"]
    );
    // Recomputed from the JSON export by another route.
    let out = dir.path().join("out.json");
    run(&["export", p, "--format", "json", "-o", out.to_str().unwrap()]);
    let export: Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    assert_eq!(recompute(&export), reported(&report));
    // The sample's picture: the second article leans on unnamed sources.
    let t = &report["totals"];
    assert_eq!(t["claims"], 62);
    assert_eq!(t["distinct_sources"], 12);
    assert!(t["anonymous_only"].as_u64().unwrap() > t["unsourced"].as_u64().unwrap());
    // One article only.
    let one = json(&["sources", p, "--doc", "2", "--json"]);
    assert_eq!(one["articles"].as_array().unwrap().len(), 1);
    assert_eq!(one["totals"]["claims"], report["articles"][1]["claims"]);
}

#[test]
fn the_registry_cli_adds_assigns_and_merges() {
    let dir = tempfile::tempdir().unwrap();
    let p = sample(dir.path());
    let p = p.to_str().unwrap();
    let id = String::from_utf8(
        run(&[
            "source",
            p,
            "add",
            "Kim Jong Un",
            "--identification",
            "named",
            "--kind",
            "official",
            "--alias",
            "Kim",
            "--wikidata",
            "Q56226",
        ])
        .stdout,
    )
    .unwrap();
    let id = id.trim();
    assert_eq!(id, "13");
    run(&["source", p, "assign", "5", id]);
    let list = json(&["source", p, "list", "--json"]);
    let kim = list
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["id"] == 13)
        .unwrap();
    assert_eq!(kim["aliases"][0], "Kim");
    assert_eq!(kim["wikidata"], "Q56226");
    assert_eq!(kim["mentions"], 1);
    run(&["source", p, "merge", "1", id]);
    let list = json(&["source", p, "list", "--json"]);
    assert!(list.as_array().unwrap().iter().all(|e| e["id"] != 1));
    // Bad input is refused with a message and the file untouched.
    let before = std::fs::read(p).unwrap();
    for (args, says) in [
        (
            vec![
                "source",
                p,
                "add",
                "X",
                "--identification",
                "secret",
                "--kind",
                "other",
            ],
            "named, described, anonymous",
        ),
        (
            vec![
                "source",
                p,
                "add",
                "X",
                "--identification",
                "named",
                "--kind",
                "other",
                "--wikidata",
                "42",
            ],
            "Wikidata",
        ),
        (
            vec!["source", p, "assign", "3", "13"],
            "not a source attribution",
        ),
        (vec!["source", p, "assign", "5", "99"], "no source 99"),
        (vec!["source", p, "merge", "13", "13"], "itself"),
    ] {
        let o = bin().args(&args).output().unwrap();
        assert!(!o.status.success(), "{args:?}");
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains(says), "{args:?}: {err}");
    }
    assert_eq!(std::fs::read(p).unwrap(), before);
}

#[test]
fn schemaorg_export_is_json_ld_with_schema_org_terms_only() {
    let dir = tempfile::tempdir().unwrap();
    let p = sample(dir.path());
    let p = p.to_str().unwrap();
    // A named source with a Wikidata id, and a verdict on one claim.
    let id = String::from_utf8(
        run(&[
            "source",
            p,
            "add",
            "Daily NK reporters",
            "--identification",
            "named",
            "--kind",
            "media",
            "--wikidata",
            "Q1155",
        ])
        .stdout,
    )
    .unwrap();
    run(&["source", p, "assign", "5", id.trim()]);
    run(&["attr", p, "3", "status", "false"]);
    let out = dir.path().join("claims.jsonld");
    run(&[
        "export",
        p,
        "--format",
        "schemaorg",
        "-o",
        out.to_str().unwrap(),
    ]);
    let doc: Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    assert_eq!(doc["@context"], "https://schema.org");
    let graph = doc["@graph"].as_array().unwrap();
    let claims: Vec<&Value> = graph.iter().filter(|n| n["@type"] == "Claim").collect();
    assert_eq!(claims.len(), 62, "one Claim per claim");
    // Only schema.org terms (and JSON-LD keywords).
    const TERMS: &[&str] = &[
        "@context",
        "@graph",
        "@type",
        "@id",
        "text",
        "author",
        "appearance",
        "name",
        "description",
        "sameAs",
        "alternateName",
        "affiliation",
        "parentOrganization",
        "url",
        "headline",
        "datePublished",
        "claimReviewed",
        "itemReviewed",
        "reviewRating",
    ];
    fn walk(v: &Value, out: &mut BTreeSet<String>) {
        match v {
            Value::Object(m) => {
                for (k, v) in m {
                    out.insert(k.clone());
                    walk(v, out);
                }
            }
            Value::Array(a) => a.iter().for_each(|v| walk(v, out)),
            _ => {}
        }
    }
    let mut used = BTreeSet::new();
    walk(&doc, &mut used);
    for k in &used {
        assert!(
            TERMS.contains(&k.as_str()),
            "{k} is not a schema.org term here"
        );
    }
    let types: BTreeSet<&str> = graph
        .iter()
        .flat_map(|n| {
            let mut t = vec![n["@type"].as_str().unwrap()];
            for a in n["author"].as_array().into_iter().flatten() {
                t.push(a["@type"].as_str().unwrap());
            }
            t.push(n["appearance"]["@type"].as_str().unwrap_or("CreativeWork"));
            t
        })
        .collect();
    assert!(types.is_subset(&BTreeSet::from([
        "Claim",
        "ClaimReview",
        "Person",
        "Organization",
        "CreativeWork"
    ])));
    // Claim 3 rests on the named source: named, with its Wikidata page.
    let c3 = claims.iter().find(|c| c["@id"] == "#claim-3").unwrap();
    assert_eq!(c3["author"][0]["name"], "Daily NK reporters");
    assert_eq!(
        c3["author"][0]["sameAs"],
        "https://www.wikidata.org/wiki/Q1155"
    );
    assert_eq!(c3["author"][0]["@type"], "Organization");
    // An anonymous source is described, never named.
    for c in &claims {
        for a in c["author"].as_array().into_iter().flatten() {
            assert!(
                a.get("name").is_some() != a.get("description").is_some(),
                "{a}"
            );
        }
    }
    let anon = claims
        .iter()
        .flat_map(|c| c["author"].as_array().into_iter().flatten())
        .find(|a| a["description"] == "one source (surveillance)")
        .unwrap();
    assert!(anon.get("name").is_none());
    // The verdict: a ClaimReview of claim 3.
    let review = graph.iter().find(|n| n["@type"] == "ClaimReview").unwrap();
    assert_eq!(review["itemReviewed"]["@id"], "#claim-3");
    assert_eq!(review["reviewRating"]["alternateName"], "False");
    assert_eq!(
        graph.iter().filter(|n| n["@type"] == "ClaimReview").count(),
        1
    );
}

#[test]
fn brat_round_trip_keeps_the_registry() {
    let dir = tempfile::tempdir().unwrap();
    let p = sample(dir.path());
    let p = p.to_str().unwrap();
    let folder = dir.path().join("brat");
    run(&[
        "export",
        p,
        "--format",
        "brat",
        "-o",
        folder.to_str().unwrap(),
    ]);
    let ann: String = std::fs::read_dir(&folder)
        .unwrap()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "ann"))
        .map(|e| std::fs::read_to_string(e.path()).unwrap())
        .collect();
    assert!(ann.lines().any(|l| {
        let c: Vec<&str> = l.split('\t').collect();
        c.len() == 3
            && c[0].starts_with('N')
            && c[1].contains(" Marginalia:7")
            && c[2] == "Daily NK"
    }));
    let back = dir.path().join("back.ron");
    run(&["new", back.to_str().unwrap()]);
    run(&[
        "import",
        back.to_str().unwrap(),
        "--format",
        "brat",
        folder.to_str().unwrap(),
    ]);
    let entries = |path: &str| -> BTreeSet<(String, String, String, Vec<String>, usize)> {
        json(&["source", path, "list", "--json"])
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                (
                    e["name"].as_str().unwrap().to_string(),
                    e["identification"].as_str().unwrap().to_string(),
                    e["kind"].as_str().unwrap().to_string(),
                    e["aliases"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|a| a.as_str().unwrap().to_string())
                        .collect(),
                    e["mentions"].as_u64().unwrap() as usize,
                )
            })
            .collect()
    };
    assert_eq!(entries(back.to_str().unwrap()), entries(p));
    assert_eq!(
        json(&["sources", back.to_str().unwrap(), "--json"])["totals"],
        json(&["sources", p, "--json"])["totals"]
    );
}

#[test]
fn a_version_3_file_opens_with_its_source_kinds_on_registry_entries() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("v3.ron");
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/v3/daily-nk-workers-v3.ron"),
        &p,
    )
    .unwrap();
    let p = p.to_str().unwrap();
    let o = run(&["sources", p, "--json"]);
    let said = String::from_utf8_lossy(&o.stderr);
    assert!(
        said.contains("source kind of 22 span(s) moved onto 18 source registry entries"),
        "{said}"
    );
    let list = json(&["source", p, "list", "--json"]);
    let entries = list.as_array().unwrap();
    assert_eq!(entries.len(), 18);
    // "media" and "anonymous" became kinds and identifications.
    let named = |n: &str| entries.iter().find(|e| e["name"] == n).unwrap();
    assert_eq!(named("Daily NK has learned")["kind"], "media");
    assert_eq!(
        named("Sources told Daily NK")["identification"],
        "described"
    );
    assert_eq!(named("said a source")["identification"], "described");
    // "Daily NK sources said" was tagged in both articles: one named entry.
    assert_eq!(named("Daily NK sources said")["mentions"], 2);
    // Saved, the file is version 4 without the kind attribute.
    run(&["label", p, "role", "source", "source"]);
    let text = std::fs::read_to_string(p).unwrap();
    assert!(text.contains("\n    version: 4,\n"));
    assert!(!text.contains("\"kind\": \"anonymous\""));
    assert!(!text.contains("(name: \"kind\""));
}

#[test]
fn label_attribution_marks_polnear_events_and_unsourced_claims_agree() {
    let Some(dev) = peers::peer("polnear/dev") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("polnear.ron");
    let p = p.to_str().unwrap();
    run(&["new", p]);
    run(&["import", p, "--format", "brat", dev.to_str().unwrap()]);
    // Before the schema says so, PolNeAR's events attribute nothing.
    assert_eq!(json(&["sources", p, "--json"])["totals"]["claims"], 0);
    run(&[
        "label",
        p,
        "attribution",
        "Attribution",
        "--content",
        "Content",
        "--source",
        "Source",
    ]);
    run(&[
        "label",
        p,
        "attribution",
        "Attribution-no-source",
        "--content",
        "Content",
    ]);
    // A role no event has is refused.
    let o = bin()
        .args([
            "label",
            p,
            "attribution",
            "Attribution",
            "--content",
            "Contents",
        ])
        .output()
        .unwrap();
    assert!(!o.status.success());
    let report = json(&["sources", p, "--json"]);
    let out = dir.path().join("out.json");
    run(&["export", p, "--format", "json", "-o", out.to_str().unwrap()]);
    let export: Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    assert_eq!(recompute(&export), reported(&report));
    // The unsourced claims are the Content spans of Attribution-no-source
    // events that no Attribution event gives a source.
    let mut no_source = BTreeSet::new();
    let mut sourced = BTreeSet::new();
    for e in export["events"].as_array().unwrap() {
        for a in e["args"].as_array().unwrap() {
            if a[0] == "Content" {
                let id = a[1].as_u64().unwrap();
                if e["type"] == "Attribution-no-source" {
                    no_source.insert(id);
                } else if e["args"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|x| x[0] == "Source")
                {
                    sourced.insert(id);
                }
            }
        }
    }
    let expected = no_source.difference(&sourced).count();
    assert!(expected > 50, "{expected}");
    assert_eq!(report["totals"]["unsourced"], expected);
    assert_eq!(report["articles"].as_array().unwrap().len(), 84);
}

#[test]
fn json_import_brings_the_registry_into_an_existing_project() {
    let dir = tempfile::tempdir().unwrap();
    let p = sample(dir.path());
    let p = p.to_str().unwrap();
    let out = dir.path().join("out.json");
    run(&["export", p, "--format", "json", "-o", out.to_str().unwrap()]);
    // A project that already has an article and a named entry of its own
    // called "Daily NK": the import reuses it.
    let other = dir.path().join("other.ron");
    let other = other.to_str().unwrap();
    let note = dir.path().join("note.txt");
    std::fs::write(&note, "A note of our own.").unwrap();
    run(&["new", other, note.to_str().unwrap()]);
    run(&[
        "source",
        other,
        "add",
        "Daily NK",
        "--identification",
        "named",
        "--kind",
        "media",
    ]);
    run(&["import", other, "--format", "json", out.to_str().unwrap()]);
    let entries = json(&["source", other, "list", "--json"]);
    let entries = entries.as_array().unwrap();
    assert_eq!(entries.len(), 12, "11 new entries and the reused Daily NK");
    let nk: Vec<&Value> = entries.iter().filter(|e| e["name"] == "Daily NK").collect();
    assert_eq!(nk.len(), 1);
    assert_eq!(nk[0]["mentions"], 2);
    let totals = |path: &str| json(&["sources", path, "--json"])["totals"].clone();
    assert_eq!(totals(other)["anonymous_only"], totals(p)["anonymous_only"]);
}

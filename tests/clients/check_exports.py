#!/usr/bin/env python3
"""Checks Marginalia's exports with the real Python libraries analysts use.

Usage: python3 tests/clients/check_exports.py EXPORT_DIR

EXPORT_DIR holds project.json, spans.csv, spans.jsonl, brat/, w3c.jsonld and
report.html, all exported from one project (see .ci/run). Offsets are code
points, which are Python str indices, so every covered text must equal
text[start:end]. Missing optional libraries are a visible skip, unless
REQUIRE_CLIENTS=1, when a missing spaCy or pybrat is a failure.
"""
import csv
import html.parser
import json
import os
import sys

FORMULA = ("=", "+", "-", "@", "\t", "\r")
passed, failed = 0, 0


def ok(msg):
    global passed
    passed += 1
    print(f"ok: {msg}")


def fail(msg):
    global failed
    failed += 1
    print(f"FAIL: {msg}")


def check(cond, msg):
    (ok if cond else fail)(msg)


def skip(lib):
    if os.environ.get("REQUIRE_CLIENTS") == "1" and lib in ("spacy", "pybrat"):
        fail(f"{lib} not installed (REQUIRE_CLIENTS=1)")
    else:
        print(f"skip: {lib} not installed")


def unguard(cell):
    """Undoes the formula-injection rule: a leading ' before a trigger."""
    if len(cell) >= 2 and cell[0] == "'" and cell[1] in FORMULA:
        return cell[1:]
    return cell


def main(out):
    project = json.load(open(os.path.join(out, "project.json"), encoding="utf-8"))
    docs = {d["id"]: d for d in project["documents"]}
    spans = {s["id"]: s for s in project["spans"]}

    # 1. JSON: every span text is the code-point slice; links are whole.
    bad = [s["id"] for s in spans.values() if docs[s["document"]]["text"][s["start"]:s["end"]] != s["text"]]
    check(not bad, f"json: {len(spans)} span texts equal text[start:end] (bad: {bad[:5]})")
    dangling = [l["id"] for l in project["links"] if l["from"] not in spans or l["to"] not in spans]
    check(not dangling, f"json: {len(project['links'])} links join existing spans")
    check(project.get("offset_unit") == "code_points", "json: offset_unit is code_points")

    # 2. CSV with the stdlib reader (embedded newlines, quotes, commas).
    with open(os.path.join(out, "spans.csv"), newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    check(len(rows) == len(spans), f"csv: {len(rows)} rows for {len(spans)} spans")
    mismatched, unguarded = [], []
    for r in rows:
        s = spans.get(int(r["span_id"]))
        if not s or (int(r["start"]), int(r["end"]), r["label"], unguard(r["text"])) != (s["start"], s["end"], s["label"], s["text"]):
            mismatched.append(r["span_id"])
        for col in ("document_title", "text", "note", "source_texts"):
            if r[col].startswith(FORMULA):
                unguarded.append((r["span_id"], col))
    check(not mismatched, f"csv: rows match the JSON spans (bad: {mismatched[:5]})")
    check(not unguarded, f"csv: no text cell starts with a formula trigger (bad: {unguarded[:5]})")
    try:
        import pandas
        frame = pandas.read_csv(os.path.join(out, "spans.csv"), keep_default_na=False, dtype=str)
        check(len(frame) == len(rows), f"csv: pandas reads {len(frame)} rows")
    except ImportError:
        print("skip: pandas not installed")

    # 3. JSONL, then spaCy's Doc.char_span on a blank English pipeline.
    lines = [json.loads(l) for l in open(os.path.join(out, "spans.jsonl"), encoding="utf-8") if l.strip()]
    check(len(lines) == len(docs), f"jsonl: {len(lines)} documents")
    ent_bad = []
    for line in lines:
        for e in line["entities"]:
            s = spans.get(e["id"])
            if not s or (e["start_offset"], e["end_offset"], e["label"]) != (s["start"], s["end"], s["label"]):
                ent_bad.append(e["id"])
    check(not ent_bad, f"jsonl: entities match the JSON spans (bad: {ent_bad[:5]})")
    try:
        import spacy
        nlp = spacy.blank("en")
        aligned = total = 0
        wrong = []
        for line in lines:
            doc = nlp(line["text"])
            bounds = {t.idx for t in doc} | {t.idx + len(t.text) for t in doc}
            group = []
            for e in line["entities"]:
                s, t = e["start_offset"], e["end_offset"]
                total += 1
                span = doc.char_span(s, t, label=e["label"])
                if s in bounds and t in bounds:
                    aligned += 1
                    if span is None or span.text != line["text"][s:t]:
                        wrong.append(e["id"])
                group.append(doc.char_span(s, t, label=e["label"], alignment_mode="expand"))
            doc.spans["sc"] = [g for g in group if g is not None]
        check(not wrong, f"spacy {spacy.__version__}: char_span works for all {aligned} token-aligned spans of {total} (bad: {wrong[:5]})")
        check(aligned >= 0.9 * total, f"spacy: {aligned}/{total} spans are token-aligned")
    except ImportError:
        skip("spacy")

    # 4. brat: our own reading of the standoff, then pybrat's parser.
    bdir = os.path.join(out, "brat")
    anns = sorted(f for f in os.listdir(bdir) if f.endswith(".ann"))
    t_count = r_count = 0
    problems = []
    for name in anns:
        text = open(os.path.join(bdir, name[:-4] + ".txt"), encoding="utf-8", newline="").read()
        tids = set()
        for line in open(os.path.join(bdir, name), encoding="utf-8", newline=""):
            line = line.rstrip("\n")
            if line.startswith("T"):
                tid, body, mention = line.split("\t", 2)
                tids.add(tid)
                t_count += 1
                frags = [tuple(map(int, f.split())) for f in body.split(" ", 1)[1].split(";")]
                pieces = [text[a:b] for a, b in frags]
                if " ".join(pieces) != mention or any("\n" in p for p in pieces):
                    problems.append(tid)
                if any(a >= b for a, b in frags) or any(frags[i][1] > frags[i + 1][0] for i in range(len(frags) - 1)):
                    problems.append(tid)
            elif line.startswith("R"):
                r_count += 1
                args = [a.split(":")[1] for a in line.split("\t")[1].split()[1:]]
                if any(a not in tids for a in args):
                    problems.append(line.split("\t")[0])
    check(not problems, f"brat: {t_count} T and {r_count} R lines consistent with the .txt (bad: {problems[:5]})")
    check(t_count == len(spans), "brat: one T line per span")
    try:
        from pybrat.parser import BratParser
        examples = BratParser(error="raise").parse(bdir)
        ents = sum(len(e.entities) for e in examples)
        rels = sum(len(e.relations) for e in examples)
        mention_bad = [en.id for ex in examples for en in ex.entities
                       if " ".join(ex.text[s.start:s.end] for s in en.spans) != en.mention]
        check(len(examples) == len(anns) and ents == t_count and rels == r_count,
              f"pybrat: parsed {len(examples)} documents, {ents} entities, {rels} relations")
        check(not mention_bad, f"pybrat: every mention equals its text slices (bad: {mention_bad[:5]})")
    except ImportError:
        skip("pybrat")

    # 5. W3C: quote, position and 32-code-point context agree.
    w3c = json.load(open(os.path.join(out, "w3c.jsonld"), encoding="utf-8"))
    items = w3c["first"]["items"]
    ids = {a["id"] for a in items}
    w_bad = []
    by_source = {}
    for d in docs.values():
        by_source[d["id"]] = d["text"]
    tagged = [a for a in items if a["motivation"] == "tagging"]
    for a in tagged:
        doc_id = int(a["target"]["source"].rsplit(":", 1)[1])
        text = by_source[doc_id]
        quote, pos = a["target"]["selector"]
        s, e = pos["start"], pos["end"]
        if (text[s:e], text[max(0, s - 32):s], text[e:e + 32]) != (quote["exact"], quote["prefix"], quote["suffix"]):
            w_bad.append(a["id"])
    check(not w_bad and len(tagged) == len(spans), f"w3c: {len(tagged)} tagging annotations with matching selectors (bad: {w_bad[:3]})")
    links = [a for a in items if a["motivation"] == "linking"]
    check(all(a["body"] in ids and a["target"] in ids for a in links), f"w3c: {len(links)} linking annotations reference annotations")

    # 6. HTML: parses, and no document or note text became markup.
    raw = open(os.path.join(out, "report.html"), encoding="utf-8").read()
    html.parser.HTMLParser().feed(raw)
    check("<script" not in raw.lower(), "html: no <script> element in the report")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: check_exports.py EXPORT_DIR")
    try:
        main(sys.argv[1])
    except Exception as e:  # a crash in a check is a failure, not a pass
        fail(f"checker crashed: {e!r}")
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)

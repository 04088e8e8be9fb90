#!/usr/bin/env python3
"""Checks Marginalia's exports with the Python libraries analysts really use.

Usage: python3 tests/clients/check_exports.py EXPORT_DIR  (one project's project.json,
spans.csv, spans.jsonl, brat/, w3c.jsonld and report.html; see .ci/run). project.json
is the reference for every other format. Offsets are code points = Python str indices.
Each check prints `ok:` or `FAIL:`, then `N passed, M failed`; exit 1 on any failure.
A missing library prints `skip: LIB not installed`, a FAIL for spacy/pybrat when
REQUIRE_CLIENTS=1. Valid brat that pybrat mishandles (pybrat_limits) prints `warn:`.
"""
import collections
import csv
import html.parser
import json
import os
import re
import sys

FORMULA = ("=", "+", "-", "@", "\t", "\r")  # spreadsheet formula triggers
CONTEXT = 32  # W3C TextQuoteSelector prefix/suffix length, in code points
CSV_HEADER = ["document", "document_title", "span_id", "label", "start", "end",
              "text", "note", "source_span_ids", "source_texts", "created", "status",
              "document_url", "published", "source_count", "anonymous_only", "source_kinds",
              "source_names"]
CSV_TEXT = ("document_title", "text", "note", "source_texts", "document_url", "published",
            "source_kinds", "source_names")  # formula-guarded cells
counts = {"passed": 0, "failed": 0}


def check(cond, msg, bad=()):
    """Prints ok/FAIL; a non-empty `bad` (offenders, first five shown) fails."""
    bad = list(bad)
    key, word = ("passed", "ok") if cond and not bad else ("failed", "FAIL")
    counts[key] += 1
    print(f"{word}: {msg}" + (f" (bad: {bad[:5]})" if bad else ""))


def skip(lib):
    if os.environ.get("REQUIRE_CLIENTS") == "1" and lib in ("spacy", "pybrat"):
        check(False, f"{lib} not installed (REQUIRE_CLIENTS=1)")
    else:
        print(f"skip: {lib} not installed")


def read(path):
    with open(path, encoding="utf-8", newline="") as f:  # keep \r and \n as written
        return f.read()


def guard(cell):  # the exporter's formula-injection rule: a leading apostrophe
    return "'" + cell if cell.startswith(FORMULA) else cell


def unguard(cell):  # an analyst's undo of that rule
    return cell[1:] if cell[:1] == "'" and cell[1:2] and cell[1] in FORMULA else cell


def fragments(text, start, end):
    """brat fragments of [start, end): split at each \\n, newlines dropped."""
    out, a = [], start
    for i, c in enumerate(text[start:end], start):
        if c == "\n":
            out += [(a, i)] if i > a else []
            a = i + 1
    return out + [(a, end)] if end > a else out


def lines_of(data):
    # split("\n"), not splitlines(): U+2028, U+0085, \x1c etc. are text here.
    return [line for line in data.split("\n") if line]


# 1. JSON, the reference ------------------------------------------------------
def check_json(out):
    p = json.loads(read(os.path.join(out, "project.json")))
    check((p.get("format"), p.get("version"), p.get("offset_unit")) == ("marginalia", 1, "code_points"),
          "json: format marginalia, version 1, offset_unit code_points")
    p["docs"] = {d["id"]: d for d in p["documents"]}
    p["by_id"] = {s["id"]: s for s in p["spans"]}
    check(len(p["by_id"]) == len(p["spans"]) and len(p["docs"]) == len(p["documents"]),
          f"json: {len(p['documents'])} document and {len(p['spans'])} span ids are unique")
    text = lambda s: p["docs"][s["document"]]["text"] if s["document"] in p["docs"] else ""
    check(True, "json: every span's text equals document text[start:end]",
          [s["id"] for s in p["spans"] if not 0 <= s["start"] < s["end"] <= len(text(s))
           or text(s)[s["start"]:s["end"]] != s["text"]])
    check(True, f"json: {len(p['links'])} links reference existing spans",
          [k["id"] for k in p["links"] if k["from"] not in p["by_id"] or k["to"] not in p["by_id"]])
    return p


# 2. CSV with the stdlib reader, then pandas ----------------------------------
def attribute_columns(p):
    """(name, column, kind) per declared attribute, labels in order, each name once."""
    out = []
    for label in p["labels"]:
        for a in label.get("attributes", []):
            if all(a["name"] != n for n, _, _ in out):
                column = "attr_" + a["name"] if a["name"] in CSV_HEADER else a["name"]
                kind = a["kind"] if isinstance(a["kind"], str) else next(iter(a["kind"]))
                out.append((a["name"], column, kind))
    return out


def attribute_cell(p, s, name, kind):
    """What the CSV holds for span s's attribute: numbers and flags as stored, a
    declared flag that is off as false, nothing where the label has no such attribute."""
    value = (s.get("attributes") or {}).get(name)
    if value is not None:
        return value if kind in ("Number", "Flag") else guard(value)
    label = next(l for l in p["labels"] if l["id"] == s["label"])
    declared = any(a["name"] == name for a in label.get("attributes", []))
    return "false" if kind == "Flag" and declared else ""


def sourcing_cells(p, s):
    """The four sourcing cells of span `s`, worked out from the JSON: for a
    claim or figure (by the schema's roles, or as the content of an
    attribution link) its distinct sources through attribution links (an
    entry once, a span without one once each); empty for other spans."""
    roles = p.get("sourcing") or {}
    rules = {r["relation"] for r in roles.get("attributions", []) if "content" not in r}
    registry = {e["id"]: e for e in p.get("sources", [])}
    targets = [k["to"] for k in p["links"] if k["from"] == s["id"] and k["type"] in rules]
    is_claim = s["label"] in roles.get("claims", []) + roles.get("figures", []) or targets
    if not is_claim or not roles:
        return {}
    keys, names, kinds, idents = [], [], [], []
    for t in sorted(targets, key=lambda i: (p["by_id"][i].get("source") is None,
                                           p["by_id"][i].get("source") or i)):
        e = p["by_id"][t].get("source")
        key = ("e", e) if e is not None else ("s", t)
        if key in keys:
            continue
        keys.append(key)
        if e is not None:
            names.append(registry[e]["name"])
            idents.append(registry[e]["identification"])
            if registry[e]["kind"] not in kinds:
                kinds.append(registry[e]["kind"])
        else:
            names.append(p["by_id"][t]["text"])
            idents.append(None)
    anonymous = bool(idents) and all(i in ("described", "anonymous") for i in idents)
    return {"source_count": str(len(keys)), "anonymous_only": "true" if anonymous else "false",
            "source_kinds": ";".join(kinds), "source_names": "; ".join(names)}


def check_csv(out, p):
    path = os.path.join(out, "spans.csv")
    with open(path, newline="", encoding="utf-8") as f:  # newline="": quoted \n and \r stay
        header, *rows = list(csv.reader(f))
    attrs = attribute_columns(p)
    full = CSV_HEADER + [c for _, c, _ in attrs]
    check(header == full, f"csv: header is {','.join(full)}, every row has {len(full)} cells",
          [f"line {i}" for i, r in enumerate(rows, 2) if len(r) != len(full)])
    rows = [dict(zip(full, r)) for r in rows if len(r) == len(full)]
    check(sorted(r["span_id"] for r in rows) == sorted(str(i) for i in p["by_id"]),
          f"csv: {len(rows)} rows, one per JSON span ({len(p['spans'])})")
    linked = {(k["from"], k["to"]) for k in p["links"]}
    mismatched, unprotected = [], []
    for r in rows:
        s = p["by_id"].get(int(r["span_id"])) if r["span_id"].isdigit() else None
        if s is None:
            continue  # reported by the row count
        src = [int(x) for x in r["source_span_ids"].split(";") if x.isdigit()]
        if ";".join(map(str, src)) != r["source_span_ids"] or any((s["id"], i) not in linked for i in src):
            mismatched.append((s["id"], "source_span_ids"))
            src = []
        want = {"document": str(s["document"]), "label": s["label"], "start": str(s["start"]),
                "end": str(s["end"]), "created": s["created"], "text": s["text"], "note": s["note"] or "",
                "document_title": p["docs"][s["document"]]["title"],
                "status": p["docs"][s["document"]].get("status", "new"),
                "document_url": (p["docs"][s["document"]].get("source") or {}).get("url", ""),
                "published": (p["docs"][s["document"]].get("source") or {}).get("published", ""),
                "source_texts": " | ".join(p["by_id"][i]["text"] for i in src)}
        want.update(sourcing_cells(p, s))
        for name, column, kind in attrs:
            want[column] = attribute_cell(p, s, name, kind)
        for col, value in want.items():
            # Numbers are never altered. Text cells must read back after the
            # analyst's undo; the one ambiguity (a text that itself starts with
            # ' and a trigger) is accepted when the cell is exactly guard(text).
            cell = r[col]
            if col in CSV_TEXT and unguard(cell) != value and cell != guard(value) or \
                    col not in CSV_TEXT and cell != value:
                mismatched.append((s["id"], col))
        unprotected += [(s["id"], c) for c in CSV_TEXT if r[c].startswith(FORMULA)]
    check(True, "csv: every row's numbers, label, texts, note and sources match the JSON", mismatched)
    check(True, "csv: no text cell starts with = + - @ TAB CR unprotected", unprotected)
    try:
        import pandas
    except ImportError:
        return skip("pandas")
    frame = pandas.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    check(list(frame.columns) == full and frame.values.tolist() == [list(r.values()) for r in rows],
          f"csv: pandas {pandas.__version__} reads the same {len(frame)} rows and cells")
    # Read with pandas' own typing: numbers are numbers, flags are booleans.
    typed = pandas.read_csv(path, encoding="utf-8")
    bad = []
    for name, column, kind in attrs:
        cells = [r[column] for r in rows]
        col = typed[column]
        if kind == "Number" and any(cells):
            if not pandas.api.types.is_numeric_dtype(col):
                bad.append((column, str(col.dtype)))
            elif [float(c) for c in cells if c] != [float(v) for v in col.dropna()]:
                bad.append((column, "values"))
        if kind == "Flag" and any(cells):
            if sorted({v for v in col.dropna()}, key=str) != sorted({c == "true" for c in cells if c}, key=str):
                bad.append((column, "flags"))
    check(True, "csv: pandas reads attribute columns typed (numbers as numbers, flags as booleans)", bad)


# 3. JSONL (doccano), then spaCy's Doc.char_span ------------------------------
def check_jsonl(out, p):
    lines, bad = [], []
    for n, line in enumerate(lines_of(read(os.path.join(out, "spans.jsonl"))), 1):
        try:
            lines.append(json.loads(line))
        except ValueError as e:
            bad.append(f"line {n}: {e}")
    check(True, f"jsonl: {len(lines)} lines parse as JSON", bad)
    check(sorted(jd["id"] for jd in lines) == sorted(p["docs"]), "jsonl: one line per JSON document")
    bad = []
    for jd in lines:
        doc = p["docs"].get(jd["id"])
        if doc is None or (jd["title"], jd["text"]) != (doc["title"], doc["text"]):
            bad.append(("doc", jd["id"]))
            continue
        got = {e["id"]: (e["label"], e["start_offset"], e["end_offset"]) for e in jd["entities"]}
        want = {s["id"]: (s["label"], s["start"], s["end"]) for s in p["spans"] if s["document"] == jd["id"]}
        bad += [("entity", i) for i in set(got) | set(want) if got.get(i) != want.get(i)]
        bad += [("entities", "duplicate id")] if len(got) != len(jd["entities"]) else []
        got = {(r["id"], r["from_id"], r["to_id"], r["type"]) for r in jd["relations"]}
        want = {(k["id"], k["from"], k["to"], k["type"]) for k in p["links"] if {k["from"], k["to"]} <= set(want)}
        bad += [("relation", r[0]) for r in got ^ want]
    check(True, "jsonl: title, text, entities and relations match the JSON", bad)
    try:
        import spacy
    except ImportError:
        return skip("spacy")
    nlp = spacy.blank("en")
    aligned = total = grouped = 0
    wrong = []
    for jd in lines:
        text, doc = jd["text"], nlp(jd["text"])
        wrong += [("doc.text", jd["id"])] if doc.text != text else []
        # Aligned = starts where a token starts, ends where one ends. (An end
        # after trailing whitespace is also the next token's start, but
        # spaCy's Span.text never includes the last token's whitespace.)
        starts, ends = {t.idx for t in doc}, {t.idx + len(t.text) for t in doc}
        group = []
        for e in jd["entities"]:
            s, t = e["start_offset"], e["end_offset"]
            total += 1
            span = doc.char_span(s, t, label=e["label"])
            if s in starts and t in ends:
                aligned += 1
                if span is None or (span.text, span.start_char, span.end_char) != (text[s:t], s, t):
                    wrong.append(e["id"])
            # Every span, overlapping or not aligned, goes in a SpanGroup (spancat's input).
            group.append(span or doc.char_span(s, t, label=e["label"], alignment_mode="expand"))
        doc.spans["sc"] = [g for g in group if g is not None]
        grouped += len(doc.spans["sc"])
    check(True, f"spacy {spacy.__version__}: char_span gives the exact text of every token-aligned "
          f"span ({aligned} aligned / {total} total)", wrong)
    check(grouped == total, f"spacy: doc.spans['sc'] holds all {grouped}/{total} spans")


# 4. brat standoff: our own strict reading, then pybrat -----------------------
T_LINE = re.compile(r"T(\d+)\t(\S+) (\d+ \d+(?:;\d+ \d+)*)\t(.*)")
R_LINE = re.compile(r"R(\d+)\t(\S+) Arg1:T(\d+) Arg2:T(\d+)")
NOTE_LINE = re.compile(r"#\d+\tAnnotatorNotes T(\d+)\t(.*)")
SOURCE_LINE = re.compile(r"N\d+\tReference T(\d+) Marginalia:(\d+)\t(.*)")  # registry entries
ATTR_LINE = re.compile(r"[AM]\d+\t(\S+) T(\d+)(?: (\S+))?")  # no value: a flag ("true")


def check_brat(out, p):
    bdir = os.path.join(out, "brat")
    names = sorted(f[:-4] for f in os.listdir(bdir) if f.endswith(".ann"))
    lone = [n for n in names if not os.path.isfile(os.path.join(bdir, n + ".txt"))]
    check(len(names) == len(p["docs"]) and os.path.isfile(os.path.join(bdir, "annotation.conf")),
          f"brat: annotation.conf and {len(names)} .ann files, one per document, each with its .txt", lone)
    links = {k["id"]: (k["type"], k["from"], k["to"]) for k in p["links"]}
    bad, parsed, seen, n_t, n_r, n_a, n_n = [], {}, set(), 0, 0, 0, 0
    for name in (n for n in names if n not in lone):
        text, ents, doc, later = read(os.path.join(bdir, name + ".txt")), {}, None, []
        for line in lines_of(read(os.path.join(bdir, name + ".ann"))):
            t = T_LINE.fullmatch(line)
            if t:
                n_t += 1
                sid, frags = int(t[1]), [tuple(map(int, f.split())) for f in t[3].split(";")]
                pieces, s = [text[a:b] for a, b in frags], p["by_id"].get(sid)
                ents[sid] = (frags, t[4])
                doc = doc or (s and p["docs"][s["document"]])
                if " ".join(pieces) != t[4] or any("\n" in x for x in pieces):
                    bad.append((name, f"T{sid}", "fragment texts"))
                if any(a >= b for a, b in frags) or any(x[1] > y[0] for x, y in zip(frags, frags[1:])):
                    bad.append((name, f"T{sid}", "fragment order"))
                spans_of = s and (s.get("fragments") or [(s["start"], s["end"])])
                want = s and [f for a, b in spans_of for f in fragments(doc["text"], a, b)]
                if not s or s["label"] != t[2] or doc["id"] != s["document"] or frags != want:
                    bad.append((name, f"T{sid}", "differs from the JSON span"))
            else:
                later.append(line)  # R and note lines may refer to T lines below them
        for line in later:
            r, note, attr = R_LINE.fullmatch(line), NOTE_LINE.fullmatch(line), ATTR_LINE.fullmatch(line)
            ref = SOURCE_LINE.fullmatch(line)
            if ref:
                n_n += 1
                s = p["by_id"].get(int(ref[1]))
                entry = {e["id"]: e for e in p.get("sources", [])}.get(int(ref[2]))
                if int(ref[1]) not in ents or not s or s.get("source") != int(ref[2]) or \
                        not entry or entry["name"] != ref[3]:
                    bad.append((name, f"source reference on T{ref[1]}"))
            elif attr:
                n_a += 1
                s = p["by_id"].get(int(attr[2]))
                if int(attr[2]) not in ents or not s or \
                        (s.get("attributes") or {}).get(attr[1]) != (attr[3] or "true"):
                    bad.append((name, f"attribute {attr[1]} on T{attr[2]}"))
            elif r:
                n_r += 1
                if not {int(r[3]), int(r[4])} <= set(ents) or \
                        links.get(int(r[1])) != (r[2], int(r[3]), int(r[4])):
                    bad.append((name, f"R{r[1]}"))
            elif note:
                s = p["by_id"].get(int(note[1]))
                if int(note[1]) not in ents or not s or re.sub(r"[\r\n\t]", " ", s["note"] or "") != note[2]:
                    bad.append((name, f"note on T{note[1]}"))
            else:
                bad.append((name, "unreadable line", line[:40]))
        # A file without T lines is matched to its document by its text.
        doc = doc or next((d for d in p["documents"] if d["text"] == text), None)
        if doc is None or doc["text"] != text or doc["id"] in seen:
            bad.append((name, ".txt is not exactly one document's text"))
        seen.add(doc and doc["id"])
        parsed[name] = (text, ents)
    check(True, f"brat: {n_t} T, {n_r} R and {n_a} A lines and the notes agree with the .txt and the JSON", bad)
    want_n = sum(1 for s in p["spans"] if s.get("source") is not None)
    check(n_n == want_n, f"brat: one Marginalia reference (N line) per span with a registry entry ({want_n})")
    want_a = sum(len(s.get("attributes") or {}) for s in p["spans"])
    check(n_a == want_a, f"brat: one A line per attribute value ({want_a})")
    want_t = sum(1 for s in p["spans"] if fragments(p["docs"][s["document"]]["text"], s["start"], s["end"]))
    want_r = sum(1 for k in p["links"] if p["by_id"][k["from"]]["document"] == p["by_id"][k["to"]]["document"])
    check((n_t, n_r) == (want_t, want_r),
          f"brat: {want_t} T lines (spans not only newlines), {want_r} R lines (links within a document)")
    check_pybrat(bdir, parsed, n_t, n_r)


def pybrat_limits(parsed):
    """Valid brat that pybrat 0.1.7 (pybrat/parser.py) mishandles: it rstrip()s
    each .ann line, losing a mention's trailing whitespace (U+00A0 too) or the
    whole T line if the mention is only whitespace; it raises on two T lines
    with identical fragments (one range, two labels); it reads .txt files with
    universal newlines (\\r\\n and \\r become \\n)."""
    limits, excused, dropped = [], set(), 0
    for name, (text, ents) in parsed.items():
        if "\r" in text:
            limits.append(f"{name}.txt has \\r")
            excused.add(name)
        first = {}
        for sid, (frags, mention) in ents.items():
            if mention != mention.rstrip():
                limits.append(f"{name} T{sid}: mention ends in whitespace")
                excused.add((name, f"T{sid}"))
                dropped += not mention.strip()
            if first.setdefault(tuple(frags), sid) != sid:
                limits.append(f"{name} T{first[tuple(frags)]}/T{sid}: identical fragments")
    return limits, excused, dropped


def check_pybrat(bdir, parsed, n_t, n_r):
    try:
        import pybrat
        from pybrat.parser import BratParser
    except ImportError:
        return skip("pybrat")
    limits, excused, dropped = pybrat_limits(parsed)
    if limits:
        print(f"warn: pybrat {pybrat.__version__} mishandles valid brat here: {limits[:5]}")
    try:
        examples = BratParser(error="raise").parse(bdir)
    except Exception as e:  # RuntimeError/KeyError on lines or files it refuses
        if not limits:
            return check(False, f"pybrat {pybrat.__version__} refuses the folder: {type(e).__name__}: {e}")
        print(f"warn: pybrat raised {type(e).__name__}: {e}; parsing again with error='ignore'")
        try:
            examples = BratParser(error="ignore").parse(bdir)
        except Exception as e:
            return check(False, f"pybrat refuses the folder even with error='ignore': {type(e).__name__}: {e}")
    by_name = {ex.id: ex for ex in examples}  # Example.id is the file stem
    ents, rels = sum(len(ex.entities) for ex in examples), sum(len(ex.relations) for ex in examples)
    check(sorted(by_name) == sorted(parsed), f"pybrat {pybrat.__version__}: loads all {len(parsed)} documents")
    check((ents, rels) == (n_t - dropped, n_r), f"pybrat: finds {ents} entities and {rels} relations "
          f"(ours: {n_t} and {n_r}; T lines it drops by its limits: {dropped})")
    bad = []
    for name, (text, ours) in parsed.items():
        ex = by_name.get(name)
        if ex is None or name in excused:
            continue
        bad += [(name, "text")] if ex.text != text else []
        for en in ex.entities:  # Entity.id "T7", .type, .mention, .spans [Span(start, end)]
            frags = [(sp.start, sp.end) for sp in en.spans]
            if (name, en.id) not in excused and (ours.get(int(en.id[1:])) != (frags, en.mention)
                                                 or " ".join(ex.text[a:b] for a, b in frags) != en.mention):
                bad.append((name, en.id))
    check(True, "pybrat: each entity's fragments and mention equal ours and its text slices", bad)


# 5. W3C Web Annotation -------------------------------------------------------
def check_w3c(out, p):
    w = json.loads(read(os.path.join(out, "w3c.jsonld")))
    items = w["first"]["items"]
    check((w.get("@context"), w.get("type"), w.get("total"), len({a["id"] for a in items})) ==
          ("http://www.w3.org/ns/anno.jsonld", "AnnotationCollection", len(items), len(items)),
          f"w3c: an AnnotationCollection whose total is its {len(items)} items, with unique ids")
    key, bad = {}, []  # annotation id -> (document, start, end, label, note)
    by_url = {}  # an article's own URL is its annotations' source
    for d in p["documents"]:
        url = (d.get("source") or {}).get("url")
        if url:
            by_url.setdefault(url, []).append(d)
    for a in (a for a in items if a.get("motivation") == "tagging"):
        sel = {x["type"]: x for x in a["target"]["selector"]}
        source = a["target"]["source"]
        if source in by_url:
            # Articles sharing a URL are told apart by the quoted text.
            pos0 = sel.get("TextPositionSelector") or {}
            exact = (sel.get("TextQuoteSelector") or {}).get("exact")
            fits = [d for d in by_url[source]
                    if d["text"][pos0.get("start", 0):pos0.get("end", 0)] == exact]
            doc = fits[0] if fits else None
        else:
            m = re.search(r"(\d+)$", source)  # the document id ends its IRI
            doc = p["docs"].get(int(m[1])) if m else None
        q, pos = sel.get("TextQuoteSelector"), sel.get("TextPositionSelector")
        body = {b["purpose"]: b["value"] for b in a["body"]}
        if doc is None or q is None or pos is None or "tagging" not in body:
            bad.append(a["id"])
            continue
        t, s, e = doc["text"], pos["start"], pos["end"]
        if (q["exact"], q["prefix"], q["suffix"]) != (t[s:e], t[max(0, s - CONTEXT):s], t[e:e + CONTEXT]):
            bad.append(a["id"])
        key[a["id"]] = (doc["id"], s, e, body["tagging"], body.get("commenting"))
    check(True, f"w3c: {len(key)} tagging annotations: position slice == exact, "
          f"prefix/suffix are the {CONTEXT} code points around it", bad)
    span_key = lambda s: (s["document"], s["start"], s["end"], s["label"], s["note"])
    check(sorted(key.values(), key=str) == sorted(map(span_key, p["spans"]), key=str),
          "w3c: the tagging annotations are the JSON spans (document, offsets, label, note)")
    links = [a for a in items if a.get("motivation") == "linking"]
    check(True, f"w3c: {len(links)} linking annotations reference existing span annotations",
          [a["id"] for a in links if a["target"] not in key or a["body"] not in key])
    # A link's target is its `from` span annotation, its body the `to` one.
    got = collections.Counter((key.get(a["target"]), key.get(a["body"])) for a in links)
    want = collections.Counter((span_key(p["by_id"][k["from"]]), span_key(p["by_id"][k["to"]]))
                               for k in p["links"])
    check(got == want, "w3c: the linking annotations are the JSON links")


# 6. HTML report --------------------------------------------------------------
class Report(html.parser.HTMLParser):
    """Tracks open tags, so mis-nesting shows, and collects the text; the text
    of each <div class="text"> (an article's highlighted text) is kept whole."""
    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.errors, self.data, self.texts = [], [], [], []

    def handle_starttag(self, tag, attrs):
        if tag not in self.VOID:
            self.stack.append((tag, len(self.data), ("class", "text") in attrs))

    def handle_endtag(self, tag):
        if tag in self.VOID:
            return
        if not self.stack or self.stack[-1][0] != tag:
            return self.errors.append(f"</{tag}> at line {self.getpos()[0]} closes <{self.stack[-1][0] if self.stack else None}>")
        _, start, is_text = self.stack.pop()
        if is_text:
            self.texts.append("".join(self.data[start:]))

    def handle_data(self, data):
        self.data.append(data)


def check_html(out, p):
    raw = read(os.path.join(out, "report.html"))
    r = Report()
    r.feed(raw)
    r.close()
    check(not r.stack, "html: html.parser reads the report, tags balanced",
          r.errors + [f"unclosed <{t[0]}>" for t in r.stack])
    check("<script" not in raw.lower(), "html: no literal <script in the report")
    # Escaping round trip: text like "<script>" or "&amp;" reads back unchanged.
    check(True, "html: every document's title and exact text read back from the report",
          [d["id"] for d in p["documents"] if d["text"] not in r.texts or d["title"] not in "".join(r.data)])


def main(out):
    try:
        p = check_json(out)
    except Exception as e:  # nothing else can be compared without the reference
        return check(False, f"json: cannot read project.json: {type(e).__name__}: {e}")
    for name, fn in [("csv", check_csv), ("jsonl", check_jsonl), ("brat", check_brat),
                     ("w3c", check_w3c), ("html", check_html)]:
        try:
            fn(out, p)
        except Exception as e:  # a crash in a check is a failure, never a pass
            check(False, f"{name}: checker crashed: {type(e).__name__}: {e!r}")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: check_exports.py EXPORT_DIR")
    main(sys.argv[1])
    print(f"{counts['passed']} passed, {counts['failed']} failed")
    sys.exit(1 if counts["failed"] else 0)

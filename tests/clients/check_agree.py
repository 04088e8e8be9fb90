"""Compares `marginalia agree --json` with bratiaa 0.1.4 on one brat project.

Usage: check_agree.py BRAT_ROOT INSTANCE.json TOKEN.json

BRAT_ROOT holds one folder per annotator and annotation.conf (bratiaa's
layout); the JSON files are `marginalia agree --json` over projects
imported from those folders, in the folders' sorted order. Totals and
per-label figures must agree to 1e-9; documents are compared as the sorted
list of their (mean, sd), since bratiaa names them by file and we by title.
Exit 0 when everything matches, 1 otherwise.
"""
import json, math, os, sys

try:
    from bratiaa import compute_f1_agreement
    from bratiaa.utils import tokenize
except ImportError:
    if os.environ.get("REQUIRE_CLIENTS"):
        raise
    print("SKIPPED: bratiaa is not installed")
    sys.exit(0)

root, inst_path, tok_path = sys.argv[1:4]
failures = 0


def same(a, b):
    if a is None or (isinstance(a, float) and math.isnan(a)):
        return b is None or (isinstance(b, float) and math.isnan(b))
    return b is not None and abs(a - b) < 1e-9


def check(what, ours, theirs):
    global failures
    ok = all(same(t, o) for o, t in zip(ours, theirs))
    print(f"{'ok  ' if ok else 'FAIL'} {what}: marginalia {ours} bratiaa {theirs}")
    failures += not ok


for mode, path, token_func in [("instance", inst_path, None), ("token", tok_path, tokenize)]:
    ours = json.load(open(path, encoding="utf-8"))
    f1 = compute_f1_agreement(root, token_func=token_func)
    check(f"{mode} annotators", [ours["annotators"]], [float(len(f1.annotators))])
    m, s = f1.mean_sd_total()
    check(f"{mode} total", [ours["total"]["mean"], ours["total"]["sd"]], [float(m), float(s)])
    means, sds = f1.mean_sd_per_label()
    for label, m, s in zip(f1.labels, means, sds):
        row = ours["labels"][label]
        check(f"{mode} label {label}", [row["mean"], row["sd"]], [float(m), float(s)])
    means, sds = f1.mean_sd_per_document()
    theirs = sorted((float(m), float(s)) for m, s in zip(means, sds))
    mine = sorted((d["mean"], d["sd"]) for d in ours["documents"].values())
    for (a, b), (c, d) in zip(mine, theirs):
        check(f"{mode} document", [a, b], [c, d])
    check(f"{mode} document count", [len(mine)], [float(len(theirs))])

print(f"{failures} failed")
sys.exit(1 if failures else 0)

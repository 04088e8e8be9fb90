"""Builds a three-annotator brat project for checking `marginalia agree`
against bratiaa (CI runs it on the result; see .ci/run).

ann1 is the sample project's brat export (projects/daily-nk-workers.ron,
two Daily NK articles). ann2 and ann3 are ann1 with seeded, realistic
disagreements: spans dropped, boundaries moved by a word, labels changed,
spans made discontinuous, and stray extra spans. Run from the repository
root with the export in EXPORT:  python3 tests/data/agree-own/make.py EXPORT
"""
import os, random, re, shutil, sys

src = sys.argv[1]
out = os.path.dirname(os.path.abspath(__file__))
labels = ["claim", "figure", "source"]


def words(text):
    return [(m.start(), m.end()) for m in re.finditer(r"\S+", text)]


def covered(text, frags):
    return " ".join(text[a:b] for a, b in frags)


def perturb(text, ann, rng):
    toks = words(text)
    lines, kept, relabelled = [], set(), set()
    for line in ann.splitlines():
        if not line.startswith("T"):
            continue
        tid, mid, _ = line.split("\t")
        label, offs = mid.split(" ", 1)
        frags = [tuple(map(int, f.split())) for f in offs.split(";")]
        r = rng.random()
        if r < 0.08:
            continue  # missed
        a, b = frags[0][0], frags[-1][1]
        inside = [t for t in toks if t[0] >= a and t[1] <= b]
        if r < 0.16 and len(inside) > 2:
            # boundary moved by one word, at the start or the end
            if rng.random() < 0.5:
                frags = [(inside[1][0], b)]
            else:
                frags = [(a, inside[-2][1])]
        elif r < 0.22:
            label = rng.choice([l for l in labels if l != label])
            relabelled.add(tid)
        elif r < 0.26 and len(inside) > 4 and len(frags) == 1:
            # discontinuous: a word in the middle left out
            k = len(inside) // 2
            frags = [(a, inside[k - 1][1]), (inside[k + 1][0], b)]
        kept.add(tid)
        offs = ";".join(f"{x} {y}" for x, y in frags)
        lines.append(f"{tid}\t{label} {offs}\t{covered(text, frags)}")
    n = max(int(t[1:]) for t in kept) if kept else 0
    for _ in range(rng.randint(1, 3)):
        n += 1
        x, y = rng.choice(toks)
        lines.append(f"T{n}\t{rng.choice(labels)} {x} {y}\t{text[x:y]}")
    for line in ann.splitlines():
        if line.startswith("R"):
            ends = re.findall(r"Arg\d:(T\d+)", line)
            # A relabelled end could break the link rule: leave it out.
            if all(e in kept and e not in relabelled for e in ends):
                lines.append(line)
    return "\n".join(lines) + "\n"


for name, seed in [("ann1", None), ("ann2", 2), ("ann3", 3)]:
    d = os.path.join(out, name)
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    for f in sorted(os.listdir(src)):
        if not f.endswith(".ann"):
            continue
        stem = f[:-4]
        text = open(os.path.join(src, stem + ".txt"), encoding="utf-8", newline="").read()
        ann = open(os.path.join(src, f), encoding="utf-8", newline="").read()
        if seed is not None:
            ann = perturb(text, ann, random.Random(f"{seed}-{stem}"))
        open(os.path.join(d, stem + ".txt"), "w", encoding="utf-8", newline="").write(text)
        open(os.path.join(d, f), "w", encoding="utf-8", newline="").write(ann)
shutil.copy(os.path.join(src, "annotation.conf"), os.path.join(out, "annotation.conf"))

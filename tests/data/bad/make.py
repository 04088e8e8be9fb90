#!/usr/bin/env python3
"""Regenerates the bad-input catalogue from good/tiny.ron. Each case is a
file here plus a row in expected.tsv: file, subcommand, exit code, and a
substring the error output must contain."""
import os, re
here = os.path.dirname(os.path.abspath(__file__))
base = open(os.path.join(here, "..", "good", "tiny.ron"), encoding="utf-8").read()
rows = []

def case(name, content, cmd, code, expect):
    mode = "wb" if isinstance(content, bytes) else "w"
    with open(os.path.join(here, name), mode, **({} if mode == "wb" else {"encoding": "utf-8", "newline": ""})) as f:
        f.write(content)
    rows.append((name, cmd, str(code), expect))

def sub(old, new, count=1):
    assert old in base, old
    return base.replace(old, new, count)

# --- project files (checked with `marginalia check`) ---
case("truncated.ron", base[: len(base) // 2], "check", 2, "truncated.ron:")
case("wrong-type.ron", sub("span: 5,", 'span: "five",'), "check", 2, "wrong-type.ron:7:")
case("deep-nesting.ron", "[" * 5000 + "]" * 5000, "check", 2, "nested too deeply")
case("newer-version.ron", sub("version: 1,", "version: 7,"), "check", 2, "version 7 is newer than this build supports")
case("no-version.ron", sub("    version: 1,\n", ""), "check", 2, "the first field must be `version")
case("span-past-end.ron", sub('(4, 1, "claim", 55, 61,', '(4, 1, "claim", 55, 6100,'), "check", 1, "span 4 (line 23): range 55..6100 is not a non-empty range inside the text")
case("span-reversed.ron", sub('(4, 1, "claim", 55, 61,', '(4, 1, "claim", 61, 55,'), "check", 1, "range 61..55")
case("span-empty.ron", sub('(4, 1, "claim", 55, 61,', '(4, 1, "claim", 55, 55,'), "check", 1, "range 55..55")
case("span-negative.ron", sub('(4, 1, "claim", 55, 61,', '(4, 1, "claim", -5, 61,'), "check", 2, "span-negative.ron:23:")
case("span-splits-grapheme.ron", sub('(4, 1, "claim", 55, 61,', '(4, 1, "claim", 55, 74,'), "check", 0, "end offset 74 splits a grapheme cluster")
case("unknown-label.ron", sub('(4, 1, "claim"', '(4, 1, "rumour"'), "check", 1, "span 4 (line 23): label \"rumour\" is not in the project's label schema")
case("unknown-document.ron", sub('(4, 1, "claim"', '(4, 9, "claim"'), "check", 1, "document 9 does not exist")
case("duplicate-span-id.ron", sub('(4, 1, "claim"', '(3, 1, "claim"'), "check", 1, "span id 3 is already used")
case("duplicate-document-id.ron", base.replace("    documents: [\n", "    documents: [\n        (id: 1, title: \"Dup\", text: \"x\"),\n", 1), "check", 1, "document id 1 is already used")
case("duplicate-label.ron", base.replace("    labels: [\n", "    labels: [\n        (id: \"claim\", name: \"Again\", color: \"#000000\", hotkey: None),\n", 1), "check", 1, "label \"claim\" already exists")
case("duplicate-hotkey.ron", base.replace("    labels: [\n", "    labels: [\n        (id: \"date\", name: \"Date\", color: \"#000000\", hotkey: Some('1')),\n", 1), "check", 1, "key '1' already tags label")
case("bad-colour.ron", sub('"#f2a53a"', '"orange"'), "check", 2, "colour \"orange\" is not of the form #rrggbb")
case("link-missing-span.ron", sub("(2, 2, 3, \"attributed_to\")", "(2, 2, 30, \"attributed_to\")"), "check", 1, "link 2 (line 28): span 30 does not exist")
case("self-link.ron", sub("(2, 2, 3, \"attributed_to\")", "(2, 3, 3, \"attributed_to\")"), "check", 1, "span 3 cannot be linked to itself")
case("duplicate-link.ron", sub("(2, 2, 3, \"attributed_to\")", "(2, 1, 3, \"attributed_to\")"), "check", 1, "span 1 is already linked to span 3")
case("hash-mismatch.ron", sub("sha256:95b4", "sha256:0000"), "check", 0, "the stored hash does not match the text")
case("latin1.ron", base.replace("Tiny", "Caf\u00e9").encode("latin-1", errors="replace"), "check", 2, "is not valid UTF-8")
case("empty.ron", "", "check", 2, "empty.ron is empty: it is not a Marginalia project")
case("bom-crlf.ron", "\ufeff" + base.replace("\n", "\r\n"), "check", 0, "bom-crlf.ron: ok")
case("text-file-as-project.ron", "Just some prose, not a project.\n", "check", 2, "text-file-as-project.ron:1:")

# --- version 3 files: every current file goes through the line-by-line
# reader first, so it is fed broken ones too ---
v3 = open(os.path.join(here, "..", "good", "tiny-v3.ron"), encoding="utf-8").read()

def sub3(old, new, count=1):
    assert old in v3, old
    return v3.replace(old, new, count)

case("v3-truncated.ron", v3[: len(v3) // 2], "check", 2, "v3-truncated.ron:")
case("v3-text-unclosed.ron", sub3('Daily NK.\\n', 'Daily NK.\\n"),\n'), "check", 2, "v3-text-unclosed.ron:")
case("v3-text-bad-escape.ron", sub3('Daily NK.\\n', 'Daily NK.\\q'), "check", 2, "v3-text-bad-escape.ron:20:")
case("v3-span-past-end.ron", sub3('(4, 1, "claim", 55, 61,', '(4, 1, "claim", 55, 6100,'), "check", 1, "span 4 (line 27): range 55..6100 is not a non-empty range inside the text")
case("v3-span-bad-field.ron", sub3('(4, 1, "claim", 55, 61,', '(4, 1, "claim", 55, "61",'), "check", 2, "v3-span-bad-field.ron:27:")
case("v3-span-unknown-label.ron", sub3('(4, 1, "claim"', '(4, 1, "rumour"'), "check", 1, "span 4 (line 27): label \"rumour\" is not in the project's label schema")
case("v3-span-bad-attribute.ron", sub3('(4, 1, "claim", 55, 61, "2026-11-23T00:00:00Z", None, [], {})', '(4, 1, "claim", 55, 61, "2026-11-23T00:00:00Z", None, [], {"colour": "red"})'), "check", 1, "span 4")
case("v3-span-bad-fragments.ron", sub3('(4, 1, "claim", 55, 61, "2026-11-23T00:00:00Z", None, [], {})', '(4, 1, "claim", 55, 61, "2026-11-23T00:00:00Z", None, [(58, 61), (55, 57)], {})'), "check", 1, "span 4")
case("v3-link-missing-span.ron", sub3("(2, 2, 3, \"attributed_to\")", "(2, 2, 30, \"attributed_to\")"), "check", 1, "link 2 (line 32): span 30 does not exist")
case("v3-settings-wrong-type.ron", sub3("    events: [],\n)", "    events: [],\n    settings: (rules_off: \"date\"),\n)"), "check", 2, "v3-settings-wrong-type.ron:")
case("v3-stale-unknown-span.ron", sub3("    events: [],\n)", "    events: [],\n    stale: [(99, \"value\")],\n)"), "check", 0, "v3-stale-unknown-span.ron: ok")
case("v3-crlf.ron", v3.replace("\n", "\r\n"), "check", 0, "v3-crlf.ron: ok")

# --- articles (imported with `marginalia new OUT.ron FILE`) ---
case("latin1.txt", "Caf\u00e9 in Pyongyang\n".encode("latin-1"), "new", 2, "is not UTF-8 text: invalid byte 0xe9 at byte offset 3")
case("utf16.txt", "\ufeffNorth Korea\n".encode("utf-16-le"), "new", 2, "it looks like UTF-16")
case("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "new", 2, "looks binary: NUL byte at byte offset 8")
case("empty.txt", b"", "new", 2, "is empty: there is no text to annotate")
case("whitespace-only.txt", b" \r\n\t\n", "new", 2, "is empty")
case("truncated-utf8.txt", "북한".encode("utf-8")[:-1], "new", 2, "invalid byte 0xed at byte offset 3")
case("bom-crlf.txt", "\ufeff“Quoted,” 북한\r\nline two\rline three\r\n".encode("utf-8"), "new", 0, "created")

with open(os.path.join(here, "expected.tsv"), "w", encoding="utf-8", newline="\n") as f:
    f.write("# file\tsubcommand\texit code\texpected text in the output\n")
    for r in rows:
        f.write("\t".join(r) + "\n")
print(len(rows), "cases")

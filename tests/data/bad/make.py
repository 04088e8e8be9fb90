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
# Other encodings are detected and read.
case("latin1.txt", "Caf\u00e9 in Pyongyang\n".encode("latin-1"), "new", 0, "created")
case("utf16.txt", "\ufeffNorth Korea\n".encode("utf-16-le"), "new", 0, "created")
case("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "new", 2, "looks binary: NUL byte at byte offset 8")
case("empty.txt", b"", "new", 2, "is empty: there is no text to annotate")
case("whitespace-only.txt", b" \r\n\t\n", "new", 2, "is empty")
case("truncated-utf8.txt", "북한".encode("utf-8")[:-1], "new", 2, "invalid byte 0xed at byte offset 3")
case("bom-crlf.txt", "\ufeff“Quoted,” 북한\r\nline two\rline three\r\n".encode("utf-8"), "new", 0, "created")

# --- pages, PDF, Word, EPUB that cannot be read (also `new`) ---
import io, zipfile

def pdf(lines, trailer=""):
    """A one-page PDF showing `lines` in Helvetica, with a correct xref."""
    stream = "BT /F1 11 Tf 72 740 Td 16 TL " + "".join("(%s) Tj T* " % l for l in lines) + "ET"
    objs = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [4 0 R] /Count 1 >>",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> /Contents 5 0 R >>",
        "<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
    ]
    out = "%PDF-1.4\n"
    offsets = []
    for i, o in enumerate(objs):
        offsets.append(len(out))
        out += "%d 0 obj\n%s\nendobj\n" % (i + 1, o)
    xref = len(out)
    out += "xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += "".join("%010d 00000 n \n" % o for o in offsets)
    out += "trailer\n<< /Size %d /Root 1 0 R %s>>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, trailer, xref)
    return out.encode("latin-1")

def zipped(entries):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in entries:
            z.writestr(name, data)
    return buf.getvalue()

report = ["Grain prices rose by a third in the border towns this spring.", "Traders blamed the closed crossings for the rise."]
case("scripts-only.html", "<html><head><script>var x = 1;</script></head><body><script>document.write('hi')</script><noscript></noscript></body></html>", "new", 2, "no article text was found")
case("encrypted.pdf", pdf(report, "/Encrypt << /Filter /Standard /V 2 /R 3 /O (x) /U (y) /P -4 >> /ID [<00><00>] "), "new", 2, "encrypted")
whole = pdf(report)
case("truncated.pdf", whole[: len(whole) // 3], "new", 2, "the PDF cannot be read")
case("scan.pdf", pdf([]), "new", 2, "no text layer")
case("page-named-as.pdf", "<!DOCTYPE html><html><body><article><p>Not a PDF at all, but a saved page.</p></article></body></html>", "new", 2, "named as a PDF but holds a web page")
case("text-named-as.docx", "Plain notes saved with the wrong name.\n", "new", 2, "named as a Word file but holds plain text")
case("truncated.docx", zipped([("[Content_Types].xml", "<Types/>"), ("word/document.xml", "<w:document><w:body><w:p><w:r><w:t>" + "Cut off. " * 400 + "</w:t></w:r></w:p></w:body></w:document>")])[:300], "new", 2, "a zip archive cannot be read")
case("no-container.epub", zipped([("mimetype", "application/epub+zip"), ("OEBPS/c1.xhtml", "<html><body><p>A chapter with no package.</p></body></html>")]), "new", 2, "it has no META-INF/container.xml")
# Too large to keep here: tests/bad_inputs.rs makes these when it runs.
rows.append(("@deep.html", "new", "2", "nested 100002 levels deep"))
rows.append(("@big.html", "new", "2", "larger than the 104857600-byte limit"))
rows.append(("@bomb.docx", "new", "2", "unpacked, over the"))
rows.append(("@bomb.epub", "new", "2", "unpacked, over the"))

with open(os.path.join(here, "expected.tsv"), "w", encoding="utf-8", newline="\n") as f:
    f.write("# file\tsubcommand\texit code\texpected text in the output\n")
    for r in rows:
        f.write("\t".join(r) + "\n")
print(len(rows), "cases")

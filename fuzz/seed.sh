#!/usr/bin/env bash
# Builds the fuzzers' seed corpus from the project's own test data and
# sample projects (the corpus folder itself is not committed).
set -euo pipefail
cd "$(dirname "$0")"
mkdir -p corpus/ron_loader corpus/text_import corpus/brat_import corpus/jsonl_import
cp ../projects/*.ron ../tests/data/good/tiny.ron ../tests/data/bad/*.ron corpus/ron_loader/
cp ../tests/data/bad/*.txt ../tests/data/good/tiny.txt corpus/text_import/
cp ../../shared/samples/*.txt corpus/text_import/ 2>/dev/null || true
for f in ../tests/golden/brat/*.ann; do
  # brat_import input is TEXT, a NUL byte, then the .ann.
  { cat "${f%.ann}.txt"; printf '\0'; cat "$f"; } > "corpus/brat_import/$(basename "$f" .ann)"
done
cp ../tests/golden/jsonl/out.jsonl corpus/jsonl_import/sample.jsonl
printf '{"text": "북한 10%%", "label": [[0, 2, "ORG"]]}\n' > corpus/jsonl_import/old.jsonl
# extract input is one byte choosing the name (txt html md docx odt epub
# pdf), then the file: the catalogue's articles, readable or not.
mkdir -p corpus/extract
pick=(txt html md docx odt epub pdf)
for f in ../tests/data/bad/*.{html,pdf,docx,epub,txt}; do
  ext="${f##*.}"
  for i in "${!pick[@]}"; do
    if [ "${pick[$i]}" = "$ext" ]; then
      { printf "\\$(printf '%03o' "$i")"; cat "$f"; } > "corpus/extract/$(basename "$f")"
    fi
  done
done
echo "seeded: $(find corpus -type f | wc -l) files"

#!/usr/bin/env bash
# Builds the Debian package: target/debian/marginalia_VERSION-1_ARCH.deb.
#   bash packaging/build-deb.sh
# Needs cargo-deb (cargo install cargo-deb --locked). Builds the release
# binary, writes the man page and shell completions from it, then packs
# them with the desktop entry, icons, AppStream metainfo and MIME type.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --locked --bin marginalia
out=target/packaging
rm -rf "$out"
mkdir -p "$out/completions"
bin=target/release/marginalia
"$bin" manpage | gzip -9n > "$out/marginalia.1.gz"
"$bin" completions bash > "$out/completions/marginalia"
"$bin" completions zsh > "$out/completions/_marginalia"
"$bin" completions fish > "$out/completions/marginalia.fish"
cargo deb --no-build --locked "$@"

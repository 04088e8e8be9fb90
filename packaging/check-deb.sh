#!/usr/bin/env bash
# Checks the built Debian package the way a user meets it (CI runs this):
#   bash packaging/check-deb.sh [target/debian/marginalia_….deb]
# validates the desktop entry and the AppStream metainfo, installs the
# package with apt, runs `marginalia --version`, asks gio for a project's
# type, opens a project with `gio open` under Xvfb and checks the window's
# WM_CLASS, then removes the package and checks nothing is left behind.
# Needs root (or sudo), desktop-file-utils, appstream, libglib2.0-bin,
# shared-mime-info, xvfb and x11-utils; CI installs them first.
set -euo pipefail
cd "$(dirname "$0")/.."

APP_ID=org.marginalia.Marginalia
MIME=application/x-marginalia-project
SUDO=
if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; fi

fail() { echo "check-deb: FAILED: $*" >&2; exit 1; }
say() { printf '  %s\n' "$*"; }

deb=${1:-$(ls -t target/debian/marginalia_*.deb 2>/dev/null | head -n 1)}
[ -f "$deb" ] || fail "no package: build it with bash packaging/build-deb.sh"
say "package: $deb"

desktop-file-validate "packaging/linux/$APP_ID.desktop" || fail "desktop-file-validate"
appstreamcli validate --no-net "packaging/linux/$APP_ID.metainfo.xml" || fail "appstreamcli validate"
say "desktop entry and metainfo valid"

$SUDO apt-get install -y --no-install-recommends "$(realpath "$deb")" >/dev/null || fail "apt-get install"
installed=$(dpkg-query -W -f='${Status}' marginalia)
[ "$installed" = "install ok installed" ] || fail "dpkg says: $installed"
say "installed: $(command -v marginalia)"
version=$(marginalia --version) || fail "marginalia --version"
say "$version"
man -w marginalia >/dev/null 2>&1 || [ -f /usr/share/man/man1/marginalia.1.gz ] || fail "no man page"
[ -f /usr/share/bash-completion/completions/marginalia ] || fail "no bash completion"

work=$(mktemp -d)
cleanup() {
  if [ -n "${app_pid:-}" ]; then kill "$app_pid" 2>/dev/null || true; fi
  pkill -x marginalia 2>/dev/null || true
  if [ -n "${xvfb_pid:-}" ]; then kill "$xvfb_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
export HOME="$work/home" XDG_CONFIG_HOME="$work/home/.config" XDG_DATA_HOME="$work/home/.local/share"
mkdir -p "$XDG_CONFIG_HOME" "$XDG_DATA_HOME"
project="$work/Field notes.ron"
cp projects/daily-nk-workers.ron "$project"
printf '(name: "not ours")\n' > "$work/other.ron"
type_of() { gio info -a standard::content-type "$1" | sed -n 's/^ *standard::content-type: //p'; }
[ "$(type_of "$project")" = "$MIME" ] || fail "gio says the project is $(type_of "$project")"
[ "$(type_of "$work/other.ron")" != "$MIME" ] || fail "another .ron file was taken for a project"
say "gio info: project is $MIME, another .ron file is $(type_of "$work/other.ron")"

display=:$(( 90 + RANDOM % 9 ))
Xvfb "$display" -screen 0 1280x800x24 >/dev/null 2>&1 &
xvfb_pid=$!
export DISPLAY=$display
for _ in $(seq 50); do xwininfo -root >/dev/null 2>&1 && break; sleep 0.1; done
gio open "$project" || fail "gio open"
window=
for _ in $(seq 300); do
  window=$(xwininfo -root -tree 2>/dev/null | grep -F "\"$APP_ID\")" | head -n 1 | awk '{print $1}') || true
  [ -n "$window" ] && break
  sleep 0.1
done
[ -n "$window" ] || fail "no window with class $APP_ID after gio open (windows: $(xwininfo -root -tree | grep -c '"'))"
class=$(xprop -id "$window" WM_CLASS)
say "gio open: window $window, $class"
case "$class" in *"\"$APP_ID\""*) ;; *) fail "WM_CLASS is $class" ;; esac
app_pid=$(xprop -id "$window" _NET_WM_PID | sed -n 's/.* = //p')
[ -n "$app_pid" ] && [ "$(cat "/proc/$app_pid/comm" 2>/dev/null)" = marginalia ] || fail "the window is not marginalia's (pid ${app_pid:-none})"
tr '\0' '\n' < "/proc/$app_pid/cmdline" | grep -qxF "$project" || fail "opened without the project"
kill "$app_pid"; app_pid=

files=$(dpkg-query -L marginalia | while read -r f; do [ -f "$f" ] && echo "$f"; done)
$SUDO dpkg -r marginalia >/dev/null || fail "dpkg -r"
status=$(dpkg-query -W -f='${Status}' marginalia 2>/dev/null || true)
case "$status" in ""|*not-installed*|"deinstall ok config-files") ;; *) fail "still installed: $status" ;; esac
left=$(for f in $files; do [ -e "$f" ] && echo "$f"; done || true)
[ -z "$left" ] || fail "left behind: $left"
! command -v marginalia >/dev/null || fail "marginalia still on PATH"
[ "$(type_of "$project")" != "$MIME" ] || fail "the MIME type outlived the package"
say "removed cleanly ($(echo "$files" | wc -l) files)"
echo "check-deb: all checks passed"

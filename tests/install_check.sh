#!/bin/sh
# install_check: `meson install` into a scratch DESTDIR puts everything a
# desktop needs where it belongs, and each piece validates:
#   the binary runs from there; the shaders and the tour are under share/zspace;
#   the .desktop entry passes desktop-file-validate; the AppStream metadata
#   passes appstreamcli validate (offline); the manual page renders without a
#   warning under man --warnings; the PNG icons have their nominal sizes; the
#   bash completion is valid bash and completes the commands.
# Skips (77) when a validator is missing (./bootstrap installs them).
# Usage: install_check.sh BUILD_DIR
set -u
B=$1
for tool in desktop-file-validate appstreamcli man bash; do
    command -v "$tool" >/dev/null 2>&1 || { echo "$tool not installed: skipped"; exit 77; }
done
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

meson install -C "$B" --destdir "$T/root" --no-rebuild --quiet >"$T/log" 2>&1 ||
    { cat "$T/log"; echo "FAIL: meson install"; exit 1; }
P=$(find "$T/root" -path '*/bin/zspace' -type f | head -n 1)
[ -n "$P" ] || { echo "FAIL: no bin/zspace installed"; exit 1; }
PREFIX=${P%/bin/zspace}
S=$PREFIX/share
ID=org.zspace.zspace

"$P" --version | grep -q '^zspace [0-9]' || fail "the installed binary does not run"
for f in zspace/shaders/ui.vert zspace/shaders/points.frag zspace/assets/tour.zss \
         applications/$ID.desktop metainfo/$ID.metainfo.xml man/man1/zspace.1 \
         bash-completion/completions/zspace icons/hicolor/scalable/apps/$ID.svg; do
    [ -s "$S/$f" ] || fail "share/$f not installed"
done

desktop-file-validate "$S/applications/$ID.desktop" >"$T/out" 2>&1 || { cat "$T/out"; fail "desktop-file-validate"; }
grep -q '^Categories=Education;Science;' "$S/applications/$ID.desktop" || fail "Categories"
appstreamcli validate --no-net --pedantic "$S/metainfo/$ID.metainfo.xml" >"$T/out" 2>&1 ||
    { cat "$T/out"; fail "appstreamcli validate"; }
grep -q '<screenshot type="default">' "$S/metainfo/$ID.metainfo.xml" || fail "no screenshot entry"
grep -q '<release version=' "$S/metainfo/$ID.metainfo.xml" || fail "no release notes"

MANWIDTH=80 man --warnings -l "$S/man/man1/zspace.1" >"$T/man" 2>"$T/manerr"
[ -s "$T/manerr" ] && { cat "$T/manerr"; fail "man --warnings printed warnings"; }
grep -q 'data import' "$T/man" || fail "the manual page does not render"
grep -q '@ZSPACE' "$S/man/man1/zspace.1" && fail "unsubstituted @...@ in the manual page"

# PNG width and height are big-endian at bytes 16..23 of the file.
for px in 16 24 32 48 64 128 256; do
    f="$S/icons/hicolor/${px}x${px}/apps/$ID.png"
    dims=$(od -An -tu1 -j16 -N8 "$f" 2>/dev/null | awk '{print $3*256+$4 "x" $7*256+$8}')
    [ "$dims" = "${px}x${px}" ] || fail "icon $f is '$dims', not ${px}x${px}"
done

# The completion: sourced with a minimal _init_completion, it offers commands.
cat >"$T/comp.sh" <<EOF
_init_completion() { cur=\${COMP_WORDS[COMP_CWORD]}; prev=\${COMP_WORDS[COMP_CWORD-1]}; words=("\${COMP_WORDS[@]}"); cword=\$COMP_CWORD; }
_filedir() { :; }
. "$S/bash-completion/completions/zspace"
COMP_WORDS=("$P" "tr"); COMP_CWORD=1; _zspace; echo "\${COMPREPLY[*]}"
COMP_WORDS=("$P" "data" "i"); COMP_CWORD=2; _zspace; echo "\${COMPREPLY[*]}"
COMP_WORDS=("$P" "train" "--ep"); COMP_CWORD=2; _zspace; echo "\${COMPREPLY[*]}"
EOF
bash "$T/comp.sh" >"$T/comp" 2>&1
[ "$(cat "$T/comp")" = "train
import inspect
--epochs" ] || { cat "$T/comp"; fail "bash completion"; }

if [ "$fails" -ne 0 ]; then
    echo "$fails install check(s) failed"
    exit 1
fi
echo "all install checks passed"

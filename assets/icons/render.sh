#!/bin/sh
# Renders the hand-drawn zspace.svg to the PNG sizes that are committed beside
# it (hicolor NxN). Run after changing the SVG; needs rsvg-convert (Debian
# librsvg2-bin). The PNGs are committed so building zspace does not need it.
set -eu
cd "$(dirname "$0")"
for px in 16 24 32 48 64 128 256; do
    rsvg-convert -w "$px" -h "$px" -o "zspace-$px.png" zspace.svg
done

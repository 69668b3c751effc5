#!/usr/bin/env bash
# Renders a report.html to a PNG with headless Chromium, to check how a report looks.
#   scripts/render-report.sh HTML PNG [WIDTH] [HEIGHT]
# WIDTH defaults to 1500 px; HEIGHT to a guess from the HTML's size (the page is cut there).
# Exits 3 when Chromium is missing (install it with: apt-get install -y chromium).
set -euo pipefail

if [ $# -lt 2 ]; then
  echo "usage: $0 HTML PNG [WIDTH] [HEIGHT]" >&2
  exit 2
fi
html=$1
png=$2
width=${3:-1500}

if [ ! -f "$html" ]; then
  echo "error: $html: no such file (write a report first: ablate report SPEC)" >&2
  exit 2
fi

browser=""
for candidate in chromium chromium-browser google-chrome; do
  if command -v "$candidate" >/dev/null 2>&1; then browser=$candidate; break; fi
done
if [ -z "$browser" ]; then
  echo "error: Chromium is not installed; install it with 'apt-get install -y chromium' (Debian) and rerun" >&2
  exit 3
fi

# Height: charts and tables make the page roughly proportional to the number of figures and rows.
if [ $# -ge 4 ]; then
  height=$4
else
  figures=$(grep -o '<figure>' "$html" | wc -l)
  rows=$(grep -o '<tr' "$html" | wc -l)
  if grep -q '<details>' "$html"; then rows=$(( $(grep -o '<table class="ablation">' "$html" | wc -l) * 6 + 40 )); fi
  height=$(( 900 + figures * 330 + rows * 34 ))
  if [ "$height" -gt 16000 ]; then height=16000; fi
fi

absolute=$(cd "$(dirname "$html")" && pwd)/$(basename "$html")
out_dir=$(cd "$(dirname "$png")" && pwd)
out=$out_dir/$(basename "$png")
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT

"$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars --no-first-run --no-default-browser-check \
  --user-data-dir="$profile" --force-device-scale-factor=1 --window-size="$width,$height" \
  --screenshot="$out" "file://$absolute" >/dev/null 2>&1 || {
  echo "error: $browser failed to render $html" >&2
  exit 1
}
if [ ! -s "$out" ]; then
  echo "error: $browser wrote no screenshot to $out" >&2
  exit 1
fi
echo "rendered $html -> $out (${width}x${height})"

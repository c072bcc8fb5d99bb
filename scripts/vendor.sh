#!/usr/bin/env bash
# Refresh the front-end libraries committed under treem/static/vendor/ from their npm packages.
# Versions are pinned here; change a version, run this script, review the diff, commit.
set -euo pipefail

HTMX=2.0.11
PICO=2.1.1
SWAGGER_UI=5.35.0
CHARTJS=4.5.1
AXE_CORE=4.11.0

root="$(cd "$(dirname "$0")/.." && pwd)"
dest="$root/treem/static/vendor"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

fetch() {  # fetch PACKAGE VERSION -> unpacked into $work/PACKAGE/package
  local name="$1" version="$2" dir="$work/${1//\//_}"
  mkdir -p "$dir"
  (cd "$dir" && npm pack --silent "$name@$version" >/dev/null && tar -xzf ./*.tgz)
  echo "$dir/package"
}

rm -rf "$dest"
mkdir -p "$dest/htmx" "$dest/pico" "$dest/swagger-ui" "$dest/chartjs" "$dest/axe-core"

pkg="$(fetch htmx.org "$HTMX")"
cp "$pkg/dist/htmx.min.js" "$pkg/LICENSE" "$dest/htmx/"

pkg="$(fetch @picocss/pico "$PICO")"
cp "$pkg/css/pico.min.css" "$pkg/LICENSE.md" "$dest/pico/"

pkg="$(fetch swagger-ui-dist "$SWAGGER_UI")"
cp "$pkg/swagger-ui.css" "$pkg/swagger-ui-bundle.js" "$pkg/swagger-ui-standalone-preset.js" \
   "$pkg/favicon-32x32.png" "$pkg/LICENSE" "$dest/swagger-ui/"

pkg="$(fetch chart.js "$CHARTJS")"
cp "$pkg/dist/chart.umd.min.js" "$pkg/LICENSE.md" "$dest/chartjs/"

# axe-core: accessibility checks run by the browser tests only; never served to users.
pkg="$(fetch axe-core "$AXE_CORE")"
cp "$pkg/axe.min.js" "$pkg/LICENSE" "$dest/axe-core/"

cat > "$dest/VERSIONS.txt" <<VERSIONS
htmx.org $HTMX
@picocss/pico $PICO
swagger-ui-dist $SWAGGER_UI
chart.js $CHARTJS
axe-core $AXE_CORE
VERSIONS
echo "vendored into $dest:"
cat "$dest/VERSIONS.txt"

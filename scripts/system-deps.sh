#!/usr/bin/env bash
# Debian packages the tests and the PDF forms need: Chromium for browser tests, fonts with
# Vietnamese glyphs for PDFs, gettext to rebuild translations. Installs only what is missing, and
# only when it can (root); otherwise says what to install.
set -euo pipefail
needed=()
[ -x /usr/bin/chromium ] || needed+=(chromium)
# Liberation 2 (not Debian's older fonts-liberation 1.x, which lacks glyphs such as ộ, ệ, ữ).
[ -f /usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf ] || needed+=(fonts-liberation2)
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || needed+=(fonts-dejavu-core)
command -v msgfmt >/dev/null || needed+=(gettext)
command -v pdftotext >/dev/null || needed+=(poppler-utils)
if [ ${#needed[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "missing Debian packages: ${needed[*]} (run: sudo apt-get install ${needed[*]})" >&2
  exit 0
fi
echo "installing Debian packages: ${needed[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${needed[@]}" >/dev/null

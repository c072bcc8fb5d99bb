#!/usr/bin/env bash
# Rebuild the English catalogues from the Vietnamese source strings, then compile them.
# The project catalogue (treem/locale) covers the shell, geo, accounts and audit; every other app
# keeps its own catalogue in treem/<app>/locale. New strings appear with an empty msgstr: fill
# them (scripts/po_fill.py helps), then run this again; tests/core/test_i18n.py fails while any
# English entry is empty or fuzzy.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
admin="$root/.venv/bin/django-admin"
apps=(registry protection portal assistance programmes people indicators)

cd "$root/treem"
ignores=(-i "lib/*" -i "static/*")
for app in "${apps[@]}"; do ignores+=(-i "$app/*"); done
"$admin" makemessages -l en --no-obsolete "${ignores[@]}"
"$admin" compilemessages -l en "${apps[@]/#/--ignore=}"
# treem/locale/vi holds hand-written overrides of Django's own strings: compile, never extract.
"$admin" compilemessages -l vi "${apps[@]/#/--ignore=}"

for app in "${apps[@]}"; do
  (cd "$root/treem/$app" && mkdir -p locale && "$admin" makemessages -l en --no-obsolete \
    && "$admin" compilemessages -l en)
done

for po in "$root"/treem/locale/en/LC_MESSAGES/django.po "$root"/treem/*/locale/en/LC_MESSAGES/django.po; do
  printf '%s: ' "${po#"$root"/}"
  msgfmt --statistics -o /dev/null "$po"
done

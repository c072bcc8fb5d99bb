"""Fill empty msgstr entries of a .po file from a Python dict of {msgid: translation}.

Used when a batch of new Vietnamese source strings gets its English translations:
    python scripts/po_fill.py treem/locale/en/LC_MESSAGES/django.po translations.py
where translations.py defines T = {"…": "…"}. Existing translations are left as they are; strings
without a translation are listed, so nothing is silently left in Vietnamese.
"""

from __future__ import annotations

import re
import runpy
import sys
from pathlib import Path


def _unquote(block: str) -> str:
    return "".join(
        bytes(m, "utf-8").decode("unicode_escape").encode("latin-1").decode("utf-8")
        for m in re.findall(r'"((?:[^"\\]|\\.)*)"', block)
    )


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def fill(po_path: Path, translations: dict[str, str]) -> list[str]:
    text = po_path.read_text(encoding="utf-8")
    missing: list[str] = []
    pattern = re.compile(r'^msgid ((?:".*"\n)+)msgstr ""\n(?!")', re.M)

    def replace(match: re.Match) -> str:
        msgid = _unquote(match.group(1))
        if not msgid:
            return match.group(0)
        if msgid in translations:
            return f"msgid {match.group(1)}msgstr {_quote(translations[msgid])}\n"
        missing.append(msgid)
        return match.group(0)

    text = pattern.sub(replace, text)
    # makemessages marks a new catalogue's header fuzzy, and msgfmt then ignores the header (and
    # with it the charset): a filled catalogue's header is real.
    text = text.replace(
        '#, fuzzy\nmsgid ""\nmsgstr ""\n"Project-Id', 'msgid ""\nmsgstr ""\n"Project-Id', 1
    )
    text = text.replace('"Language: \\n"', '"Language: en\\n"', 1)
    po_path.write_text(text, encoding="utf-8")
    return missing


if __name__ == "__main__":
    po, source = Path(sys.argv[1]), sys.argv[2]
    left = fill(po, runpy.run_path(source)["T"])
    for msgid in left:
        print(f"untranslated: {msgid}")
    sys.exit(1 if left else 0)

"""Vietnamese text normalisation used across Treem.

Stored text is NFC (see STYLE.md); comparison and search use :func:`fold`, never ad-hoc
``.lower()`` calls, so that "Nguyễn", "NGUYEN", "nguyễn" typed with a decomposed keyboard layout
and "Nguyen" all meet on the same key.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence

__all__ = ["fold", "fold_many", "nfc", "slugify_vi", "tone_keys_many"]

_SPACES = re.compile(r"\s+")
# Combining diacritical marks: after NFD every Vietnamese tone mark and vowel modifier
# (circumflex, breve, horn) is one of these, so dropping them leaves the base letter.
_MARKS = re.compile("[\u0300-\u036f]+")
# đ/Đ is a letter of its own, not d + a mark, so NFD keeps it: map it by hand.
_D_BAR = str.maketrans({"đ": "d", "Đ": "D"})
_NOT_SLUG = re.compile(r"[^a-z0-9]+")
# The five tone marks (huyền, sắc, ngã, hỏi, nặng), as combining characters after NFD.
_TONES = "\u0300\u0301\u0303\u0309\u0323"
# A tone mark and the rest of its syllable: used to move the mark to the syllable's end, so
# the old and new placements ("hoà"/"hòa", "thuỷ"/"thủy") give one key.
_TONE_TO_END = re.compile("([" + _TONES + "])([^\\s\x00" + _TONES + "]*)")
# A separator that no user text carries and that \s does not match, for the bulk path.
_SEP = "\x00"


def nfc(s: str | None) -> str:
    """Return *s* in NFC with runs of whitespace collapsed to one space and the ends trimmed."""
    if not s:
        return ""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", s)).strip()


def fold(s: str | None) -> str:
    """Return the accent- and case-insensitive search key of *s*.

    NFD, combining marks dropped, đ→d, lower case, whitespace collapsed. Letters outside
    Vietnamese are kept (without their marks), so the key never loses a whole character.
    """
    if not s:
        return ""
    s = unicodedata.normalize("NFD", s.translate(_D_BAR))
    s = _MARKS.sub("", s).lower()
    return _SPACES.sub(" ", s).strip()


def fold_many(values: Sequence[str | None] | Iterable[str | None]) -> list[str]:
    """Fold many strings at once; same result as ``[fold(v) for v in values]``.

    Joining everything into one string lets the C implementations of normalize, the regex
    engine and lower() do the work in a handful of calls instead of millions, which is what
    makes scanning a million-row registry fit in seconds.
    """
    items = ["" if v is None else v.replace(_SEP, " ") for v in values]
    if not items:
        return []
    big = _SEP.join(items).translate(_D_BAR)
    big = unicodedata.normalize("NFD", big)
    big = _MARKS.sub("", big).lower()
    big = _SPACES.sub(" ", big)
    out = big.split(_SEP)
    # Trim the single space that may remain at either end of each item.
    return [v.strip() if v[:1] == " " or v[-1:] == " " else v for v in out]


def slugify_vi(s: str | None) -> str:
    """Return an ASCII slug of Vietnamese text: "Phường Tân Đông Hiệp" → "phuong-tan-dong-hiep"."""
    return _NOT_SLUG.sub("-", fold(s)).strip("-")


def tone_keys_many(values: Sequence[str | None] | Iterable[str | None]) -> list[str]:
    """Lower-case keys that keep diacritics but not where the tone mark was typed.

    Two spellings that differ only in tone placement ("Thuỷ", "Thủy") get one key; "Thu",
    "Thư" and "Thủy" get three. Whitespace is collapsed like :func:`fold_many`, so the keys
    split into as many words as the folded forms.
    """
    items = ["" if v is None else v.replace(_SEP, " ") for v in values]
    if not items:
        return []
    big = unicodedata.normalize("NFD", _SEP.join(items)).lower()
    big = _TONE_TO_END.sub(r"\2\1", big)
    big = _SPACES.sub(" ", unicodedata.normalize("NFC", big))
    out = big.split(_SEP)
    return [v.strip() if v[:1] == " " or v[-1:] == " " else v for v in out]

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
# Whitespace that fold must change: runs of two or more, and tabs/newlines/odd spaces.
_ODD_SPACE = re.compile(r"\s{2,}|[^\S ]")
_SPACE_AT_SEP = re.compile(" ?\x00 ?")
# After NFD and đ→d: anything that is neither ASCII nor a combining mark.
_OTHER_LETTERS = re.compile("[^\x00-\x7f\u0300-\u036f]")


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

    Joining everything into one string lets the C implementations of normalize, encode and
    lower() do the work in a handful of calls instead of millions, which is what makes
    scanning a million-row registry fit in seconds.
    """
    items = ["" if v is None else v for v in values]
    if not items:
        return []
    big = _SEP.join(items)
    if big.count(_SEP) != len(items) - 1:
        # A value itself held the separator: take the slow, safe path.
        return [fold(v) for v in items]
    big = unicodedata.normalize("NFD", big.replace("đ", "d").replace("Đ", "D"))
    if _OTHER_LETTERS.search(big) is None:
        # Only ASCII and combining marks are left: dropping every non-ASCII code point drops
        # exactly the marks, much faster than a regex substitution per accented letter.
        big = big.encode("ascii", "ignore").decode("ascii")
    else:
        big = _MARKS.sub("", big)
    return _collapse(big.lower()).split(_SEP)


def _collapse(big: str) -> str:
    """Collapse whitespace in a _SEP-joined string and trim every item, touching only the
    places that need it (single spaces between words are left alone)."""
    if _ODD_SPACE.search(big) is not None:
        big = _ODD_SPACE.sub(" ", big)
    if " " + _SEP in big or _SEP + " " in big:
        big = _SPACE_AT_SEP.sub(_SEP, big)
    return big.strip(" ")


def tone_keys_many(values: Sequence[str | None] | Iterable[str | None]) -> list[str]:
    """Lower-case keys that keep diacritics but not where the tone mark was typed.

    Two spellings that differ only in tone placement ("Thuỷ", "Thủy") get one key; "Thu",
    "Thư" and "Thủy" get three. Whitespace is collapsed like :func:`fold_many`, so the keys
    split into as many words as the folded forms.
    """
    items = ["" if v is None else v for v in values]
    if not items:
        return []
    big = _SEP.join(items)
    if big.count(_SEP) != len(items) - 1:
        big = _SEP.join(v.replace(_SEP, " ") for v in items)
    big = unicodedata.normalize("NFD", big).lower()
    big = _TONE_TO_END.sub(r"\2\1", big)
    return _collapse(unicodedata.normalize("NFC", big)).split(_SEP)


def slugify_vi(s: str | None) -> str:
    """Return an ASCII slug of Vietnamese text: "Phường Tân Đông Hiệp" → "phuong-tan-dong-hiep"."""
    return _NOT_SLUG.sub("-", fold(s)).strip("-")


# Vietnamese alphabetical order (the Quốc ngữ alphabet, as dictionaries and Unicode CLDR's "vi"
# collation order it): a < ă < â, d < đ, e < ê, o < ô < ơ, u < ư; letters outside the alphabet
# (f, j, w, z in foreign names) sort after the nearest one. A word without a tone mark comes before
# the same letters with one, in the order ngang, huyền, hỏi, ngã, sắc, nặng.
_VI_LETTERS = "aăâbcdđeêghiklmnoôơpqrstuưvxy"
_VI_EXTRA = {"f": "e", "j": "i", "w": "v", "z": "y"}
_VI_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
_VI_WORD_END = "00"
_VI_KEY_MAX = 300


def _vi_letter_code(ch: str) -> str | None:
    ch = _VI_EXTRA.get(ch, ch)
    if ch in _VI_LETTERS:
        return "%02d" % (_VI_LETTERS.index(ch) + 1)
    if ch.isdigit():
        return "%02d" % (40 + int(ch))
    return None


def _vi_word_key(word: str) -> str:
    kept: list[str] = []
    tone = 0
    for ch in unicodedata.normalize("NFD", word.lower()):
        if ch in _VI_TONES:
            tone = _VI_TONES[ch]
        else:
            kept.append(ch)
    # Recompose so that a + breve is "ă" again, one letter of the alphabet.
    letters = unicodedata.normalize("NFC", "".join(kept))
    codes = "".join(c for c in (_vi_letter_code(ch) for ch in letters) if c)
    # Word by word, as a dictionary: the letters, then that word's tone, so that "Anh" < "Ánh" is
    # settled before the next word is looked at.
    return codes + _VI_WORD_END + str(tone) if codes else ""


def vi_sort_key(text: str | None, *, given_name_first: bool = False) -> str:
    """The Vietnamese order key of `text` (a name, a unit, a title): "Dương" < "Đặng" < "Đỗ",
    "An" < "Ân" < "Bình", "Ha" < "Hà" < "Hả" < "Hã" < "Há" < "Hạ".

    The key is made of digits only (two per letter, three closing each word), so a database
    compares it the same way under any collation (PostgreSQL's en_US or "C", SQLite's bytewise)
    and a list can be ordered in SQL. `given_name_first` moves the last word to the front, the
    order of Vietnamese registers of people and award annexes. Keys are cut at 300 characters."""
    words = nfc(text).split() if text else []
    if given_name_first and len(words) > 1:
        words = [words[-1], *words[:-1]]
    return "".join(_vi_word_key(w) for w in words)[:_VI_KEY_MAX]

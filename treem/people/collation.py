"""Vietnamese alphabetical order for lists of people and units.

The Vietnamese alphabet orders a < ă < â, d < đ, e < ê, o < ô < ơ, u < ư, and a word without a tone
mark comes before the same letters with one, in the dictionary order of tones: ngang, huyền, hỏi,
ngã, sắc, nặng. People are listed by given name (the last word), then by family and middle names,
as Vietnamese registers and award annexes do.

The key is made of digits only (two per letter, one per tone), so a database compares it the
same way under any collation (PostgreSQL's en_US or C, SQLite's bytewise), and a list can be
ordered in SQL.
"""

from __future__ import annotations

import unicodedata

from treem.lib.text import nfc

_LETTERS = "aăâbcdđeêghiklmnoôơpqrstuưvxy"
# Letters outside the Vietnamese alphabet (f, j, w, z in foreign names) sort after the nearest one.
_EXTRA = {"f": "e", "j": "i", "w": "v", "z": "y"}
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
_WORD_END = "00"


def _letter_code(ch: str) -> str | None:
    ch = _EXTRA.get(ch, ch)
    if ch in _LETTERS:
        return "%02d" % (_LETTERS.index(ch) + 1)
    if ch.isdigit():
        return "%02d" % (40 + int(ch))
    return None


def _word_key(word: str) -> tuple[str, str]:
    """(letters, tone) of one word: the letters keep their vowel marks, the tone is set apart."""
    kept: list[str] = []
    tone = 0
    for ch in unicodedata.normalize("NFD", word.lower()):
        if ch in _TONES:
            tone = _TONES[ch]
        else:
            kept.append(ch)
    # Recompose so that a + breve is "ă" again, one letter of the alphabet.
    letters = unicodedata.normalize("NFC", "".join(kept))
    codes = "".join(c for c in (_letter_code(ch) for ch in letters) if c)
    return codes, str(tone)


def sort_key(text: str | None, *, given_name_first: bool = False) -> str:
    """The Vietnamese order key of `text` (a name, a unit, a title)."""
    words = nfc(text).split(" ") if text else []
    if given_name_first and len(words) > 1:
        words = [words[-1], *words[:-1]]
    parts: list[str] = []
    for word in words:
        codes, tone = _word_key(word)
        if codes:
            # Word by word, as a dictionary: the letters, then the tone of that word, so that
            # "Anh" < "Ánh" is settled before the family name is looked at.
            parts.append(codes + _WORD_END + tone)
    return "".join(parts)


def person_sort_key(full_name: str | None) -> str:
    return sort_key(full_name, given_name_first=True)

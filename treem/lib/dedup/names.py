"""Vietnamese personal names: built-in frequencies, order detection, phonetic key.

Everything here works on *folded* tokens (see :func:`treem.lib.text.fold`), so "Nguyễn" is
``"nguyen"``.
"""

from __future__ import annotations

from functools import lru_cache

from rapidfuzz.distance import OSA

# Share of the population carrying each surname. Published estimates (e.g. the Vietnamese
# Wikipedia article on surnames, citing a 2005 study) give roughly these figures; Hoàng/Huỳnh
# and Vũ/Võ are regional variants, kept apart here because they fold to different keys.
# They are only a prior: the engine blends them with the counts of the data it scans.
SURNAME_FREQ: dict[str, float] = {
    "nguyen": 0.384,
    "tran": 0.121,
    "le": 0.095,
    "pham": 0.07,
    "hoang": 0.031,
    "huynh": 0.02,
    "phan": 0.045,
    "vu": 0.022,
    "vo": 0.017,
    "dang": 0.021,
    "bui": 0.02,
    "do": 0.014,
    "ho": 0.013,
    "ngo": 0.013,
    "duong": 0.01,
    "ly": 0.005,
    "dinh": 0.006,
    "dao": 0.004,
    "doan": 0.003,
    "truong": 0.004,
    "lam": 0.003,
    "mai": 0.003,
    "trinh": 0.003,
    "cao": 0.002,
    "luong": 0.002,
    "ha": 0.002,
    "to": 0.001,
    "ta": 0.001,
    "chau": 0.001,
    "tang": 0.001,
    "quach": 0.001,
    "thai": 0.001,
    "la": 0.001,
    "kieu": 0.001,
    "van": 0.0005,
}
UNKNOWN_SURNAME_FREQ = 0.0005

# Middle names that mark a child's sex and almost never stand first or last in a name; when
# one of them opens a name, the name was written given-name-first ("Văn An Nguyễn").
MIDDLE_MARKERS: frozenset[str] = frozenset({"van", "thi"})

# Common given names (folded). A token in this set, or frequent in the scanned data, is "a real
# name": two different real names one letter apart ("an"/"anh", "linh"/"lin") are different
# people, while a rare token one letter away from a real name is most likely a typo of it.
COMMON_GIVEN: frozenset[str] = frozenset(
    [
        "an",
        "anh",
        "bao",
        "binh",
        "chau",
        "chi",
        "cuong",
        "dat",
        "dung",
        "duc",
        "duy",
        "giang",
        "ha",
        "hai",
        "han",
        "hanh",
        "hao",
        "hieu",
        "hoa",
        "hoang",
        "hung",
        "huong",
        "huy",
        "huyen",
        "khang",
        "khanh",
        "khoa",
        "khoi",
        "kiet",
        "lam",
        "lan",
        "linh",
        "loan",
        "loc",
        "long",
        "mai",
        "minh",
        "my",
        "nam",
        "ngan",
        "nghia",
        "ngoc",
        "nguyen",
        "nhan",
        "nhi",
        "nhung",
        "nhu",
        "phat",
        "phong",
        "phuc",
        "phuong",
        "quan",
        "quang",
        "quynh",
        "son",
        "tam",
        "tan",
        "thao",
        "thanh",
        "thinh",
        "thu",
        "thuy",
        "tien",
        "tin",
        "toan",
        "trang",
        "tri",
        "trinh",
        "trung",
        "tu",
        "tuan",
        "tuyet",
        "uyen",
        "van",
        "vi",
        "viet",
        "vinh",
        "vy",
        "xuan",
        "yen",
        "y",
        "hang",
        "hien",
        "hung",
        "tai",
        "thuan",
        "thang",
        "tung",
        "vu",
        "hau",
        "nhat",
        "khoi",
        "dao",
        "diep",
    ]
)

# Spelling confusions that Vietnamese speakers of different regions make when writing a name
# they heard (tr/ch, gi/d/r, s/x, n/l, final n/ng, final c/t, y/i). Longest prefix first.
_INITIALS: tuple[tuple[str, str], ...] = (
    ("ngh", "ng"),
    ("gh", "g"),
    ("gi", "d"),
    ("tr", "ch"),
    ("qu", "cu"),
    ("ph", "f"),
    ("r", "d"),
    ("z", "d"),
    ("x", "s"),
    ("k", "c"),
    ("l", "n"),
)
_FINALS: tuple[tuple[str, str], ...] = (("ng", "n"), ("c", "t"))


@lru_cache(maxsize=200_000)
def phonetic(token: str) -> str:
    """Return a key shared by regional spellings of one folded syllable ("trang" ~ "chan")."""
    if not token:
        return ""
    head = token
    for src, dst in _INITIALS:
        if head.startswith(src):
            head = dst + head[len(src) :]
            break
    head = head.replace("y", "i")
    for src, dst in _FINALS:
        if head.endswith(src) and len(head) > len(src):
            head = head[: -len(src)] + dst
            break
    return head


def surname_prior(token: str) -> float:
    """Built-in share of *token* as a surname (a small floor for unknown ones)."""
    return SURNAME_FREQ.get(token, UNKNOWN_SURNAME_FREQ)


def split_name(tokens: list[str]) -> tuple[str, str, str]:
    """Split folded name tokens into (surname, middle, given), undoing given-name-first order.

    Vietnamese order is surname, middle name(s), given name. Records typed from foreign
    documents or by hurried clerks sometimes carry "Văn An Nguyễn"; we rotate the last token to
    the front when it is a far more common surname than the first token, or when the name opens
    with a middle-name marker (Văn, Thị).
    """
    n = len(tokens)
    if n == 0:
        return "", "", ""
    if n == 1:
        return "", "", tokens[0]
    first, last = tokens[0], tokens[-1]
    f_first, f_last = _surname_weight(first), _surname_weight(last)
    if f_last > 0 and (first in MIDDLE_MARKERS or f_last >= 20 * f_first):
        tokens = [last, *tokens[:-1]]
    return tokens[0], " ".join(tokens[1:-1]), tokens[-1]


@lru_cache(maxsize=50_000)
def _surname_weight(token: str) -> float:
    """How plausible *token* is as a surname: its share, or 0.01 for a misspelt common one.

    A misspelling ("Ngyuen", "Tầrn") must still be recognised as the surname, or a typo would
    flip the order of the whole name.
    """
    if token in SURNAME_FREQ:
        return SURNAME_FREQ[token]
    if token in MIDDLE_MARKERS or len(token) < 2:
        return 0.0
    for s, f in SURNAME_FREQ.items():
        if f < 0.01:
            continue
        if len(s) == 2:
            # Two letters leave no room for an edit: only a transposition ("uv" for "vu").
            if token == s[::-1]:
                return 0.01
        elif OSA.distance(token, s, score_cutoff=1) <= 1:
            return 0.01
    return 0.0

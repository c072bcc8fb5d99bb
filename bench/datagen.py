"""Labelled synthetic child registry for Việt Nam, deterministic by seed.

Families (parents, commune, address) have one to four children, some of them twins (same
parents, commune, birth date, different given names). Some children are registered more than
once, with the errors real registries carry: typos, missing diacritics, decomposed (NFD) text,
upper case, stray spaces, given-name-first order, day/month swapped, year off by one, partial
dates, a move to another commune, missing fields. Every row carries ``cluster``: rows with the
same cluster are the same child.

    python bench/datagen.py 100000 --seed 7 --out /tmp/children.csv
"""

from __future__ import annotations

import argparse
import bisect
import csv
import itertools
import random
import unicodedata
from collections.abc import Sequence
from pathlib import Path

COLUMNS = (
    "record_id",
    "full_name",
    "birth_date",
    "sex",
    "commune_code",
    "address",
    "mother_name",
    "father_name",
    "id_number",
)

# Approximate national shares (see treem/lib/dedup/names.py for the source); the rest of the
# mass is spread over rarer surnames below.
SURNAMES: list[tuple[str, float]] = [
    ("Nguyễn", 38.0),
    ("Trần", 11.0),
    ("Lê", 9.5),
    ("Phạm", 7.0),
    ("Hoàng", 3.0),
    ("Huỳnh", 2.1),
    ("Phan", 4.5),
    ("Vũ", 2.2),
    ("Võ", 1.7),
    ("Đặng", 2.1),
    ("Bùi", 2.0),
    ("Đỗ", 1.4),
    ("Hồ", 1.3),
    ("Ngô", 1.3),
    ("Dương", 1.0),
    ("Lý", 0.5),
    ("Đinh", 0.6),
    ("Đào", 0.4),
    ("Đoàn", 0.3),
    ("Trương", 0.4),
    ("Lâm", 0.3),
    ("Mai", 0.3),
    ("Trịnh", 0.3),
    ("Cao", 0.2),
    ("Lương", 0.2),
    ("Hà", 0.2),
    ("Tô", 0.1),
    ("Tạ", 0.1),
    ("Châu", 0.1),
    ("Tăng", 0.1),
    ("Quách", 0.1),
    ("Thái", 0.1),
    ("La", 0.1),
    ("Kiều", 0.1),
    ("Lục", 0.05),
    ("Văn", 0.05),
    ("Hứa", 0.05),
    ("Khổng", 0.03),
    ("Mạc", 0.03),
    ("Thân", 0.03),
]
MIDDLE_MALE: list[tuple[str, float]] = [
    ("Văn", 30),
    ("Minh", 12),
    ("Đức", 9),
    ("Quang", 6),
    ("Gia", 6),
    ("Hoàng", 5),
    ("Anh", 4),
    ("Thành", 4),
    ("Hữu", 4),
    ("Công", 4),
    ("Bảo", 4),
    ("Tuấn", 3),
    ("Nhật", 3),
    ("Trung", 2),
    ("Thanh", 2),
    ("Quốc", 2),
    ("Đăng", 2),
    ("Thiên", 2),
    ("Xuân", 1),
    ("", 3),
]
MIDDLE_FEMALE: list[tuple[str, float]] = [
    ("Thị", 28),
    ("Ngọc", 14),
    ("Thu", 5),
    ("Bảo", 6),
    ("Khánh", 5),
    ("Minh", 5),
    ("Hoài", 3),
    ("Thanh", 5),
    ("Phương", 4),
    ("Mai", 3),
    ("Gia", 4),
    ("Kim", 4),
    ("Hồng", 3),
    ("Diệu", 2),
    ("Tuệ", 2),
    ("Quỳnh", 2),
    ("Ngọc Bảo", 1),
    ("", 3),
]
GIVEN_MALE = [
    "An",
    "Anh",
    "Bảo",
    "Bình",
    "Cường",
    "Công",
    "Đạt",
    "Danh",
    "Duy",
    "Dũng",
    "Dương",
    "Đức",
    "Đăng",
    "Hải",
    "Hào",
    "Hậu",
    "Hiếu",
    "Hiển",
    "Hiệp",
    "Hòa",
    "Hoàng",
    "Huy",
    "Hùng",
    "Hưng",
    "Khải",
    "Khang",
    "Khánh",
    "Khoa",
    "Khôi",
    "Kiên",
    "Kiệt",
    "Lâm",
    "Lộc",
    "Long",
    "Luân",
    "Lực",
    "Mạnh",
    "Minh",
    "Nam",
    "Nghĩa",
    "Ngọc",
    "Nguyên",
    "Nhân",
    "Nhật",
    "Phát",
    "Phong",
    "Phúc",
    "Phú",
    "Quân",
    "Quang",
    "Quý",
    "Quyết",
    "Sang",
    "Sơn",
    "Tài",
    "Tâm",
    "Tân",
    "Thái",
    "Thắng",
    "Thành",
    "Thiện",
    "Thịnh",
    "Thông",
    "Tiến",
    "Toàn",
    "Trí",
    "Trọng",
    "Trung",
    "Trường",
    "Tú",
    "Tuấn",
    "Tùng",
    "Văn",
    "Việt",
    "Vinh",
    "Vũ",
    "Vương",
    "Bách",
    "Cảnh",
    "Chiến",
    "Đông",
    "Giang",
    "Hạo",
    "Hiền",
    "Hoàn",
    "Huân",
    "Kha",
    "Khiêm",
    "Lân",
    "Lợi",
    "Nhân",
    "Phi",
    "Quốc",
    "Sỹ",
    "Tín",
    "Triết",
    "Tường",
    "Uy",
    "Hậu",
    "Định",
    "Điền",
    "Đại",
    "Hữu",
    "Nguyên",
    "Phước",
    "Thuận",
    "Lâm",
    "Tâm",
    "Trường",
    "Thiên",
    "Hải",
    "Bằng",
    "Chương",
    "Cao",
    "Duẩn",
]
GIVEN_FEMALE = [
    "Anh",
    "Linh",
    "Ngọc",
    "Trang",
    "Hương",
    "Hà",
    "Thảo",
    "Mai",
    "Lan",
    "Hoa",
    "Vy",
    "Nhi",
    "Chi",
    "Châu",
    "My",
    "Ngân",
    "Nga",
    "Hằng",
    "Hạnh",
    "Hiền",
    "Hoài",
    "Huyền",
    "Hường",
    "Khánh",
    "Kim",
    "Loan",
    "Ly",
    "Mỹ",
    "Nhung",
    "Như",
    "Oanh",
    "Phương",
    "Quyên",
    "Quỳnh",
    "Tâm",
    "Thanh",
    "Thơ",
    "Thu",
    "Thủy",
    "Thùy",
    "Tiên",
    "Trâm",
    "Trinh",
    "Tú",
    "Tuyết",
    "Uyên",
    "Vân",
    "Xuân",
    "Yến",
    "Diệp",
    "Dung",
    "Giang",
    "Hân",
    "Hậu",
    "Hồng",
    "Lam",
    "Liên",
    "Lụa",
    "Nguyệt",
    "Nhàn",
    "Nhiên",
    "Phượng",
    "Quế",
    "Sương",
    "Thắm",
    "Thúy",
    "Thư",
    "Trúc",
    "Vi",
    "Ánh",
    "Bích",
    "Cúc",
    "Đào",
    "Diễm",
    "Hải",
    "Hoàn",
    "Hạ",
    "Kiều",
    "Lệ",
    "Lý",
    "Mến",
    "Mơ",
    "Na",
    "Nương",
    "Phúc",
    "Quý",
    "Sen",
    "Tuyền",
    "Tươi",
    "Vàng",
    "Xoan",
    "An",
    "Bình",
    "Diệu",
    "Đan",
    "Hòa",
    "Khuê",
    "Minh",
    "Ngà",
    "Nhã",
    "Tường",
    "Thi",
    "Thục",
    "Trà",
    "Uyển",
    "Yên",
    "Ái",
    "Bảo",
    "Cát",
    "Dạ",
    "Gấm",
    "Hiên",
    "Huệ",
    "Khanh",
    "Loan",
    "Mẫn",
    "Ninh",
    "Phấn",
    "Thoa",
    "Tiền",
]

N_COMMUNES = 95  # Đồng Nai since 1 July 2025
TWIN_RATE = 0.025  # share of births that are twins: above the real ~1-2%, to stress the engine
CHILDREN_PER_FAMILY: list[tuple[int, float]] = [(1, 35), (2, 40), (3, 18), (4, 7)]
FIRST_YEAR, LAST_YEAR = 2010, 2025


def _dedupe(names: list[str]) -> list[str]:
    seen: set[str] = set()
    return [n for n in names if not (n in seen or seen.add(n))]


class _Pick:
    """Weighted choice with precomputed cumulative weights (much faster than random.choices)."""

    def __init__(self, items: Sequence[tuple[object, float]]) -> None:
        self.values = [v for v, _ in items]
        self.cum = list(itertools.accumulate(w for _, w in items))
        self.total = self.cum[-1]

    def __call__(self, rng: random.Random):
        return self.values[bisect.bisect(self.cum, rng.random() * self.total)]


def _zipf(names: list[str], s: float, rng: random.Random) -> _Pick:
    # Rank order shuffled by seed, so which names are common is not the list order.
    names = _dedupe(names)
    order = names[:]
    rng.shuffle(order)
    return _Pick([(n, 1.0 / (k + 1) ** s) for k, n in enumerate(order)])


_KEYBOARD = "qwertyuiopasdfghjklzxcvbnm"
_PHONETIC_SWAPS = [
    ("Tr", "Ch"),
    ("Ch", "Tr"),
    ("Gi", "D"),
    ("D", "Gi"),
    ("X", "S"),
    ("S", "X"),
    ("L", "N"),
    ("N", "L"),
    ("R", "D"),
]


def _typo(word: str, rng: random.Random) -> str:
    if len(word) < 2:
        return word
    i = rng.randrange(len(word))
    op = rng.randrange(4)
    if op == 0:  # deletion
        return word[:i] + word[i + 1 :] if len(word) > 2 else word + rng.choice(_KEYBOARD)
    if op == 1:  # insertion
        return word[:i] + rng.choice(_KEYBOARD) + word[i:]
    if op == 2:  # substitution
        return word[:i] + rng.choice(_KEYBOARD) + word[i + 1 :]
    if i == len(word) - 1:
        i -= 1
    return word[:i] + word[i + 1] + word[i] + word[i + 2 :]  # transposition


def _phonetic_misspell(word: str, rng: random.Random) -> str:
    for src, dst in _PHONETIC_SWAPS:
        if word.startswith(src):
            return dst + word[len(src) :]
    return _typo(word, rng)


def _strip_marks(s: str) -> str:
    s = s.replace("đ", "d").replace("Đ", "D")
    return "".join(c for c in unicodedata.normalize("NFD", s) if not unicodedata.combining(c))


class Generator:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        rng = self.rng
        self.surname = _Pick(SURNAMES)
        self.mid_m = _Pick(MIDDLE_MALE)
        self.mid_f = _Pick(MIDDLE_FEMALE)
        self.giv_m = _zipf(GIVEN_MALE, 0.5, rng)
        self.giv_f = _zipf(GIVEN_FEMALE, 0.5, rng)
        # Commune sizes vary: a few urban wards hold many children.
        self.communes = ["26%03d" % (k * 7 + 1) for k in range(N_COMMUNES)]
        self.commune = _Pick([(c, 1.0 / (k + 1) ** 0.5) for k, c in enumerate(self.communes)])
        self.n_children = _Pick(CHILDREN_PER_FAMILY)

    def _address(self, rng: random.Random) -> str:
        kind = rng.choice(("Ấp", "Khu phố", "Tổ", "Thôn"))
        return "Số %d, %s %d" % (rng.randint(1, 300), kind, rng.randint(1, 15))

    def _id(self, sex: str, year: int, rng: random.Random) -> str:
        # Personal id (mã định danh cá nhân): province 075 (Đồng Nai), century/sex digit
        # (2 = male born 2000-2099, 3 = female), two-digit year, six random digits.
        return "075%d%02d%06d" % (2 if sex == "M" else 3, year % 100, rng.randrange(1_000_000))

    def families(self) -> iter:
        rng = self.rng
        cluster = 0
        while True:
            fam_sur = self.surname(rng)
            mother_sur = self.surname(rng)
            mother_mid = "Thị" if rng.random() < 0.7 else self.mid_f(rng)
            mother = " ".join(x for x in (mother_sur, mother_mid, self.giv_f(rng)) if x)
            father = " ".join(x for x in (fam_sur, self.mid_m(rng), self.giv_m(rng)) if x)
            commune = self.commune(rng)
            address = self._address(rng)
            has_mother = rng.random() > 0.04
            has_father = rng.random() > 0.10
            k = self.n_children(rng)
            year = rng.randint(FIRST_YEAR, LAST_YEAR)
            used: set[str] = set()
            shared_mid = {"M": self.mid_m(rng), "F": self.mid_f(rng)}
            births: list[tuple[int, int, int, int]] = []  # (y, m, d, how many)
            while len(births) < k and year <= LAST_YEAR:
                twins = 2 if rng.random() < TWIN_RATE else 1
                births.append((year, rng.randint(1, 12), rng.randint(1, 28), twins))
                year += rng.randint(1, 5)
            children = []
            for y, m, d, many in births:
                for _ in range(many):
                    sex = "M" if rng.random() < 0.51 else "F"
                    giv_pick = self.giv_m if sex == "M" else self.giv_f
                    for _attempt in range(20):
                        giv = giv_pick(rng)
                        if giv not in used:
                            break
                    used.add(giv)
                    # Parents often give same-sex siblings one middle name.
                    if rng.random() < 0.5:
                        mid = shared_mid[sex]
                    else:
                        mid = (self.mid_m if sex == "M" else self.mid_f)(rng)
                    sur = fam_sur if rng.random() < 0.95 else mother_sur
                    cluster += 1
                    children.append(
                        {
                            "cluster": cluster,
                            "sur": sur,
                            "mid": mid,
                            "giv": giv,
                            "birth": (y, m, d),
                            "sex": sex,
                            "commune_code": commune,
                            "address": address if rng.random() > 0.05 else "",
                            "mother_name": mother if has_mother else "",
                            "father_name": father if has_father else "",
                            "id_number": self._id(sex, y, rng) if rng.random() < 0.45 else "",
                        }
                    )
            yield children

    def original(self, c: dict) -> dict[str, str]:
        y, m, d = c["birth"]
        birth = "%04d-%02d-%02d" % (y, m, d)
        if self.rng.random() < 0.01:
            birth = "%04d-%02d" % (y, m)
        return {
            "full_name": " ".join(x for x in (c["sur"], c["mid"], c["giv"]) if x),
            "birth_date": birth,
            "sex": c["sex"] if self.rng.random() > 0.005 else "",
            "commune_code": c["commune_code"],
            "address": c["address"],
            "mother_name": c["mother_name"],
            "father_name": c["father_name"],
            "id_number": c["id_number"],
            "cluster": str(c["cluster"]),
        }

    def duplicate(self, c: dict) -> dict[str, str]:
        rng = self.rng
        sur, mid, giv = c["sur"], c["mid"], c["giv"]
        r = rng.random
        if r() < 0.08:
            giv = _typo(giv, rng)
        elif r() < 0.04:
            giv = _phonetic_misspell(giv, rng)
        if r() < 0.04:
            sur = _typo(sur, rng)
        if r() < 0.05:
            mid = ""
        elif r() < 0.03:
            mid = _typo(mid, rng) if mid else mid
        parts = [x for x in (sur, mid, giv) if x]
        if r() < 0.08:
            parts = parts[1:] + parts[:1]  # given name first, surname last
        sep = "  " if r() < 0.15 else " "
        name = sep.join(parts)
        if r() < 0.15:
            name = " " + name + " "
        y, m, d = c["birth"]
        birth = "%04d-%02d-%02d" % (y, m, d)
        x = r()
        if x < 0.06 and d <= 12 and d != m:
            birth = "%04d-%02d-%02d" % (y, d, m)
        elif x < 0.11:
            birth = "%04d-%02d-%02d" % (y + rng.choice((-1, 1)), m, d)
        elif x < 0.15:
            birth = "%04d-%02d" % (y, m)
        elif x < 0.18:
            birth = "%04d" % y
        elif x < 0.20:
            birth = ""
        commune, address = c["commune_code"], c["address"]
        if r() < 0.10:
            commune = self.commune(rng)
            address = self._address(rng)
        mother, father = c["mother_name"], c["father_name"]
        if mother and r() < 0.05:
            mother = _typo(mother, rng)
        if father and r() < 0.05:
            father = _typo(father, rng)
        row = {
            "full_name": name,
            "birth_date": birth,
            "sex": c["sex"] if r() > 0.05 else "",
            "commune_code": commune if r() > 0.02 else "",
            "address": address if r() > 0.2 else "",
            "mother_name": mother if r() > 0.15 else "",
            "father_name": father if r() > 0.2 else "",
            "id_number": c["id_number"] if r() > 0.5 else "",
            "cluster": str(c["cluster"]),
        }
        # Text forms: no diacritics at all, decomposed Unicode, upper case.
        x = r()
        for key in ("full_name", "mother_name", "father_name", "address"):
            v = row[key]
            if not v:
                continue
            if x < 0.30:
                v = _strip_marks(v)
            elif x < 0.45:
                v = unicodedata.normalize("NFD", v)
            if r() < 0.10:
                v = v.upper()
            row[key] = v
        if r() < 0.3:
            row["sex"] = {"M": "Nam", "F": "Nữ"}.get(row["sex"], row["sex"])
        return row


def generate(
    n: int, seed: int = 7, dup_rate: float = 0.10, dup2_rate: float = 0.02
) -> list[dict[str, str]]:
    """Return *n* rows (shuffled), each with the CSV columns plus ``cluster``."""
    g = Generator(seed)
    rows: list[dict[str, str]] = []
    for children in g.families():
        for c in children:
            rows.append(g.original(c))
            x = g.rng.random()
            copies = 2 if x < dup2_rate else 1 if x < dup_rate + dup2_rate else 0
            for _ in range(copies):
                rows.append(g.duplicate(c))
        if len(rows) >= n:
            break
    del rows[n:]
    g.rng.shuffle(rows)
    for k, row in enumerate(rows, 1):
        row["record_id"] = "R%07d" % k
    return rows


def truth_pairs(rows: Sequence[dict[str, str]]) -> set[tuple[str, str]]:
    """All (record_id_a, record_id_b) pairs, a < b, of rows of the same child."""
    by_cluster: dict[str, list[str]] = {}
    for row in rows:
        by_cluster.setdefault(row["cluster"], []).append(row["record_id"])
    pairs: set[tuple[str, str]] = set()
    for ids in by_cluster.values():
        if len(ids) > 1:
            for a, b in itertools.combinations(sorted(ids), 2):
                pairs.add((a, b))
    return pairs


def write_csv(rows: Sequence[dict[str, str]], path: str | Path, *, truth: bool = True) -> None:
    cols = list(COLUMNS) + (["cluster"] if truth else [])
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(cols)
        for row in rows:
            w.writerow([row.get(c, "") for c in cols])


def main() -> None:
    p = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("n", type=int, help="number of rows")
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--out", required=True)
    p.add_argument("--no-truth", action="store_true", help="leave out the cluster column")
    a = p.parse_args()
    write_csv(generate(a.n, a.seed), a.out, truth=not a.no_truth)


if __name__ == "__main__":
    main()

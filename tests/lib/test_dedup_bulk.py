"""The bulk scan's shortcuts change no result.

A CSV is read and encoded in two halves by two processes (engine.encode_csv), and the pairs are
generated and scored by two workers (engine.scan_table); both must find exactly the pairs and
scores a single process finds, on a few thousand records (the size thresholds are lowered).
Pair generation is checked against a brute-force reference, the table of compared name couples
and the weight bound that skips hopeless pairs against plain scoring.
"""

import csv
import random
from dataclasses import fields

import numpy as np
import pytest

from treem.lib.dedup import engine
from treem.lib.dedup.encode import COLUMNS, Encoder, Table
from treem.lib.dedup.engine import encode_csv, scan_table

SUR = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Võ", "Đặng", "Bùi", "Đỗ", "Ngô", "Dương"]
MID = ["Văn", "Thị", "Minh", "Ngọc", "Gia", "Thanh", "", "Đức", "Bảo"]
GIV = [
    *("An", "Anh", "Bình", "Châu", "Dũng", "Hà", "Hải", "Hương", "Khoa", "Lan", "Linh", "Long"),
    *("Mai", "Minh", "Nam", "Phúc", "Quang", "Thu", "Thư", "Trâm", "Tuấn", "Vy", "Yến", "Lộc"),
]


def _typo(rng: random.Random, s: str) -> str:
    if len(s) < 3:
        return s
    i = rng.randrange(len(s) - 1)
    return s[:i] + s[i + 1] + s[i] + s[i + 2 :]


def _rows(n: int, seed: int = 5) -> list[dict[str, str]]:
    """Families with a child or two, and a fifth of the children entered twice with errors.
    Some values need quoting: commas, quotes and a line break inside a field."""
    rng = random.Random(seed)
    rows: list[dict[str, str]] = []
    while len(rows) < n:
        sur = rng.choice(SUR)
        commune = "26%03d" % rng.randrange(40)
        address = rng.choice(["Số %d, Ấp %d", 'Số %d "nhà %d"', "Số %d\nTổ %d", "Số %d Tổ %d"])
        address %= (rng.randrange(300), rng.randrange(12))
        mother = "%s Thị %s" % (rng.choice(SUR), rng.choice(GIV))
        father = "%s Văn %s" % (sur, rng.choice(GIV)) if rng.random() < 0.8 else ""
        for _ in range(rng.choice([1, 1, 2])):
            name = " ".join(w for w in (sur, rng.choice(MID), rng.choice(GIV)) if w)
            date = "%d-%02d-%02d" % (rng.randrange(2008, 2024), rng.randrange(1, 13),
                                     rng.randrange(1, 29))  # fmt: skip
            child = {
                "record_id": "R%06d" % len(rows),
                "full_name": name,
                "birth_date": date if rng.random() < 0.95 else date[:4],
                "sex": rng.choice(["M", "F", "Nam", "Nữ", ""]),
                "commune_code": commune,
                "address": address if rng.random() < 0.9 else "",
                "mother_name": mother,
                "father_name": father,
                "id_number": "0753%08d" % rng.randrange(10**8) if rng.random() < 0.4 else "",
            }
            rows.append(child)
            if rng.random() < 0.2:
                dup = dict(child, record_id="R%06d" % len(rows))
                dup["full_name"] = _typo(rng, name) if rng.random() < 0.5 else name.upper()
                if rng.random() < 0.15:
                    # Given name first ("An Văn Nguyễn").
                    dup["full_name"] = " ".join(reversed(name.split()))
                if rng.random() < 0.3:
                    y, m, d = date.split("-")
                    dup["birth_date"] = "%s-%s-%s" % (y, d, m) if int(d) <= 12 else date
                if rng.random() < 0.3:
                    dup["commune_code"] = "26%03d" % rng.randrange(40)
                rows.append(dup)
    return rows[:n]


def _write(rows: list[dict[str, str]], path) -> None:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=list(COLUMNS))
        w.writeheader()
        w.writerows(rows)


_VOCAB = {c: s for _, s, cols in Encoder.VOCABULARIES for c in cols}


def _decoded(enc: Encoder, table: Table) -> dict[str, np.ndarray]:
    """Every column of *table* with ids turned back into their strings."""
    out = {}
    for f in fields(Table):
        if f.name == "extra":
            continue
        col = getattr(table, f.name)
        if f.name in _VOCAB:
            strings = np.array([*getattr(enc, _VOCAB[f.name]), "<missing>"], dtype=object)
            out[f.name] = strings[col]
        else:
            out[f.name] = col
    return out


def _pairs(ids: list[str], res) -> list[tuple[str, str, float]]:
    return sorted(engine._id_pairs(ids, res))


def _assert_same_encoding(one, two) -> None:
    (enc1, t1, ids1), (enc2, t2, ids2) = one, two
    assert ids1 == ids2
    d1, d2 = _decoded(enc1, t1), _decoded(enc2, t2)
    for name, col in d1.items():
        assert col.dtype == d2[name].dtype, name
        assert np.array_equal(col, d2[name]), name


def test_two_process_encoding_equals_one_process_encoding(tmp_path):
    path = tmp_path / "reg.csv"
    _write(_rows(3000), path)
    with path.open("rb") as fh:
        first = fh.readline()
    size = path.stat().st_size
    split = engine._record_boundary(path, len(first), size)
    assert split is not None
    # The parallel path itself runs (it would return None and fall back otherwise).
    assert engine._encode_split(path, first, split, size, 700) is not None

    one = encode_csv(path, workers=1)
    two = encode_csv(path, workers=2, min_bytes=0, chunk_rows=700)
    _assert_same_encoding(one, two)
    assert one[1].n == 3000
    # Ids are renumbered, not the same: the halves do not fall on the batch bounds.
    assert not np.array_equal(one[1].giv, two[1].giv) or not np.array_equal(one[1].sur, two[1].sur)

    # And the scan finds the same pairs with the same scores.
    p1 = _pairs(one[2], scan_table(one[1], one[0], workers=1))
    p2 = _pairs(two[2], scan_table(two[1], two[0], workers=1))
    assert len(p1) > 100
    assert p1 == p2


def test_split_inside_a_quoted_field_falls_back_to_one_process(tmp_path):
    # A quote inside an unquoted field (read literally) makes the quote count odd, so the first
    # even place after the middle is inside a quoted field: the check must catch it.
    rows = _rows(400, seed=9)
    path = tmp_path / "odd.csv"
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(COLUMNS)
        for i, r in enumerate(rows):
            if i == 10:
                fh.write('X1,Lê Văn "Tí,2015-01-01,M,26001,,,,\r\n')
            r = {**r, "address": "Số %d\nTổ 3" % i if i > 220 else "Số %d" % i}
            w.writerow([r[c] for c in COLUMNS])
    with path.open("rb") as fh:
        first = fh.readline()
    size = path.stat().st_size
    split = engine._record_boundary(path, len(first), size)
    assert split is not None
    assert engine._encode_split(path, first, split, size, 100) is None
    one = encode_csv(path, workers=1)
    two = encode_csv(path, workers=2, min_bytes=0, chunk_rows=100)
    _assert_same_encoding(one, two)
    assert one[1].n == 401


@pytest.mark.parametrize("workers", [1, 2])
def test_scan_workers_find_the_same_pairs(tmp_path, workers):
    path = tmp_path / "reg.csv"
    _write(_rows(4000, seed=3), path)
    enc, table, ids = encode_csv(path, workers=1)
    ref = scan_table(table, enc, workers=1, keep_candidates=True)
    got = scan_table(table, enc, workers=workers)
    assert _pairs(ids, got) == _pairs(ids, ref)
    assert got.pair_stats.total == ref.pair_stats.total
    assert got.pair_stats.per_key == ref.pair_stats.per_key
    # Each candidate pair is generated once.
    assert ref.candidates is not None
    a, b = ref.candidates
    codes = np.minimum(a, b) * table.n + np.maximum(a, b)
    assert np.unique(codes).shape[0] == codes.shape[0] == ref.pair_stats.total


def test_table_of_compared_names_changes_no_score(tmp_path, monkeypatch):
    from treem.lib.dedup import scoring

    path = tmp_path / "reg.csv"
    _write(_rows(3000, seed=4), path)
    enc, table, ids = encode_csv(path, workers=1)
    monkeypatch.setattr(scoring, "MEMO_MIN_PAIRS", 10**12)
    ref = scan_table(table, enc, workers=1, keep_candidates=True)
    # Every batch through the table, which holds only the 40 commonest words (the others go
    # the long way), in small chunks so that later ones read what earlier ones stored.
    monkeypatch.setattr(scoring, "MEMO_MIN_PAIRS", 0)
    monkeypatch.setattr(scoring, "MEMO_TOKENS", 40)
    stats = scoring.Stats.learn(table, enc)
    stats.model = engine.train_model(table, stats)
    assert ref.candidates is not None
    a, b = ref.candidates
    want = scoring.score_pairs(table, a, table, b, stats, detail=True).weight
    for lo in range(0, a.shape[0], 5000):
        got = scoring.score_pairs(table, a[lo : lo + 5000], table, b[lo : lo + 5000], stats)
        assert np.array_equal(got.weight, want[lo : lo + 5000])
    _rank, memo = stats._memo()
    assert memo.shape == (40, 40)
    assert (memo != 0).sum() > 100
    assert _pairs(ids, scan_table(table, enc, workers=1)) == _pairs(ids, ref)


def _brute_pairs(keys) -> dict[tuple[int, int], str]:
    """Each pair that shares a usable block under some key, with the first such key."""
    out: dict[tuple[int, int], str] = {}
    for bk in keys:
        vals, counts = np.unique(bk.keys[bk.keys != 0], return_counts=True)
        size = dict(zip(vals.tolist(), counts.tolist(), strict=True))
        n = bk.keys.shape[0]
        for x in range(n):
            for y in range(x + 1, n):
                k = int(bk.keys[x])
                if k == 0 or k != int(bk.keys[y]) or size[k] > bk.max_block:
                    continue
                if bk.flag is not None and not (bk.flag[x] or bk.flag[y]):
                    continue
                out.setdefault((x, y), bk.name)
    return out


@pytest.mark.parametrize("parts", [1, 2, 3])
def test_pairs_are_those_of_the_first_key_that_blocks_them(parts):
    from treem.lib.dedup.blocking import BlockKey, PairStats, iter_pairs

    rng = np.random.default_rng(1)
    n = 640
    keys = []
    for i in range(9):
        # Small blocks, some records without the key, key values that differ only in their
        # low bits (the fast sort must fall back), and one key with hundreds of blocks (so
        # block numbers collide in the packed bytes).
        base = rng.integers(1, 2**62, 300, dtype=np.int64).astype(np.uint64)
        base[:50] = np.uint64(2**40) + np.arange(50, dtype=np.uint64)
        vals = base[rng.integers(0, 150 if i % 2 else 300, n)]
        if i == 2:
            vals = rng.integers(1, 300, n).astype(np.uint64) * np.uint64(2**50)
        vals[rng.random(n) < 0.2] = 0
        flag = rng.random(n) < 0.3 if i == 5 else None
        keys.append(BlockKey("k%d" % i, vals, flag, max_block=3 if i == 7 else 0))
    want = _brute_pairs(keys)
    got: dict[tuple[int, int], str] = {}
    stats = PairStats({}, {})
    for which in range(parts):
        part_stats = PairStats({}, {})
        for a, b in iter_pairs(keys, chunk=500, stats_out=part_stats, part=(which, parts)):
            for x, y in zip(a.tolist(), b.tolist(), strict=True):
                pair = (min(x, y), max(x, y))
                assert pair not in got
                got[pair] = ""
        for k, v in part_stats.per_key.items():
            stats.per_key[k] = stats.per_key.get(k, 0) + v
    assert set(got) == set(want)
    for name in stats.per_key:
        assert stats.per_key[name] == sum(1 for v in want.values() if v == name)


def test_weight_bound_is_never_below_the_weight(tmp_path):
    from treem.lib.dedup import scoring

    path = tmp_path / "reg.csv"
    _write(_rows(4000, seed=8), path)
    enc, table, _ = encode_csv(path, workers=1)
    ref = scan_table(table, enc, workers=1, keep_candidates=True)
    assert ref.candidates is not None
    a, b = ref.candidates
    stats = scoring.Stats.learn(table, enc)
    stats.model = engine.train_model(table, stats)
    weight = scoring.score_pairs(table, a, table, b, stats).weight
    bound = scoring.weight_bound(table, a, table, b, stats)
    assert (bound >= weight - 1e-9).all()
    # It is a bound worth having: most candidates are below the threshold on it, and it is
    # tight for a good share of them.
    assert (bound < 0).mean() > 0.5
    assert np.isclose(bound, weight, rtol=0, atol=1e-9).mean() > 0.15

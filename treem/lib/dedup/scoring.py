"""Pairwise scoring: a Fellegi-Sunter style sum of per-field weights, computed in bulk.

Each field contributes log2(m/u) bits, where m is how often the field agrees (or agrees
partially) between two records of the same child and u how often it does so by chance. Names
use frequency-aware u: agreeing on "Nguyễn" (38% of people) says little, agreeing on a rare given
name says a lot. The same function scores one query against its candidates (with per-field
detail for the "why" shown to users) and millions of pairs in a bulk scan.

Two departures from textbook Fellegi-Sunter, both for twins and siblings, who share surname,
parents, commune, address and (twins) birth date:

* family-level fields (surname, commune, address, mother, father) say "same family", not "same
  child", so their positive weights are summed and capped at ``FAMILY_CAP``;
* two different given names within a family mean two children, so a clear given-name
  disagreement weighs ``W_GIVEN_DIFFERENT``, more than everything else can add up to.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import OSA

from treem.lib.dedup.encode import Encoder, Table
from treem.lib.dedup.names import COMMON_GIVEN, phonetic, surname_prior

# Level codes, shared by every field (not every field uses every level).
MISSING, EXACT, SIMILAR, DIFFERENT = 0, 1, 2, 3
SWAPPED_DAY_MONTH, YEAR_OFF_BY_ONE, PARTIAL_MONTH, PARTIAL_YEAR = 4, 5, 6, 7
SAME_YEAR, PARTIAL_NEAR_YEAR, REORDERED = 8, 9, 10

LEVEL_NAMES: dict[int, str] = {
    MISSING: "missing",
    EXACT: "exact",
    SIMILAR: "similar",
    DIFFERENT: "different",
    SWAPPED_DAY_MONTH: "day_month_swapped",
    YEAR_OFF_BY_ONE: "year_off_by_one",
    PARTIAL_MONTH: "partial_same_month",
    PARTIAL_YEAR: "partial_same_year",
    SAME_YEAR: "same_year_other_day",
    PARTIAL_NEAR_YEAR: "partial_year_off_by_one",
    REORDERED: "same_words_other_order",
}

# --- Weights, in bits (log2 of a likelihood ratio). -----------------------------------------
# Pseudo-count with which built-in frequencies are blended into the data's own counts, so a
# ten-record test set is scored from the built-in table and a million-record registry from
# itself.
PRIOR_N = 1000.0
MIN_STATS_N = 5000
# Agreement weights never exceed these: a token seen once in the data is not infinitely telling.
CAP_NAME = 14.0
CAP_PARENT = 10.0
CAP_DOB = 13.0
CAP_COMMUNE = 8.0
M_NAME = 0.95  # a child's surname/given name is typed the same in two records 95% of the time
M_MIDDLE = 0.85
M_PARENT = 0.8
M_DOB = 0.8
M_COMMUNE = 0.85
DEFAULT_GIVEN_PRIOR = 1 / 300  # share of one ordinary given name
DEFAULT_MIDDLE_PRIOR = 0.05
DEFAULT_PARENT_PRIOR = 1e-4  # share of one parent's full name
DEFAULT_DOB_U = 1 / (365.25 * 16)  # children under 16 (Law on Children 102/2016, Art. 1)
DEFAULT_COMMUNE_U = 1 / 95  # Đồng Nai has 95 communes since 1 July 2025

W_SURNAME_SIMILAR = 0.5
W_SURNAME_DIFFERENT = -3.0
W_MIDDLE_SIMILAR = 0.5
W_MIDDLE_DIFFERENT = -4.0
W_GIVEN_SIMILAR = 3.0
# A veto: larger than the family cap plus an exact birth date plus everything else, so twins
# (same parents, commune, birth date; different given names) can never reach a threshold.
W_GIVEN_DIFFERENT = -40.0
W_DOB_SWAPPED = 7.0
W_DOB_YEAR_OFF = 6.0
W_DOB_PARTIAL_MONTH = 4.0
W_DOB_PARTIAL_YEAR = 2.0
W_DOB_PARTIAL_NEAR = -2.0
W_DOB_SAME_YEAR = -5.0
# Siblings share the family and may carry similar names; the birth date tells them apart.
W_DOB_DIFFERENT = -16.0
W_SEX_SAME = 0.9  # log2(0.98 / 0.5)
W_SEX_DIFFERENT = -4.0
W_COMMUNE_DIFFERENT = -3.0  # children move: about one duplicate in eight is in another commune
W_ADDRESS_SAME = 2.0
W_PARENT_SIMILAR = 2.0
# A parent's name is rarely retyped wrongly beyond its given-name token (which still counts as
# similar): two clearly different mothers mean two children.
W_PARENT_DIFFERENT = -6.5
# The personal id number (mã định danh cá nhân) is one per person: agreement outweighs even a
# given-name disagreement (a nickname, or a name changed at birth registration).
W_ID_SAME = 45.0
W_ID_DIFFERENT = -12.0  # not a full veto: id numbers get mistyped too
FAMILY_CAP = 16.0
# Two given names one edit apart are both real names (so: two children) when the rarer is seen
# at least this often, and at least this share of the commoner one.
KNOWN_MIN_COUNT = 5.0
KNOWN_RATIO = 0.05
# Prior log2-odds that a candidate pair is a duplicate, to turn the weight into a probability.
# Set so that a score of 0.5 falls at 17 bits, the middle of the best-F1 plateau on generated
# data (bench/datagen.py seed 3, 100,000 records; see docs/dedup.md).
PRIOR_BITS = -17.0

FIELDS: tuple[str, ...] = (
    "surname",
    "middle_name",
    "given_name",
    "birth_date",
    "sex",
    "commune_code",
    "address",
    "mother_name",
    "father_name",
    "id_number",
)
FAMILY_FIELDS: frozenset[str] = frozenset(
    {"surname", "commune_code", "address", "mother_name", "father_name"}
)


def weight_to_score(w: np.ndarray | float) -> np.ndarray | float:
    """Posterior probability of "same child" for a total weight in bits."""
    return 1.0 / (1.0 + np.exp2(-(np.asarray(w, dtype=np.float64) + PRIOR_BITS)))


def score_to_weight(score: float) -> float:
    """Inverse of :func:`weight_to_score`."""
    score = min(max(score, 1e-12), 1 - 1e-12)
    return math.log2(score / (1 - score)) - PRIOR_BITS


def _counts(ids: np.ndarray, size: int) -> np.ndarray:
    ids = ids[ids >= 0]
    return np.bincount(ids, minlength=size).astype(np.float64)


def _take(values: np.ndarray, ids: np.ndarray, default: float) -> np.ndarray:
    """values[ids] where ids may be MISSING or past the end (unseen query tokens)."""
    ok = (ids >= 0) & (ids < values.shape[0])
    out = np.full(ids.shape, default, dtype=values.dtype)
    out[ok] = values[ids[ok]]
    return out


@dataclass(slots=True)
class Stats:
    """What the scorer learns from the data set it scans: frequencies and per-token tables."""

    n_sur: float
    n_mid: float
    n_giv: float
    n_mo: float
    n_fa: float
    sur_count: np.ndarray
    mid_count: np.ndarray
    giv_count: np.ndarray
    tone_count: np.ndarray
    mo_count: np.ndarray
    fa_count: np.ndarray
    sur_prior: np.ndarray  # built-in surname share per token id
    giv_known: np.ndarray  # bool per token id: in the built-in list of given names
    phon: np.ndarray  # int32 phonetic-key id per token id
    phon_keys: dict[str, int]
    u_dob: float
    u_commune: float
    encoder: Encoder
    initials: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int32))

    @classmethod
    def learn(cls, t: Table, enc: Encoder) -> Stats:
        size = len(enc.token_strings)
        strings = enc.token_strings
        giv_count = _counts(t.giv, size)
        n_giv = float((t.giv >= 0).sum())
        known = np.fromiter((s in COMMON_GIVEN for s in strings), bool, count=size)
        phon_keys: dict[str, int] = {}
        phon = np.fromiter(
            (phon_keys.setdefault(phonetic(s), len(phon_keys)) for s in strings),
            np.int32,
            count=size,
        )
        sur_prior = np.fromiter((surname_prior(s) for s in strings), np.float64, count=size)

        full = (t.y > 0) & (t.m > 0) & (t.d > 0)
        n_full = int(full.sum())
        u_dob = DEFAULT_DOB_U
        if n_full >= MIN_STATS_N:
            code = t.y[full].astype(np.int64) * 500 + t.m[full].astype(np.int64) * 32 + t.d[full]
            _, c = np.unique(code, return_counts=True)
            u_dob = max(float(((c / n_full) ** 2).sum()), DEFAULT_DOB_U / 4)
        u_commune = DEFAULT_COMMUNE_U
        has_c = t.commune[t.commune >= 0]
        if has_c.shape[0] >= MIN_STATS_N:
            c = np.bincount(has_c).astype(np.float64) / has_c.shape[0]
            u_commune = max(float((c**2).sum()), 1e-4)
        return cls(
            n_sur=float((t.sur >= 0).sum()),
            n_mid=float((t.mid >= 0).sum()),
            n_giv=n_giv,
            n_mo=float((t.mo_full >= 0).sum()),
            n_fa=float((t.fa_full >= 0).sum()),
            sur_count=_counts(t.sur, size),
            mid_count=_counts(t.mid, size),
            giv_count=giv_count,
            tone_count=_counts(t.giv_tone, len(enc.tone_strings)),
            mo_count=_counts(t.mo_full, size),
            fa_count=_counts(t.fa_full, size),
            sur_prior=sur_prior,
            giv_known=known,
            phon=phon,
            phon_keys=phon_keys,
            u_dob=u_dob,
            u_commune=u_commune,
            encoder=enc,
        )

    # -- per-token helpers ----------------------------------------------------------------
    def _freq(self, counts: np.ndarray, n: float, ids: np.ndarray, prior: np.ndarray) -> np.ndarray:
        c = _take(counts, ids, 0.0)
        return (c + PRIOR_N * prior) / (n + PRIOR_N)

    def w_surname(self, ids: np.ndarray) -> np.ndarray:
        prior = _take(self.sur_prior, ids, surname_prior(""))
        f = self._freq(self.sur_count, self.n_sur, ids, prior)
        return np.minimum(CAP_NAME, np.log2(M_NAME / f))

    def w_middle(self, ids: np.ndarray) -> np.ndarray:
        prior = np.full(ids.shape, DEFAULT_MIDDLE_PRIOR)
        f = self._freq(self.mid_count, self.n_mid, ids, prior)
        return np.clip(np.log2(M_MIDDLE / f), 0.0, 6.0)

    def w_given(self, ids: np.ndarray) -> np.ndarray:
        prior = np.full(ids.shape, DEFAULT_GIVEN_PRIOR)
        f = self._freq(self.giv_count, self.n_giv, ids, prior)
        return np.minimum(CAP_NAME, np.log2(M_NAME / f))

    def w_parent(self, ids: np.ndarray, mother: bool) -> np.ndarray:
        prior = np.full(ids.shape, DEFAULT_PARENT_PRIOR)
        if mother:
            f = self._freq(self.mo_count, self.n_mo, ids, prior)
        else:
            f = self._freq(self.fa_count, self.n_fa, ids, prior)
        return np.minimum(CAP_PARENT, np.log2(M_PARENT / f))

    def w_dob_exact(self) -> float:
        return min(CAP_DOB, math.log2(M_DOB / self.u_dob))

    def w_commune_same(self) -> float:
        return min(CAP_COMMUNE, math.log2(M_COMMUNE / self.u_commune))

    def strings(self, ids: np.ndarray, extra: dict[int, str]) -> list[str]:
        strs = self.encoder.token_strings
        n = len(strs)
        return [strs[i] if 0 <= i < n else extra.get(i, "") for i in ids.tolist()]

    def phon_of(self, ids: np.ndarray, extra: dict[int, str]) -> np.ndarray:
        out = _take(self.phon, ids, -1)
        unseen = np.flatnonzero(ids >= self.phon.shape[0])
        for k in unseen.tolist():
            key = phonetic(extra.get(int(ids[k]), ""))
            out[k] = self.phon_keys.get(key, -2 - k)
        return out

    def initial_of(self, ids: np.ndarray, extra: dict[int, str]) -> np.ndarray:
        """First letter of each token (as a code point; 0 when empty)."""
        if self.initials.shape[0] != len(self.encoder.token_strings):
            self.initials = np.array(
                [ord(s[0]) if s else 0 for s in self.encoder.token_strings], np.int32
            )
        out = _take(self.initials, ids, 0)
        for k in np.flatnonzero(ids >= self.initials.shape[0]).tolist():
            s = extra.get(int(ids[k]), "")
            out[k] = ord(s[0]) if s else 0
        return out

    def known_of(self, ids: np.ndarray, extra: dict[int, str]) -> np.ndarray:
        out = _take(self.giv_known, ids, False)
        for k in np.flatnonzero(ids >= self.giv_known.shape[0]).tolist():
            out[k] = extra.get(int(ids[k]), "") in COMMON_GIVEN
        return out

    def close(
        self,
        a: np.ndarray,
        b: np.ndarray,
        extra: dict[int, str],
        *,
        known_veto: bool,
    ) -> tuple[np.ndarray, np.ndarray]:
        """For token ids that differ: (is it a typo or regional spelling?, similarity 0..1).

        Close means same phonetic key, or one edit apart (two for long tokens). With
        *known_veto*, two tokens that are both real given names are never close: "An" and
        "Anh" are two children, "Anh" and "Ahn" one. A token is a real name when the built-in
        list has it, or when it is about as common in the data as the other token: a typo of
        a popular name repeats, but at a small fraction of the name's own count.
        """
        if a.shape[0] == 0:
            return np.zeros(0, bool), np.zeros(0)
        # Compare each distinct pair of tokens once: a million candidate pairs hold only a few
        # tens of thousands of distinct (token, token) couples.
        lo, hi = np.minimum(a, b).astype(np.int64), np.maximum(a, b).astype(np.int64)
        codes = (lo << 32) | (hi & 0xFFFFFFFF)
        uniq, inv = np.unique(codes, return_inverse=True)
        ua = (uniq >> 32).astype(np.int64)
        ub = (uniq & 0xFFFFFFFF).astype(np.int64)
        sa, sb = self.strings(ua, extra), self.strings(ub, extra)
        # Threads only pay off on big batches; starting them costs ~0.2 ms per call.
        workers = -1 if len(sa) >= 20_000 else 1
        dist = process.cpdist(sa, sb, scorer=OSA.distance, workers=workers)
        lens = np.fromiter(
            (max(len(x), len(y)) for x, y in zip(sa, sb, strict=True)), np.int64, count=len(sa)
        )
        shortest = np.fromiter(
            (min(len(x), len(y)) for x, y in zip(sa, sb, strict=True)), np.int64, count=len(sa)
        )
        limit = np.where(lens >= 7, 2, 1)
        ok = ((dist <= limit) & (shortest >= 2)) | (
            self.phon_of(ua, extra) == self.phon_of(ub, extra)
        )
        if known_veto:
            ca, cb = _take(self.giv_count, ua, 0.0), _take(self.giv_count, ub, 0.0)
            lo_c, hi_c = np.minimum(ca, cb), np.maximum(ca, cb)
            both_real = (lo_c >= KNOWN_MIN_COUNT) & (lo_c >= KNOWN_RATIO * hi_c)
            both_real |= self.known_of(ua, extra) & self.known_of(ub, extra)
            ok &= ~both_real
        sim = 1.0 - dist / np.maximum(lens, 1)
        return ok[inv], sim[inv]


@dataclass(slots=True)
class PairScores:
    """Weights of scored pairs; with detail, also each field's level and weight."""

    weight: np.ndarray
    levels: dict[str, np.ndarray] | None = None
    weights: dict[str, np.ndarray] | None = None
    similarity: dict[str, np.ndarray] | None = None
    family_cut: np.ndarray | None = None

    @property
    def score(self) -> np.ndarray:
        return np.asarray(weight_to_score(self.weight))


def _token_field(
    a: np.ndarray,
    b: np.ndarray,
    w_exact: np.ndarray,
    w_similar: float,
    w_different: float,
    stats: Stats,
    extra: dict[int, str],
    *,
    known_veto: bool,
    fuzzy: bool = True,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Level, weight and similarity of a token-valued field (surname, given name, ...)."""
    both = (a >= 0) & (b >= 0)
    eq = both & (a == b)
    ne = np.flatnonzero(both & ~eq)
    close = np.zeros(a.shape, bool)
    sim = np.where(eq, 1.0, 0.0)
    if fuzzy and ne.shape[0]:
        c, s = stats.close(a[ne], b[ne], extra, known_veto=known_veto)
        close[ne] = c
        sim[ne] = s
    level = np.full(a.shape, MISSING, np.int8)
    level[both] = DIFFERENT
    level[close] = SIMILAR
    level[eq] = EXACT
    w = np.zeros(a.shape)
    w[both] = w_different
    w[close] = w_similar
    w[eq] = w_exact[eq]
    return level, w, sim


def _dob(A: Table, ia: np.ndarray, B: Table, ib: np.ndarray, stats: Stats):
    ya, ma, da = A.y[ia].astype(np.int32), A.m[ia].astype(np.int32), A.d[ia].astype(np.int32)
    yb, mb, db = B.y[ib].astype(np.int32), B.m[ib].astype(np.int32), B.d[ib].astype(np.int32)
    both = (ya > 0) & (yb > 0)
    full = both & (ma > 0) & (da > 0) & (mb > 0) & (db > 0)
    dy = np.abs(ya - yb)
    same_md = (ma == mb) & (da == db)
    level = np.full(ya.shape, MISSING, np.int8)
    level[both] = DIFFERENT
    partial = both & ~full
    # Partial dates: "2015" or "2015-06" against anything with that year (and month).
    level[partial & (dy == 1)] = PARTIAL_NEAR_YEAR
    level[partial & (dy == 0)] = PARTIAL_YEAR
    known_m = (ma > 0) & (mb > 0)
    level[partial & (dy == 0) & known_m & (ma != mb)] = SAME_YEAR
    level[partial & (dy == 0) & known_m & (ma == mb)] = PARTIAL_MONTH
    level[full & (dy == 0)] = SAME_YEAR
    level[full & (dy == 1) & same_md] = YEAR_OFF_BY_ONE
    level[full & (dy == 0) & (ma == db) & (da == mb)] = SWAPPED_DAY_MONTH
    level[full & (dy == 0) & same_md] = EXACT
    table = np.zeros(11)
    table[EXACT] = stats.w_dob_exact()
    table[DIFFERENT] = W_DOB_DIFFERENT
    table[SWAPPED_DAY_MONTH] = W_DOB_SWAPPED
    table[YEAR_OFF_BY_ONE] = W_DOB_YEAR_OFF
    table[PARTIAL_MONTH] = W_DOB_PARTIAL_MONTH
    table[PARTIAL_YEAR] = W_DOB_PARTIAL_YEAR
    table[SAME_YEAR] = W_DOB_SAME_YEAR
    table[PARTIAL_NEAR_YEAR] = W_DOB_PARTIAL_NEAR
    sim_table = np.array([0, 1.0, 0.5, 0.0, 0.8, 0.7, 0.8, 0.5, 0.3, 0.3, 1.0])
    return level, table[level], sim_table[level]


def _equal_field(a: np.ndarray, b: np.ndarray, w_same, w_different: float):
    both = (a >= 0) & (b >= 0)
    eq = both & (a == b)
    level = np.full(a.shape, MISSING, np.int8)
    level[both] = DIFFERENT
    level[eq] = EXACT
    w = np.where(eq, w_same, np.where(both, w_different, 0.0))
    return level, w, eq.astype(np.float64)


def _parent(full_a, full_b, last_a, last_b, stats: Stats, extra, mother: bool):
    both = (full_a >= 0) & (full_b >= 0)
    eq = both & (full_a == full_b)
    w_exact = stats.w_parent(full_a, mother)
    # A parent whose full names differ may still be the same person written with a typo or
    # without a middle name: compare the given-name token.
    lvl_last, _, sim_last = _token_field(
        last_a, last_b, w_exact, 1.0, 0.0, stats, extra, known_veto=False
    )
    near = both & ~eq & ((lvl_last == EXACT) | (lvl_last == SIMILAR))
    level = np.full(full_a.shape, MISSING, np.int8)
    level[both] = DIFFERENT
    level[near] = SIMILAR
    level[eq] = EXACT
    w = np.zeros(full_a.shape)
    w[both] = W_PARENT_DIFFERENT
    w[near] = W_PARENT_SIMILAR
    w[eq] = w_exact[eq]
    sim = np.where(eq, 1.0, np.where(both, sim_last * 0.9, 0.0))
    return level, w, sim


def score_pairs(
    A: Table,
    ia: np.ndarray,
    B: Table,
    ib: np.ndarray,
    stats: Stats,
    *,
    detail: bool = False,
) -> PairScores:
    """Score record ``A[ia[k]]`` against ``B[ib[k]]`` for every k."""
    extra = {**B.extra, **A.extra} if (A.extra or B.extra) else {}
    sa, sb = A.sur[ia], B.sur[ib]
    ga, gb = A.giv[ia], B.giv[ib]
    res: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}
    res["surname"] = _token_field(
        sa,
        sb,
        stats.w_surname(sa),
        W_SURNAME_SIMILAR,
        W_SURNAME_DIFFERENT,
        stats,
        extra,
        known_veto=False,
    )
    ma, mb = A.mid[ia], B.mid[ib]
    res["middle_name"] = _token_field(
        ma,
        mb,
        stats.w_middle(ma),
        W_MIDDLE_SIMILAR,
        W_MIDDLE_DIFFERENT,
        stats,
        extra,
        known_veto=False,
    )
    res["given_name"] = _token_field(
        ga,
        gb,
        stats.w_given(ga),
        W_GIVEN_SIMILAR,
        W_GIVEN_DIFFERENT,
        stats,
        extra,
        known_veto=True,
    )
    # Folded alike but typed with other diacritics ("Thu"/"Thư", "Thủy"/"Thúy"): two names,
    # unless one spelling is a rare variant of a well-established one (a slip of the keyboard).
    ta, tb = A.giv_tone[ia], B.giv_tone[ib]
    lvl = res["given_name"][0]
    tone_diff = np.flatnonzero((lvl == EXACT) & (ta >= 0) & (tb >= 0) & (ta != tb))
    if tone_diff.shape[0]:
        ca = _take(stats.tone_count, ta[tone_diff], 0.0)
        cb = _take(stats.tone_count, tb[tone_diff], 0.0)
        lo_c, hi_c = np.minimum(ca, cb), np.maximum(ca, cb)
        slip = (hi_c >= KNOWN_MIN_COUNT) & (lo_c < KNOWN_RATIO * hi_c)
        level, w, sim = res["given_name"]
        level[tone_diff] = np.where(slip, SIMILAR, DIFFERENT)
        w[tone_diff] = np.where(slip, W_GIVEN_SIMILAR, W_GIVEN_DIFFERENT)
        sim[tone_diff] = 0.9
    # Same words in another order ("Văn An Nguyễn"): the name agrees, whatever the parse said.
    bag_a, bag_b = A.bag[ia], B.bag[ib]
    reordered = (bag_a != 0) & (bag_a == bag_b) & (ga != gb)
    if reordered.any():
        r = np.flatnonzero(reordered)
        for name, fn, x, y in (
            ("surname", stats.w_surname, sa, sb),
            ("given_name", stats.w_given, ga, gb),
        ):
            level, w, sim = res[name]
            level[r] = REORDERED
            w[r] = np.minimum(fn(x[r]), fn(y[r]))
            sim[r] = 1.0
        level, w, sim = res["middle_name"]
        level[r] = REORDERED
        w[r] = 0.0
        sim[r] = 1.0
    res["birth_date"] = _dob(A, ia, B, ib, stats)
    xa, xb = A.sex[ia].astype(np.int32), B.sex[ib].astype(np.int32)
    res["sex"] = _equal_field(
        np.where(xa > 0, xa, -1), np.where(xb > 0, xb, -1), W_SEX_SAME, W_SEX_DIFFERENT
    )
    res["commune_code"] = _equal_field(
        A.commune[ia], B.commune[ib], stats.w_commune_same(), W_COMMUNE_DIFFERENT
    )
    res["address"] = _equal_field(A.addr[ia], B.addr[ib], W_ADDRESS_SAME, 0.0)
    res["mother_name"] = _parent(
        A.mo_full[ia], B.mo_full[ib], A.mo_last[ia], B.mo_last[ib], stats, extra, True
    )
    res["father_name"] = _parent(
        A.fa_full[ia], B.fa_full[ib], A.fa_last[ia], B.fa_last[ib], stats, extra, False
    )
    res["id_number"] = _equal_field(A.idn[ia], B.idn[ib], W_ID_SAME, W_ID_DIFFERENT)

    family_pos = np.zeros(ia.shape)
    total = np.zeros(ia.shape)
    for name, (_, w, _) in res.items():
        if name in FAMILY_FIELDS:
            family_pos += np.maximum(w, 0.0)
            total += np.minimum(w, 0.0)
        else:
            total += w
    # Siblings share every family-level field; their sum only says "same family".
    cut = np.minimum(0.0, FAMILY_CAP - family_pos)
    total += family_pos + cut
    if not detail:
        return PairScores(weight=total)
    return PairScores(
        weight=total,
        levels={k: v[0] for k, v in res.items()},
        weights={k: v[1] for k, v in res.items()},
        similarity={k: v[2] for k, v in res.items()},
        family_cut=cut,
    )

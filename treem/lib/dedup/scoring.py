"""Pairwise scoring: compare the fields of two records into levels, weigh the levels.

Each field is compared into a level: exact, similar (a typo or a regional spelling), different,
another real name (for given names: "Phúc"/"Lộc", or one letter apart "An"/"Anh"), the same
words in another order, and for birth dates a day/month swap, a year off by one, partial dates
agreeing on the month or year. Vietnamese knowledge lives in these levels (name structure,
diacritics, common given names, date habits). The weight of each level is learnt from the data
(model.py): log2(m/u), with term frequencies for names that agree exactly. The same function
scores one query against its candidates (with per-field detail for the "why" shown to users)
and millions of pairs in a bulk scan.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import OSA, Prefix

from treem.lib.dedup.encode import Encoder, Table
from treem.lib.dedup.model import CHILD_FIELDS, TF_FIELDS, Model, default_model
from treem.lib.dedup.names import COMMON_GIVEN, phonetic, surname_prior

# Level codes, shared by every field (not every field uses every level).
MISSING, EXACT, SIMILAR, DIFFERENT = 0, 1, 2, 3
SWAPPED_DAY_MONTH, YEAR_OFF_BY_ONE, PARTIAL_MONTH, PARTIAL_YEAR = 4, 5, 6, 7
SAME_YEAR, PARTIAL_NEAR_YEAR, REORDERED = 8, 9, 10
OTHER_NAME, NEAR_NAME = 11, 12

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
    OTHER_NAME: "another_real_name",
    NEAR_NAME: "another_real_name_one_letter_apart",
}

# --- Term frequencies ------------------------------------------------------------------------
# Pseudo-count with which built-in frequencies are blended into the data's own counts, so a
# ten-record test set is scored from the built-in table and a million-record registry from
# itself.
PRIOR_N = 1000.0
DEFAULT_GIVEN_PRIOR = 1 / 300  # share of one ordinary given name
DEFAULT_MIDDLE_PRIOR = 0.05
DEFAULT_PARENT_PRIOR = 1e-4  # share of one parent's full name
# Two given names one edit apart are both real names (so: two children) when the rarer is seen
# at least this often, and at least this share of the commoner one.
KNOWN_MIN_COUNT = 5.0
KNOWN_RATIO = 0.05
# The weight of a pair is its posterior log2-odds (the model's prior included), so a score of 0.5
# is a weight of 0.
PRIOR_BITS = 0.0

# Within one family the score is discounted by the cost of a wrong merge: merging twins or
# siblings makes a child disappear from the registry, with their allowance and case history
# attached to a brother or sister, while a missed duplicate stays visible as two records that
# the next check or visit can still join. We count a wrong merge as 20 missed duplicates: a pair
# of one family is reported when P(same child) > 20/21, that is 4.4 bits more evidence.
FAMILY_LOSS_BITS = math.log2(20)

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
    encoder: Encoder
    initials: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int32))
    # The learnt weights (model.py); None until trained or set to the default.
    model: Model | None = None
    # log2 term frequency per token id, per name field (built on first use).
    log_tf: dict[str, np.ndarray] = field(default_factory=dict)
    # Token ranks and the table of compared couples (built on first use; see close_flags).
    memo: tuple[np.ndarray, np.ndarray] | None = None

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
            encoder=enc,
        )

    # -- per-token helpers ----------------------------------------------------------------
    def _freq(self, counts: np.ndarray, n: float, ids: np.ndarray, prior: np.ndarray) -> np.ndarray:
        c = _take(counts, ids, 0.0)
        return (c + PRIOR_N * prior) / (n + PRIOR_N)

    def term_frequency(self, name: str, ids: np.ndarray) -> np.ndarray:
        """Share of records with this value (blended with a built-in prior): the u of an
        exact agreement on it."""
        if name == "surname":
            prior = _take(self.sur_prior, ids, surname_prior(""))
            return self._freq(self.sur_count, self.n_sur, ids, prior)
        if name == "middle_name":
            return self._freq(
                self.mid_count, self.n_mid, ids, np.full(ids.shape, DEFAULT_MIDDLE_PRIOR)
            )
        if name == "given_name":
            return self._freq(
                self.giv_count, self.n_giv, ids, np.full(ids.shape, DEFAULT_GIVEN_PRIOR)
            )
        counts, n = (
            (self.mo_count, self.n_mo) if name == "mother_name" else (self.fa_count, self.n_fa)
        )
        return self._freq(counts, n, ids, np.full(ids.shape, DEFAULT_PARENT_PRIOR))

    def strings(self, ids: np.ndarray, extra: dict[int, str]) -> list[str]:
        strs = self.encoder.token_strings
        n = len(strs)
        if ids.shape[0] and int(ids.min()) >= 0 and int(ids.max()) < n:
            return list(map(strs.__getitem__, ids.tolist()))
        return [strs[i] if 0 <= i < n else extra.get(i, "") for i in ids.tolist()]

    def log_term_frequency(self, name: str, ids: np.ndarray) -> np.ndarray:
        """log2 of :meth:`term_frequency`, from a table computed once per token (the bulk
        scan asks for millions of them)."""
        table = self.log_tf.get(name)
        if table is None:
            every = np.arange(len(self.encoder.token_strings), dtype=np.int64)
            table = self.log_tf[name] = np.log2(self.term_frequency(name, every))
        if ids.shape[0] and int(ids.max()) >= table.shape[0]:
            return np.log2(self.term_frequency(name, ids))  # unseen query tokens
        return table[ids]

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
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """For token ids that differ: (is it a typo or regional spelling?, similarity 0..1,
        are both real names?, are they real names one letter apart?).

        Close means same phonetic key, or one edit apart (two for long tokens). With
        *known_veto*, two tokens that are both real given names are never close: "An" and
        "Anh" are two children, "Anh" and "Ahn" one. A token is a real name when the built-in
        list has it, or when it is about as common in the data as the other token: a typo of
        a popular name repeats, but at a small fraction of the name's own count.
        """
        if a.shape[0] == 0:
            none = np.zeros(0, bool)
            return none, np.zeros(0), none, none
        # Compare each distinct pair of tokens once: a million candidate pairs hold only a few
        # tens of thousands of distinct (token, token) couples.
        uniq, inv = np.unique(_couple_codes(a, b), return_inverse=True)
        ok, both_real, sim = self._compare_couples(uniq, extra, with_sim=True, with_real=known_veto)
        ok, two, near = _veto(ok, both_real, known_veto)
        return ok[inv], sim[inv], two[inv], near[inv]

    def close_flags(
        self,
        a: np.ndarray,
        b: np.ndarray,
        extra: dict[int, str],
        *,
        known_veto: bool,
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """:meth:`close` without the similarity: (close, both real names, real names one
        letter apart). For big batches (a bulk scan) the answers for the most common tokens
        are kept in a table, so a couple compared once is afterwards one array lookup."""
        if a.shape[0] < MEMO_MIN_PAIRS:
            ok, _, two, near = self.close(a, b, extra, known_veto=known_veto)
            return ok, two, near
        rank, memo = self._memo()
        size = memo.shape[0]
        ra, rb = _take(rank, a, size), _take(rank, b, size)
        inside = (ra < size) & (rb < size)
        cell = ra * size + rb
        got = np.zeros(a.shape, np.int8)
        got[inside] = memo.ravel()[cell[inside]]
        todo = np.flatnonzero(got == 0)
        if todo.shape[0]:
            uniq, inv = np.unique(_couple_codes(a[todo], b[todo]), return_inverse=True)
            ok, both_real, _ = self._compare_couples(uniq, extra, with_sim=False)
            code = (1 + ok + 2 * both_real).astype(np.int8)
            got[todo] = code[inv]
            # Remember the couples of common tokens, both ways round.
            ua, ub = uniq >> 32, uniq & 0xFFFFFFFF
            rua, rub = _take(rank, ua, size), _take(rank, ub, size)
            keep = (rua < size) & (rub < size)
            memo[rua[keep], rub[keep]] = code[keep]
            memo[rub[keep], rua[keep]] = code[keep]
        got -= 1
        return _veto((got & 1).astype(bool), (got & 2).astype(bool), known_veto)

    def _memo(self) -> tuple[np.ndarray, np.ndarray]:
        """(rank of each token id by how common it is as a name word, table of compared
        couples of the MEMO_TOKENS commonest: 0 not yet, else 1 + close + 2 * both real)."""
        if self.memo is None:
            counts = self.sur_count + self.mid_count + self.giv_count
            size = min(MEMO_TOKENS, counts.shape[0])
            rank = np.empty(counts.shape[0], np.int64)
            rank[np.argsort(-counts, kind="stable")] = np.arange(counts.shape[0])
            self.memo = (rank, np.zeros((size, size), np.int8))
        return self.memo

    def _compare_couples(
        self, uniq: np.ndarray, extra: dict[int, str], *, with_sim: bool, with_real: bool = True
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
        """For distinct couples of token ids (lo << 32 | hi): (close before the real-name
        veto, both real given names (all False without *with_real*), similarity or None)."""
        ua = (uniq >> 32).astype(np.int64)
        ub = (uniq & 0xFFFFFFFF).astype(np.int64)
        sa, sb = self.strings(ua, extra), self.strings(ub, extra)
        # Threads only pay off on big batches; starting them costs ~0.2 ms per call.
        workers = 1
        dist = process.cpdist(sa, sb, scorer=OSA.distance, workers=workers)
        la = np.fromiter(map(len, sa), np.int64, count=len(sa))
        lb = np.fromiter(map(len, sb), np.int64, count=len(sb))
        lens, shortest = np.maximum(la, lb), np.minimum(la, lb)
        limit = np.where(lens >= 7, 2, 1)
        # A name cut short ("Lệ" typed "L" or "Lê"... "Tiên" typed "Tiê") is a prefix of the other.
        common = process.cpdist(sa, sb, scorer=Prefix.similarity, workers=workers)
        prefix = (shortest > 0) & (common >= shortest)
        ok = (
            ((dist <= limit) & (shortest >= 2))
            | prefix
            | (self.phon_of(ua, extra) == self.phon_of(ub, extra))
        )
        both_real = np.zeros(ok.shape, bool)
        if with_real:
            ca, cb = _take(self.giv_count, ua, 0.0), _take(self.giv_count, ub, 0.0)
            lo_c, hi_c = np.minimum(ca, cb), np.maximum(ca, cb)
            both_real = (lo_c >= KNOWN_MIN_COUNT) & (lo_c >= KNOWN_RATIO * hi_c)
            both_real |= self.known_of(ua, extra) & self.known_of(ub, extra)
        sim = 1.0 - dist / np.maximum(lens, 1) if with_sim else None
        return ok, both_real, sim


# Batches of at least this many token couples use Stats' table of compared couples.
MEMO_MIN_PAIRS = 20_000
# The table covers couples of the 4,096 commonest name words (16 MB): at a million records
# they make 99.8% of the differing couples of a scan.
MEMO_TOKENS = 4096


def _couple_codes(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """One int64 per unordered couple of token ids (ids below 2**31)."""
    lo, hi = np.minimum(a, b).astype(np.int64), np.maximum(a, b).astype(np.int64)
    return (lo << 32) | (hi & 0xFFFFFFFF)


def _veto(
    ok: np.ndarray, both_real: np.ndarray, known_veto: bool
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(close, both real names, real names one letter apart) once two real given names are
    kept apart (with *known_veto*); without it the last two are all False."""
    if not known_veto:
        none = np.zeros(ok.shape, bool)
        return ok, none, none
    return ok & ~both_real, both_real, ok & both_real


@dataclass(slots=True)
class PairScores:
    """Weights of scored pairs; with detail, also each field's level and weight."""

    weight: np.ndarray  # posterior log2-odds of "same child"
    levels: dict[str, np.ndarray] | None = None
    weights: dict[str, np.ndarray] | None = None
    similarity: dict[str, np.ndarray] | None = None
    family_cut: np.ndarray | None = None  # True where the pair is of one family

    @property
    def score(self) -> np.ndarray:
        return np.asarray(weight_to_score(self.weight))


def _token_fields(
    pairs: list[tuple[np.ndarray, np.ndarray]],
    stats: Stats,
    extra: dict[int, str],
    *,
    known_veto: bool,
    with_sim: bool = True,
) -> list[tuple[np.ndarray, np.ndarray]]:
    """Level and similarity of token-valued fields (surname, given name, ...), one per (a, b)
    of *pairs*. The token couples of all the fields are compared in one batch: a name that is
    a surname here is a parent's given name there, and each couple is compared once. Without
    *with_sim* the similarity of differing tokens is left at 0 (weights do not use it)."""
    out: list[tuple[np.ndarray, np.ndarray]] = []
    ne_of: list[np.ndarray] = []
    for a, b in pairs:
        both = (a >= 0) & (b >= 0)
        eq = both & (a == b)
        ne_of.append(np.flatnonzero(both & ~eq))
        level = np.full(a.shape, MISSING, np.int8)
        level[both] = DIFFERENT
        level[eq] = EXACT
        out.append((level, eq.astype(np.float64)))
    sizes = [ne.shape[0] for ne in ne_of]
    if not sum(sizes):
        return out
    ta = np.concatenate([a[ne] for (a, _), ne in zip(pairs, ne_of, strict=True)])
    tb = np.concatenate([b[ne] for (_, b), ne in zip(pairs, ne_of, strict=True)])
    sim = None
    if with_sim:
        close, sim, two, near = stats.close(ta, tb, extra, known_veto=known_veto)
    else:
        close, two, near = stats.close_flags(ta, tb, extra, known_veto=known_veto)
    at = 0
    for (level, s), ne, n in zip(out, ne_of, sizes, strict=True):
        if not n:
            continue
        c = close[at : at + n]
        if sim is not None:
            s[ne] = sim[at : at + n]
        if known_veto:
            # Two real names ("Phúc" and "Lộc"; "An" and "Anh" one letter apart), not a slip.
            t = two[at : at + n]
            level[ne[t]] = OTHER_NAME
            level[ne[near[at : at + n] & ~c]] = NEAR_NAME
        level[ne[c]] = SIMILAR
        at += n
    return out


def _token_field(
    a: np.ndarray,
    b: np.ndarray,
    stats: Stats,
    extra: dict[int, str],
    *,
    known_veto: bool,
    with_sim: bool = True,
) -> tuple[np.ndarray, np.ndarray]:
    """Level and similarity of one token-valued field."""
    return _token_fields([(a, b)], stats, extra, known_veto=known_veto, with_sim=with_sim)[0]


def _dob(A: Table, ia: np.ndarray, B: Table, ib: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
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
    sim_table = np.array([0, 1.0, 0.5, 0.0, 0.8, 0.7, 0.8, 0.5, 0.3, 0.3, 1.0, 0.0, 0.0])
    return level, sim_table[level]


def _equal_field(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    both = (a >= 0) & (b >= 0)
    eq = both & (a == b)
    level = np.full(a.shape, MISSING, np.int8)
    level[both] = DIFFERENT
    level[eq] = EXACT
    return level, eq.astype(np.float64)


def _parent(full_a, full_b, lvl_last, sim_last) -> tuple[np.ndarray, np.ndarray]:
    """A parent's level: exact on the full name; similar when the full names differ but the
    given-name token agrees or nearly (the same person written with a typo or without a
    middle name)."""
    both = (full_a >= 0) & (full_b >= 0)
    eq = both & (full_a == full_b)
    near = both & ~eq & ((lvl_last == EXACT) | (lvl_last == SIMILAR))
    level = np.full(full_a.shape, MISSING, np.int8)
    level[both] = DIFFERENT
    level[near] = SIMILAR
    level[eq] = EXACT
    sim = np.where(eq, 1.0, np.where(both, sim_last * 0.9, 0.0))
    return level, sim


def score_pairs(
    A: Table,
    ia: np.ndarray,
    B: Table,
    ib: np.ndarray,
    stats: Stats,
    *,
    detail: bool = False,
) -> PairScores:
    """Score record ``A[ia[k]]`` against ``B[ib[k]]`` for every k: compare every field into a
    level, then weigh the levels with the learnt model (model.py)."""
    extra = {**B.extra, **A.extra} if (A.extra or B.extra) else {}
    sa, sb = A.sur[ia], B.sur[ib]
    ga, gb = A.giv[ia], B.giv[ib]
    ma, mb = A.mid[ia], B.mid[ib]
    res: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    res["surname"], res["middle_name"], mo_last, fa_last = _token_fields(
        [(sa, sb), (ma, mb), (A.mo_last[ia], B.mo_last[ib]), (A.fa_last[ia], B.fa_last[ib])],
        stats,
        extra,
        known_veto=False,
        with_sim=detail,
    )
    res["given_name"] = _token_field(ga, gb, stats, extra, known_veto=True, with_sim=detail)
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
        level, sim = res["given_name"]
        level[tone_diff] = np.where(slip, SIMILAR, NEAR_NAME)
        sim[tone_diff] = 0.9
    # Same words in another order ("Văn An Nguyễn"): the name agrees, whatever the parse said.
    bag_a, bag_b = A.bag[ia], B.bag[ib]
    reordered = (bag_a != 0) & (bag_a == bag_b) & (ga != gb)
    if reordered.any():
        r = np.flatnonzero(reordered)
        for name in ("surname", "given_name", "middle_name"):
            level, sim = res[name]
            level[r] = REORDERED
            sim[r] = 1.0
    res["birth_date"] = _dob(A, ia, B, ib)
    xa, xb = A.sex[ia].astype(np.int32), B.sex[ib].astype(np.int32)
    res["sex"] = _equal_field(np.where(xa > 0, xa, -1), np.where(xb > 0, xb, -1))
    res["commune_code"] = _equal_field(A.commune[ia], B.commune[ib])
    res["address"] = _equal_field(A.addr[ia], B.addr[ib])
    res["mother_name"] = _parent(A.mo_full[ia], B.mo_full[ib], *mo_last)
    res["father_name"] = _parent(A.fa_full[ia], B.fa_full[ib], *fa_last)
    res["id_number"] = _equal_field(A.idn[ia], B.idn[ib])
    token_ids = {
        "surname": (sa, sb),
        "middle_name": (ma, mb),
        "given_name": (ga, gb),
        "mother_name": (A.mo_full[ia], B.mo_full[ib]),
        "father_name": (A.fa_full[ia], B.fa_full[ib]),
    }
    model = stats.model or default_model()
    levels = {k: v[0] for k, v in res.items()}
    # One family: a parent's full name agrees. (An address alone does not make a family: a
    # data set without parents' names is all "different families".)
    fam = (levels["mother_name"] == EXACT) | (levels["father_name"] == EXACT)
    weights = _model_weights(levels, fam, model, stats, token_ids)
    total = np.zeros(ia.shape)
    for w in weights.values():
        total += w
    total += np.where(fam, model.prior_bits(1) - FAMILY_LOSS_BITS, model.prior_bits(0))
    if not detail:
        return PairScores(weight=total)
    return PairScores(
        weight=total,
        levels=levels,
        weights=weights,
        similarity={k: v[1] for k, v in res.items()},
        family_cut=fam,
    )


def _model_weights(
    levels: dict[str, np.ndarray],
    fam: np.ndarray,
    model: Model,
    stats: Stats,
    token_ids: dict[str, tuple[np.ndarray, np.ndarray]],
) -> dict[str, np.ndarray]:
    """Each field's weight under the learnt model, in the pair's context (one family or not)."""
    w0, w1 = model.weights(0), model.weights(1)
    out: dict[str, np.ndarray] = {}
    for f, lv in levels.items():
        lvi = lv.astype(np.int64)
        w = w0[f][lvi]
        if f in TF_FIELDS:
            a, b = token_ids[f]
            exact = np.flatnonzero((lvi == EXACT) | (lvi == REORDERED))
            if exact.shape[0]:
                # Term frequency: agreeing on a rare value weighs more than on a common one.
                log_tf = np.maximum(
                    stats.log_term_frequency(f, a[exact]), stats.log_term_frequency(f, b[exact])
                )
                m_exact = model.m0[f][EXACT] + model.m0[f][REORDERED]
                w = w.copy()
                w[exact] = math.log2(max(m_exact, 1e-6)) - log_tf
        if f in CHILD_FIELDS:
            w = np.where(fam, w1[f][lvi], w)
        elif f in FAMILY_FIELDS:
            # Within one family the family fields say nothing about which child it is; only
            # a disagreement (another father, say) still counts.
            w = np.where(fam, np.minimum(w, 0.0), w)
        out[f] = w
    return out


# Bulk scans skip pairs whose weight_bound is below the threshold by more than this margin
# (bits; it covers rounding, as the bound adds the same terms in another order).
BOUND_MARGIN = 1e-6


def weight_bound(A: Table, ia: np.ndarray, B: Table, ib: np.ndarray, stats: Stats) -> np.ndarray:
    """An upper bound of ``score_pairs(A, ia, B, ib, stats).weight``, pair by pair, from
    comparisons that need no look at the strings: every field's level is known exactly except
    when two name words differ, where the bound takes the best weight of the levels that
    comparison could give (similar, different, another real name...). Most candidate pairs of a
    bulk scan fall far below the threshold on this bound alone, and are never fully scored.

    Pairs whose names hold the same words in another order are not bounded (infinity)."""
    model = stats.model or default_model()
    w0, w1 = model.weights(0), model.weights(1)
    mo_a, mo_b = A.mo_full[ia], B.mo_full[ib]
    fa_a, fa_b = A.fa_full[ia], B.fa_full[ib]
    fam = ((mo_a >= 0) & (mo_a == mo_b)) | ((fa_a >= 0) & (fa_a == fa_b))
    total = np.where(fam, model.prior_bits(1) - FAMILY_LOSS_BITS, model.prior_bits(0))

    def in_context(f: str, w: np.ndarray, levels: np.ndarray | list[int]) -> np.ndarray:
        """The weight of field *f* at the given level(s) in each pair's context."""
        if f in CHILD_FIELDS:
            return np.where(fam, w1[f][levels], w)
        if f in FAMILY_FIELDS:
            return np.where(fam, np.minimum(w, 0.0), w)
        return w

    def best(f: str, levels: list[int]) -> np.ndarray:
        """The best weight of field *f* among *levels*, per pair (by context)."""
        b0 = float(w0[f][levels].max())
        if f in CHILD_FIELDS:
            return np.where(fam, float(w1[f][levels].max()), b0)
        if f in FAMILY_FIELDS:
            return np.where(fam, min(b0, 0.0), b0)
        return np.full(fam.shape, b0)

    def exact_level(f: str, level: np.ndarray) -> None:
        nonlocal total
        lv = level.astype(np.int64)
        total = total + in_context(f, w0[f][lv], lv)

    dob, _ = _dob(A, ia, B, ib)
    exact_level("birth_date", dob)
    xa, xb = A.sex[ia].astype(np.int32), B.sex[ib].astype(np.int32)
    exact_level("sex", _equal_field(np.where(xa > 0, xa, -1), np.where(xb > 0, xb, -1))[0])
    exact_level("commune_code", _equal_field(A.commune[ia], B.commune[ib])[0])
    exact_level("address", _equal_field(A.addr[ia], B.addr[ib])[0])
    exact_level("id_number", _equal_field(A.idn[ia], B.idn[ib])[0])

    def token(f: str, a: np.ndarray, b: np.ndarray, unequal: list[int]) -> np.ndarray:
        """Weight bound of a token field: exact (with term frequency) when the tokens are
        equal, the best of *unequal* when both are there and differ, 0 when one is missing."""
        both = (a >= 0) & (b >= 0)
        eq = both & (a == b)
        out = np.where(both, best(f, unequal), 0.0)
        e = np.flatnonzero(eq)
        if e.shape[0]:
            m_exact = model.m0[f][EXACT] + model.m0[f][REORDERED]
            tf = math.log2(max(m_exact, 1e-6)) - stats.log_term_frequency(f, a[e])
            if f in CHILD_FIELDS:
                tf = np.where(fam[e], w1[f][EXACT], tf)
            elif f in FAMILY_FIELDS:
                tf = np.where(fam[e], np.minimum(tf, 0.0), tf)
            out[e] = tf
        return out

    ga, gb = A.giv[ia], B.giv[ib]
    total += token("surname", A.sur[ia], B.sur[ib], [SIMILAR, DIFFERENT])
    total += token("middle_name", A.mid[ia], B.mid[ib], [SIMILAR, DIFFERENT])
    given = token("given_name", ga, gb, [SIMILAR, DIFFERENT, OTHER_NAME, NEAR_NAME])
    # The same given name typed with other diacritics is similar or another name, not exact.
    ta, tb = A.giv_tone[ia], B.giv_tone[ib]
    toned = np.flatnonzero((ga >= 0) & (ga == gb) & (ta >= 0) & (tb >= 0) & (ta != tb))
    if toned.shape[0]:
        given[toned] = np.maximum(given[toned], best("given_name", [SIMILAR, NEAR_NAME])[toned])
    total += given
    total += token("mother_name", mo_a, mo_b, [SIMILAR, DIFFERENT])
    total += token("father_name", fa_a, fa_b, [SIMILAR, DIFFERENT])
    bag_a, bag_b = A.bag[ia], B.bag[ib]
    total[(bag_a != 0) & (bag_a == bag_b) & (ga != gb)] = np.inf
    return total

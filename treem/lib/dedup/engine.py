"""Public face of the duplicate finder: records in, likely duplicates (with reasons) out."""

from __future__ import annotations

import csv
import io
import itertools
import multiprocessing as mp
import os
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from treem.lib.dedup.blocking import (
    BlockKey,
    BlockPlan,
    PairStats,
    _mix,
    block_keys,
    iter_pairs,
    plan_blocks,
)
from treem.lib.dedup.dates import format_date
from treem.lib.dedup.encode import COLUMNS, Encoder, Table
from treem.lib.dedup.model import Model, default_model, fit
from treem.lib.dedup.scoring import (
    BOUND_MARGIN,
    FAMILY_LOSS_BITS,
    FIELDS,
    LEVEL_NAMES,
    Stats,
    score_pairs,
    score_to_weight,
    weight_bound,
    weight_to_score,
)

# A pair at or above this score is reported as a likely duplicate: the score is the learnt
# posterior probability that two records are one child (discounted within a family by the cost
# of a wrong merge), so 0.5 means "more likely than not".
DEFAULT_THRESHOLD = 0.5


@dataclass(slots=True)
class Record:
    """One child as the registry knows it. Every field but record_id may be empty.

    birth_date is ISO "YYYY-MM-DD", or partial "YYYY-MM" / "YYYY" when only that is known.
    """

    record_id: str
    full_name: str = ""
    birth_date: str = ""
    sex: str = ""
    commune_code: str = ""
    address: str = ""
    mother_name: str = ""
    father_name: str = ""
    id_number: str = ""


@dataclass(slots=True, frozen=True)
class FieldEvidence:
    """Why a field pushed a pair towards or away from "same child".

    ``level`` is a stable code ("exact", "similar", "day_month_swapped", ...), ``weight`` the
    contribution in bits (positive: evidence for a duplicate), ``similarity`` 0..1 or None when a
    side is empty. Values are the normalised (folded) forms that were compared.
    """

    field: str
    level: str
    similarity: float | None
    weight: float
    value: str
    other_value: str


@dataclass(slots=True)
class Candidate:
    """A possible duplicate of the queried record."""

    record_id: str
    score: float  # probability-like, 0..1; compare with DEFAULT_THRESHOLD
    weight: float  # total evidence in bits (the sum of the evidence weights)
    evidence: list[FieldEvidence] = field(default_factory=list)


def records_to_columns(records: Iterable[Record | Mapping[str, str]]) -> dict[str, list[str]]:
    """Turn records (dataclasses or dicts) into the column lists the encoder reads."""
    cols: dict[str, list[str]] = {c: [] for c in COLUMNS}
    appenders = [(c, cols[c].append) for c in COLUMNS]
    for r in records:
        if isinstance(r, Mapping):
            for c, add in appenders:
                add(r.get(c) or "")
        else:
            for c, add in appenders:
                add(getattr(r, c) or "")
    return cols


# --- the index: one record against many -------------------------------------------------


@dataclass(slots=True)
class _KeyIndex:
    name: str
    keys: np.ndarray  # sorted uint64
    rec: np.ndarray  # record positions in key order
    flagged_keys: np.ndarray | None  # for asymmetric keys: only flagged records
    flagged_rec: np.ndarray | None


def _sorted(keys: np.ndarray, mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    rec = np.flatnonzero(mask & (keys != 0)).astype(np.int32)
    k = keys[rec]
    order = np.argsort(k, kind="stable")
    return k[order], rec[order]


class Index:
    """Records ready to be searched for duplicates of a new one.

    Build once (a million records take seconds and a few hundred MB), then call :meth:`query`
    for each new or edited record: blocking narrows a million records to a few hundred
    candidates, which are scored together.
    """

    def __init__(self, records: Iterable[Record | Mapping[str, str]] = ()) -> None:
        self._build(records_to_columns(records))

    @classmethod
    def from_columns(cls, cols: Mapping[str, Sequence[str]]) -> Index:
        self = cls.__new__(cls)
        self._build(cols)
        return self

    def _build(self, cols: Mapping[str, Sequence[str]]) -> None:
        self.encoder = Encoder()
        self.table: Table = self.encoder.encode(cols)
        # A tuple, not a list: see Encoder.freeze.
        self.record_ids: tuple[str, ...] = tuple(cols["record_id"])
        self.stats = Stats.learn(self.table, self.encoder)
        self.stats.model = train_model(self.table, self.stats)
        self._keys: list[_KeyIndex] = []
        for bk in block_keys(self.table, self.stats):
            k, rec = _sorted(bk.keys, np.ones(bk.keys.shape, bool))
            fk = frec = None
            if bk.flag is not None:
                fk, frec = _sorted(bk.keys, bk.flag)
            self._keys.append(_KeyIndex(bk.name, k, rec, fk, frec))
        self.stats.initial_of(np.zeros(0, np.int32), {})  # build the lazy table now
        self.encoder.freeze()

    def __len__(self) -> int:
        return len(self.record_ids)

    def _encode(self, record: Record | Mapping[str, str]) -> Table:
        return self.encoder.encode(records_to_columns([record]), frozen=True)

    def candidates(self, record: Record | Mapping[str, str]) -> np.ndarray:
        """Positions of the indexed records that share a blocking key with *record*."""
        return self._candidates(self._encode(record))

    def _candidates(self, q: Table) -> np.ndarray:
        parts: list[np.ndarray] = []
        for bk, ki in zip(block_keys(q, self.stats), self._keys, strict=True):
            key = bk.keys[0]
            if key == 0:
                continue
            keys, rec = ki.keys, ki.rec
            if bk.flag is not None and not bk.flag[0]:
                # An unflagged query only pairs with flagged records (see BlockKey.flag).
                keys, rec = ki.flagged_keys, ki.flagged_rec
                # The block size that matters for the cap is the whole block's.
                lo, hi = np.searchsorted(ki.keys, key), np.searchsorted(ki.keys, key, "right")
                if hi - lo >= bk.max_block:
                    continue
            lo, hi = np.searchsorted(keys, key), np.searchsorted(keys, key, "right")
            if hi - lo >= bk.max_block:
                continue
            if hi > lo:
                parts.append(rec[lo:hi])
        if not parts:
            return np.zeros(0, np.int32)
        return np.unique(np.concatenate(parts))

    def query(
        self,
        record: Record | Mapping[str, str],
        *,
        threshold: float | None = DEFAULT_THRESHOLD,
        limit: int = 20,
        explain: bool = True,
    ) -> list[Candidate]:
        """Likely duplicates of *record*, best first, with per-field evidence.

        ``threshold=None`` returns every candidate the blocking found, however low its score
        (useful for a "possible duplicates" list). The record itself, when already indexed
        under the same record_id, is left out.
        """
        q = self._encode(record)
        cand = self._candidates(q)
        if cand.shape[0] == 0:
            return []
        ia = np.zeros(cand.shape[0], np.int64)
        res = score_pairs(q, ia, self.table, cand, self.stats, detail=explain)
        w = res.weight
        keep = np.ones(w.shape, bool)
        if threshold is not None:
            keep &= w >= score_to_weight(threshold)
        own_id = record.get("record_id") if isinstance(record, Mapping) else record.record_id
        order = np.flatnonzero(keep)
        order = order[np.argsort(-w[order], kind="stable")]
        out: list[Candidate] = []
        for k in order.tolist():
            rid = self.record_ids[int(cand[k])]
            if own_id and rid == own_id:
                continue
            ev = self._evidence(q, int(cand[k]), res, k) if explain else []
            out.append(Candidate(rid, float(weight_to_score(w[k])), float(w[k]), ev))
            if len(out) >= limit:
                break
        return out

    def _evidence(self, q: Table, pos: int, res, k: int) -> list[FieldEvidence]:
        t, enc, extra = self.table, self.encoder, q.extra
        assert res.levels is not None and res.weights is not None and res.similarity is not None

        def tok(table: Table, col: str, i: int, ext: dict[int, str]) -> str:
            return enc.token(int(getattr(table, col)[i]), ext)

        def other(strings: list[str], v: int) -> str:
            return strings[v] if 0 <= v < len(strings) else ""

        values: dict[str, tuple[str, str]] = {
            "surname": (tok(q, "sur", 0, extra), tok(t, "sur", pos, {})),
            "middle_name": (tok(q, "mid", 0, extra), tok(t, "mid", pos, {})),
            "given_name": (tok(q, "giv", 0, extra), tok(t, "giv", pos, {})),
            "birth_date": (
                format_date(int(q.y[0]), int(q.m[0]), int(q.d[0])),
                format_date(int(t.y[pos]), int(t.m[pos]), int(t.d[pos])),
            ),
            "sex": (
                {1: "M", 2: "F"}.get(int(q.sex[0]), ""),
                {1: "M", 2: "F"}.get(int(t.sex[pos]), ""),
            ),
            "commune_code": (
                other(enc.commune_strings, int(q.commune[0])),
                other(enc.commune_strings, int(t.commune[pos])),
            ),
            "address": (
                other(enc.address_strings, int(q.addr[0])),
                other(enc.address_strings, int(t.addr[pos])),
            ),
            "mother_name": (tok(q, "mo_full", 0, extra), tok(t, "mo_full", pos, {})),
            "father_name": (tok(q, "fa_full", 0, extra), tok(t, "fa_full", pos, {})),
            "id_number": (
                other(enc.id_strings, int(q.idn[0])),
                other(enc.id_strings, int(t.idn[pos])),
            ),
        }
        out: list[FieldEvidence] = []
        for name in FIELDS:
            level = int(res.levels[name][k])
            out.append(
                FieldEvidence(
                    field=name,
                    level=LEVEL_NAMES[level],
                    similarity=None if level == 0 else round(float(res.similarity[name][k]), 3),
                    weight=round(float(res.weights[name][k]), 2),
                    value=values[name][0],
                    other_value=values[name][1],
                )
            )
        # The starting odds, so that the weights add up to the total: how often a candidate
        # pair is the same child, among pairs of one family or of different families (and,
        # in one family, the cost of a wrong merge; see scoring.FAMILY_LOSS_BITS).
        model = self.stats.model or default_model()
        one_family = bool(res.family_cut[k])
        prior = model.prior_bits(1) - FAMILY_LOSS_BITS if one_family else model.prior_bits(0)
        out.append(
            FieldEvidence(
                PRIOR_FIELD,
                "one_family" if one_family else "different_families",
                None,
                round(prior, 2),
                "",
                "",
            )
        )
        return out


# The evidence entry that carries the starting odds (not a field of the record).
PRIOR_FIELD = "prior"


# --- learning the weights ---------------------------------------------------------------------

# Below this many records the data cannot teach its own weights: the default model is used.
TRAIN_MIN_RECORDS = 2000
# Learning from a sample is enough: the weights settle long before a million records.
TRAIN_SAMPLE_RECORDS = 60_000
TRAIN_RANDOM_PAIRS = 200_000
TRAIN_MAX_CANDIDATES = 600_000
# Fewer one-family candidate pairs than this: the default model's one-family part is kept.
TRAIN_MIN_FAMILY_PAIRS = 300


def train_model(
    table: Table, stats: Stats, *, seed: int = 0, keys: list[BlockKey] | None = None
) -> Model:
    """Learn the comparison weights from *table* itself (see model.py); small tables get the
    default model. *keys*: the table's block_keys, when already computed."""
    n = table.n
    base = default_model()
    if n < TRAIN_MIN_RECORDS:
        return base
    stats.model = base  # levels do not depend on weights; scoring needs some model
    rng = np.random.default_rng(seed)
    a = rng.integers(0, n, TRAIN_RANDOM_PAIRS)
    b = rng.integers(0, n, TRAIN_RANDOM_PAIRS)
    keep = a != b
    random_levels = score_pairs(table, a[keep], table, b[keep], stats, detail=True).levels
    sample = np.zeros(n, bool)
    sample[rng.choice(n, min(n, TRAIN_SAMPLE_RECORDS), replace=False)] = True
    all_keys = block_keys(table, stats) if keys is None else keys
    # The sample's records, in table order: blocking only them gives the same pairs, in the
    # same order, as blocking the whole table with the other records' keys cleared.
    where = np.flatnonzero(sample)

    def pairs_of(keys: list[BlockKey]) -> tuple[np.ndarray, np.ndarray]:
        keys = [
            BlockKey(
                bk.name,
                bk.keys[where],
                None if bk.flag is None else bk.flag[where],
                bk.max_block,
            )
            for bk in keys
        ]
        got_a: list[np.ndarray] = []
        got_b: list[np.ndarray] = []
        total = 0
        for pa, pb in iter_pairs(keys, chunk=200_000):
            got_a.append(where[pa])
            got_b.append(where[pb])
            total += pa.shape[0]
            if total >= TRAIN_MAX_CANDIDATES:
                break
        return _cat(got_a, np.int64), _cat(got_b, np.int64)

    def levels_of(pa: np.ndarray, pb: np.ndarray):
        res = score_pairs(table, pa, table, pb, stats, detail=True)
        assert res.levels is not None and res.family_cut is not None
        return res.levels, res.family_cut

    full = (table.y > 0) & (table.m > 0) & (table.d > 0)
    with np.errstate(over="ignore"):
        date_key = BlockKey("date", np.where(full, _mix(table.y, table.m, table.d), 0))
        name_ok = (table.sur >= 0) & (table.giv >= 0)
        name_key = BlockKey("name", np.where(name_ok, _mix(table.sur, table.giv), 0))
    # The m sessions learn the "different families" context: pairs of one family (twins share
    # the date, siblings the surname) are left out of them.
    date_levels, date_fam = levels_of(*pairs_of([date_key]))
    name_levels, name_fam = levels_of(*pairs_of([name_key]))
    ca, cb = pairs_of(all_keys)
    if not ca.shape[0]:
        return base
    cand_levels, fam = levels_of(ca, cb)
    m = int(sample.sum())
    model = fit(
        random_levels,
        (date_levels, date_fam),
        (name_levels, name_fam),
        cand_levels,
        fam,
        m * (m - 1) / 2,
        trained_on="%d records" % n,
    )
    res = type("R", (), {"family_cut": fam})
    if int(res.family_cut.sum()) < TRAIN_MIN_FAMILY_PAIRS:
        model.m1, model.u1, model.prior1 = base.m1, base.u1, base.prior1
    return model


# --- bulk scan ------------------------------------------------------------------------------


@dataclass(slots=True)
class ScanResult:
    """Pairs at or above the threshold, as record positions, plus what the scan did."""

    a: np.ndarray
    b: np.ndarray
    score: np.ndarray
    pair_stats: PairStats
    seconds: dict[str, float]
    candidates: tuple[np.ndarray, np.ndarray] | None = None


# Set by scan_table just before it forks its workers, which inherit it (copy-on-write).
_SHARED: dict[str, object] = {}
# Below this many records one process is faster than starting two.
PARALLEL_MIN_RECORDS = 200_000


def _train_part() -> Model:
    table, stats, keys = _SHARED["table"], _SHARED["stats"], _SHARED["keys"]
    assert isinstance(table, Table) and isinstance(stats, Stats) and isinstance(keys, list)
    return train_model(table, stats, keys=keys)


def _scan_part(part: tuple[int, int]) -> tuple[np.ndarray, np.ndarray, np.ndarray, PairStats]:
    table = _SHARED["table"]
    stats = _SHARED["stats"]
    plan = _SHARED["plan"]
    w_min = _SHARED["w_min"]
    assert isinstance(table, Table) and isinstance(stats, Stats) and isinstance(plan, BlockPlan)
    ps = PairStats({}, {})
    out_a: list[np.ndarray] = []
    out_b: list[np.ndarray] = []
    out_w: list[np.ndarray] = []
    for a, b in iter_pairs(plan, stats_out=ps, part=part):
        hit, w = _score_chunk(table, a, b, stats, w_min)
        out_a.append(a[hit])
        out_b.append(b[hit])
        out_w.append(w)
    return _cat(out_a, np.int64), _cat(out_b, np.int64), _cat(out_w, np.float64), ps


def _score_chunk(
    table: Table, a: np.ndarray, b: np.ndarray, stats: Stats, w_min: float
) -> tuple[np.ndarray, np.ndarray]:
    """Positions (in the chunk) of the pairs weighing at least *w_min*, and their weights.
    Only pairs whose weight_bound reaches *w_min* are scored in full."""
    cand = np.flatnonzero(weight_bound(table, a, table, b, stats) >= w_min - BOUND_MARGIN)
    w = score_pairs(table, a[cand], table, b[cand], stats).weight
    hit = w >= w_min
    return cand[hit], w[hit]


def _cat(parts: list[np.ndarray], dtype: type) -> np.ndarray:
    return np.concatenate(parts) if parts else np.zeros(0, dtype)


def scan_table(
    table: Table,
    encoder: Encoder,
    *,
    threshold: float = DEFAULT_THRESHOLD,
    keep_candidates: bool = False,
    workers: int | None = None,
) -> ScanResult:
    """Find every pair of records in *table* scoring at least *threshold*.

    Large tables are scanned by *workers* forked processes (default: up to two, one per
    core), each taking a share of every key's blocks (shares of about equal numbers of pairs).
    The blocks are sorted once, before the workers fork.
    """
    t0 = time.perf_counter()
    if workers is None:
        workers = min(2, os.cpu_count() or 1) if table.n >= PARALLEL_MIN_RECORDS else 1
    if keep_candidates or "fork" not in mp.get_all_start_methods():
        workers = 1
    stats = Stats.learn(table, encoder)
    keys = block_keys(table, stats)
    ts = time.perf_counter()
    if workers > 1:
        # Learning the weights and sorting the blocks do not depend on each other: a forked
        # process learns while this one sorts.
        _SHARED.update(table=table, stats=stats, keys=keys)
        try:
            with mp.get_context("fork").Pool(1) as pool:
                model = pool.apply_async(_train_part)
                plan = plan_blocks(keys)
                stats.model = model.get()
        finally:
            _SHARED.clear()
    else:
        stats.model = train_model(table, stats, keys=keys)
        plan = plan_blocks(keys)
    t1 = time.perf_counter()
    w_min = score_to_weight(threshold)
    ps = PairStats({}, {})
    cand_a: list[np.ndarray] = []
    cand_b: list[np.ndarray] = []
    if workers > 1:
        _SHARED.update(table=table, stats=stats, plan=plan, w_min=w_min)
        try:
            with mp.get_context("fork").Pool(workers) as pool:
                parts = pool.map(_scan_part, [(i, workers) for i in range(workers)])
        finally:
            _SHARED.clear()
        for *_, part_stats in parts:
            for k, v in part_stats.per_key.items():
                ps.per_key[k] = ps.per_key.get(k, 0) + v
            for k, v in part_stats.skipped_blocks.items():
                ps.skipped_blocks[k] = ps.skipped_blocks.get(k, 0) + v
        a = _cat([p[0] for p in parts], np.int64)
        b = _cat([p[1] for p in parts], np.int64)
        w = _cat([p[2] for p in parts], np.float64)
    else:
        out_a: list[np.ndarray] = []
        out_b: list[np.ndarray] = []
        out_w: list[np.ndarray] = []
        for pa, pb in iter_pairs(plan, stats_out=ps):
            if keep_candidates:
                cand_a.append(pa)
                cand_b.append(pb)
            hit, pw = _score_chunk(table, pa, pb, stats, w_min)
            out_a.append(pa[hit])
            out_b.append(pb[hit])
            out_w.append(pw)
        a, b, w = _cat(out_a, np.int64), _cat(out_b, np.int64), _cat(out_w, np.float64)
    t2 = time.perf_counter()
    return ScanResult(
        a=a,
        b=b,
        score=np.asarray(weight_to_score(w)),
        pair_stats=ps,
        seconds={
            "stats_and_keys": ts - t0,
            "model_and_blocks": t1 - ts,
            "pairs_and_scoring": t2 - t1,
        },
        candidates=(_cat(cand_a, np.int64), _cat(cand_b, np.int64)) if keep_candidates else None,
    )


def find_pairs(
    records: Iterable[Record | Mapping[str, str]], threshold: float = DEFAULT_THRESHOLD
) -> list[tuple[str, str, float]]:
    """Every likely duplicate pair among *records*: (record_id_a, record_id_b, score)."""
    cols = records_to_columns(records)
    enc = Encoder()
    table = enc.encode(cols)
    res = scan_table(table, enc, threshold=threshold)
    ids = cols["record_id"]
    return list(_id_pairs(ids, res))


def _id_pairs(ids: Sequence[str], res: ScanResult) -> Iterator[tuple[str, str, float]]:
    order = np.argsort(-res.score, kind="stable")
    for a, b, s in zip(
        res.a[order].tolist(), res.b[order].tolist(), res.score[order].tolist(), strict=True
    ):
        x, y = ids[a], ids[b]
        if y < x:
            x, y = y, x
        yield x, y, s


def read_csv_columns(
    path: str | Path, chunk_rows: int = 250_000
) -> Iterator[dict[str, Sequence[str]]]:
    """Read a registry CSV in chunks of columns; missing columns read as empty."""
    with open(path, newline="", encoding="utf-8-sig") as fh:
        reader = csv.reader(fh)
        header = next(reader, None)
        if header is None:
            return
        yield from _chunks(reader, _wanted(header), chunk_rows)


def _wanted(header: Sequence[str]) -> list[tuple[str, int | None]]:
    """Where each of COLUMNS sits in a CSV row (None: the file lacks it)."""
    pos = {name.strip(): i for i, name in enumerate(header)}
    if "record_id" not in pos:
        raise ValueError("The CSV file has no record_id column; add one and scan again.")
    return [(c, pos.get(c)) for c in COLUMNS]


def _chunks(
    rows: Iterable[list[str]],
    wanted: list[tuple[str, int | None]],
    chunk_rows: int,
    last: list | None = None,
) -> Iterator[dict[str, list[str]]]:
    """Rows in batches of columns. With *last* (a list), a final row equal to
    ``[_SENTINEL]`` is dropped and True appended to *last*."""
    it = iter(rows)
    while True:
        batch = list(itertools.islice(it, chunk_rows))
        if not batch:
            return
        if last is not None and batch[-1] == [_SENTINEL]:
            batch.pop()
            last.append(True)
        if batch:
            yield _columns_of(batch, wanted)


def _columns_of(
    rows: list[list[str]], wanted: list[tuple[str, int | None]]
) -> dict[str, list[str]]:
    width = max(i for _, i in wanted if i is not None) + 1
    if min(map(len, rows)) < width:
        # Short rows (trailing empty cells dropped by some exporters) are padded.
        rows = [r if len(r) >= width else r + [""] * (width - len(r)) for r in rows]
    n = len(rows)
    # zip(*rows) transposes in C; columns come out as tuples, which the encoder accepts.
    transposed = list(zip(*rows, strict=False))
    return {name: transposed[i] if i is not None else [""] * n for name, i in wanted}


# --- reading and encoding a CSV on two cores ----------------------------------------------------

# From this size on (about 200,000 records) a CSV is read and encoded in two processes.
PARALLEL_MIN_BYTES = 20_000_000
# Ends the first half's text: if the split fell inside a quoted field, this line is swallowed
# into that field instead of being read as a row of its own, and the file is read again whole.
_SENTINEL = "\x00treem-split-check\x00"


def _lines(path: str | Path, start: int, stop: int, tail: str = "") -> Iterator[str]:
    """The lines of bytes [start, stop) of a UTF-8 file (stop falls on a line end), then
    *tail*. Read in blocks cut at line ends and split by io.StringIO, which, like the chain
    over them, runs in C and ends lines where a text-mode file opened with newline="" would."""
    return itertools.chain.from_iterable(_text_blocks(path, start, stop, tail))


def _text_blocks(path: str | Path, start: int, stop: int, tail: str) -> Iterator[io.StringIO]:
    with open(path, "rb") as fh:
        fh.seek(start)
        left = stop - start
        carry = b""
        while left > 0:
            block = fh.read(min(left, 1 << 23))
            if not block:
                break
            left -= len(block)
            block = carry + block
            cut = block.rfind(b"\n") + 1 if left > 0 else len(block)
            carry = block[cut:]
            yield io.StringIO(block[:cut].decode("utf-8"), newline="")
        if carry:
            yield io.StringIO(carry.decode("utf-8"), newline="")
    if tail:
        yield io.StringIO(tail, newline="")


def _record_boundary(path: str | Path, start: int, size: int) -> int | None:
    """The first line start past the middle of bytes [start, size) that is outside quotes
    (an even number of quote characters before it); None when there is no such place."""
    middle = start + (size - start) // 2
    with open(path, "rb") as fh:
        fh.seek(start)
        quotes = 0
        left = middle - start
        while left > 0:
            block = fh.read(min(left, 1 << 24))
            if not block:
                return None
            quotes += block.count(b'"')
            left -= len(block)
        at = middle
        for line in fh:
            quotes += line.count(b'"')
            at += len(line)
            if quotes % 2 == 0 and line.endswith(b"\n"):
                return at if at < size else None
    return None


def _encode_lines(
    path: str | Path, start: int, stop: int, wanted: list[tuple[str, int | None]], chunk_rows: int
) -> tuple[dict[str, list[str]], Table | None, list[str]]:
    """Encode rows of bytes [start, stop) with an encoder of its own (run in a forked worker):
    its vocabularies, its table (None without rows) and the record ids."""
    enc = Encoder()
    parts: list[Table] = []
    ids: list[str] = []
    for cols in _chunks(csv.reader(_lines(path, start, stop)), wanted, chunk_rows):
        parts.append(enc.encode(cols))
        ids.extend(cols["record_id"])
    return enc.vocabularies(), Table.concat(parts) if parts else None, ids


def encode_csv(
    path: str | Path,
    *,
    chunk_rows: int = 250_000,
    min_bytes: int = PARALLEL_MIN_BYTES,
    workers: int | None = None,
) -> tuple[Encoder, Table, list[str]]:
    """Read and encode a registry CSV: (encoder, table, record ids).

    From *min_bytes* on, with two cores and fork, the file is cut in two at a record boundary:
    a forked worker reads and encodes the second half with an encoder of its own while this
    process does the first, then the worker's strings are interned here and its ids
    renumbered (Encoder.absorb). The records come out with the same strings as a reading in one
    process; only token ids may be numbered otherwise. Fork matters: the name-bag hash uses
    Python's string hash, which is seeded per process and shared only by forked children.
    """
    if workers is None:
        workers = min(2, os.cpu_count() or 1)
    size = os.path.getsize(path)
    with open(path, "rb") as fh:
        first = fh.readline()
    split = None
    if (
        workers > 1
        and size >= min_bytes
        and b'"' not in first
        and first.endswith(b"\n")
        and "fork" in mp.get_all_start_methods()
    ):
        split = _record_boundary(path, len(first), size)
    if split is not None:
        got = _encode_split(path, first, split, size, chunk_rows)
        if got is not None:
            return got
    enc = Encoder()
    parts: list[Table] = []
    ids: list[str] = []
    for cols in read_csv_columns(path, chunk_rows):
        parts.append(enc.encode(cols))
        ids.extend(cols["record_id"])
    table = Table.concat(parts) if parts else enc.encode({c: [] for c in COLUMNS})
    enc.drop_caches()
    return enc, table, ids


def _encode_split(
    path: str | Path, first: bytes, split: int, size: int, chunk_rows: int
) -> tuple[Encoder, Table, list[str]] | None:
    """encode_csv's two-process reading; None when the split turned out not to fall between
    two records (a quote character inside an unquoted field fools the quote count)."""
    header = next(csv.reader([first.decode("utf-8-sig")]))
    wanted = _wanted(header)
    enc = Encoder()
    parts: list[Table] = []
    ids: list[str] = []
    # The first half ends with the sentinel line: it comes out as a row of its own only if
    # the split fell between two records.
    clean: list[bool] = []
    rows = csv.reader(_lines(path, len(first), split, _SENTINEL + "\n"))
    with mp.get_context("fork").Pool(1) as pool:
        second = pool.apply_async(_encode_lines, (path, split, size, wanted, chunk_rows))
        for cols in _chunks(rows, wanted, chunk_rows, clean):
            parts.append(enc.encode(cols))
            ids.extend(cols["record_id"])
        if not clean:
            return None
        vocabularies, more, more_ids = second.get()
    enc.drop_caches()
    if more is not None:
        parts.append(enc.absorb(vocabularies, more))
    ids.extend(more_ids)
    return enc, Table.concat(parts), ids


def scan_csv(
    input_path: str | Path, output_path: str | Path, threshold: float | None = None
) -> int:
    """Scan a registry CSV for duplicates; write ``record_id_a,record_id_b,score`` rows.

    Returns the number of pairs written. Input columns: record_id, full_name, birth_date, sex,
    commune_code, address, mother_name, father_name, id_number (any but record_id may be empty
    or absent).
    """
    enc, table, ids = encode_csv(input_path)
    res = scan_table(table, enc, threshold=DEFAULT_THRESHOLD if threshold is None else threshold)
    n = 0
    with open(output_path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["record_id_a", "record_id_b", "score"])
        for x, y, s in _id_pairs(ids, res):
            w.writerow([x, y, "%.4f" % s])
            n += 1
    return n


__all__ = [
    "DEFAULT_THRESHOLD",
    "Candidate",
    "FieldEvidence",
    "Index",
    "Record",
    "ScanResult",
    "find_pairs",
    "records_to_columns",
    "scan_csv",
    "scan_table",
]

"""The weights of the comparison levels, learnt from the data (Fellegi-Sunter with EM).

Every field of a candidate pair is compared into a level (exact, similar, different, day and
month swapped, ...; see ``scoring``). A level weighs log2(m/u) bits, where m is how often it
occurs between two records of the same child and u how often between two different children.
Nothing here is set by hand: the u probabilities come from random pairs of the data (almost all
of them two different children), the m probabilities and the share of duplicates among the
candidate pairs from the expectation-maximisation algorithm over the pairs blocking lets
through, as Fellegi and Sunter, Winkler and splink do. Names that agree exactly weigh by their
term frequency (agreeing on "Nguyễn" says little, on a rare given name a lot): the u of that
level is the name's own frequency.

Twins and siblings. Their records agree on the surname, the parents, the address and the commune
because they are one family, not because they are one child, and twins share the birth date
too. Between two records of one family, whether the given names agree is the evidence that
counts, and how often siblings' birth dates or given names agree is nothing like how often two
random children's do. So pairs whose family agrees (a parent's full name) form a second context
with its own model: the family fields drop out (they agree by definition; a disagreement still
counts against) and both m and u of the child's own fields (given and middle name, birth date,
sex, identity number) are learnt by EM among such pairs, where siblings and duplicates are both
plentiful. What keeps twins apart is then a learnt fact of the data: among records of one family
born the same day, two different real given names mean two children. The decision in that
context also weighs the cost of a wrong merge (scoring.FAMILY_LOSS_BITS).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

N_LEVELS = 13
MISSING, EXACT, SIMILAR, DIFFERENT = 0, 1, 2, 3
REORDERED = 10

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
# The child's own fields: learnt again among pairs of one family.
CHILD_FIELDS: tuple[str, ...] = ("middle_name", "given_name", "birth_date", "sex", "id_number")
NAME_FIELDS: tuple[str, ...] = ("surname", "given_name")
# Exact agreement weighs by term frequency.
TF_FIELDS: frozenset[str] = frozenset(
    {"surname", "middle_name", "given_name", "mother_name", "father_name"}
)

# Pseudo-counts that keep a level seen rarely (or never) in training from weighing infinitely.
PSEUDO = 0.5
# Bounds of any learnt probability, so that one odd level cannot dominate a pair.
P_MIN = 1e-6
EM_ITERATIONS = 60
DEFAULT_PATH = Path(__file__).with_name("default_model.json")


@dataclass
class Model:
    """Learnt probabilities, as arrays indexed by level (0 = missing, never used)."""

    m0: dict[str, np.ndarray]
    u0: dict[str, np.ndarray]
    m1: dict[str, np.ndarray]
    u1: dict[str, np.ndarray]
    prior0: float  # share of duplicates among candidate pairs of different families
    prior1: float  # and among candidate pairs of one family
    trained_on: str = ""

    def weights(self, ctx: int) -> dict[str, np.ndarray]:
        m, u = (self.m0, self.u0) if ctx == 0 else (self.m1, self.u1)
        out = {}
        for f in m:
            w = np.log2(np.maximum(m[f], P_MIN) / np.maximum(u[f], P_MIN))
            w[MISSING] = 0.0
            out[f] = w
        return out

    def log2_m_exact(self, f: str) -> float:
        return math.log2(max(float(self.m0[f][EXACT]), P_MIN))

    def prior_bits(self, ctx: int) -> float:
        p = min(max(self.prior0 if ctx == 0 else self.prior1, P_MIN), 1 - P_MIN)
        return math.log2(p / (1 - p))

    # -- persistence ---------------------------------------------------------------------
    def to_json(self) -> str:
        def arr(d: dict[str, np.ndarray]) -> dict[str, list[float]]:
            return {k: [round(float(x), 8) for x in v] for k, v in d.items()}

        return json.dumps(
            {
                "trained_on": self.trained_on,
                "prior0": self.prior0,
                "prior1": self.prior1,
                "m0": arr(self.m0),
                "u0": arr(self.u0),
                "m1": arr(self.m1),
                "u1": arr(self.u1),
            },
            indent=1,
            sort_keys=True,
        )

    @classmethod
    def from_json(cls, text: str) -> Model:
        d = json.loads(text)

        def arr(x: dict[str, list[float]]) -> dict[str, np.ndarray]:
            return {k: np.asarray(v, np.float64) for k, v in x.items()}

        return cls(
            m0=arr(d["m0"]),
            u0=arr(d["u0"]),
            m1=arr(d["m1"]),
            u1=arr(d["u1"]),
            prior0=float(d["prior0"]),
            prior1=float(d["prior1"]),
            trained_on=d.get("trained_on", ""),
        )


_DEFAULT: Model | None = None


def default_model() -> Model:
    """The model used when a data set is too small to learn from (see ``bench/dedup_model.py``,
    which writes it from generated data and the public FEBRL sets)."""
    global _DEFAULT
    if _DEFAULT is None:
        if not DEFAULT_PATH.exists():
            # Only while bench/dedup_model.py writes the file for the first time: every
            # level weighs nothing.
            flat = {f: _normalise(np.ones(N_LEVELS)) for f in FIELDS}
            return Model(flat, flat, flat, flat, 0.5, 0.5, "neutral")
        _DEFAULT = Model.from_json(DEFAULT_PATH.read_text(encoding="utf-8"))
    return _DEFAULT


# --- EM -------------------------------------------------------------------------------------


def _patterns(levels: dict[str, np.ndarray], names: tuple[str, ...]):
    """Distinct level vectors and how many pairs have each (EM then runs on a few thousand
    patterns instead of millions of pairs)."""
    if not levels[names[0]].shape[0]:
        return np.zeros((0, len(names)), np.int64), np.zeros(0)
    mat = np.stack([levels[f].astype(np.int64) for f in names], axis=1)
    code = np.zeros(mat.shape[0], np.int64)
    for j in range(mat.shape[1]):
        code = code * N_LEVELS + mat[:, j]
    _uniq, idx, counts = np.unique(code, return_index=True, return_counts=True)
    return mat[idx], counts.astype(np.float64)


def _normalise(counts: np.ndarray) -> np.ndarray:
    out = counts.copy()
    out[MISSING] = 0.0
    total = out.sum()
    return out / total if total > 0 else out


def level_frequencies(levels: dict[str, np.ndarray], names) -> dict[str, np.ndarray]:
    """P(level | level not missing) per field, with a pseudo-count on every level seen in the
    field's level set."""
    out = {}
    for f in names:
        c = np.bincount(levels[f].astype(np.int64), minlength=N_LEVELS).astype(np.float64)
        c[MISSING] = 0.0
        c += PSEUDO
        out[f] = _normalise(c)
    return out


def em(
    levels: dict[str, np.ndarray],
    names: tuple[str, ...],
    m: dict[str, np.ndarray],
    u: dict[str, np.ndarray],
    prior: float,
    *,
    learn_u: bool,
    iterations: int = EM_ITERATIONS,
) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray], float]:
    """Expectation-maximisation of m (and u when *learn_u*) and the share of duplicates."""
    pat, cnt = _patterns(levels, names)
    if cnt.shape[0] == 0:
        return m, u, prior
    m = {f: m[f].copy() for f in names}
    u = {f: u[f].copy() for f in names}
    for _ in range(iterations):
        lm = np.full(cnt.shape, math.log(max(prior, P_MIN)))
        lu = np.full(cnt.shape, math.log(max(1 - prior, P_MIN)))
        for j, f in enumerate(names):
            lv = pat[:, j]
            seen = lv != MISSING
            lm[seen] += np.log(np.maximum(m[f][lv[seen]], P_MIN))
            lu[seen] += np.log(np.maximum(u[f][lv[seen]], P_MIN))
        r = 1.0 / (1.0 + np.exp(np.clip(lu - lm, -700, 700)))
        wm, wu = cnt * r, cnt * (1 - r)
        new_prior = float(wm.sum() / cnt.sum())
        for j, f in enumerate(names):
            lv = pat[:, j]
            cm = np.bincount(lv, weights=wm, minlength=N_LEVELS)
            cm[MISSING] = 0.0
            # Keep the level set of the field: a level it never produced stays at zero.
            possible = (m[f] > 0) | (u[f] > 0)
            m[f] = _normalise(np.where(possible, cm + PSEUDO * 0.01, 0.0))
            if learn_u:
                cu = np.bincount(lv, weights=wu, minlength=N_LEVELS)
                cu[MISSING] = 0.0
                u[f] = _normalise(np.where(possible, cu + PSEUDO * 0.01, 0.0))
        converged = abs(new_prior - prior) < 1e-7
        prior = new_prior
        if converged:
            break
    return m, u, prior


def _initial_m(u: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """A starting point for EM: a duplicate mostly agrees (exact or reordered), sometimes
    with a slip, rarely differs."""
    m = {}
    for f, uf in u.items():
        v = np.where(uf > 0, 0.02, 0.0)
        v[EXACT] = 0.85 if uf[EXACT] > 0 else 0.0
        v[REORDERED] = 0.05 if uf[REORDERED] > 0 else 0.0
        m[f] = _normalise(v)
    return m


def _prior_all(
    levels: dict[str, np.ndarray],
    m: dict[str, np.ndarray],
    u: dict[str, np.ndarray],
    n_pairs: float,
) -> float:
    """The share of duplicates among ALL pairs of the data set, by fixed point: pairs blocking
    did not let through count as two different children."""
    pat, cnt = _patterns(levels, FIELDS)
    if cnt.shape[0] == 0 or n_pairs <= 0:
        return 1e-9
    llr = np.zeros(cnt.shape)
    for j, f in enumerate(FIELDS):
        lv = pat[:, j]
        seen = lv != MISSING
        llr[seen] += np.log(np.maximum(m[f][lv[seen]], P_MIN) / np.maximum(u[f][lv[seen]], P_MIN))
    lam = float(cnt.sum()) * 0.05 / n_pairs
    for _ in range(200):
        odds = lam / (1 - lam) * np.exp(np.clip(llr, -700, 700))
        new = float((cnt * odds / (1 + odds)).sum() / n_pairs)
        new = min(max(new, 1e-12), 0.5)
        if abs(new - lam) < 1e-15 + 1e-6 * lam:
            lam = new
            break
        lam = new
    return lam


def fit(
    random_levels: dict[str, np.ndarray],
    date_session: tuple[dict[str, np.ndarray], np.ndarray],
    name_session: tuple[dict[str, np.ndarray], np.ndarray],
    candidate_levels: dict[str, np.ndarray],
    same_family: np.ndarray,
    n_pairs: float,
    *,
    trained_on: str = "",
) -> Model:
    """Learn a model as splink does: u from random pairs; m by EM in two sessions, each over
    pairs that agree on what they were blocked on (the birth date; the surname and given name),
    that field's own m being learnt in the other session; then the share of duplicates among
    all pairs. The one-family context is learnt by EM with both m and u free."""
    u0 = level_frequencies(random_levels, FIELDS)
    m_start = _initial_m(u0)
    learnt: dict[str, dict[str, np.ndarray]] = {}
    for (levels, fam), blocked in ((date_session, ("birth_date",)), (name_session, NAME_FIELDS)):
        learn = tuple(f for f in FIELDS if f not in blocked)
        # The family fields learn from every pair; the child's own fields only from pairs of
        # different families, where a twin or a sibling cannot pass for a duplicate.
        m_all, _, _ = em(levels, learn, m_start, u0, 0.01, learn_u=False)
        apart = {f: v[~fam] for f, v in levels.items()}
        m_apart, _, _ = em(apart, learn, m_start, u0, 0.01, learn_u=False)
        learnt[blocked[0]] = {f: m_all[f] if f in FAMILY_FIELDS else m_apart[f] for f in learn}
    by_date, by_name = learnt["birth_date"], learnt[NAME_FIELDS[0]]
    # Each field from the session not blocked on it (the date session for names, and for the
    # rest, which both sessions learn).
    m0 = {f: by_name[f] if f == "birth_date" else by_date[f] for f in FIELDS}
    ctx0 = {f: v[~same_family] for f, v in candidate_levels.items()}
    prior0 = _prior_all(ctx0, m0, u0, n_pairs)
    ctx1 = {f: v[same_family] for f, v in candidate_levels.items()}
    # Among one family's pairs, start u from "siblings": given names and dates mostly differ.
    u1_start = {}
    for f in CHILD_FIELDS:
        v = u0[f].copy()
        v[EXACT] = max(v[EXACT], 0.05)
        u1_start[f] = _normalise(np.where(u0[f] > 0, v, 0.0))
    m1, u1, prior1 = em(
        ctx1, CHILD_FIELDS, {f: m0[f] for f in CHILD_FIELDS}, u1_start, 0.5, learn_u=True
    )
    # EM's two classes have no names: the duplicates are the class whose given names agree.
    if m1["given_name"][EXACT] < u1["given_name"][EXACT]:
        m1, u1, prior1 = u1, m1, 1 - prior1
    return Model(m0=m0, u0=u0, m1=m1, u1=u1, prior0=prior0, prior1=prior1, trained_on=trained_on)

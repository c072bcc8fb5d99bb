"""Write treem/lib/dedup/default_model.json: the weights used for data sets too small to learn
their own (a registry of a few hundred children, the test suite).

    .venv/bin/python bench/dedup_model.py

It learns, with the same EM as a registry does on itself, from 50,000 records of
bench/datagen.py at seed 3 (a seed no benchmark uses). The accuracy figures in docs/dedup.md are
measured on other seeds and on the public FEBRL sets, where each data set learns its own weights.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def main() -> None:
    import datagen

    from treem.lib.dedup.encode import Encoder
    from treem.lib.dedup.engine import records_to_columns, train_model
    from treem.lib.dedup.model import DEFAULT_PATH
    from treem.lib.dedup.scoring import Stats

    rows = datagen.generate(50_000, 3)
    cols = records_to_columns(rows)
    enc = Encoder()
    table = enc.encode(cols)
    stats = Stats.learn(table, enc)
    model = train_model(table, stats)
    model.trained_on = "bench/datagen.py, 50,000 records, seed 3"
    DEFAULT_PATH.write_text(model.to_json() + "\n", encoding="utf-8")
    print(
        "wrote %s (duplicate share among candidates: %.3f different families, %.3f one family)"
        % (DEFAULT_PATH, model.prior0, model.prior1)
    )


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Trains the person-name CRF with CRFsuite (python-crfsuite) from the items the Rust example
`name_features` writes (LABEL<TAB>attribute…, an empty line after each sentence).
Used by train-name-model.sh and name-model-heldout.sh; the parameters live here only.

    python3 scripts/train-crf.py ITEMS.tsv OUT.crfsuite
"""
import sys

import pycrfsuite

PARAMS = {"c1": 0.05, "c2": 0.01, "max_iterations": 150, "feature.minfreq": 2,
          "feature.possible_transitions": True}


def main(items, out):
    trainer = pycrfsuite.Trainer(algorithm="lbfgs", verbose=False)
    trainer.set_params(PARAMS)
    xseq, yseq = [], []
    with open(items, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line:
                if xseq:
                    trainer.append(xseq, yseq)
                xseq, yseq = [], []
                continue
            label, *attrs = line.split("\t")
            yseq.append(label)
            xseq.append(attrs)
    if xseq:
        trainer.append(xseq, yseq)
    trainer.train(out)
    log = trainer.logparser.last_iteration
    print(f"trained: {log['num']} iterations, loss {log['loss']:.1f}, "
          f"{log['active_features']} active features", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])

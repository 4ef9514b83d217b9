#!/bin/sh
# compare.sh — times DisputeKit's commands where users wait, side by side
# with the peer tools doing the same work on the same inputs, and prints the
# ratios (dk / peer: below 1 means dk is faster). The lines of issue 13:
#
#   attach      dk attach of PHOTOS 12 MP phone photos (thumbnail + print copy)
#               vs ImageMagick `mogrify -resize 1400x1400` + img2pdf (the same print-size result)
#   case file   dk casefile of that case  vs  img2pdf of the resized photos
#   import      dk import of a ROWS-row GBK Alipay export (double-entry-generator when on PATH)
#   show        dk case show --json of that case  vs  sqlite3 -json of its transactions table
#   check       dk check of that case (no peer)
#   letter      dk letter --to bank of that case (no peer)
#   bundle      scripts/compare-bundle.sh (zip -0, zip -r, sha256sum), unless NO_BUNDLE=1
#
# Usage: scripts/compare.sh                    (PHOTOS=40 ROWS=100000 RUNS=5)
#        RUNS=3 PHOTOS=10 NO_BUNDLE=1 scripts/compare.sh
# DK_BIN=/path/to/dk times another build (an older one, say) instead.
# Every figure is the median of RUNS runs, ours and the peer's in turn:
# wall seconds, CPU seconds (user + system: on a shared machine the wall
# clock says little, the CPU time much more) and peak RSS. Peers that are
# not installed are skipped (Debian: apt-get install -y imagemagick img2pdf
# sqlite3 zip poppler-utils). The inputs are made by scripts/benchdata.
set -eu

PHOTOS=${PHOTOS:-40}
ROWS=${ROWS:-100000}
RUNS=${RUNS:-5}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/dk-compare.XXXXXX")
trap 'rm -rf "$WORK"' EXIT INT TERM

DK=${DK_BIN:-}
if [ -z "$DK" ]; then
	DK="$WORK/dk"
	(cd "$ROOT" && CGO_ENABLED=0 go build -o "$DK" ./cmd/dk)
fi
export DISPUTEKIT_HOME="$WORK/home"

have() { command -v "$1" >/dev/null 2>&1; }
if [ ! -x /usr/bin/time ] || ! have bc; then
	echo "compare.sh needs GNU time (/usr/bin/time) and bc: apt-get install -y time bc" >&2
	exit 2
fi

# median N... prints the median of its arguments.
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# measure CMD: runs sh -c CMD quietly; prints "wall cpu maxrss_kib".
measure() {
	/usr/bin/time -f '%e %U %S %M' -o "$WORK/time" sh -c "$1" >/dev/null 2>&1 || echo "  (failed: $1)" >&2
	awk '{printf "%s %.2f %d\n", $1, $2 + $3, $4}' "$WORK/time"
}

# runs SETUP CMD: RUNS times SETUP (untimed) then CMD; prints the medians.
runs() {
	w="" c="" m=""
	for _ in $(seq "$RUNS"); do
		sh -c "$1" >/dev/null 2>&1 || true
		sync
		r=$(measure "$2")
		w="$w ${r%% *}"
		r=${r#* }
		c="$c ${r%% *}" m="$m ${r#* }"
	done
	# shellcheck disable=SC2086
	echo "$(median $w) $(median $c) $(median $m)"
}

# line NAME DK_SETUP DK_CMD PEER_TOOL PEER_SETUP PEER_CMD (PEER_TOOL empty: no peer)
line() {
	name=$1 tool=$4
	read -r ow oc om <<EOF
$(runs "$2" "$3")
EOF
	if [ -z "$tool" ] || ! have "$tool"; then
		printf '%-10s dk %7.2f s wall %6.2f s cpu %5d MiB | %s\n' "$name" "$ow" "$oc" $((om >> 10)) "${tool:-no peer}${tool:+ not installed}"
		return
	fi
	read -r pw pc pm <<EOF
$(runs "$5" "$6")
EOF
	printf '%-10s dk %7.2f s wall %6.2f s cpu %5d MiB | %-10s %7.2f s wall %6.2f s cpu %5d MiB | ratio wall %s cpu %s\n' \
		"$name" "$ow" "$oc" $((om >> 10)) "$tool" "$pw" "$pc" $((pm >> 10)) \
		"$(echo "scale=2; $ow / $pw" | bc -l)" "$(echo "scale=2; $oc / $pc" | bc -l)"
}

echo "making $PHOTOS photos of 12 MP and a $ROWS-row Alipay export…"
(cd "$ROOT" && go run ./scripts/benchdata photos "$WORK/photos" "$PHOTOS" && go run ./scripts/benchdata alipay "$WORK/alipay.csv" "$ROWS")
echo "$(du -sm "$WORK/photos" | cut -f1) MB of photos; medians of $RUNS runs; ratio = dk / peer (below 1: dk is faster)"

# attach: a fresh case each run. The peer resizes copies, then wraps them.
line attach \
	"rm -rf \"$WORK/home\"; \"$DK\" case new --title photos" \
	"\"$DK\" attach 1 \"$WORK\"/photos/*.jpg --kind photo" \
	mogrify \
	"rm -rf \"$WORK/resized\"; cp -r \"$WORK/photos\" \"$WORK/resized\"" \
	"mogrify -resize 1400x1400 \"$WORK\"/resized/*.jpg && img2pdf -o \"$WORK/peer.pdf\" \"$WORK\"/resized/*.jpg"
line 'case file' "" "\"$DK\" casefile 1 --lang zh -o \"$WORK/case.pdf\"" \
	img2pdf "" "img2pdf -o \"$WORK/peer.pdf\" \"$WORK\"/resized/*.jpg"
ls -l "$WORK/case.pdf" "$WORK/peer.pdf" | awk '{printf "  %-40s %d bytes\n", $NF, $5}' | sed "s|$WORK/||"

# import: a fresh case each run; the store keeps case 1 (the photos).
line import \
	"\"$DK\" case new --title statement >\"$WORK/id\"" \
	"\"$DK\" import \$(cat \"$WORK/id\") \"$WORK/alipay.csv\"" \
	double-entry-generator "" "double-entry-generator translate -p alipay -o \"$WORK/peer.beancount\" \"$WORK/alipay.csv\""
BIG=$("$DK" case new --title big)
"$DK" import "$BIG" "$WORK/alipay.csv" >/dev/null
DB=$(ls "$WORK"/home/*.db | head -1)
line show "" "\"$DK\" case show --json $BIG" \
	sqlite3 "" "sqlite3 -json \"$DB\" 'SELECT * FROM transactions WHERE case_id = $BIG'"
line check "" "\"$DK\" check $BIG" "" "" ""
# Letters hold the disputed (or ticked) transactions: three of them here.
"$DK" txn dispute "$BIG" $("$DK" txn list "$BIG" | awk 'NR > 1 && NR <= 4 {print $1}') >/dev/null
line letter "" "\"$DK\" letter $BIG --to bank --lang zh --format pdf -o \"$WORK/letter.pdf\"" "" "" ""
if have pdfinfo; then
	echo "  bank letter of the $ROWS-transaction case: $(pdfinfo "$WORK/letter.pdf" | awk '/^Pages:/ {print $2}') pages"
fi

if [ "${NO_BUNDLE:-}" != 1 ] && [ -x "$ROOT/scripts/compare-bundle.sh" ]; then
	echo "bundle (scripts/compare-bundle.sh):"
	DK_BIN="$DK" RUNS="$RUNS" "$ROOT/scripts/compare-bundle.sh"
fi

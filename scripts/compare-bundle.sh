#!/bin/sh
# compare-bundle.sh — times `dk bundle export` and `dk bundle verify` side by
# side with the peer tools doing the same work on the same files, and prints
# the ratios (ours / peer: below 1 means we are faster).
#
#   incompressible  dk bundle export   vs  zip -0 -r   (SIZE_MIB of random .bin files)
#   compressible    dk bundle export   vs  zip -r      (TEXT_MIB of statement-like text)
#   verify          dk bundle verify   vs  sha256sum   (of the incompressible files)
#
# Usage: scripts/compare-bundle.sh            (SIZE_MIB=1024 TEXT_MIB=256 RUNS=5)
#        SIZE_MIB=256 RUNS=3 scripts/compare-bundle.sh
# DK_BIN=/path/to/dk times another build (an older one, say) instead.
# Each figure is the median wall time of RUNS runs, ours and the peer's run
# in turn. A peer that is not installed is skipped (apt-get install -y zip).
# Our export writes a temporary file, fsyncs it and renames it into place;
# zip does not fsync, so the comparison is slightly in zip's favour.
set -eu

SIZE_MIB=${SIZE_MIB:-1024}
TEXT_MIB=${TEXT_MIB:-256}
RUNS=${RUNS:-5}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/dk-compare-bundle.XXXXXX")
trap 'rm -rf "$WORK"' EXIT INT TERM

DK=${DK_BIN:-}
if [ -z "$DK" ]; then
	DK="$WORK/dk"
	(cd "$ROOT" && CGO_ENABLED=0 go build -o "$DK" ./cmd/dk)
fi
HOME_DIR="$WORK/home"
export DISPUTEKIT_HOME="$HOME_DIR"

have() { command -v "$1" >/dev/null 2>&1; }

# median SECONDS... prints the median of its arguments.
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# seconds CMD... runs CMD quietly and prints its wall time in seconds.
seconds() {
	s=$(date +%s.%N)
	"$@" >/dev/null 2>&1
	e=$(date +%s.%N)
	echo "$e - $s" | bc -l
}

ratio() { echo "scale=2; $1 / $2" | bc -l; }

mbps() { echo "scale=0; $1 / $2" | bc -l; }

# The two data sets, as plain files (the peer's input) and as cases.
mkdir -p "$WORK/bin" "$WORK/text"
echo "making $SIZE_MIB MiB of incompressible and $TEXT_MIB MiB of compressible files…"
i=0
while [ $((i * 64)) -lt "$SIZE_MIB" ]; do
	head -c $((64 << 20)) /dev/urandom >"$WORK/bin/data_$i.bin"
	i=$((i + 1))
done
python3 - "$WORK/text" "$TEXT_MIB" <<'EOF'
import random, sys, os
out, mib = sys.argv[1], int(sys.argv[2])
rng = random.Random(1)
per = 32 << 20
for k in range(max(1, mib * (1 << 20) // per)):
    with open(os.path.join(out, "statement_%d.csv" % k), "w", encoding="utf-8") as f:
        n = 0
        while n < per:
            line = "2026-%02d-%02d %02d:%02d:%02d,消费,某某超市%d,%d.%02d,%016x\n" % (
                rng.randint(1, 12), rng.randint(1, 28), rng.randint(0, 23), rng.randint(0, 59), rng.randint(0, 59),
                rng.randint(0, 999), rng.randint(0, 9999), rng.randint(0, 99), rng.getrandbits(64))
            f.write(line)
            n += len(line.encode())
EOF
BIN_ID=$("$DK" case new --title incompressible)
TEXT_ID=$("$DK" case new --title compressible)
"$DK" attach "$BIN_ID" "$WORK"/bin/* >/dev/null
"$DK" attach "$TEXT_ID" "$WORK"/text/* >/dev/null
BIN_BYTES=$(cat "$WORK"/bin/* | wc -c)
TEXT_BYTES=$(cat "$WORK"/text/* | wc -c)

# compare NAME BYTES "OUR CMD" "PEER CMD" PEER_TOOL
compare() {
	name=$1 bytes=$2 ours=$3 peer=$4 tool=$5
	o="" p=""
	for _ in $(seq "$RUNS"); do
		rm -f "$WORK/ours.zip" "$WORK/peer.zip"
		sync
		o="$o $(seconds sh -c "$ours")"
		if have "$tool"; then
			sync
			p="$p $(seconds sh -c "$peer")"
		fi
	done
	# shellcheck disable=SC2086
	om=$(median $o)
	mib=$((bytes >> 20))
	if [ -n "$p" ]; then
		# shellcheck disable=SC2086
		pm=$(median $p)
		printf '%-16s %6d MiB  dk %7.2f s (%4s MB/s)   %-10s %7.2f s (%4s MB/s)   ratio %s\n' \
			"$name" "$mib" "$om" "$(mbps "$bytes/1000000" "$om")" "$tool" "$pm" "$(mbps "$bytes/1000000" "$pm")" "$(ratio "$om" "$pm")"
	else
		printf '%-16s %6d MiB  dk %7.2f s (%4s MB/s)   %s not installed\n' "$name" "$mib" "$om" "$(mbps "$bytes/1000000" "$om")" "$tool"
	fi
}

echo "medians of $RUNS runs; ratio = dk / peer (below 1: dk is faster)"
compare "export binary" "$BIN_BYTES" "\"$DK\" bundle export $BIN_ID -o \"$WORK/ours.zip\"" \
	"cd \"$WORK/bin\" && zip -q -0 -r \"$WORK/peer.zip\" ." zip
"$DK" bundle export "$BIN_ID" -o "$WORK/bin.zip" >/dev/null
compare "export text" "$TEXT_BYTES" "\"$DK\" bundle export $TEXT_ID -o \"$WORK/ours.zip\"" \
	"cd \"$WORK/text\" && zip -q -r \"$WORK/peer.zip\" ." zip
compare "verify binary" "$BIN_BYTES" "\"$DK\" bundle verify \"$WORK/bin.zip\"" \
	"sha256sum \"$WORK\"/bin/*" sha256sum
ls -l "$WORK/bin.zip" | awk '{print "bundle of the binary case: " $5 " bytes"}'
"$DK" bundle export "$TEXT_ID" -o "$WORK/text.zip" >/dev/null
(cd "$WORK/text" && zip -q -r "$WORK/text-peer.zip" . 2>/dev/null) || true
ls -l "$WORK/text.zip" | awk '{print "bundle of the text case:   " $5 " bytes"}'
[ -f "$WORK/text-peer.zip" ] && ls -l "$WORK/text-peer.zip" | awk '{print "zip -r of the text files:  " $5 " bytes"}'
exit 0

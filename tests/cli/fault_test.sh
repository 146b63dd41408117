#!/bin/sh
# Faults the system reports to a run, injected by a preload library (fault_inject.cpp) so that
# they happen at a known point (docs/cli.md, "Exit codes" and "Writing the output"):
#   - ENOSPC and EIO writing `-o FILE` or `--output-dir DIR`: exit 2, a message naming the file
#     and the error, the old FILE intact, no temporary file left;
#   - an input file that ends before the size it had when it was opened (it shrank during the
#     run): exit 2, a message naming the file, no findings written.
# Not under the sanitizers (their runtime must come first in the preload list).
#
#   fault_test.sh USBEXFIL FAULT_LIBRARY DEMO_DIR
set -eu
bin=$1 lib=$2 demo=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() {
  echo "FAIL: $*" >&2
  exit 1
}
mkdir "$tmp/in" "$tmp/out"
for table in SecurityAlert CloudAppEvents DeviceFileEvents DeviceEvents; do
  cp "$demo/$table.jsonl" "$tmp/in/"
done

for error in ENOSPC EIO; do
  case $error in
  ENOSPC) text="No space left on device" ;;
  EIO) text="Input/output error" ;;
  esac
  printf 'the old findings\n' >"$tmp/out/findings.jsonl"
  status=0
  LD_PRELOAD=$lib USBEXFIL_FAULT_WRITE=".findings.jsonl.tmp-:$error" \
    "$bin" run -q "$tmp/in" -o "$tmp/out/findings.jsonl" 2>"$tmp/err" || status=$?
  [ "$status" -eq 2 ] || fail "-o with $error: exit $status: $(cat "$tmp/err")"
  grep -q "findings.jsonl: cannot write: $text" "$tmp/err" ||
    fail "-o with $error: no message naming the file and the error: $(cat "$tmp/err")"
  [ "$(cat "$tmp/out/findings.jsonl")" = "the old findings" ] || fail "-o with $error: old file changed"
  [ "$(ls -A "$tmp/out")" = "findings.jsonl" ] || fail "-o with $error: left behind: $(ls -A "$tmp/out")"

  mkdir "$tmp/nightly"
  status=0
  LD_PRELOAD=$lib USBEXFIL_FAULT_WRITE=".findings-:$error" \
    "$bin" run -q "$tmp/in" --from 2026-03-10 --to 2026-03-11 --output-dir "$tmp/nightly" \
    2>"$tmp/err" || status=$?
  [ "$status" -eq 2 ] || fail "--output-dir with $error: exit $status: $(cat "$tmp/err")"
  grep -q "cannot write: $text" "$tmp/err" ||
    fail "--output-dir with $error: no message: $(cat "$tmp/err")"
  # No findings file and no temporary file; the run file says what went wrong.
  leftover=$(ls -A "$tmp/nightly" | grep -v '^\.usbexfil\.lock$' | grep -v '^run-' || true)
  [ -z "$leftover" ] || fail "--output-dir with $error: left behind: $leftover"
  grep -q '"exit_status": 2' "$tmp"/nightly/run-*.json ||
    fail "--output-dir with $error: the run file does not say exit 2"
  grep -q "\"error\": \".*cannot write: $text" "$tmp"/nightly/run-*.json ||
    fail "--output-dir with $error: the run file does not give the error"
  # The run file itself on a full disk: exit 2, nothing half-written.
  rm -rf "$tmp/nightly" && mkdir "$tmp/nightly"
  status=0
  LD_PRELOAD=$lib USBEXFIL_FAULT_WRITE=".run-:$error" \
    "$bin" run -q "$tmp/in" --from 2026-03-10 --to 2026-03-11 --output-dir "$tmp/nightly" \
    2>"$tmp/err" || status=$?
  [ "$status" -eq 2 ] || fail "run file with $error: exit $status: $(cat "$tmp/err")"
  grep -q "run-.*cannot write: $text" "$tmp/err" || fail "run file with $error: $(cat "$tmp/err")"
  leftover=$(ls -A "$tmp/nightly" | grep -v '^\.usbexfil\.lock$' | grep -v '^findings-' || true)
  [ -z "$leftover" ] || fail "run file with $error: left behind: $leftover"
  rm -rf "$tmp/nightly"
done

# The same run without a fault writes the findings: the library changes nothing else.
LD_PRELOAD=$lib "$bin" run -q "$tmp/in" -o "$tmp/out/findings.jsonl" ||
  fail "a run with the library but no fault failed"
[ "$(wc -l <"$tmp/out/findings.jsonl")" -eq 2 ] || fail "without a fault: not the demo's 2 findings"

# expect_shrink FILE BYTES: FILE (under $tmp, its folder the run's input) ends at BYTES while it
# is read: exit 2, a message naming it, no findings.
expect_shrink() {
  status=0
  LD_PRELOAD=$lib USBEXFIL_FAULT_SHRINK="$1:$2" \
    "$bin" run -q "$tmp/${1%%/*}" >"$tmp/shrunk.jsonl" 2>"$tmp/err" || status=$?
  [ "$status" -eq 2 ] || fail "shrinking $1: exit $status: $(cat "$tmp/err")"
  grep -q "$1: cannot read: file shrank while reading" "$tmp/err" ||
    fail "shrinking $1: no message naming the file: $(cat "$tmp/err")"
  [ ! -s "$tmp/shrunk.jsonl" ] || fail "shrinking $1: findings written"
}
others() { cp "$tmp/in/SecurityAlert.jsonl" "$tmp/in/CloudAppEvents.jsonl" "$tmp/in/DeviceEvents.jsonl" "$1/"; }

expect_shrink in/DeviceFileEvents.jsonl 1000
# A file large enough to be read in positional chunks (pread) rather than as one stream.
mkdir "$tmp/big" && others "$tmp/big"
i=0
while [ $i -lt 40 ]; do
  cat "$tmp/in/DeviceFileEvents.jsonl"
  i=$((i + 1))
done >"$tmp/big/DeviceFileEvents.jsonl"
expect_shrink big/DeviceFileEvents.jsonl 3000000
# Compressed and archived: the decoder and libarchive under it must not take the early end for
# damage in the data (a data error, exit 0): the file could not be read.
mkdir "$tmp/gz" "$tmp/tar" && others "$tmp/gz"
gzip -c "$tmp/in/DeviceFileEvents.jsonl" >"$tmp/gz/DeviceFileEvents.jsonl.gz"
tar -cf "$tmp/tar/export.tar" -C "$tmp/in" SecurityAlert.jsonl CloudAppEvents.jsonl \
  DeviceFileEvents.jsonl DeviceEvents.jsonl
expect_shrink gz/DeviceFileEvents.jsonl.gz 20000
expect_shrink tar/export.tar 20000
echo "ok: ENOSPC and EIO on -o, --output-dir and the run file; a shrinking input, plain (small and large), gzip and tar"

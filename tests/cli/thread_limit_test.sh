#!/bin/sh
# A scan whose threads the system refuses to start runs on the threads it has (docs/design.md,
# "Errors"): the same findings, a warning, exit 0 — never std::terminate. Each thread's stack is
# made 1 GiB (ulimit -s) under a 3.5 GB address-space limit (ulimit -v), so the 4th or so thread
# cannot be mapped; 33 MB of alerts ask for 7 threads at -j 8. Not under the sanitizers (their
# shadow memory needs more address space than the limit allows).
#
#   thread_limit_test.sh USBEXFIL DEMO_DIR
set -eu
bin=$1 demo=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
i=0
while [ $i -lt 1100 ]; do
  cat "$demo/SecurityAlert.jsonl"
  i=$((i + 1))
done >"$tmp/SecurityAlert.jsonl"
for table in CloudAppEvents DeviceFileEvents DeviceEvents; do
  cp "$demo/$table.jsonl" "$tmp/"
done
"$bin" run -q -j 1 "$tmp" >"$tmp/one-thread.jsonl"
status=0
(
  ulimit -s 1048576
  ulimit -v 3500000
  exec "$bin" run -j 8 "$tmp" >"$tmp/limited.jsonl" 2>"$tmp/err"
) || status=$?
if [ "$status" -ne 0 ]; then
  echo "FAIL: exit $status under the thread limit: $(cat "$tmp/err")" >&2
  exit 1
fi
grep -q "SecurityAlert: the system would start only [0-9]* of the 7 parsing threads wanted" \
  "$tmp/err" || { echo "FAIL: no warning about the threads: $(cat "$tmp/err")" >&2; exit 1; }
cmp -s "$tmp/one-thread.jsonl" "$tmp/limited.jsonl" ||
  { echo "FAIL: other findings on fewer threads" >&2; exit 1; }
echo "ok: $(grep -o 'only [0-9]* of the 7' "$tmp/err") threads, same findings"

#!/usr/bin/env bash
# The release binary on CPUs older than the one that built it, under qemu's user-mode emulation:
# Nehalem (2008: SSE4.2, no AVX) must choose the sse2 pre-filter and find the demo day's
# findings; Haswell (AVX2, no AVX-512) the avx2 one, with the same findings. A binary holding an
# instruction the CPU lacks dies with SIGILL here.
# Usage: older_cpu_test.sh QEMU USBEXFIL DEMO_DIR
set -euo pipefail
qemu=$1 usbexfil=$2 demo=$3
for cpu_and_kernel in Nehalem:sse2 Haswell:avx2; do
  cpu=${cpu_and_kernel%%:*} kernel=${cpu_and_kernel#*:}
  version=$("$qemu" -cpu "$cpu" "$usbexfil" --version)
  grep -q "pre-filter $kernel," <<<"$version" || {
    echo "on $cpu: expected the $kernel pre-filter, --version says: $version" >&2; exit 1; }
  "$qemu" -cpu "$cpu" "$usbexfil" run -q "$demo"/SecurityAlert.jsonl "$demo"/CloudAppEvents.jsonl \
    "$demo"/DeviceFileEvents.jsonl "$demo"/DeviceEvents.jsonl | diff -u "$demo"/expected.jsonl - || {
    echo "on $cpu: findings differ from $demo/expected.jsonl" >&2; exit 1; }
  echo "on $cpu: $(tail -1 <<<"$version"); demo findings as expected"
done

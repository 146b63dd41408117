#!/bin/sh
# The nightly recipes of docs/operations.md run as written: the systemd service's ExecStart (with
# its Environment= lines, and %% as systemd turns it into %) and the crontab line (with \% as cron
# turns it into %), each over a copy of the demo day, into a scratch output folder.
#
#   operations_test.sh USBEXFIL SERVICE_FILE OPERATIONS_MD DEMO_DIR
set -eu
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1") service=$2 doc=$3 demo=$4
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() {
  echo "FAIL: $*" >&2
  exit 1
}
mkdir -p "$tmp/bin" "$tmp/export" "$tmp/out" "$tmp/log" "$tmp/cron-out"
ln -s "$bin" "$tmp/bin/usbexfil" # the recipes call usbexfil by name, from PATH
for table in SecurityAlert CloudAppEvents DeviceFileEvents DeviceEvents; do
  cp "$demo/$table.jsonl" "$tmp/export/"
done
PATH="$tmp/bin:$PATH"
export PATH

# --- the systemd service ---------------------------------------------------------------------
exec_start=$(sed -n 's/^ExecStart=//p' "$service")
[ -n "$exec_start" ] || fail "$service has no ExecStart="
# systemd turns %% into % (and would expand other % specifiers, which the unit must not use).
case $(printf '%s' "$exec_start" | sed 's/%%//g') in *%*) fail "a % specifier in ExecStart" ;; esac
command_line=$(printf '%s' "$exec_start" | sed 's/%%/%/g')
run_unit() { # $1: NOW
  (
    # The unit's Environment= lines, then the test's folders in place of the real ones.
    eval "$(sed -n 's/^Environment=\([A-Z_]*\)=\(.*\)$/\1="\2"; export \1/p' "$service")"
    EXPORT="$tmp/export" OUT="$tmp/out" LOG="$tmp/log/usbexfil.log" NOW=$1
    export EXPORT OUT LOG NOW
    eval "$command_line"
  )
}
run_unit 2026-03-11T00:00:00Z || fail "the unit's command line exited with $?"
findings="$tmp/out/findings-20260310T000000Z_20260311T000000Z.jsonl"
[ -f "$findings" ] || fail "no $findings: $(ls "$tmp/out")"
cmp -s "$findings" "$demo/expected.jsonl" || fail "the unit's findings are not the demo day's"
grep -q '"exit_status": 0' "$tmp/out/run-20260310T000000Z_20260311T000000Z.json" ||
  fail "the run file does not say exit 0"
grep -q '2 findings written' "$tmp/log/usbexfil.log" || fail "nothing in the log file"
# Without NOW: the day that ended at the last midnight (UTC), whatever it holds.
run_unit "" || fail "the unit's command line without NOW exited with $?"
today=$(date -u +%Y%m%d)
ls "$tmp/out" | grep -q "^run-[0-9T]*Z_${today}T000000Z\.json$" ||
  fail "no run file for the day before $today: $(ls "$tmp/out")"

# --- the crontab line ------------------------------------------------------------------------
cron=$(grep -E '^[0-9]+ [0-9]+ \* \* \* ' "$doc" | head -n 1)
[ -n "$cron" ] || fail "no crontab line in $doc"
# Fields 6- are the command; cron turns \% into % (an unescaped % would end the command).
command=$(printf '%s\n' "$cron" | cut -d' ' -f6-)
case $(printf '%s' "$command" | sed 's/\\%//g') in *%*) fail "an unescaped % in the crontab line" ;; esac
command=$(printf '%s' "$command" | sed 's/\\%/%/g' |
  sed "s#/srv/exports/current#$tmp/export#g; s#/var/lib/usbexfil#$tmp/cron-out#g; s#/var/log/usbexfil#$tmp/log#g")
sh -c "$command" || fail "the crontab command exited with $?: $command"
ls "$tmp/cron-out" | grep -q "^findings-[0-9T]*Z_${today}T000000Z\.jsonl$" ||
  fail "the crontab command wrote no findings for the day before $today: $(ls "$tmp/cron-out")"

# --- the units, where systemd can check them ---------------------------------------------------
if command -v systemd-analyze >/dev/null 2>&1; then
  timer=${service%.service}.timer
  if ! systemd-analyze verify --man=no "$service" "$timer" 2>"$tmp/verify"; then
    fail "systemd-analyze verify: $(cat "$tmp/verify")"
  fi
fi
echo "ok: the service's and the crontab's command lines ran the demo day"

#!/usr/bin/env bash
# usbexfil.1 renders without a warning, describes every subcommand `usbexfil --help` lists and
# names every option that `usbexfil help COMMAND` prints for each, under the sections a man page
# has.
# Usage: manpage_test.sh USBEXFIL MANPAGE
set -euo pipefail
usbexfil=$1 page=$2
fail() { echo "manpage_test: $*" >&2; exit 1; }
[ -s "$page" ] || fail "$page is missing or empty"

warnings=$(groff -man -Tutf8 -ww -z "$page" 2>&1) || fail "groff failed: $warnings"
[ -z "$warnings" ] || fail "groff -ww warns about $page:"$'\n'"$warnings"
if command -v mandoc >/dev/null; then
  lint=$(mandoc -Tlint -W warning "$page" 2>&1) || fail "mandoc -Tlint: $lint"
fi
if command -v man >/dev/null; then
  warnings=$(MANWIDTH=80 man --warnings -l "$page" 2>&1 >/dev/null) || fail "man -l failed: $warnings"
  [ -z "$warnings" ] || fail "man --warnings -l warns about $page:"$'\n'"$warnings"
fi

# The rendered text, without bold or underlining, is what a reader searches.
text=$(groff -man -Tutf8 -P-cbou "$page" 2>/dev/null)
for section in NAME SYNOPSIS DESCRIPTION COMMANDS OPTIONS "EXIT STATUS" EXAMPLES "SEE ALSO"; do
  grep -qx "$section" <<<"$text" || fail "no $section section"
done
commands=$("$usbexfil" --help | awk '/^Subcommands:/ { on = 1; next } on && /^  [a-z]/ { print $1 }')
grep -qx run <<<"$commands" || fail "'usbexfil --help' lists no run subcommand"
for command in $commands; do
  grep -qE "^ +$command( |$)" <<<"$text" || fail "the man page does not describe the $command command"
done
for command in $(grep -vx help <<<"$commands"); do
  help=$("$usbexfil" help "$command")
  options=$(awk '/^  -/ { print $1 }' <<<"$help" | tr ',' '\n' | grep -E '^-' | sort -u)
  [ -n "$options" ] || fail "'usbexfil help $command' printed no option: $help"
  for option in $options; do
    grep -qE -- "(^|[^[:alnum:]-])$option([^[:alnum:]-]|$)" <<<"$text" ||
      fail "'usbexfil help $command' prints $option; the man page does not"
  done
  echo "usbexfil help $command: all $(wc -w <<<"$options") options in the man page"
done
version=$("$usbexfil" --version | sed -n 1p | cut -d' ' -f1-2)
grep -q -- "$version" <<<"$text" || fail "the man page does not name $version"

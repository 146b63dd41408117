#!/usr/bin/env bash
# The bash and zsh completions offer every subcommand `usbexfil --help` lists and every option that
# `usbexfil help COMMAND` prints for each (so a new one cannot be forgotten in them), files for
# PATH and the per-table options, folders for test's DIR, and --format's choices. The bash function is run in bash with
# COMP_WORDS set; the zsh one in an interactive zsh on a pseudo-terminal (zsh_complete.zsh).
# Exit 77 (skipped) when zsh is not installed, after the bash checks have passed.
# Usage: completion_test.sh USBEXFIL COMPLETIONS_DIR
set -euo pipefail
usbexfil=$1 completions=$(cd "$2" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
bash_file=$completions/usbexfil.bash zsh_file=$completions/_usbexfil
failures=0
fail() { echo "completion_test: $*" >&2; failures=$((failures + 1)); }

# The subcommands --help lists, and the options of each as its help prints them: -o and --output
# of "  -o,--output TEXT".
commands=$("$usbexfil" --help | awk '/^Subcommands:/ { on = 1; next } on && /^  [a-z]/ { print $1 }')
topics=$(grep -vx help <<<"$commands")
grep -qx run <<<"$commands" && grep -qx inspect <<<"$commands" || { echo "no subcommands in --help" >&2; exit 1; }
options_of() { "$usbexfil" help "$1" | awk '/^  -/ { print $1 }' | tr ',' '\n' | grep -E '^-' | sort -u; }
all_options=$(for command in $topics; do options_of "$command"; done | sort -u)

# 1. Each option and subcommand is spelled in both files.
for option in $all_options $commands; do
  for file in "$bash_file" "$zsh_file"; do
    grep -qE -- "(^|[^[:alnum:]-])$option([^[:alnum:]-]|$)" "$file" ||
      fail "$option (usbexfil --help or help COMMAND) is not in $(basename "$file")"
  done
done
# The other way round is only a note: another change may be adding an option right now.
top_options=$("$usbexfil" --help | awk '/^  -/ { print $1 }' | tr ',' '\n')
for option in $(grep -oE -- '--[a-z][a-z0-9-]+' "$bash_file" | sort -u); do
  grep -qx -- "$option" <<<"$all_options"$'\n'"$top_options" ||
    echo "note: $(basename "$bash_file") offers $option, which 'usbexfil help' does not print" >&2
done

# 2. bash: the function, called as bash calls it.
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
mkdir -p "$scratch/export" "$scratch/cases/01-x" && touch "$scratch/SecurityAlert.jsonl" "$scratch/expected.jsonl"
complete_bash() { # WORDS...: what the completion offers for them (the last is the current word)
  (cd "$scratch" && bash --norc --noprofile -c '
    source "$0" || exit 1
    complete -p usbexfil | grep -q -- "-F _usbexfil" || { echo "no complete -F _usbexfil" >&2; exit 1; }
    COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
    _usbexfil usbexfil "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
    printf "%s\n" "${COMPREPLY[@]}" | sort -u' "$bash_file" "$@")
}
expect_bash() { # EXPECTED WORDS...: the offer is exactly EXPECTED (sorted, one a line)
  local expected=$1 got
  shift
  got=$(complete_bash "$@") || { fail "bash completion failed for '$*'"; return; }
  [ "$got" = "$(tr ' ' '\n' <<<"$expected" | sort -u)" ] ||
    fail "bash: '$*<TAB>' offers [$(echo $got)], expected [$expected]"
}
expect_bash "$(echo $commands)" usbexfil ""
expect_bash "run" usbexfil r
expect_bash "$(echo $topics)" usbexfil help ""
expect_bash "cases" usbexfil test c
expect_bash "cases/01-x" usbexfil test cases/
expect_bash "jsonl json csv table html" usbexfil run --format ""
expect_bash "csv" usbexfil run --format = c
expect_bash "--format=csv" usbexfil run --format=c
expect_bash "-h --help --version" usbexfil -
expect_bash "SecurityAlert.jsonl" usbexfil run --alerts Sec
expect_bash "SecurityAlert.jsonl" usbexfil inspect --device-events Sec
expect_bash "export expected.jsonl" usbexfil run -q ex
expect_bash "expected.jsonl" usbexfil run export --expect expe
expect_bash "" usbexfil run --from ""
for command in $topics; do
  offered=$(complete_bash usbexfil "$command" -)
  for option in $(options_of "$command"); do
    grep -qx -- "$option" <<<"$offered" || fail "bash: 'usbexfil $command -<TAB>' does not offer $option"
  done
done
[ "$failures" -eq 0 ] && echo "bash: every subcommand, every option of help $(echo $topics | sed 's/ /, help /g'), files, --format"

# 3. zsh, when installed.
if ! command -v zsh >/dev/null; then
  [ "$failures" -eq 0 ] || exit 1
  echo "zsh is not installed (Debian zsh): zsh completion not tested" >&2
  exit 77
fi
zsh -n "$zsh_file" || fail "zsh -n $zsh_file: syntax error"
# The pty dialogue can stall on a loaded machine (CI runs two tests at a time): up to three tries.
complete_zsh() {
  local try out
  for try in 1 2 3; do
    if out=$(cd "$scratch" && timeout 60 zsh -f "$here/zsh_complete.zsh" "$completions" "$1" |
      sort -u); then
      printf '%s\n' "$out"
      return 0
    fi
    echo "completion_test: zsh gave no answer for '$1' (try $try of 3)" >&2
  done
  return 1
}
expect_zsh() { # EXPECTED LINE: the offer for LINE<TAB> is exactly EXPECTED
  local got
  got=$(complete_zsh "$2") || { fail "zsh completion failed for '$2'"; return; }
  [ "$got" = "$(tr ' ' '\n' <<<"$1" | sort -u)" ] ||
    fail "zsh: '$2<TAB>' offers [$(echo $got)], expected [$1]"
}
expect_zsh "$(echo $commands)" "usbexfil "
expect_zsh "--help --version" "usbexfil --"
expect_zsh "$(echo $topics)" "usbexfil help "
expect_zsh "cases" "usbexfil test c"
expect_zsh "jsonl json csv table html" "usbexfil run --format "
expect_zsh "SecurityAlert.jsonl" "usbexfil run --alerts Sec"
for command in $topics; do
  offered=$(complete_zsh "usbexfil $command -") || {
    fail "zsh completion failed for 'usbexfil $command -'"
    continue
  }
  for option in $(options_of "$command"); do
    grep -qx -- "$option" <<<"$offered" || fail "zsh: 'usbexfil $command -<TAB>' does not offer $option"
  done
done
[ "$failures" -eq 0 ] || exit 1
echo "zsh: every subcommand, every option of help $(echo $topics | sed 's/ /, help /g'), files, --format"

#!/usr/bin/zsh -f
# What zsh's completion system offers for a command line, one candidate a line (duplicates
# possible). It types the line and a TAB into an interactive zsh on a pseudo-terminal (zsh/zpty),
# with FPATH_DIR in $fpath and compadd wrapped to print what it is given.
# Usage: zsh_complete.zsh FPATH_DIR 'usbexfil run --format '
zmodload zsh/zpty
zpty z zsh -f -i
integer n=0
# Runs one command line in the pty shell, waits until it has run and the next prompt is out:
# zle drops what was typed before it started.
send() {
  n+=1
  zpty -w z "$1; print -r -- '<SY''NC$n>'"
  local out
  zpty -r -m z out "*<SYNC$n>*" || { print -u2 "zsh_complete: no answer to: $1"; exit 3 }
  zpty -r -m z out "*<PROMPT>*" || { print -u2 "zsh_complete: no prompt after: $1"; exit 3 }
}
zpty -w z "PS1='<PROM''PT>'"
zpty -r -m z out "*<PROMPT>*" || { print -u2 "zsh_complete: no prompt"; exit 3 }
send "fpath=($1 \$fpath); autoload -U compinit; compinit -u -D"
send 'compadd () { local -a __hits; builtin compadd -O __hits "$@"; (( $#__hits )) && print -r -- "<HITS>${(j:<HIT>:)__hits}</HITS>" >&2; builtin compadd "$@" }'
send 'bindkey "^I" complete-word'
zpty -wn z "$2"$'\t'
zpty -wn z $'\C-u'
zpty -w z "print -r -- '<EN''D>'"
local line
while zpty -r z line; do
  line=${line//$'\r'/}
  [[ $line == *'<END>'* ]] && break
  if [[ $line == *'<HITS>'*'</HITS>'* ]]; then
    line=${${line##*<HITS>}%%</HITS>*}
    print -rl -- ${(s:<HIT>:)line}
  fi
done
zpty -d z

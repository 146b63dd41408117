# bash completion for usbexfil                                    -*- shell-script -*-
# Installed as share/bash-completion/completions/usbexfil (scripts/packaging.cmake); loaded on
# demand by bash-completion, or by hand: `source usbexfil.bash`. It needs nothing from
# bash-completion. The options are src/cli/options.cpp's; tests/packaging/completion_test.sh
# fails when `usbexfil help run` or `help inspect` prints an option that is missing here.

_usbexfil() {
    local cur=${COMP_WORDS[COMP_CWORD]} prev=""
    ((COMP_CWORD > 0)) && prev=${COMP_WORDS[COMP_CWORD - 1]}
    # `--format=js`: bash splits at '=' (COMP_WORDBREAKS), giving `--format`, `=`, `js`; with
    # '=' taken out of COMP_WORDBREAKS it is one word, and the answers keep the `--format=`.
    local prefix=""
    if [[ $cur == "=" ]]; then
        cur=""
    elif [[ $prev == "=" ]] && ((COMP_CWORD > 1)); then
        prev=${COMP_WORDS[COMP_CWORD - 2]}
    elif [[ $cur == --*=* ]]; then
        prev=${cur%%=*} prefix=${cur%%=*}= cur=${cur#*=}
    fi

    local command="" i
    for ((i = 1; i < COMP_CWORD; i++)); do
        case ${COMP_WORDS[i]} in
            run | explain | inspect | test | help)
                command=${COMP_WORDS[i]}
                break
                ;;
        esac
    done

    local tables="--alerts --cloud-app-events --device-file-events --device-events"
    local run_options="$tables -o --output --format --csv-bom --sentinel-strings --enrich
        --expect --lookback --now --output-dir --stats-json --log-file
        --from --to --strict --validate-all --max-record-size -j --threads --chunk-size
        --fail-on-findings -q --quiet -v --verbose -h --help"
    local inspect_options="$tables -j --threads -h --help"
    local explain_options="$tables -o --output --format --lookback --now --from --to --strict
        --validate-all --max-record-size -j --threads --chunk-size -q --quiet -v --verbose -h --help"
    local test_options="-j --threads -h --help"

    # The value of an option: files for files, fixed choices where there are some, nothing to
    # offer for a time, a count or a size.
    case $command:$prev in
        run:--alerts | run:--cloud-app-events | run:--device-file-events | run:--device-events | \
            inspect:--alerts | inspect:--cloud-app-events | inspect:--device-file-events | \
            inspect:--device-events | run:-o | run:--output | run:--expect | \
            run:--stats-json | run:--log-file | explain:--alerts | explain:--cloud-app-events | \
            explain:--device-file-events | explain:--device-events | explain:-o | explain:--output)
            _usbexfil_files "$cur" "$prefix"
            return
            ;;
        run:--output-dir)
            compopt -o filenames 2>/dev/null
            mapfile -t COMPREPLY < <(compgen -P "$prefix" -d -- "$cur")
            return
            ;;
        run:--lookback | explain:--lookback)
            mapfile -t COMPREPLY < <(compgen -P "$prefix" -W "1d 12h 6h 1h 90m" -- "$cur")
            return
            ;;
        run:--format)
            mapfile -t COMPREPLY < <(compgen -P "$prefix" -W "jsonl json csv table html" -- "$cur")
            return
            ;;
        explain:--format)
            mapfile -t COMPREPLY < <(compgen -P "$prefix" -W "text json" -- "$cur")
            return
            ;;
        run:--from | run:--to | run:--now | run:-j | run:--threads | run:--chunk-size | \
            run:--max-record-size | inspect:-j | inspect:--threads | test:-j | test:--threads | \
            explain:--from | explain:--to | explain:--now | explain:-j | explain:--threads | \
            explain:--chunk-size | explain:--max-record-size)
            COMPREPLY=()
            return
            ;;
    esac

    case $command in
        "")
            if [[ $cur == -* ]]; then
                mapfile -t COMPREPLY < <(compgen -W "-h --help --version" -- "$cur")
            else
                mapfile -t COMPREPLY < <(compgen -W "run explain inspect test help" -- "$cur")
            fi
            ;;
        help)
            ((COMP_CWORD == i + 1)) &&
                mapfile -t COMPREPLY < <(compgen -W "run explain inspect test" -- "$cur")
            ;;
        test)
            # DIR: a case folder, or a folder of case folders.
            if [[ $cur == -* ]]; then
                mapfile -t COMPREPLY < <(compgen -W "$test_options" -- "$cur")
            else
                compopt -o filenames 2>/dev/null
                mapfile -t COMPREPLY < <(compgen -d -- "$cur")
            fi
            ;;
        run | explain | inspect)
            if [[ $cur == -* ]]; then
                local options=$run_options
                [[ $command == inspect ]] && options=$inspect_options
                [[ $command == explain ]] && options=$explain_options
                mapfile -t COMPREPLY < <(compgen -W "$options" -- "$cur")
            else
                _usbexfil_files "$cur"
            fi
            ;;
    esac
}

# Files and folders (PATH and the per-table options take either; a folder is read recursively).
# $1: the word so far; $2: a prefix the answers keep (`--expect=`).
_usbexfil_files() {
    compopt -o filenames 2>/dev/null
    mapfile -t COMPREPLY < <(compgen -f -P "${2-}" -- "$1")
}

complete -F _usbexfil usbexfil

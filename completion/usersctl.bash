# bash completion for usersctl                                   -*- shell-script -*-
# Installed by `cmake --install` into share/bash-completion/completions/usersctl.

_usersctl()
{
    local cur prev words cword
    if declare -F _init_completion >/dev/null; then
        _init_completion || return
    else
        cur=${COMP_WORDS[COMP_CWORD]}
        prev=${COMP_WORDS[COMP_CWORD-1]}
        words=("${COMP_WORDS[@]}")
        cword=$COMP_CWORD
    fi

    local commands="init-db hash add-user verify set-password update-user delete-user list import apply export doctor checkpassword"
    local global="-h --help --version --config -d --database-url --table --connect-timeout --lock-timeout --statement-timeout --verifier --show-config -v --verbose -q --quiet --log-format"
    local password="--password-stdin --password-file --password-fd --password-env"
    local hashing="--scheme --cost"
    local filters="--email --limit --never-logged-in --logged-in-since --logged-in-before --sort --reverse --count"
    local policy="--min-length --allow-weak-password"

    case $prev in
        --config|--password-file|--from-file|--generate-passwords)
            COMPREPLY=($(compgen -f -- "$cur"))
            return ;;
        --log-format)
            COMPREPLY=($(compgen -W "text json" -- "$cur"))
            return ;;
        --verifier)
            COMPREPLY=($(compgen -W "werkzeug werkzeug-2.3 crypt any" -- "$cur"))
            return ;;
        --format)
            COMPREPLY=($(compgen -W "table csv tsv json jsonl text yaml" -- "$cur"))
            return ;;
        --delimiter)
            COMPREPLY=($(compgen -W ", ';' '|' tab" -- "$cur"))
            return ;;
        --on-conflict)
            COMPREPLY=($(compgen -W "fail skip update" -- "$cur"))
            return ;;
        --fail-on)
            COMPREPLY=($(compgen -W "warning error" -- "$cur"))
            return ;;
        --sort)
            COMPREPLY=($(compgen -W "id email last_login_at login_count" -- "$cur"))
            return ;;
        --scheme)
            COMPREPLY=($(compgen -W "bcrypt yescrypt sha512crypt werkzeug-pbkdf2 werkzeug-scrypt argon2id" -- "$cur"))
            return ;;
        --password-env)
            COMPREPLY=($(compgen -e -- "$cur"))
            return ;;
        -d|--database-url|--table|--connect-timeout|--lock-timeout|--statement-timeout|--cost|--min-length|--password-fd|--wait|--new-email|--first-name|--last-name|--email|--limit|--verify|--max-listed|--jobs|--id|--home|--logged-in-since|--logged-in-before|--prune|--max-delete)
            return ;;
    esac

    local command= i
    for ((i = 1; i < cword; i++)); do
        if [[ " $commands " == *" ${words[i]} "* ]]; then
            command=${words[i]}
            break
        fi
    done

    local options
    case $command in
        "") COMPREPLY=($(compgen -W "$commands $global" -- "$cur")); return ;;
        init-db) options="--dry-run --wait" ;;
        hash) options="$password --generate-password $hashing $policy --verify" ;;
        add-user) options="--first-name --last-name --if-not-exists --update-existing --json $password --generate-password $hashing $policy" ;;
        verify) options="--id --record-login --rehash --pam $password $hashing" ;;
        set-password) options="--id --json $password --generate-password $hashing $policy" ;;
        update-user) options="--id --new-email --first-name --last-name --clear-last-login --json" ;;
        delete-user) options="--id --from-file --dry-run -y --yes --if-exists --json" ;;
        list) options="--format $filters --with-hash --raw" ;;
        import)
            if [[ $cur != -* ]]; then
                COMPREPLY=($(compgen -f -- "$cur"))
                return
            fi
            options="--format --delimiter --on-conflict --keep-ids --generate-passwords --dry-run --jobs --json --require-readable $hashing $policy" ;;
        apply)
            if [[ $cur != -* ]]; then
                COMPREPLY=($(compgen -f -- "$cur"))
                return
            fi
            options="--format --check --prune --max-delete --json --jobs $hashing $policy" ;;
        export) options="--format $filters" ;;
        doctor) options="--format --fail-on --max-listed" ;;
        checkpassword)
            if [[ $cur != -* ]]; then
                COMPREPLY=($(compgen -c -- "$cur"))
                return
            fi
            options="--home --record-login" ;;
    esac
    COMPREPLY=($(compgen -W "$options $global" -- "$cur"))
}
complete -F _usersctl usersctl

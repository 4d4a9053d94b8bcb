# Bash completion for benefitctl: commands and options, read from benefitctl's own --help, so
# it always matches the installed program. Installed as
# /usr/share/bash-completion/completions/benefitctl.

# The names listed in one section of a help text ("Subcommands", or every option line).
_benefitctl_subcommands() {
  awk '/^Subcommands:/ { listing = 1; next } /^[^ ]/ { listing = 0 } listing && /^  [a-z]/ { print $1 }'
}
_benefitctl_options() {
  awk '/^ +-/ { n = split($1, names, ","); for (i = 1; i <= n; i++) print names[i] }'
}

_benefitctl() {
  local program=${COMP_WORDS[0]} current=${COMP_WORDS[COMP_CWORD]} word
  local -a path=()
  # The command typed so far: the words that name a subcommand of what precedes them (option
  # values such as the partner id or a --server URL are skipped).
  for word in "${COMP_WORDS[@]:1:COMP_CWORD-1}"; do
    [[ $word == -* ]] && continue
    if "$program" "${path[@]}" --help 2>/dev/null | _benefitctl_subcommands | grep -qxF -- "$word"; then
      path+=("$word")
    fi
  done
  local candidates
  if [[ $current == -* ]]; then
    # The command's own options, and the global ones, which stand anywhere.
    candidates=$({
      "$program" "${path[@]}" --help 2>/dev/null | _benefitctl_options
      "$program" --help 2>/dev/null | _benefitctl_options
    } | sort -u)
  else
    candidates=$("$program" "${path[@]}" --help 2>/dev/null | _benefitctl_subcommands)
  fi
  mapfile -t COMPREPLY < <(compgen -W "$candidates" -- "$current")
}

complete -o default -F _benefitctl benefitctl

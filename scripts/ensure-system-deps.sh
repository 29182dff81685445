#!/usr/bin/env bash
# Installs the two system programs the test suite drives, when they are missing:
#   graphviz  -> `dot`, so draw_dot's system-renderer path is tested (the pip renderer
#                graphviz-pure is tested whatever is installed here)
#   chromium  -> /usr/bin/chromium, the real browser of tests/browser (driven by Playwright)
# plus fonts-liberation (a font for both). Idempotent and quick: when both programs are present
# it only runs two checks. It installs only with apt-get, as root or with password-less sudo
# (`sudo -n`); otherwise it prints what is missing and exits 0, and the tests that need a missing
# program skip with that reason. `apt-get update` runs only when the package lists do not know
# the packages yet (a fresh container).
set -euo pipefail

missing=()
command -v dot >/dev/null 2>&1 || missing+=(graphviz)
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" = "0" ]; then
    SUDO=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    SUDO=(sudo -n)
else
    SUDO=none
fi
if [ "${SUDO[*]}" = "none" ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "ensure-system-deps: missing ${missing[*]} (install: apt-get install -y ${missing[*]}); not root or no apt-get, skipping" >&2
    exit 0
fi

export DEBIAN_FRONTEND=noninteractive
if ! apt-cache show "${missing[@]}" >/dev/null 2>&1; then
    "${SUDO[@]}" apt-get update -qq
fi
missing+=(fonts-liberation)
echo "ensure-system-deps: installing ${missing[*]}" >&2
"${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null

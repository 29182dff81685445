#!/usr/bin/env bash
# Installs the two system programs the test suite drives, when they are missing:
#   graphviz  -> `dot`, so draw_dot's system-renderer path is tested (the pip renderer
#                graphviz-pure is tested too, whatever is installed here)
#   chromium  -> /usr/bin/chromium, the real browser of tests/browser (driven by Playwright)
# Idempotent and quick: when both are present it only runs two `command -v` checks.
# Installs only on Debian/Ubuntu (apt-get) and only as root; otherwise it prints what is
# missing and exits 0, so the tests that need a missing program report it themselves.
set -euo pipefail

missing=()
command -v dot >/dev/null 2>&1 || missing+=(graphviz)
[ -x /usr/bin/chromium ] || missing+=(chromium)

if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi

if [ "$(id -u)" != "0" ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "ensure-system-deps: missing ${missing[*]} (install with: apt-get install -y ${missing[*]}); not root or no apt-get, skipping" >&2
    exit 0
fi

export DEBIAN_FRONTEND=noninteractive
# `apt-get update` only when the package lists do not know the packages yet
if ! apt-cache show "${missing[@]}" >/dev/null 2>&1; then
    apt-get update -qq
fi
# a font for the labels of both (no recommends: keeps the install small and quick)
missing+=(fonts-liberation)
echo "ensure-system-deps: installing ${missing[*]}" >&2
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null

#!/usr/bin/env bash
# Set up timekeeper on Debian / Raspberry Pi OS: system packages, a virtual
# environment in .venv, and the package itself.
#   ./setup.sh          what a facilitator needs
#   ./setup.sh --test   plus what the test suite needs (pytest, a small vosk model, chromium)
#   ./setup.sh --bench  plus the speech synthesisers bench/bench_commands.py speaks with (festival, flite)
set -euo pipefail
cd "$(dirname "$0")"

test_extras=no
bench_extras=no
[ "${1:-}" = "--test" ] && test_extras=yes
[ "${1:-}" = "--bench" ] && test_extras=yes && bench_extras=yes

sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"

packages="python3-venv python3-pip espeak-ng libportaudio2 alsa-utils sox"
[ "$test_extras" = yes ] && packages="$packages chromium"
[ "$bench_extras" = yes ] && packages="$packages festival flite festvox-kallpc16k festvox-kdlpc16k festvox-us-slt-hts"
if command -v apt-get >/dev/null 2>&1; then
    echo "setup: installing system packages: $packages"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $packages >/dev/null
else
    echo "setup: no apt-get here; install by hand: $packages" >&2
fi

python=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
    "$python" -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip
if [ "$test_extras" = yes ]; then
    .venv/bin/python -m pip install -q -e ".[test]"
    # the reference speaker encoder for the parity test; its own requirements are in the
    # test extras (torch==2.13.0 pinned, webrtcvad-wheels instead of a compiled webrtcvad)
    .venv/bin/python -m pip install -q --no-deps "resemblyzer==0.1.4"
else
    .venv/bin/python -m pip install -q -e .
fi
echo "setup: done. Try: .venv/bin/timekeeper demo"

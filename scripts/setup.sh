#!/usr/bin/env bash
# Shared set-up for run-notebooks.sh, test.sh and bench.sh: everything a fresh machine needs.
# Sourced, not executed, so that `cd` and exported variables carry over.
set -euo pipefail

SODL_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export SODL_ROOT
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
# Opt in to MKL's AVX-512 kernels on AMD processors (lib/Runtime/CpuTuning.cs; README "CPU settings"). Unset it to keep
# libtorch untouched; editors and notebooks started elsewhere never get it unless their environment sets it.
export SODL_MKL_ON_AMD="${SODL_MKL_ON_AMD-1}"

say() { printf '[setup] %s\n' "$*" >&2; }

# TorchSharp 0.107.0's native library needs GCC 13's libstdc++ (GLIBCXX_3.4.32).
# Debian 12 ships GCC 12's. As root on Debian we take libstdc++6 alone from Debian 13 (pinned low);
# anywhere else we stop and say what to install.
ensure_libstdcxx() {
  [ "$(uname -s)" = Linux ] || return 0
  local lib
  # awk reads to the end (no early `exit`): an early exit can kill ldconfig with SIGPIPE, and under
  # pipefail that status (141) would stop the whole script. `|| true`: ldconfig may be missing from a
  # non-root PATH; the fallback path below covers that.
  lib=$(ldconfig -p 2>/dev/null | awk '!found && /libstdc\+\+\.so\.6 .*(x86-64|AArch64)/{print $NF; found=1}' || true)
  [ -n "$lib" ] || lib=/usr/lib/x86_64-linux-gnu/libstdc++.so.6
  if [ -f "$lib" ] && grep -qa 'GLIBCXX_3\.4\.32' "$lib"; then return 0; fi
  say "libstdc++ at $lib lacks GLIBCXX_3.4.32, which TorchSharp 0.107.0 needs."
  if [ "$(id -u)" = 0 ] && [ -f /etc/apt/sources.list.d/debian.sources ] && grep -q 'bookworm' /etc/os-release; then
    say "Installing Debian 13 (trixie) libstdc++6 with a low pin priority (about 15 s)..."
    awk 'BEGIN{RS="";ORS="\n\n"} NR==1' /etc/apt/sources.list.d/debian.sources \
      | sed 's/^Suites:.*/Suites: trixie/' > /etc/apt/sources.list.d/trixie.sources
    printf 'Package: *\nPin: release n=trixie\nPin-Priority: 100\n' > /etc/apt/preferences.d/trixie-low
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -t trixie libstdc++6 >/dev/null
    grep -qa 'GLIBCXX_3\.4\.32' "$lib" && { say "libstdc++ updated."; return 0; }
  fi
  cat >&2 <<MSG
ERROR: TorchSharp 0.107.0 needs libstdc++ from GCC 13 or newer (symbol version GLIBCXX_3.4.32),
and $lib does not have it.
  - Debian 12, as root: re-run this script as root and it installs Debian 13's libstdc++6 for you
    (see README.md, "Troubleshooting").
  - Other Linux: install your distribution's libstdc++6 from GCC 13+ (Ubuntu 24.04+, Debian 13+,
    Fedora 39+ already have it), or run in a container based on one of those.
Check with: strings $lib | grep GLIBCXX_3.4.32
MSG
  return 1
}

# The site's browser test and README figures need headless Chromium (+ a font). As root on Debian we install Debian's
# chromium; elsewhere we stop and say what to install. Called by test.sh and build-site.sh only: running notebooks
# does not need a browser.
ensure_chromium() {
  if [ -n "${SODL_CHROMIUM:-}" ]; then
    [ -x "$SODL_CHROMIUM" ] && return 0
    say "ERROR: SODL_CHROMIUM=$SODL_CHROMIUM is not an executable."; return 1
  fi
  local b
  for b in chromium chromium-browser google-chrome google-chrome-stable; do
    command -v "$b" >/dev/null && return 0
  done
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null && grep -qi '^ID=debian' /etc/os-release; then
    say "Installing chromium and fonts-dejavu-core for the site's browser test (about a minute)..."
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core >/dev/null
    command -v chromium >/dev/null && { say "chromium installed."; return 0; }
  fi
  cat >&2 <<MSG
ERROR: the site's browser test and figures need headless Chromium, and none was found.
  - Debian, as root: re-run this script as root and it installs Debian's chromium and fonts-dejavu-core.
  - Elsewhere: install Chromium or Google Chrome (and a font such as DejaVu), then put it on PATH as
    'chromium' or set SODL_CHROMIUM to its executable.
MSG
  return 1
}

ensure_dotnet() {
  command -v dotnet >/dev/null || { say "ERROR: the .NET SDK 10 is not on PATH (https://dot.net)."; return 1; }
  (cd "$SODL_ROOT" && dotnet tool restore >/dev/null) || { say "ERROR: 'dotnet tool restore' failed."; return 1; }
}

ensure_libstdcxx
ensure_dotnet

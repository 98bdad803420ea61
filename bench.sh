#!/usr/bin/env bash
# Benchmarks: ./bench.sh [name ...]  (no name: list them). Each prints `BENCH <name> key=value ...` as its last line.
set -euo pipefail
source "$(dirname "$0")/scripts/setup.sh"
cd "$SODL_ROOT"
dotnet build tools/Benchmarks/Benchmarks.csproj -c Release -v quiet -nologo -clp:ErrorsOnly
exec dotnet tools/Benchmarks/bin/Release/net10.0/Benchmarks.dll "$@"

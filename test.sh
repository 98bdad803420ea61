#!/usr/bin/env bash
# The test command: set up this machine, check the formatting (CSharpier), build, run the unit tests and every
# notebook in QUICK mode, then open the site built from those runs in headless Chromium.
#   ./test.sh                          # everything
#   ./test.sh --filter Category!=Notebook   # extra arguments go to `dotnet test`
set -euo pipefail
source "$(dirname "$0")/scripts/setup.sh"
ensure_chromium   # the site's browser test
cd "$SODL_ROOT"
dotnet tool restore >/dev/null
dotnet csharpier check . >/dev/null || { dotnet csharpier check . | head -40; echo "Format with: dotnet csharpier format ." >&2; exit 1; }
dotnet build ScienceOfDL.slnx -c Release -v quiet -nologo -clp:ErrorsOnly
dotnet test tests/ScienceOfDL.Tests/ScienceOfDL.Tests.csproj -c Release --no-build --logger "console;verbosity=normal" "$@"

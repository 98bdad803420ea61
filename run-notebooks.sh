#!/usr/bin/env bash
# The main job: set up this machine, build, and run every notebook (or the named ones) headless.
# Executed notebooks and their charts (standalone offline HTML) land under artifacts/<notebook>/.
#   ./run-notebooks.sh                 # every notebook, full mode
#   SODL_QUICK=1 ./run-notebooks.sh    # QUICK mode (what CI runs)
#   ./run-notebooks.sh 04 05           # only these (file name, unique prefix or path)
set -euo pipefail
source "$(dirname "$0")/scripts/setup.sh"
cd "$SODL_ROOT"
dotnet build ScienceOfDL.slnx -c Release -v quiet -nologo -clp:ErrorsOnly
exec dotnet tools/NotebookRunner/bin/Release/net10.0/NotebookRunner.dll "$@"

#!/usr/bin/env bash
# Regenerates the committed read-along site (site/) and the README's figures (docs/figures/*.png, listed in
# docs/figures/figures.txt) from the executed notebooks of a full-mode run, writes each notebook's computed finding into
# the README's findings block, then opens every page in headless Chromium.
#   ./run-notebooks.sh && ./build-site.sh      # full run (hours), then the site
#   ./build-site.sh --artifacts DIR            # from another run's artifacts folder
# It refuses QUICK-mode or missing runs (--require-full). Any other options go to `NotebookRunner site` (see --help).
set -euo pipefail
source "$(dirname "$0")/scripts/setup.sh"
ensure_chromium
cd "$SODL_ROOT"
dotnet build tools/NotebookRunner -c Release -v quiet -nologo -clp:ErrorsOnly
dotnet tools/NotebookRunner/bin/Release/net10.0/NotebookRunner.dll site --out site \
  --figures docs/figures/figures.txt --readme README.md --require-full --check "$@"
du -sh site | sed 's/^/Committed site size: /'

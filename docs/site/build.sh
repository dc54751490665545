#!/usr/bin/env bash
# Builds the documentation site into docs/site/_site with warnings as errors: a broken link, a missing page or a
# bad cross-reference fails it. The API pages come from the libraries' XML docs, so the libraries are built first
# (every public member has docs: the build itself fails otherwise). Serve it with: dotnet docfx serve docs/site/_site
set -euo pipefail
cd "$(dirname "$0")/../.."
dotnet tool restore >/dev/null
dotnet build src/ConvGen.Plotting -c Release -nologo -v quiet   # and src/ConvGen, which it references
dotnet build src/ConvGen.Onnx -c Release -nologo -v quiet
dotnet build src/ConvGen.Terminal -c Release -nologo -v quiet
dotnet docfx docs/site/docfx.json --warningsAsErrors

#!/usr/bin/env bash
# Builds the solution (warnings are errors) and runs every unit test project.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build HammingIndex.sln -c Release
dotnet test HammingIndex.sln -c Release --no-build --logger "console;verbosity=normal"

#!/usr/bin/env bash
# Runs the README's embedding example (samples/HammingIndex.Samples), after checking that the README's
# first C# block is exactly the sample's code between README-BEGIN and README-END. Exits non-zero on a
# difference or on a wrong answer (the sample checks its results).
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
sample=samples/HammingIndex.Samples/Program.cs
if ! diff <(sed -n '/README-BEGIN/,/README-END/p' "$sample" | grep -v 'README-BEGIN\|README-END' | sed -E 's/^ {8}//') \
          <(awk '/^```csharp/ && !seen { inside = 1; seen = 1; next } inside && /^```$/ { exit } inside' README.md); then
  echo "sample: README.md's C# block differs from $sample (README-BEGIN..README-END)" >&2
  exit 1
fi
dotnet run -c Release --project samples/HammingIndex.Samples

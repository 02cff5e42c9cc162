#!/usr/bin/env bash
# Builds the solution (warnings are errors) and runs every unit test project three times: under the
# default settings (the widest SIMD this CPU has), with AVX-512 off (DOTNET_EnableAVX512=0: AVX2 and
# Vector256, as on most AMD Zen 2/3 and Intel client CPUs) and with hardware intrinsics off
# (DOTNET_EnableHWIntrinsic=0: scalar kernels, software vectors). Prints one line per setting, and
# ends with one plain line "tests: N passed, N failed, N skipped" summed over settings and projects.
# TEST_SIMD_SETTINGS="default" (space-separated subset of: default avx512-off intrinsics-off) runs fewer.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build HammingIndex.sln -c Release
settings=${TEST_SIMD_SETTINGS:-default avx512-off intrinsics-off}
log=$(mktemp)
all=$(mktemp)
status=0
for setting in $settings; do
  case $setting in
    default) env=() ;;
    avx512-off) env=(DOTNET_EnableAVX512=0) ;;
    intrinsics-off) env=(DOTNET_EnableHWIntrinsic=0) ;;
    *) echo "unknown TEST_SIMD_SETTINGS entry '$setting' (expected default, avx512-off, intrinsics-off)" >&2; exit 2 ;;
  esac
  echo "== tests: $setting ${env[*]:-}"
  set +e
  env "${env[@]}" dotnet test HammingIndex.sln -c Release --no-build 2>&1 | tee "$log"
  run=${PIPESTATUS[0]}
  set -e
  [ "$run" -ne 0 ] && status=$run
  # dotnet test prints one "Passed!/Failed!  - Failed: N, Passed: N, Skipped: N, Total: N" line per project.
  grep -E '(Passed|Failed)!\s+-\s+Failed:' "$log" | tee -a "$all" | awk -F'[:,]' -v s="$setting" '
    { failed += $2; passed += $4; skipped += $6 }
    END { printf "tests (%s): %d passed, %d failed, %d skipped\n", s, passed, failed, skipped }'
done
awk -F'[:,]' '
  { failed += $2; passed += $4; skipped += $6 }
  END { printf "tests: %d passed, %d failed, %d skipped\n", passed, failed, skipped }' "$all"
rm -f "$log" "$all"
exit "$status"

#!/usr/bin/env bash
# Alternating rounds of benchmarks/onednn-cure-cost.cs, one process at a time, for each convolution setting:
# oneDNN as libtorch ships it, the kit's cure (oneDNN off) and the environment-variable alternative (SSE4.1 only).
# Usage from the repository root: bash benchmarks/onednn-cure-cost.sh [rounds] [steps]
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}
steps=${2:-40}
grep -m1 'model name' /proc/cpuinfo; grep -m1 'cpu family' /proc/cpuinfo; grep -m1 -E '^model\s' /proc/cpuinfo
dotnet build -c Release benchmarks/onednn-cure-cost.cs > /dev/null
for r in $(seq "$rounds"); do
  echo "round $r (load $(cut -d' ' -f1 /proc/loadavg))"
  WORKSHOPKIT_ONEDNN=on dotnet run -c Release --no-build benchmarks/onednn-cure-cost.cs -- "$steps" | grep convolutions
  WORKSHOPKIT_ONEDNN=off dotnet run -c Release --no-build benchmarks/onednn-cure-cost.cs -- "$steps" | grep convolutions
  WORKSHOPKIT_ONEDNN=on DNNL_MAX_CPU_ISA=SSE41 dotnet run -c Release --no-build benchmarks/onednn-cure-cost.cs -- "$steps" | grep convolutions
done

#!/usr/bin/env bash
# What the GPU machine runs: unpacks .gpu/gpucheck.tar.xz (made by tools/gpu-check/pack.sh), points
# WorkshopKit at the machine's PyTorch libtorch and runs WorkshopKit.GpuCheck with output to a folder.
# Needs: Linux x64, an NVIDIA driver, python3 with a CUDA build of PyTorch. No .NET, no network.
# Usage: bash tools/gpu-check/run-on-gpu.sh [output-folder]   (default: $OUT, else ./gpucheck-results)
# Files written (at most 6): env.txt, smoke.log, run.log, results.json, results.md, pytorch.txt.
# Whole run: about 1-2 minutes on an H100; every step has a timeout, and all together stay within
# GPUCHECK_BUDGET_S (default 280 s).
set -uo pipefail
cd "$(dirname "$0")/../.."
out=${1:-${OUT:-$PWD/gpucheck-results}}
mkdir -p "$out"
archive=${GPUCHECK_ARCHIVE:-.gpu/gpucheck.tar.xz}
app=/tmp/workshopkit-gpucheck
py=${PYTHON:-python3}
budget=${GPUCHECK_BUDGET_S:-280}   # the whole script stays within this many seconds
log() { echo "run-on-gpu: $*" | tee -a "$out/env.txt"; }
# left N: a step's time limit, N seconds or what is left of the budget (at least 5).
left() { local l=$((budget - SECONDS)); ((l < 5)) && l=5; ((l < $1)) && echo "$l" || echo "$1"; }

rm -rf "$app" && mkdir -p "$app"
timeout "$(left 40)" tar -C "$app" -xJf "$archive" || { log "cannot unpack $archive (run tools/gpu-check/pack.sh first and carry .gpu)"; exit 3; }
date -u >>"$out/env.txt"
timeout "$(left 15)" nvidia-smi >>"$out/env.txt" 2>&1
# One interpreter start (importing torch takes seconds): the first line is torch's folder, the rest describes the install.
info=$(timeout "$(left 60)" "$py" -c "
import os, torch
print(os.path.dirname(torch.__file__))
print('PyTorch', torch.__version__, '| CUDA', torch.version.cuda, '| cuDNN', torch.backends.cudnn.version(),
      '| device', torch.cuda.get_device_name(0) if torch.cuda.is_available() else 'none',
      '| defaults: cudnn.allow_tf32', torch.backends.cudnn.allow_tf32, 'matmul.allow_tf32', torch.backends.cuda.matmul.allow_tf32)
" 2>>"$out/env.txt") || { log "$py cannot import torch"; exit 3; }
torchdir=$(head -n1 <<<"$info")
echo "torch folder: $torchdir" >>"$out/env.txt"
tail -n +2 <<<"$info" >>"$out/env.txt"
# NVRTC for the fused rounding kernel (sr-cuda-fused): WorkshopKit looks next to torch/lib in pip's nvidia/*/lib by
# itself; list what is there so that env.txt shows what it could find (WORKSHOPKIT_NVRTC=<path> overrides).
echo "libnvrtc candidates: $(ls "$torchdir"/../nvidia/*/lib/libnvrtc.so* 2>/dev/null | grep -v builtins | tr '\n' ' ')" >>"$out/env.txt"

# Route 1, the library's own: preload libtorch from PyTorch's folder through WORKSHOPKIT_LIBTORCH alone.
export WORKSHOPKIT_LIBTORCH="$torchdir/lib"
export GPUCHECK_NOTE="libtorch from $(tail -n +2 <<<"$info" | cut -d'|' -f1-4)"
log "smoke test with WORKSHOPKIT_LIBTORCH=$WORKSHOPKIT_LIBTORCH only"
timeout "$(left 60)" "$app/WorkshopKit.GpuCheck" /tmp/gpucheck-smoke --require-cuda --checks agree-training-step >"$out/smoke.log" 2>&1
smoke=$?
if [[ $smoke -ne 0 ]]; then
  # Route 2, the one verified earlier (platform notes): the loader also searches torch/lib and pip's nvidia/*/lib folders.
  nv=$(ls -d "$torchdir"/../nvidia/*/lib "$torchdir"/../nvidia/*/*/lib 2>/dev/null | tr '\n' ':')
  export LD_LIBRARY_PATH="$torchdir/lib:${nv}${LD_LIBRARY_PATH:-}"
  log "smoke test failed (exit $smoke, see smoke.log); full run adds LD_LIBRARY_PATH=$LD_LIBRARY_PATH"
else
  log "smoke test passed: preloading through WORKSHOPKIT_LIBTORCH is enough (no LD_LIBRARY_PATH)"
fi

timeout "$(left 330)" "$app/WorkshopKit.GpuCheck" "$out" --require-cuda 2>&1 | tee "$out/run.log"
rc=${PIPESTATUS[0]}
log "WorkshopKit.GpuCheck exit code $rc (0 = no failures, 1 = a check failed, 124 = timed out)"

# The same conv2d and copy measurements in PyTorch itself, same shapes and timing method, for a parity ratio.
timeout "$(left 60)" "$py" tools/gpu-check/pytorch_reference.py >"$out/pytorch.txt" 2>&1 || log "pytorch_reference.py failed (see pytorch.txt)"
exit $rc

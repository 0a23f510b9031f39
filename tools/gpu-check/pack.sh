#!/usr/bin/env bash
# Packs WorkshopKit.GpuCheck for a Linux x64 machine that has PyTorch but no .NET:
# a self-contained publish that references plain TorchSharp (libLibTorchSharp.so, no libtorch),
# compressed to .gpu/gpucheck.tar.xz (git-ignored). libtorch comes from the target's PyTorch at run time
# (WORKSHOPKIT_LIBTORCH, see tools/gpu-check/run-on-gpu.sh and docs/gpu.md).
# Usage: tools/gpu-check/pack.sh            (about 1-2 minutes; prints the archive's size)
set -euo pipefail
cd "$(dirname "$0")/../.."
out=.gpu                      # only the archive lives here: the device tool carries this folder
build=artifacts/gpucheck      # publish and intermediate files (git-ignored, never carried)
publish=$build/publish
limit_mib=60
rm -rf "$publish" "$out/gpucheck.tar.xz"
mkdir -p "$out"
# A separate artifacts folder keeps this restore (plain TorchSharp) from clobbering the normal build's obj/ (TorchSharp-cpu).
dotnet publish tools/WorkshopKit.GpuCheck/WorkshopKit.GpuCheck.csproj -c Release -r linux-x64 --self-contained true \
  -p:TorchSharpPackage=TorchSharp -p:LibTorchPackage=none -p:PublishReadyToRun=false -p:DebugType=none -p:GenerateDocumentationFile=false \
  --artifacts-path "$build/artifacts" -o "$publish" -nologo -v quiet
# Guard: the CPU libtorch must not travel (it would load beside PyTorch's), the TorchSharp binding must.
if ls "$publish" | grep -E '^(libtorch|libc10)' >/dev/null; then
  echo "pack: libtorch files found in the publish; TorchSharp-cpu leaked in:" >&2; ls "$publish" | grep -E '^(libtorch|libc10)' >&2; exit 1
fi
test -f "$publish/libLibTorchSharp.so" || { echo "pack: libLibTorchSharp.so missing from the publish" >&2; exit 1; }
tar -C "$publish" -cf - . | xz -T0 -6 > "$out/gpucheck.tar.xz"
bytes=$(stat -c %s "$out/gpucheck.tar.xz")
echo "pack: $(du -sh "$publish" | cut -f1) published, $out/gpucheck.tar.xz = $((bytes / 1024 / 1024)) MiB ($bytes bytes; limit ${limit_mib} MiB)"
if (( bytes > limit_mib * 1024 * 1024 )); then echo "pack: archive too large for the device tool's 64 MiB working-tree limit" >&2; exit 1; fi

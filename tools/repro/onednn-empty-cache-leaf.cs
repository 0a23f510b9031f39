#!/usr/bin/env dotnet
// Minimal reproduction for oneDNN / TorchSharp upstream (docs/upstream-report.md), with no WorkshopKit code: plain
// TorchSharp, one conv2d with 8 input and 1 output channel, its input gradient in float32 against float64.
// On an AMD CPU whose CPUID leaf 0x8000001D is announced but empty (seen: a Zen 5 Firecracker microVM), libtorch 2.10's
// oneDNN v3.7.1 returns a wrong input gradient; with oneDNN turned off for ATen (argument "off") it is right.
// Outside this repository add the version: #:package TorchSharp-cpu@0.107.0. On Debian 12 / Ubuntu 22.04 TorchSharp
// 0.107.0 needs its GLIBCXX_3.4.32 requirement marked weak first (environment.md, "The old-libstdc++ fix").
// Run from the repository root: dotnet run tools/repro/onednn-empty-cache-leaf.cs [-- off]
#:package TorchSharp-cpu
#:property PublishAot=false
#:property AllowUnsafeBlocks=true

using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;
using TorchSharp;
using static TorchSharp.torch;

var (_, b, c, d) = X86Base.CpuId(0, 0);
string vendor = string.Concat(new[] { b, d, c }.Select(r => string.Concat(Enumerable.Range(0, 4).Select(i => (char)((r >> (8 * i)) & 0xFF)))));
uint maxExtended = (uint)X86Base.CpuId(unchecked((int)0x80000000), 0).Eax;
var leaf = maxExtended >= 0x8000001D ? X86Base.CpuId(unchecked((int)0x8000001D), 0) : default;
Console.WriteLine($"{vendor}, max extended leaf 0x{maxExtended:x}, leaf 0x8000001D.0 = {leaf.Eax:x8} {leaf.Ebx:x8} {leaf.Ecx:x8} {leaf.Edx:x8}");

torch.InitializeDeviceType(DeviceType.CPU);
if (args.Contains("off")) MkldnnOff();
torch.set_num_threads(1); // the defect shows in every trial with one thread, in about half with two
var g = new Generator(1, CPU);
int wrong = 0;
for (int trial = 0; trial < 20; trial++)
{
    using var scope = NewDisposeScope();
    var x64 = randn([8, 8, 28, 28], ScalarType.Float64, generator: g);
    var w64 = randn([1, 8, 3, 3], ScalarType.Float64, generator: g);
    var gy64 = randn([8, 1, 28, 28], ScalarType.Float64, generator: g);
    var dx32 = InputGradient(x64.to(ScalarType.Float32), w64.to(ScalarType.Float32), gy64.to(ScalarType.Float32));
    var dx64 = InputGradient(x64.to(ScalarType.Float32).to(ScalarType.Float64), w64.to(ScalarType.Float32).to(ScalarType.Float64), gy64.to(ScalarType.Float32).to(ScalarType.Float64));
    double error = (dx32.to(ScalarType.Float64) - dx64).abs().max().item<double>() / dx64.abs().max().item<double>();
    if (!(error < 1e-4)) wrong++;
    if (trial < 3) Console.WriteLine($"trial {trial}: relative error of the float32 input gradient {error:0.0e0}");
}
Console.WriteLine($"{wrong} of 20 trials wrong (relative error above 1e-4){(args.Contains("off") ? " with oneDNN off" : "")}");
return wrong == 0 ? 0 : 1;

static Tensor InputGradient(Tensor x, Tensor w, Tensor gy)
{
    var xs = x.requires_grad_();
    var y = nn.functional.conv2d(xs, w, padding: [1, 1]);
    return autograd.grad([y], [xs], [gy])[0];
}

// at::globalContext().setUserEnabledMkldnn(false), PyTorch's torch.backends.mkldnn.enabled = False (no TorchSharp binding).
static unsafe void MkldnnOff()
{
    string lib = File.ReadLines("/proc/self/maps").Select(l => l[(l.IndexOf('/') is int i and >= 0 ? i : l.Length)..].Trim()).First(p => p.EndsWith("/libtorch_cpu.so"));
    var h = NativeLibrary.Load(lib);
    var context = ((delegate* unmanaged<IntPtr>)NativeLibrary.GetExport(h, "_ZN2at13globalContextEv"))();
    ((delegate* unmanaged<IntPtr, byte, void>)NativeLibrary.GetExport(h, "_ZN2at7Context20setUserEnabledMkldnnEb"))(context, 0);
}

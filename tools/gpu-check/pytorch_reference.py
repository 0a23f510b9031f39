"""PyTorch's own numbers for the measurements WorkshopKit.GpuCheck makes, run on the same machine right after it,
so that TorchSharp-versus-PyTorch can be stated as a ratio from one run. Same shapes, same timing method
(warm-up, calibrated call count filling about 0.3 s, median of three repeats, synchronize before reading the clock)."""
import time
import torch

dev = torch.device("cuda")
B, C, R, K = 64, 256, 56, 3
FLOPS = 2 * K * K * R * R * C * C * B


def seconds_per_call(fn, warmup=3, target=0.3, max_calls=1000):
    for _ in range(warmup):
        fn()
    torch.cuda.synchronize()
    t = time.perf_counter(); fn(); torch.cuda.synchronize()
    one = max(time.perf_counter() - t, 1e-6)
    n = int(min(max(target / one, 1), max_calls))
    reps = []
    for _ in range(3):
        t = time.perf_counter()
        for _ in range(n):
            fn()
        torch.cuda.synchronize()
        reps.append((time.perf_counter() - t) / n)
    return sorted(reps)[1]


print(f"torch {torch.__version__}, CUDA {torch.version.cuda}, cuDNN {torch.backends.cudnn.version()}, {torch.cuda.get_device_name(0)}")
print(f"defaults: cudnn.allow_tf32={torch.backends.cudnn.allow_tf32}, matmul.allow_tf32={torch.backends.cuda.matmul.allow_tf32}, cudnn.benchmark={torch.backends.cudnn.benchmark}")
default_tf32 = torch.backends.cudnn.allow_tf32
for name, dtype, tf32 in [("float32 default", torch.float32, None), ("float32 TF32 off", torch.float32, False),
                          ("float32 TF32 on", torch.float32, True), ("float16", torch.float16, None), ("bfloat16", torch.bfloat16, None)]:
    torch.backends.cudnn.allow_tf32 = default_tf32 if tf32 is None else tf32
    torch.manual_seed(1)
    x = torch.randn(B, C, R, R, device=dev, dtype=dtype)
    w = torch.randn(C, C, K, K, device=dev, dtype=dtype) * 0.02
    with torch.no_grad():
        s = seconds_per_call(lambda: torch.nn.functional.conv2d(x, w, padding=1))
    print(f"conv2d {name}: {s * 1e3:.3f} ms, {FLOPS / s / 1e12:.1f} TFLOP/s")
    del x, w
torch.backends.cudnn.allow_tf32 = default_tf32
n = 1 << 28
x = torch.rand(n, device=dev)
s = seconds_per_call(lambda: x.clone())
print(f"copy 2^28 float32 (clone): {s * 1e3:.3f} ms, {2 * 4 * n / s / 1e9:.1f} GB/s read+write")

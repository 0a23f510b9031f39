"""PyTorch's side of benchmarks/conv-matrix-times.cs: the same 65,536 x 65,536 convolution matrix (1x16x64x64 input,
16 outputs, k=3, SAME; 9,241,600 non-zeros), built with the same vectorized index arithmetic, and W x by PyTorch's
sparse routes, with conv2d as the baseline of the same run (medians of interleaved repeats).

Run with Debian's python3-torch and its dependencies unpacked privately with `apt-get download` + `dpkg -x` into a
folder R (never installed system-wide, never on a dotnet process's library path; see docs/benchmarks.md):
    R=<that folder>; L=$R/usr/lib/x86_64-linux-gnu
    PYTHONPATH=$R/usr/lib/python3/dist-packages LD_LIBRARY_PATH=$R/lib/x86_64-linux-gnu:$L:$L/blas:$L/lapack:$L/openblas-pthread \
        /usr/bin/python3 benchmarks/pytorch/conv_matrix.py [repeats]
"""
import statistics
import sys
import time

import torch
import torch.nn.functional as F


def axis_pairs(n_out, n_in, k, stride=1, pad=1, dilation=1):
    o = torch.arange(n_out).unsqueeze(1)
    kk = torch.arange(k).unsqueeze(0)
    i = o * stride - pad + kk * dilation
    valid = (i >= 0) & (i < n_in)
    return o.expand(i.shape)[valid], i[valid], kk.expand(i.shape)[valid]


def build(weight, c, h, w):
    cout, cpg, kh, kw = weight.shape
    ohs, ihs, khs = axis_pairs(h, h, kh)
    ows, iws, kws = axis_pairs(w, w, kw)
    row_spatial = (ohs.unsqueeze(1) * w + ows.unsqueeze(0)).reshape(-1)
    col_spatial = (ihs.unsqueeze(1) * w + iws.unsqueeze(0)).reshape(-1)
    tap = (khs.unsqueeze(1) * kw + kws.unsqueeze(0)).reshape(-1)
    co = torch.arange(cout).repeat_interleave(cpg)
    ci = torch.arange(cpg).repeat(cout)
    rows = (co * (h * w)).unsqueeze(1) + row_spatial.unsqueeze(0)
    cols = (ci * (h * w)).unsqueeze(1) + col_spatial.unsqueeze(0)
    vals = weight.reshape(cout * cpg, kh * kw).index_select(1, tap).reshape(-1)
    idx = torch.stack([rows.reshape(-1), cols.reshape(-1)])
    return torch.sparse_coo_tensor(idx, vals, (cout * h * w, c * h * w))


def main():
    repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 15
    torch.set_num_threads(2)
    torch.manual_seed(1)
    weight = torch.randn(16, 16, 3, 3)
    x = torch.randn(1, 16, 64, 64)
    xv = x.reshape(-1, 1)
    coo = build(weight, 16, 64, 64)
    coalesced = coo.coalesce()
    csr = coalesced.to_sparse_csr()
    reference = F.conv2d(x, weight, padding=1).reshape(-1, 1)
    idx = coalesced.indices()
    vals = coalesced.values()
    cases = [
        ("conv2d (baseline)", lambda: F.conv2d(x, weight, padding=1)),
        ("build W (COO, not coalesced)", lambda: build(weight, 16, 64, 64)),
        ("build W + coalesce", lambda: build(weight, 16, 64, 64).coalesce()),
        ("W x, torch.mm on the uncoalesced COO tensor", lambda: torch.mm(coo, xv)),
        ("W x, torch.mm on the coalesced COO tensor", lambda: torch.mm(coalesced, xv)),
        ("W x, torch.mm on CSR", lambda: torch.mm(csr, xv)),
        ("W x, gather + index_add", lambda: torch.zeros(coo.shape[0]).index_add_(0, idx[0], x.reshape(-1)[idx[1]] * vals)),
    ]
    for _, run in cases:
        run()
    times = [[] for _ in cases]
    for _ in range(repeats):
        for i, (_, run) in enumerate(cases):
            t = time.perf_counter()
            run()
            times[i].append((time.perf_counter() - t) * 1000)
    base = statistics.median(times[0])
    print(f"PyTorch {torch.__version__}, {torch.get_num_threads()} threads, {repeats} interleaved repeats, medians; "
          f"W: {coo.shape[0]:,} x {coo.shape[1]:,}, {coalesced._nnz():,} non-zeros")
    for (name, _), t in zip(cases, times):
        m = statistics.median(t)
        print(f"{name:<55} {m:9.2f} ms  {m / base:7.1f} x conv2d")
    for name, m in (("coalesced COO", coalesced), ("CSR", csr)):
        err = (torch.mm(m, xv) - reference).norm() / reference.norm()
        print(f"{name} vs conv2d: relative error {err:.2e}")


if __name__ == "__main__":
    main()

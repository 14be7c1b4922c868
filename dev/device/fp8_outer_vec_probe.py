"""Which cuBLASLt configurations accept fp8 e4m3 x e4m3 with outer-vector (per-row / per-column) fp32 scales on this GPU.

GemmPlan.CreateVectorScaledFp8 got CUBLAS_STATUS_INVALID_VALUE from cublasLtMatmulAlgoGetHeuristic on an H100
(2026-12-07). This probe tries the same descriptor through ctypes with one change at a time (scale pointers set before
the heuristic, fast accumulation, fp32 output, the scalar mode as a control) and runs the first that plans against a
float64 reference. It also tries the other way to scale output rows (a device vector of alphas with per-tensor fp8
scales, pointer mode ALPHA_DEVICE_VECTOR_BETA_ZERO) and shows which kernel torch._scaled_mm runs for row-wise scales.
Run on the GPU machine: python3 dev/device/fp8_outer_vec_probe.py
"""
import ctypes
import glob
import os

import torch

CUDA_R_32F, CUDA_R_16BF, CUDA_R_8F_E4M3 = 0, 14, 28
COMPUTE_32F = 68
TRANSA, TRANSB = 3, 4
A_SCALE_POINTER, B_SCALE_POINTER = 17, 18
FAST_ACCUM = 25
A_SCALE_MODE, B_SCALE_MODE = 31, 32
POINTER_MODE, ALPHA_DEVICE_VECTOR_BETA_ZERO = 2, 3
PREF_MAX_WORKSPACE = 1
OUTER_VEC_32F = 3


def load_lt():
    names = ["libcublasLt.so.13", "libcublasLt.so.12"]
    for n in names:
        try:
            return ctypes.CDLL(n), n
        except OSError:
            pass
    for pattern in ["/usr/local/cuda*/lib64/libcublasLt.so.1*", "/usr/local/cuda*/targets/*/lib/libcublasLt.so.1*"]:
        for p in sorted(glob.glob(pattern)):
            return ctypes.CDLL(p), p
    raise SystemExit("no libcublasLt")


lt, lt_name = load_lt()
lt.cublasLtGetVersion.restype = ctypes.c_size_t
print(f"loaded {lt_name}, cublasLtGetVersion {lt.cublasLtGetVersion()}")
with open("/proc/self/maps") as f:
    paths = sorted({line.split()[-1] for line in f if "cublasLt" in line})
print("mapped:", paths)
for h in glob.glob("/usr/local/cuda*/include/cublasLt.h") + glob.glob("/usr/local/cuda*/targets/*/include/cublasLt.h"):
    text = open(h).read()
    for key in ["CUBLASLT_MATMUL_DESC_A_SCALE_MODE =", "CUBLASLT_MATMUL_DESC_FAST_ACCUM =", "CUBLASLT_MATMUL_MATRIX_SCALE_OUTER_VEC_32F ="]:
        i = text.find(key)
        print(h, key, text[i:i + 60].split("\n")[0] if i >= 0 else "absent")
    break

handle = ctypes.c_void_p()
assert lt.cublasLtCreate(ctypes.byref(handle)) == 0
ws_bytes = 32 << 20
ws = torch.empty(ws_bytes, dtype=torch.uint8, device="cuda")


def set_desc(desc, attr, value, ctype):
    v = ctype(value)
    return lt.cublasLtMatmulDescSetAttribute(desc, attr, ctypes.byref(v), ctypes.sizeof(v))


def layout(dtype, rows, cols):
    lay = ctypes.c_void_p()
    assert lt.cublasLtMatrixLayoutCreate(ctypes.byref(lay), dtype, ctypes.c_uint64(rows), ctypes.c_uint64(cols), ctypes.c_int64(rows)) == 0
    return lay


class HeuristicResult(ctypes.Structure):
    _fields_ = [("algo", ctypes.c_uint64 * 8), ("workspaceSize", ctypes.c_size_t), ("state", ctypes.c_int),
                ("wavesCount", ctypes.c_float), ("reserved", ctypes.c_int * 4)]


def operands(m, n, k):
    """Seeded e4m3 weight [m, k] and activations [n, k], with row scales for each (per output row, per token)."""
    torch.manual_seed(0)
    wq = (torch.randn(m, k, device="cuda") / 4).clamp(-448, 448).to(torch.float8_e4m3fn)
    xq = (torch.randn(n, k, device="cuda") / 4).clamp(-448, 448).to(torch.float8_e4m3fn)
    return wq, xq, torch.logspace(-2, 1, m, device="cuda"), torch.logspace(1, -2, n, device="cuda")


def heuristic(desc, la, lb, ld):
    """cuBLASLt's status and its first choices for the descriptor, with the 32 MiB workspace."""
    pref = ctypes.c_void_p()
    lt.cublasLtMatmulPreferenceCreate(ctypes.byref(pref))
    wsz = ctypes.c_uint64(ws_bytes)
    lt.cublasLtMatmulPreferenceSetAttribute(pref, PREF_MAX_WORKSPACE, ctypes.byref(wsz), 8)
    results = (HeuristicResult * 4)()
    found = ctypes.c_int(0)
    status = lt.cublasLtMatmulAlgoGetHeuristic(handle, desc, la, lb, ld, ld, pref, 4, results, ctypes.byref(found))
    return status, found.value, results


def attempt(label, m, n, k, pointers_first, fast, out_dtype, vector=True, run=False):
    wq, xq, sw, sx = operands(m, n, k)
    d = torch.zeros(n, m, device="cuda", dtype=torch.bfloat16 if out_dtype == CUDA_R_16BF else torch.float32)
    ones = torch.ones(64, device="cuda")
    desc = ctypes.c_void_p()
    st = lt.cublasLtMatmulDescCreate(ctypes.byref(desc), COMPUTE_32F, CUDA_R_32F)
    steps = [st, set_desc(desc, TRANSA, 1, ctypes.c_int32), set_desc(desc, TRANSB, 0, ctypes.c_int32)]
    if vector:
        steps += [set_desc(desc, A_SCALE_MODE, OUTER_VEC_32F, ctypes.c_int32), set_desc(desc, B_SCALE_MODE, OUTER_VEC_32F, ctypes.c_int32)]
        a_ptr, b_ptr = sw.data_ptr(), sx.data_ptr()
    else:
        a_ptr, b_ptr = ones.data_ptr(), ones.data_ptr()
    if fast:
        steps.append(set_desc(desc, FAST_ACCUM, 1, ctypes.c_int8))
    if pointers_first or not vector:
        steps += [set_desc(desc, A_SCALE_POINTER, a_ptr, ctypes.c_uint64), set_desc(desc, B_SCALE_POINTER, b_ptr, ctypes.c_uint64)]
    la, lb, ld = layout(CUDA_R_8F_E4M3, k, m), layout(CUDA_R_8F_E4M3, k, n), layout(out_dtype, m, n)
    hs, found, results = heuristic(desc, la, lb, ld)
    line = f"{label:<44} m{m} n{n} k{k}: set-attr {steps} heuristic {hs} found {found}"
    if hs == 0 and found > 0 and run:
        if not pointers_first and vector:
            set_desc(desc, A_SCALE_POINTER, a_ptr, ctypes.c_uint64)
            set_desc(desc, B_SCALE_POINTER, b_ptr, ctypes.c_uint64)
        alpha, beta = ctypes.c_float(1.0), ctypes.c_float(0.0)
        ms = lt.cublasLtMatmul(handle, desc, ctypes.byref(alpha), ctypes.c_void_p(wq.data_ptr()), la, ctypes.c_void_p(xq.data_ptr()), lb,
                               ctypes.byref(beta), ctypes.c_void_p(d.data_ptr()), ld, ctypes.c_void_p(d.data_ptr()), ld,
                               ctypes.byref(results[0]), ctypes.c_void_p(ws.data_ptr()), ctypes.c_size_t(ws_bytes), ctypes.c_void_p(0))
        torch.cuda.synchronize()
        ref = (wq.double() @ xq.double().T)
        if vector:
            ref = ref * sw.double()[:, None] * sx.double()[None, :]
        got = d.double().T
        rel = ((got - ref).norm() / ref.norm()).item()
        line += f" | matmul {ms} rel err {rel:.2e}"
    print(line, flush=True)


for m, n, k in [(64, 48, 128), (2048, 300, 1024), (3072, 256, 1024)]:
    attempt("outer-vec, pointers after heuristic (ours)", m, n, k, False, False, CUDA_R_16BF, run=True)
    attempt("outer-vec, pointers before heuristic", m, n, k, True, False, CUDA_R_16BF, run=True)
    attempt("outer-vec, pointers before, fast accum", m, n, k, True, True, CUDA_R_16BF, run=True)
    attempt("outer-vec, pointers before, fp32 out", m, n, k, True, False, CUDA_R_32F, run=True)
    attempt("scalar scales (control)", m, n, k, True, False, CUDA_R_16BF, vector=False, run=True)

def attempt_alpha_vector(m, n, k):
    """The other way to scale output rows: per-tensor (scalar) fp8 scales of 1 and a device vector of alphas, one per
    output row (the weight's row scales), in pointer mode ALPHA_DEVICE_VECTOR_BETA_ZERO. A per-token activation scale
    would then have to be per tensor (or applied after)."""
    wq, xq, sw, _ = operands(m, n, k)
    d = torch.zeros(n, m, device="cuda", dtype=torch.bfloat16)
    ones = torch.ones(64, device="cuda")
    zero = torch.zeros(m, device="cuda")
    desc = ctypes.c_void_p()
    steps = [lt.cublasLtMatmulDescCreate(ctypes.byref(desc), COMPUTE_32F, CUDA_R_32F), set_desc(desc, TRANSA, 1, ctypes.c_int32),
             set_desc(desc, TRANSB, 0, ctypes.c_int32), set_desc(desc, POINTER_MODE, ALPHA_DEVICE_VECTOR_BETA_ZERO, ctypes.c_int32),
             set_desc(desc, A_SCALE_POINTER, ones.data_ptr(), ctypes.c_uint64), set_desc(desc, B_SCALE_POINTER, ones.data_ptr(), ctypes.c_uint64)]
    la, lb, ld = layout(CUDA_R_8F_E4M3, k, m), layout(CUDA_R_8F_E4M3, k, n), layout(CUDA_R_16BF, m, n)
    hs, found, results = heuristic(desc, la, lb, ld)
    line = f"{'alpha device vector, scalar scales':<44} m{m} n{n} k{k}: set-attr {steps} heuristic {hs} found {found}"
    if hs == 0 and found > 0:
        ms = lt.cublasLtMatmul(handle, desc, ctypes.c_void_p(sw.data_ptr()), ctypes.c_void_p(wq.data_ptr()), la, ctypes.c_void_p(xq.data_ptr()), lb,
                               ctypes.c_void_p(zero.data_ptr()), ctypes.c_void_p(d.data_ptr()), ld, ctypes.c_void_p(d.data_ptr()), ld,
                               ctypes.byref(results[0]), ctypes.c_void_p(ws.data_ptr()), ctypes.c_size_t(ws_bytes), ctypes.c_void_p(0))
        torch.cuda.synchronize()
        ref = (wq.double() @ xq.double().T) * sw.double()[:, None]
        rel = ((d.double().T - ref).norm() / ref.norm()).item()
        line += f" | matmul {ms} rel err {rel:.2e}"
    print(line, flush=True)


for m, n, k in [(64, 48, 128), (2048, 300, 1024)]:
    try:
        attempt_alpha_vector(m, n, k)
    except Exception as e:  # noqa: BLE001
        print("alpha device vector:", type(e).__name__, str(e)[:200])

# Which kernel torch runs for row-wise scales (cuBLASLt's names start with sm90_xmma / nvjet; CUTLASS's with cutlass).
try:
    a = torch.randn(256, 1024, device="cuda").to(torch.float8_e4m3fn)
    b = torch.randn(3072, 1024, device="cuda").to(torch.float8_e4m3fn).T
    sa = torch.rand(256, 1, device="cuda") + 0.5
    sb = torch.rand(1, 3072, device="cuda") + 0.5
    with torch.profiler.profile(activities=[torch.profiler.ProfilerActivity.CUDA]) as prof:
        torch._scaled_mm(a, b, scale_a=sa, scale_b=sb, out_dtype=torch.bfloat16)
        torch.cuda.synchronize()
    print("torch._scaled_mm row-wise kernels:", [e.name[:120] for e in prof.events() if e.device_type == torch.autograd.DeviceType.CUDA])
except Exception as e:  # noqa: BLE001
    print("torch._scaled_mm row-wise:", type(e).__name__, str(e)[:200])

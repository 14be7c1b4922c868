"""Shared pieces of the kernel lab: NVRTC compile (same options as the product), launch, timing, error metrics."""
import ctypes
import glob
import os
import pathlib
import statistics
import tempfile

import cupy as cp
import numpy as np
import torch

# On the device the lab and a copy of the .cu files travel side by side; in the repo they live under src/.
CU_DIR = pathlib.Path(__file__).resolve().parent / "Cuda"
if not CU_DIR.exists():
    CU_DIR = pathlib.Path(__file__).resolve().parent.parent.parent / "src" / "LlmBench.Kernels" / "Cuda"
DUMP_DIR = os.environ.get("LAB_DUMP_DIR")  # when set, every cubin is written there (for cuobjdump)
ARCH = os.environ.get("LAB_ARCH", "sm_90a")
ROWS = []  # the summary table
PRELUDE = ["programmatic_launch.cuh", "bf16.cuh", "fp8.cuh", "kv_cache.cuh"]  # KernelFamily.Prelude


def _load_nvrtc():
    names = ["libnvrtc.so.13", "libnvrtc.so.12", "libnvrtc.so"]
    names += glob.glob("/usr/local/cuda*/lib64/libnvrtc.so*")
    for p in __import__("sys").path:
        names += glob.glob(os.path.join(p, "nvidia", "*", "lib", "libnvrtc.so*"))
    for n in names:
        try:
            return ctypes.CDLL(n)
        except OSError:
            continue
    raise RuntimeError("libnvrtc not found")


_nvrtc = _load_nvrtc()
_nvrtc.nvrtcGetErrorString.restype = ctypes.c_char_p


def nvrtc_version():
    major, minor = ctypes.c_int(), ctypes.c_int()
    _nvrtc.nvrtcVersion(ctypes.byref(major), ctypes.byref(minor))
    return f"{major.value}.{minor.value}"


def _check(status, what, prog=None):
    if status == 0:
        return
    log = ""
    if prog is not None:
        size = ctypes.c_size_t()
        _nvrtc.nvrtcGetProgramLogSize(prog, ctypes.byref(size))
        buf = ctypes.create_string_buffer(size.value)
        _nvrtc.nvrtcGetProgramLog(prog, buf)
        log = buf.value.decode(errors="replace")
    raise RuntimeError(f"{what}: {_nvrtc.nvrtcGetErrorString(status).decode()}\n{log}")


_modules = {}


def compile_module(file, **defines):
    """NVRTC -> cubin for ARCH, loaded through CuPy. Options as the product passes them."""
    key = (file, tuple(sorted(defines.items())))
    if key in _modules:
        return _modules[key]
    # As KernelFamily does: the folder's prelude headers first, then the file with its own line numbers.
    prelude = b"".join(b'#line 1 "' + h.encode() + b'"\n' + (CU_DIR / h).read_bytes() + b"\n" for h in PRELUDE)
    src = prelude + f'#line 1 "{file}"\n'.encode() + (CU_DIR / file).read_bytes()
    opts = [f"--gpu-architecture={ARCH}", "--std=c++17"] + [f"-D{k}={v}" for k, v in sorted(defines.items())]
    prog = ctypes.c_void_p()
    _check(_nvrtc.nvrtcCreateProgram(ctypes.byref(prog), src, file.encode(), 0, None, None), "create")
    arr = (ctypes.c_char_p * len(opts))(*[o.encode() for o in opts])
    try:
        _check(_nvrtc.nvrtcCompileProgram(prog, len(opts), arr), f"compile {file} {opts}", prog)
        size = ctypes.c_size_t()
        _check(_nvrtc.nvrtcGetCUBINSize(prog, ctypes.byref(size)), "cubin size")
        cubin = ctypes.create_string_buffer(size.value)
        _check(_nvrtc.nvrtcGetCUBIN(prog, cubin), "cubin")
    finally:
        _nvrtc.nvrtcDestroyProgram(ctypes.byref(prog))
    with tempfile.NamedTemporaryFile(suffix=".cubin", delete=False) as f:
        f.write(cubin.raw)
    if DUMP_DIR:
        tag = "_".join(f"{k}{v}" for k, v in sorted(defines.items()))
        pathlib.Path(DUMP_DIR, f"{file[:-3]}_{tag}.cubin").write_bytes(cubin.raw)
    mod = cp.RawModule(path=f.name)
    _modules[key] = mod
    return mod


def kernel_info(fn):
    attrs = getattr(fn, "attributes", None) or {}
    regs = attrs.get("num_regs", getattr(fn, "num_regs", "?"))
    spill = attrs.get("local_size_bytes", getattr(fn, "local_size_bytes", "?"))
    return f"r{regs}/l{spill}"


def ptr(t):
    return np.uint64(t.data_ptr()) if t is not None else np.uint64(0)


def i32(x):
    return np.int32(x)


def f32(x):
    return np.float32(x)


def launch(fn, grid, block, *args, smem=0):
    fn(grid if isinstance(grid, tuple) else (grid,), block if isinstance(block, tuple) else (block,), args,
       shared_mem=smem)


def sync_check():
    cp.cuda.runtime.deviceSynchronize()
    torch.cuda.synchronize()


LAST_EAGER_US = None


def _eager_us(fn, warmup, reps):
    for _ in range(warmup):
        fn()
    torch.cuda.synchronize()
    times = []
    for _ in range(reps):
        a, b = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
        a.record()
        fn()
        b.record()
        b.synchronize()
        times.append(a.elapsed_time(b) * 1000.0)
    return statistics.median(times)


def _graph_us(fn, calls=20, reps=7):
    """GPU time per call from a CUDA graph of `calls` calls: no Python launch gaps between kernels."""
    stream = cp.cuda.Stream(non_blocking=True)
    with stream:
        fn()
        stream.synchronize()
        stream.begin_capture()
        for _ in range(calls):
            fn()
        graph = stream.end_capture()
    graph.launch(stream)
    stream.synchronize()
    times = []
    for _ in range(reps):
        a, b = cp.cuda.Event(), cp.cuda.Event()
        a.record(stream)
        graph.launch(stream)
        b.record(stream)
        b.synchronize()
        times.append(cp.cuda.get_elapsed_time(a, b) * 1000.0 / calls)
    return statistics.median(times)


def time_us(fn, warmup=5, reps=30, graph=True):
    """Median GPU time of fn. Eager timing (events around one Python launch) includes ~10-20 us of launch gap,
    which swamps small kernels, so the graph timing is returned when capture works; the eager one is kept in
    LAST_EAGER_US and printed beside it."""
    global LAST_EAGER_US
    LAST_EAGER_US = _eager_us(fn, warmup, reps)
    if not graph:  # torch work runs on torch's stream, outside a CuPy capture
        return LAST_EAGER_US
    try:
        return _graph_us(fn)
    except Exception as e:  # fall back to the eager number, and say so
        print("  graph timing unavailable:", repr(e)[:200])
        return LAST_EAGER_US


def rel_err(out, ref):
    out, ref = out.double(), ref.double()
    if not torch.isfinite(out).all():
        return float("nan")
    return ((out - ref).norm() / ref.norm().clamp_min(1e-30)).item()


def bf16_mismatch(out, ref):
    return int((out.view(torch.int16) != ref.view(torch.int16)).sum().item())


def poison_bf16(t):
    t.view(torch.int16).fill_(-1)  # 0xFFFF: a NaN in bf16


def randn_bf16(*shape, scale=1.0):
    return (torch.randn(*shape, device="cuda") * scale).to(torch.bfloat16)


def row(kernel, config, err, tol, time_us_=None, rate=None, info="", extra=""):
    ok = (err == err) and err <= tol
    if time_us_ is not None and LAST_EAGER_US is not None:
        extra = f"{extra} (eager {LAST_EAGER_US:.1f} us)".strip()
    ROWS.append(dict(kernel=kernel, config=config, err=err, ok=ok, time=time_us_, rate=rate, info=info, extra=extra))
    t = f"{time_us_:9.1f} us" if time_us_ is not None else ""
    print(f"  {'PASS' if ok else 'FAIL'} {kernel:22s} {config:38s} err {err:.2e} {t} {rate or ''} {info} {extra}", flush=True)

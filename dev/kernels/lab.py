"""Kernel lab: compiles every .cu of src/LlmBench.Kernels/Cuda with NVRTC (the product's compiler and options),
runs it on random data with poisoned outputs, compares with a torch reference, times it with CUDA events
(median after warm-up) and prints a table last.

    PYTHONUNBUFFERED=1 python3 dev/kernels/lab.py [name-filter ...]
"""
import sys
import traceback

import torch

import lab_attention
import lab_common
import lab_elementwise
import lab_sampling


def main():
    filters = sys.argv[1:]
    torch.manual_seed(1234)
    props = torch.cuda.get_device_properties(0)
    print(f"device {props.name}, {props.multi_processor_count} SMs; torch {torch.__version__}; "
          f"NVRTC {lab_common.nvrtc_version()}; arch {lab_common.ARCH}", flush=True)
    for check in lab_elementwise.ALL + lab_attention.ALL + lab_sampling.ALL:
        if filters and not any(f in check.__name__ for f in filters):
            continue
        print(f"== {check.__name__}", flush=True)
        try:
            check()
        except Exception:
            traceback.print_exc()
            lab_common.ROWS.append(dict(kernel=check.__name__, config="EXCEPTION", err=float("nan"), ok=False,
                                        time=None, rate=None, info="", extra=""))
        torch.cuda.empty_cache()

    print("\n| kernel | config | err | ok | time us | rate | regs/spill | notes |")
    print("|---|---|---|---|---|---|---|---|")
    for r in lab_common.ROWS:
        t = f"{r['time']:.1f}" if r["time"] is not None else ""
        print(f"| {r['kernel']} | {r['config']} | {r['err']:.2e} | {'ok' if r['ok'] else 'FAIL'} | {t} | "
              f"{r['rate'] or ''} | {r['info']} | {r['extra']} |")
    failed = sum(1 for r in lab_common.ROWS if not r["ok"])
    print(f"\n{len(lab_common.ROWS) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

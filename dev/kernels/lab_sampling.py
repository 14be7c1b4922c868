"""Lab checks for GPU sampling: Philox against a Python reference, greedy against torch.argmax, sampled
frequencies against softmax(logits / T) with the top-k / top-p masks (chi-square), batch independence."""
import math

import numpy as np
import torch

from lab_common import compile_module, i32, kernel_info, launch, ptr, row, sync_check, time_us

M32 = 0xFFFFFFFF


def philox_ref(ctr, key):
    c, k0, k1 = list(ctr), key & M32, key >> 32
    for r in range(10):
        if r:
            k0, k1 = (k0 + 0x9E3779B9) & M32, (k1 + 0xBB67AE85) & M32
        p0, p1 = 0xD2511F53 * c[0], 0xCD9E8D57 * c[2]
        c = [((p1 >> 32) ^ c[1] ^ k0) & M32, p1 & M32, ((p0 >> 32) ^ c[3] ^ k1) & M32, p0 & M32]
    return c


class Sampler:
    def __init__(self, bf16=False):
        mod = compile_module("sampling.cu", LOGITS_BF16=int(bf16))
        self.fn, self.philox = mod.get_function("sample_tokens"), mod.get_function("philox4x32")

    def __call__(self, logits, temp, top_k, top_p, seeds, steps, out):
        R, V = logits.shape
        launch(self.fn, R, 1024, ptr(logits), i32(V), ptr(temp), ptr(top_k), ptr(top_p), ptr(seeds), ptr(steps), ptr(out))


def params(R, t, k, p, seeds=None, step=0):
    dev = "cuda"
    return (torch.full((R,), t, device=dev), torch.full((R,), k, dtype=torch.int32, device=dev),
            torch.full((R,), p, device=dev),
            seeds if seeds is not None else torch.randint(0, 2**62, (R,), device=dev, dtype=torch.int64),
            torch.full((R,), step, dtype=torch.int32, device=dev))


def check_philox(sm):
    n = 64
    ctr = torch.randint(0, 2**32, (n, 4), dtype=torch.int64)
    ctr[0] = 0
    keys = torch.randint(0, 2**62, (n,), dtype=torch.int64) * 3
    keys[0] = 0
    out = torch.zeros(n, 4, dtype=torch.int32, device="cuda")
    c32 = ctr.to(torch.int32).cuda()  # wraps to the same bits
    keys_dev = keys.cuda()
    launch(sm.philox, 1, 128, ptr(c32), ptr(keys_dev), ptr(out), i32(n))
    sync_check()
    got = out.cpu().numpy().astype(np.uint32)
    bad = sum(1 for i in range(n) if list(got[i]) != philox_ref([int(x) & M32 for x in ctr[i]], int(keys[i]) & (2**64 - 1)))
    kat = [hex(x) for x in got[0]]
    row("philox4x32", "64 counters vs python", bad, 0, None, None, "", f"ctr0/key0 -> {kat}")


def check_greedy():
    for bf16 in (False, True):
        sm = Sampler(bf16)
        R, V = 64, 151936
        logits = torch.randn(R, V, device="cuda") * 4
        m = logits.max(dim=1).values
        logits[0, 100] = logits[0, 50000] = m[0] + 1  # tie: lowest index wins
        logits[1, 7] = float("nan")
        if bf16:
            logits = logits.to(torch.bfloat16)
        out = torch.full((R,), -5, dtype=torch.int32, device="cuda")
        t, k, p, seeds, steps = params(R, 0.0, 0, 1.0)
        sm(logits, t, k, p, seeds, steps, out)
        sync_check()
        ref = torch.nan_to_num(logits.float(), nan=-float("inf")).argmax(dim=1).to(torch.int32)
        row("sample_tokens greedy", f"R={R} V={V} {'bf16' if bf16 else 'fp32'}", int((out != ref).sum()), 0, None,
            None, kernel_info(sm.fn), "mismatches")


def expected_probs(l, t, k, p):
    l = l.double()
    mask = torch.ones_like(l, dtype=torch.bool)
    if 0 < k < l.numel():
        mask &= l >= torch.topk(l, k).values[-1]
    if 0 < p < 1:
        z = torch.where(mask, l / t, torch.tensor(-math.inf, dtype=torch.float64))
        pr = torch.softmax(z, 0)
        sv, _ = torch.sort(pr, descending=True)
        n = int((torch.cumsum(sv, 0) < p).sum()) + 1
        mask &= pr >= sv[n - 1]
    z = torch.where(mask, l / t, torch.tensor(-math.inf, dtype=torch.float64))
    return torch.softmax(z, 0)


def check_distribution(sm):
    V, R = 64, 1 << 15
    base = torch.randn(V, device="cuda") * 1.5
    for t, k, p in ((0.7, 0, 1.0), (1.0, 10, 1.0), (0.8, 0, 0.9), (1.3, 20, 0.8), (1.0, 5, 0.5)):
        logits = base.repeat(R, 1).contiguous()
        tt, kk, pp, _, steps = params(R, t, k, p, step=3)
        seeds = torch.arange(R, dtype=torch.int64, device="cuda") * 7919 + 11
        out = torch.full((R,), -1, dtype=torch.int32, device="cuda")
        sm(logits, tt, kk, pp, seeds, steps, out)
        sync_check()
        counts = torch.bincount(out.long().clamp_min(0), minlength=V).double().cpu()
        exp = expected_probs(base.cpu(), t, k, p) * R
        outside = int(counts[exp == 0].sum())
        live = exp > 0
        chi2 = float(((counts[live] - exp[live]) ** 2 / exp[live]).sum())
        df = int(live.sum()) - 1
        z = (chi2 - df) / math.sqrt(2 * max(df, 1))
        err = outside + (0 if z < 5 else 1)
        row("sample_tokens dist", f"V={V} T={t} k={k} p={p} n={R}", err, 0, None, None, "",
            f"chi2/df {chi2:.1f}/{df} (z {z:+.1f}), {outside} outside mask")


def check_batch_independence(sm):
    V = 151936
    logits = torch.randn(16, V, device="cuda") * 3
    t, k, p, seeds, steps = params(16, 0.9, 40, 0.95)
    out1 = torch.empty(16, dtype=torch.int32, device="cuda")
    sm(logits, t, k, p, seeds, steps, out1)
    perm = torch.randperm(16, device="cuda")
    extra = torch.randn(5, V, device="cuda")
    big = torch.cat((logits[perm], extra)).contiguous()
    t2, k2, p2, s2, st2 = params(21, 0.9, 40, 0.95)
    s2[:16] = seeds[perm]
    out2 = torch.empty(21, dtype=torch.int32, device="cuda")
    sm(big, t2, k2, p2, s2, st2, out2)
    sync_check()
    row("sample_tokens batch-indep", "16 rows permuted + 5 others", int((out2[:16] != out1[perm]).sum()), 0, None,
        None, "", "mismatches")


def time_sampling(R=256):
    sm = Sampler(False)
    V = 151936
    logits = torch.randn(R, V, device="cuda") * 3
    out = torch.empty(R, dtype=torch.int32, device="cuda")
    for name, (t, k, p, passes) in {"greedy": (0.0, 0, 1.0, 1), "temperature": (0.6, 0, 1.0, 1),
                                     "top-k 50": (0.6, 50, 1.0, 4), "top-p 0.9": (0.6, 0, 0.9, 5),
                                     "top-k 50 + top-p 0.9": (0.6, 50, 0.9, 8)}.items():
        args = params(R, t, k, p)
        us = time_us(lambda: sm(logits, *args, out), warmup=3, reps=20)
        row("sample_tokens", f"timing R={R} V={V} {name}", 0, 1, us,
            f"{passes * R * V * 4 / us / 1e3:6.0f} GB/s over {passes} pass(es)")


def check_sampling():
    sm = Sampler(False)
    check_philox(sm)
    check_greedy()
    check_distribution(sm)
    check_batch_independence(sm)
    time_sampling()
    time_sampling(R=1)


ALL = [check_sampling]

"""Lab checks for the memory-bound per-token kernels: embedding, rmsnorm, silu_mul, qk_norm_rope, util."""
import torch
import torch.nn.functional as F

from lab_common import (bf16_mismatch, compile_module, f32, i32, kernel_info, launch, poison_bf16, ptr, randn_bf16,
                        rel_err, row, sync_check, time_us)


def gbps(nbytes, us):
    return f"{nbytes / us / 1e3:7.0f} GB/s"


def check_embedding():
    vocab, hidden, T = 151936, 1024, 4096
    fn = compile_module("embedding.cu", HIDDEN=hidden).get_function("embedding_gather")
    table = randn_bf16(vocab, hidden)
    ids = torch.randint(0, vocab, (T,), device="cuda", dtype=torch.int32)
    ids[5] = vocab + 3  # out of range: must give a zero row, not a fault
    out = torch.empty(T, hidden, device="cuda", dtype=torch.bfloat16)
    poison_bf16(out)
    run = lambda: launch(fn, T, 128, ptr(ids), ptr(table), ptr(out), i32(vocab))
    run()
    sync_check()
    ref = table[ids.clamp(0, vocab - 1).long()]
    ref[5] = 0
    us = time_us(run)
    row("embedding_gather", f"T={T} H={hidden}", bf16_mismatch(out, ref), 0, us, gbps(2 * T * hidden * 2, us),
        kernel_info(fn), "mismatches")


def hf_rmsnorm(h, w, eps):
    var = h.float().pow(2).mean(-1, keepdim=True)
    return w * (h.float() * torch.rsqrt(var + eps)).to(torch.bfloat16)


def check_rmsnorm():
    eps = 1e-6
    for hidden, T in ((1024, 4096), (896, 333)):
        mod = compile_module("rmsnorm.cu", HIDDEN=hidden)
        fused, rows_fn = mod.get_function("rmsnorm_fused_add"), mod.get_function("rmsnorm_rows")
        x, res0 = randn_bf16(T, hidden), randn_bf16(T, hidden, scale=3.0)
        w = (1 + 0.2 * torch.randn(hidden, device="cuda")).to(torch.bfloat16)
        res, out = res0.clone(), torch.empty_like(x)
        poison_bf16(out)
        launch(fused, T, 128, ptr(res), ptr(x), ptr(w), ptr(out), f32(eps))
        sync_check()
        h_ref = res0 + x
        ref_hf = hf_rmsnorm(h_ref, w, eps)
        ref32 = w.float() * h_ref.float() * torch.rsqrt(h_ref.float().pow(2).mean(-1, keepdim=True) + eps)
        res_bad = bf16_mismatch(res, h_ref)
        row("rmsnorm_fused_add", f"T={T} H={hidden}", rel_err(out, ref32), 1e-2, None, None, kernel_info(fused),
            f"vsHF {bf16_mismatch(out, ref_hf)} mism, resid {res_bad} mism")
        # plain norm (x = null): residual untouched
        res2, out2 = res0.clone(), torch.empty_like(x)
        poison_bf16(out2)
        launch(fused, T, 128, ptr(res2), ptr(None), ptr(w), ptr(out2), f32(eps))
        sync_check()
        ref32_plain = w.float() * res0.float() * torch.rsqrt(res0.float().pow(2).mean(-1, keepdim=True) + eps)
        row("rmsnorm (x=null)", f"T={T} H={hidden}", rel_err(out2, ref32_plain), 1e-2, None, None, "",
            f"vsHF {bf16_mismatch(out2, hf_rmsnorm(res0, w, eps))} mism, resid changed {bf16_mismatch(res2, res0)}")
        # gathered rows, fused with the add
        sel = torch.randperm(T, device="cuda")[:37].to(torch.int32)
        out3 = torch.empty(37, hidden, device="cuda", dtype=torch.bfloat16)
        poison_bf16(out3)
        launch(rows_fn, 37, 128, ptr(res0), ptr(x), ptr(sel), ptr(w), ptr(out3), f32(eps))
        sync_check()
        row("rmsnorm_rows", f"R=37 of T={T} H={hidden}", rel_err(out3, ref32[sel.long()]), 1e-2, None, None, "",
            f"vsHF {bf16_mismatch(out3, ref_hf[sel.long()])} mism")
        if hidden == 1024:
            us = time_us(lambda: launch(fused, T, 128, ptr(res), ptr(x), ptr(w), ptr(out), f32(eps)))
            row("rmsnorm_fused_add", f"timing T={T} H={hidden}", 0, 1, us, gbps(4 * T * hidden * 2, us))


def check_silu_mul():
    inter, T = 3072, 4096
    fn = compile_module("silu_mul.cu", INTER=inter).get_function("silu_mul")
    gu = randn_bf16(T, 2 * inter, scale=2.0)
    out = torch.empty(T, inter, device="cuda", dtype=torch.bfloat16)
    poison_bf16(out)
    n = T * inter // 8
    run = lambda: launch(fn, (n + 255) // 256, 256, ptr(gu), ptr(out), i32(T))
    run()
    sync_check()
    g, u = gu[:, :inter], gu[:, inter:]
    ref_hf = F.silu(g) * u
    ref32 = F.silu(g.float()) * u.float()
    us = time_us(run)
    row("silu_mul", f"T={T} I={inter}", rel_err(out, ref32), 1e-2, us, gbps(3 * T * inter * 2, us), kernel_info(fn),
        f"vsHF {bf16_mismatch(out, ref_hf)} mism")


def rotate_half(x):
    d = x.shape[-1] // 2
    return torch.cat((-x[..., d:], x[..., :d]), dim=-1)


def check_rope_config(name, D, NQ, NKV, qk_norm, bias, T=1500, BS=16, theta=1e6, timing=False):
    eps = 1e-6
    fn = compile_module("qk_norm_rope.cu", HEAD_DIM=D, NUM_Q_HEADS=NQ, NUM_KV_HEADS=NKV, BLOCK_SIZE=BS,
                        QK_NORM=int(qk_norm), QKV_BIAS=int(bias)).get_function("qk_norm_rope_store")
    NH = NQ + 2 * NKV
    qkv0 = randn_bf16(T, NH * D, scale=2.0)
    positions = torch.randint(0, 40000, (T,), device="cuda", dtype=torch.int32)
    num_blocks = (T + BS - 1) // BS + 8
    slots = torch.randperm(num_blocks * BS, device="cuda")[:T].to(torch.int32)
    slots[::7] = -1
    inv_freq = (1.0 / (theta ** (torch.arange(0, D, 2, dtype=torch.int64).float() / D))).cuda()  # HF, fp32 on CPU
    qn = (1 + 0.3 * torch.randn(D, device="cuda")).to(torch.bfloat16)
    kn = (1 + 0.3 * torch.randn(D, device="cuda")).to(torch.bfloat16)
    b = randn_bf16(NH * D, scale=0.5)
    kc = torch.empty(num_blocks, NKV, BS, D, device="cuda", dtype=torch.bfloat16)
    vc = torch.empty_like(kc)
    poison_bf16(kc)
    poison_bf16(vc)
    qkv = qkv0.clone()
    args = lambda q: (ptr(q), ptr(positions), ptr(slots), ptr(inv_freq), ptr(qn if qk_norm else None),
                      ptr(kn if qk_norm else None), ptr(b if bias else None), ptr(kc), ptr(vc), f32(eps))
    launch(fn, T, 256, *args(qkv))
    sync_check()

    # Hugging Face's sequence of bf16 operations
    x = qkv0 + b if bias else qkv0.clone()
    x = x.view(T, NH, D)
    q, k, v = x[:, :NQ], x[:, NQ:NQ + NKV], x[:, NQ + NKV:]
    if qk_norm:
        q, k = hf_rmsnorm(q, qn, eps), hf_rmsnorm(k, kn, eps)
    freqs = positions.float()[:, None] * inv_freq[None, :]
    emb = torch.cat((freqs, freqs), dim=-1)
    cos, sin = emb.cos().to(torch.bfloat16)[:, None, :], emb.sin().to(torch.bfloat16)[:, None, :]
    q = q * cos + rotate_half(q) * sin
    k = k * cos + rotate_half(k) * sin
    ref = torch.cat((q, k, v), dim=1).reshape(T, NH * D)
    got = qkv.view(T, NH, D)
    # fp32 reference of the same math for the relative error
    x32 = (qkv0.float() + b.float()) if bias else qkv0.float()
    x32 = x32.view(T, NH, D)
    q32, k32 = x32[:, :NQ], x32[:, NQ:NQ + NKV]
    if qk_norm:
        q32 = qn.float() * q32 * torch.rsqrt(q32.pow(2).mean(-1, keepdim=True) + eps)
        k32 = kn.float() * k32 * torch.rsqrt(k32.pow(2).mean(-1, keepdim=True) + eps)
    c32, s32 = emb.cos()[:, None, :], emb.sin()[:, None, :]
    q32 = q32 * c32 + rotate_half(q32) * s32
    k32 = k32 * c32 + rotate_half(k32) * s32
    err = rel_err(got[:, :NQ + NKV], torch.cat((q32, k32), dim=1))
    mism = bf16_mismatch(qkv, ref)
    # cache: valid slots hold k / v, every other slot still holds the poison
    valid = slots >= 0
    sl = slots[valid].long()
    kflat, vflat = kc.permute(0, 2, 1, 3).reshape(-1, NKV, D), vc.permute(0, 2, 1, 3).reshape(-1, NKV, D)
    cache_bad = bf16_mismatch(kflat[sl], k[valid]) + bf16_mismatch(vflat[sl], v[valid])
    untouched = torch.ones(kflat.shape[0], dtype=torch.bool, device="cuda")
    untouched[sl] = False
    stray = int((kflat[untouched].view(torch.int16) != -1).sum() + (vflat[untouched].view(torch.int16) != -1).sum())
    us, rate = None, None
    if timing:
        us = time_us(lambda: launch(fn, T, 256, *args(qkv)))
        rate = gbps(T * NH * D * 2 * 2 + T * 2 * NKV * D * 2, us)
    row("qk_norm_rope_store", f"{name} T={T}", err, 1e-2, us, rate, kernel_info(fn),
        f"vsHF {mism} mism, cache {cache_bad} bad {stray} stray")


def check_rope():
    check_rope_config("qwen3 D128 16/8", 128, 16, 8, True, False, T=4096, timing=True)
    check_rope_config("qwen2 D64 14/2 bias", 64, 14, 2, False, True)
    check_rope_config("tiny D32 4/2 norm+bias", 32, 4, 2, True, True)
    check_rope_config("llama D64 8/8", 64, 8, 8, False, False, theta=500000.0)


def check_util():
    width, T, R = 1024, 500, 77
    mod = compile_module("util.cu", WIDTH=width)
    src = randn_bf16(T, width)
    rows = torch.randint(0, T, (R,), device="cuda", dtype=torch.int32)
    dst = torch.empty(R, width, device="cuda", dtype=torch.bfloat16)
    poison_bf16(dst)
    launch(mod.get_function("gather_rows"), R, 128, ptr(src), ptr(rows), ptr(dst))
    sampled = torch.randint(0, 150000, (R,), device="cuda", dtype=torch.int32)
    n = 300
    src_row = torch.randint(-1, R, (n,), device="cuda", dtype=torch.int32)
    ids0 = torch.randint(0, 150000, (n,), device="cuda", dtype=torch.int32)
    ids = ids0.clone()
    launch(mod.get_function("advance_tokens"), (n + 127) // 128, 128, ptr(sampled), ptr(src_row), ptr(ids), i32(n))
    sync_check()
    ref_ids = torch.where(src_row >= 0, sampled[src_row.clamp_min(0).long()], ids0)
    row("gather_rows", f"R={R} W={width}", bf16_mismatch(dst, src[rows.long()]), 0, None, None, "", "mismatches")
    row("advance_tokens", f"n={n}", int((ids != ref_ids).sum()), 0, None, None, "", "mismatches")


ALL = [check_embedding, check_rmsnorm, check_silu_mul, check_rope, check_util]

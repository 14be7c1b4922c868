"""Lab checks for paged decode attention (flash-decoding) and paged causal prefill attention (mma.sync)."""
import math

import torch

from lab_common import (compile_module, f32, i32, kernel_info, launch, poison_bf16, ptr, randn_bf16, rel_err, row,
                        sync_check, time_us)

QWEN3 = dict(D=128, NQ=16, NKV=8)


def make_cache(ctx_lens, NKV, D, BS, spare=5):
    """Random K/V in randomly placed blocks; slots past each context hold NaN (the kernels must ignore them)."""
    nblocks = [(c + BS - 1) // BS for c in ctx_lens]
    total = sum(nblocks) + spare
    perm = torch.randperm(total, device="cuda").to(torch.int32)
    maxb = max(nblocks)
    tables = torch.zeros(len(ctx_lens), maxb, dtype=torch.int32, device="cuda")
    at = 0
    for s, nb in enumerate(nblocks):
        tables[s, :nb] = perm[at:at + nb]
        at += nb
    kc, vc = randn_bf16(total, NKV, BS, D), randn_bf16(total, NKV, BS, D)
    for s, c in enumerate(ctx_lens):
        if c % BS:
            last = int(tables[s, nblocks[s] - 1])
            poison_bf16(kc[last, :, c % BS:])
            poison_bf16(vc[last, :, c % BS:])
    return kc, vc, tables


def gather_kv(cache, table_row, ctx):
    blocks = table_row[:(ctx + cache.shape[2] - 1) // cache.shape[2]].long()
    return cache[blocks].permute(0, 2, 1, 3).reshape(-1, cache.shape[1], cache.shape[3])[:ctx].float()


def attention_ref(q, k, v, scale, positions):
    """q [L, NQ, D], k/v [ctx, NKV, D] fp32; query i sees keys 0..positions[i]."""
    g = q.shape[1] // k.shape[1]
    k, v = k.repeat_interleave(g, dim=1), v.repeat_interleave(g, dim=1)
    s = torch.einsum("lhd,thd->hlt", q, k) * scale
    keys = torch.arange(k.shape[0], device=q.device)
    s = s.masked_fill(keys[None, None, :] > positions[None, :, None], float("-inf"))
    return torch.einsum("hlt,thd->lhd", torch.softmax(s, dim=-1), v)


def choose_splits(S, NKV, sms=132, ctas_per_sm=4):
    """Z for decode_attention: about two waves of CTAs, at most 64 partitions per sequence."""
    return min(64, max(1, -(-2 * sms * ctas_per_sm // (S * NKV))))


class Decode:
    def __init__(self, D, NQ, NKV, BS=16, warps=4):
        self.D, self.NQ, self.NKV, self.warps = D, NQ, NKV, warps
        mod = compile_module("decode_attention.cu", HEAD_DIM=D, NUM_Q_HEADS=NQ, NUM_KV_HEADS=NKV, BLOCK_SIZE=BS,
                             DEC_WARPS=warps)
        self.main, self.merge = mod.get_function("decode_attention"), mod.get_function("decode_attention_merge")

    def setup(self, qkv, kc, vc, seq_start, ctx_lens, tables, out, z=None):
        S = ctx_lens.shape[0]
        self.z = z or choose_splits(S, self.NKV)
        self.part_acc = torch.empty(S, self.NQ, self.z, self.D, device="cuda")
        self.part_ml = torch.empty(S, self.NQ, self.z, 2, device="cuda")
        self.part_acc.fill_(float("nan"))
        self.args = (ptr(qkv), ptr(kc), ptr(vc), ptr(seq_start), ptr(ctx_lens), ptr(tables), i32(tables.shape[1]),
                     ptr(out), ptr(self.part_acc), ptr(self.part_ml), f32(1 / math.sqrt(self.D)))
        self.margs = (ptr(seq_start), ptr(ctx_lens), ptr(self.part_acc), ptr(self.part_ml), ptr(out), i32(self.z))
        self.S = S

    def run_main(self):
        launch(self.main, (self.S, self.NKV, self.z), 32 * self.warps, *self.args)

    def run(self):
        self.run_main()
        if self.z > 1:
            launch(self.merge, (self.S, self.NQ), 128, *self.margs)


def check_decode_config(name, D, NQ, NKV, ctx_list, z=None):
    BS = 16
    dec = Decode(D, NQ, NKV, BS)
    S = len(ctx_list)
    ctx_lens = torch.tensor(ctx_list, dtype=torch.int32, device="cuda")
    kc, vc, tables = make_cache(ctx_list, NKV, D, BS)
    stride = NQ + 2 * NKV
    qkv = randn_bf16(3 * S, stride * D)
    seq_start = torch.arange(0, 3 * S + 1, 3, dtype=torch.int32, device="cuda")  # the query of s is row 3s
    out = torch.empty(3 * S, NQ * D, device="cuda", dtype=torch.bfloat16)
    poison_bf16(out)
    dec.setup(qkv, kc, vc, seq_start, ctx_lens, tables, out, z)
    dec.run()
    sync_check()
    got_all, ref_all = [], []
    for s, c in enumerate(ctx_list):
        q = qkv[3 * s, :NQ * D].float().view(1, NQ, D)
        ref = attention_ref(q, gather_kv(kc, tables[s], c), gather_kv(vc, tables[s], c), 1 / math.sqrt(D),
                            torch.tensor([c - 1], device="cuda"))
        got_all.append(out[3 * s].float().view(1, NQ, D))
        ref_all.append(ref)
    err = rel_err(torch.cat(got_all), torch.cat(ref_all))
    row("decode_attention", f"{name} S={S} z={dec.z}", err, 1e-2, None, None, kernel_info(dec.main))


def time_decode(S, ctx, warps=4, z=None):
    D, NQ, NKV, BS = QWEN3["D"], QWEN3["NQ"], QWEN3["NKV"], 16
    dec = Decode(D, NQ, NKV, BS, warps)
    ctx_list = [ctx] * S
    ctx_lens = torch.tensor(ctx_list, dtype=torch.int32, device="cuda")
    kc, vc, tables = make_cache(ctx_list, NKV, D, BS, spare=0)
    qkv = randn_bf16(S, (NQ + 2 * NKV) * D)
    seq_start = torch.arange(0, S + 1, dtype=torch.int32, device="cuda")
    out = torch.empty(S, NQ * D, device="cuda", dtype=torch.bfloat16)
    dec.setup(qkv, kc, vc, seq_start, ctx_lens, tables, out, z)
    us_main = time_us(dec.run_main, warmup=5, reps=50)
    us = time_us(dec.run, warmup=5, reps=50)
    kv_bytes = S * ctx * NKV * D * 2 * 2
    bw = kv_bytes / us / 1e3
    row("decode_attention", f"timing S={S} ctx={ctx} z={dec.z} w={warps}", 0, 1, us,
        f"{bw:7.0f} GB/s ({bw / 3000:.0%} of 3 TB/s)", "", f"main alone {us_main:.1f} us")
    del kc, vc


def check_decode():
    ctx_mix = [1, 15, 16, 17, 511, 512, 513, 1024, 1500, 3001, 77, 2048]
    check_decode_config("qwen3 D128 16/8", 128, 16, 8, ctx_mix)
    check_decode_config("qwen3 D128 16/8", 128, 16, 8, ctx_mix, z=1)
    check_decode_config("qwen3 D128 16/8", 128, 16, 8, ctx_mix, z=3)
    check_decode_config("D64 14/2 (gqa7)", 64, 14, 2, ctx_mix)
    check_decode_config("D32 8/1 (gqa8)", 32, 8, 1, ctx_mix, z=5)
    check_decode_config("D128 8/8 (gqa1)", 128, 8, 8, ctx_mix, z=64)
    check_decode_config("D64 32/8 (gqa4)", 64, 32, 8, ctx_mix)
    time_decode(1, 32768)
    time_decode(64, 1024)
    time_decode(256, 512)
    time_decode(256, 1024)
    time_decode(1, 32768, warps=8)
    time_decode(1, 256)
    time_decode(1, 1024)
    time_decode(16, 1024)


class Prefill:
    def __init__(self, D, NQ, NKV, BS=16, **extra):
        self.D, self.NQ, self.NKV = D, NQ, NKV
        self.fn = compile_module("prefill_attention.cu", HEAD_DIM=D, NUM_Q_HEADS=NQ, NUM_KV_HEADS=NKV,
                                 BLOCK_SIZE=BS, **extra).get_function("prefill_attention")
        self.smem = 4 * 64 * D * 2 if extra.get("PF_STAGES", 2) == 2 else 0
        if self.smem:
            self.fn.max_dynamic_shared_size_bytes = self.smem

    def setup(self, qkv, kc, vc, q_lens, ctx_lens, tables, out):
        seq_start = torch.zeros(len(q_lens) + 1, dtype=torch.int32)
        seq_start[1:] = torch.cumsum(torch.tensor(q_lens), 0)
        tiles = torch.zeros(len(q_lens) + 1, dtype=torch.int32)
        tiles[1:] = torch.cumsum(torch.tensor([(n + 63) // 64 for n in q_lens]), 0)
        self.seq_start, self.tiles = seq_start.cuda(), tiles.cuda()
        self.ntiles = int(tiles[-1])
        self.args = (ptr(qkv), ptr(kc), ptr(vc), ptr(self.seq_start), ptr(ctx_lens), ptr(tables), i32(tables.shape[1]),
                     ptr(self.tiles), i32(len(q_lens)), ptr(out), f32(1 / math.sqrt(self.D)))

    def run(self):
        launch(self.fn, (self.NQ, self.ntiles), 128, *self.args, smem=self.smem)


def check_prefill_config(name, D, NQ, NKV, pairs, **extra):
    """pairs: (query chunk length, context length after the step)."""
    BS = 16
    pf = Prefill(D, NQ, NKV, BS, **extra)
    q_lens, ctx_list = [p[0] for p in pairs], [p[1] for p in pairs]
    T = sum(q_lens)
    kc, vc, tables = make_cache(ctx_list, NKV, D, BS)
    ctx_lens = torch.tensor(ctx_list, dtype=torch.int32, device="cuda")
    qkv = randn_bf16(T, (NQ + 2 * NKV) * D)
    out = torch.empty(T, NQ * D, device="cuda", dtype=torch.bfloat16)
    poison_bf16(out)
    pf.setup(qkv, kc, vc, q_lens, ctx_lens, tables, out)
    pf.run()
    sync_check()
    got, ref = [], []
    at = 0
    for s, (L, c) in enumerate(pairs):
        q = qkv[at:at + L, :NQ * D].float().view(L, NQ, D)
        pos = torch.arange(c - L, c, device="cuda")
        ref.append(attention_ref(q, gather_kv(kc, tables[s], c), gather_kv(vc, tables[s], c), 1 / math.sqrt(D), pos))
        got.append(out[at:at + L].float().view(L, NQ, D))
        at += L
    row("prefill_attention", f"{name} T={T} {extra or ''}", rel_err(torch.cat(got), torch.cat(ref)), 2e-2, None, None,
        kernel_info(pf.fn))


def time_prefill(S=256, L=512, yardstick=True, **extra):
    D, NQ, NKV, BS = QWEN3["D"], QWEN3["NQ"], QWEN3["NKV"], 16
    pf = Prefill(D, NQ, NKV, BS, **extra)
    kc, vc, tables = make_cache([L] * S, NKV, D, BS, spare=0)
    ctx_lens = torch.full((S,), L, dtype=torch.int32, device="cuda")
    qkv = randn_bf16(S * L, (NQ + 2 * NKV) * D)
    out = torch.empty(S * L, NQ * D, device="cuda", dtype=torch.bfloat16)
    pf.setup(qkv, kc, vc, [L] * S, ctx_lens, tables, out)
    us = time_us(pf.run, warmup=3, reps=20)
    flops = 4 * D * NQ * S * L * (L + 1) / 2
    row("prefill_attention", f"timing S={S} L={L} {extra}", 0, 1, us, f"{flops / us / 1e6:6.0f} TFLOP/s",
        kernel_info(pf.fn))
    if not yardstick:
        return
    # torch's flash attention on contiguous tensors, same shapes, as a yardstick
    try:
        from torch.nn.attention import SDPBackend, sdpa_kernel
        q = randn_bf16(S, NQ, L, D)
        k = randn_bf16(S, NKV, L, D).repeat_interleave(NQ // NKV, dim=1)
        v = randn_bf16(S, NKV, L, D).repeat_interleave(NQ // NKV, dim=1)
        with sdpa_kernel(SDPBackend.FLASH_ATTENTION):
            f = lambda: torch.nn.functional.scaled_dot_product_attention(q, k, v, is_causal=True)
            us_t = time_us(f, warmup=3, reps=20, graph=False)
        row("torch sdpa flash (ref)", f"timing S={S} L={L} contiguous", 0, 1, us_t, f"{flops / us_t / 1e6:6.0f} TFLOP/s")
    except Exception as e:  # the yardstick is optional
        print("  torch sdpa yardstick failed:", e)


def check_prefill():
    pairs = [(1, 1), (64, 64), (65, 65), (100, 300), (7, 2000), (130, 130), (200, 1000), (1, 50), (64, 1000), (333, 333)]
    check_prefill_config("qwen3 D128 16/8", 128, 16, 8, pairs)
    check_prefill_config("D64 14/2 (gqa7)", 64, 14, 2, pairs)
    check_prefill_config("D32 8/1 (gqa8)", 32, 8, 1, pairs)
    check_prefill_config("D128 8/8 (gqa1)", 128, 8, 8, pairs[:6])
    check_prefill_config("qwen3 D128 16/8", 128, 16, 8, pairs, PF_STAGES=1)
    check_prefill_config("D64 14/2 (gqa7)", 64, 14, 2, pairs, PF_STAGES=1)
    time_prefill()
    time_prefill(yardstick=False, PF_STAGES=1)
    time_prefill(S=16, L=2048)


ALL = [check_decode, check_prefill]

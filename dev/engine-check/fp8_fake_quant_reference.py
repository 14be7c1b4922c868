"""What fp8 weights cost in accuracy on a model, independent of our engine: transformers in bf16 with every decoder
linear weight rounded through a number format and scale granularity (fake quantization), last-position logits
against unquantized bf16 for the prompts of the model's reference_logits.json (make_qwen3_0_6b_random.py writes both).

EngineCheck fp8 measures our --quantization fp8 (e4m3, one scale per output row) against our bf16 path. If the
per-row e4m3 row here lands on the same cosines, the engine adds no error of its own and the figure is the format's;
the other rows show whether finer scales (128 x 128 blocks as in Qwen3's FP8 releases, groups of 32) or more
mantissa bits (int8 per row) would change it.
Run on the GPU machine: python3 fp8_fake_quant_reference.py /tmp/q3
"""
import json
import os
import sys

import torch
from transformers import AutoModelForCausalLM

E4M3_MAX, E5M2_MAX = 448.0, 57344.0


def per_row(w, fmt, top):
    scale = w.abs().amax(dim=1, keepdim=True).float().clamp(min=1e-12) / top
    return roundtrip(w.float() / scale, fmt, top) * scale


def per_tensor(w, fmt, top):
    scale = w.abs().amax().float().clamp(min=1e-12) / top
    return roundtrip(w.float() / scale, fmt, top) * scale


def blocks(w, fmt, top, rows, cols):
    o, i = w.shape
    x = w.float().reshape(o // rows, rows, i // cols, cols)
    scale = x.abs().amax(dim=(1, 3), keepdim=True).clamp(min=1e-12) / top
    return (roundtrip(x / scale, fmt, top) * scale).reshape(o, i)


def roundtrip(x, fmt, top):
    x = x.clamp(-top, top)
    if fmt == "int8":
        return torch.round(x)
    return x.to(fmt).float()


SCHEMES = {
    "e4m3, one scale per row (ours)": lambda w: per_row(w, torch.float8_e4m3fn, E4M3_MAX),
    "e4m3, one scale per tensor": lambda w: per_tensor(w, torch.float8_e4m3fn, E4M3_MAX),
    "e4m3, 128x128 blocks": lambda w: blocks(w, torch.float8_e4m3fn, E4M3_MAX, 128, 128),
    "e4m3, 1x32 groups": lambda w: blocks(w, torch.float8_e4m3fn, E4M3_MAX, 1, 32),
    "e5m2, one scale per row": lambda w: per_row(w, torch.float8_e5m2, E5M2_MAX),
    "int8, one scale per row": lambda w: per_row(w, "int8", 127.0),
}


def last_logits(model, prompts):
    with torch.no_grad():
        return [model(torch.tensor([p], device="cuda")).logits[0, -1].float() for p in prompts]


def main():
    directory = sys.argv[1] if len(sys.argv) > 1 else "/tmp/q3"
    cases = json.load(open(os.path.join(directory, "reference_logits.json")))["cases"]
    prompts = [c["prompt_ids"] for c in cases]
    model = AutoModelForCausalLM.from_pretrained(directory, dtype=torch.bfloat16).cuda().eval()
    linears = {n: m for n, m in model.named_modules() if isinstance(m, torch.nn.Linear) and ".layers." in n}
    original = {n: m.weight.detach().clone() for n, m in linears.items()}
    base = last_logits(model, prompts)
    print(f"{len(linears)} decoder linear layers quantized; LM head and embeddings stay bf16")
    print(f"{'scheme':34} " + " ".join(f"{len(p):>6} tok" for p in prompts) + "   (cosine vs bf16, * = top-1 differs)")
    for name, quantize in SCHEMES.items():
        with torch.no_grad():
            for n, m in linears.items():
                m.weight.copy_(quantize(original[n]).to(torch.bfloat16))
        got = last_logits(model, prompts)
        cells = []
        for g, b in zip(got, base):
            cosine = torch.nn.functional.cosine_similarity(g, b, dim=0).item()
            cells.append(f"{cosine:.6f}{'*' if g.argmax() != b.argmax() else ' '}")
        print(f"{name:34} " + "  ".join(cells), flush=True)
    with torch.no_grad():
        for n, m in linears.items():
            m.weight.copy_(original[n])


if __name__ == "__main__":
    main()

# Turns a bf16 Hugging Face Qwen3 directory (make_qwen3_0_6b_random.py's /tmp/q3) into a block-scaled fp8 checkpoint in
# the layout of Qwen's FP8 releases (Qwen3-0.6B-FP8): each decoder layer's q/k/v/o/gate/up/down weight stored as
# F8_E4M3 with "<name>_scale_inv" (float32, [ceil(out/128), ceil(in/128)]), w = fp8 * scale_inv per 128x128 block;
# embeddings, norms (and lm_head, tied here) stay bf16; config.json gains quantization_config.
# Scales are the usual ones: block amax / 448 (1 for an all-zero block); codes rounded to nearest even by torch.
# It also writes reference_logits.json for the new directory: transformers (bf16) on the fp8 weights dequantized to bf16,
# for the prompts of the source's reference_logits.json (kept beside it as reference_logits_bf16.json).
# Run on the GPU machine:  python3 make_fp8_checkpoint.py /tmp/q3 /tmp/q3fp8
import json, os, shutil, sys, torch
from safetensors.torch import load_file, save_file

src = sys.argv[1] if len(sys.argv) > 1 else "/tmp/q3"
dst = sys.argv[2] if len(sys.argv) > 2 else "/tmp/q3fp8"
BLOCK = (128, 128)
LINEAR = ("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj")
FP8_MAX = 448.0


def is_linear(name):
    parts = name.split(".")
    return name.startswith("model.layers.") and parts[-1] == "weight" and parts[-2] in LINEAR


def quantize(w):
    """fp8 e4m3 codes [rows, cols] and float32 scales [ceil(rows/128), ceil(cols/128)]."""
    rows, cols = w.shape
    br, bc = BLOCK
    gr, gc = -(-rows // br), -(-cols // bc)
    padded = torch.zeros(gr * br, gc * bc, dtype=torch.float32, device=w.device)
    padded[:rows, :cols] = w.float()
    blocks = padded.view(gr, br, gc, bc)
    amax = blocks.abs().amax(dim=(1, 3))
    scale = torch.where(amax > 0, amax / FP8_MAX, torch.ones_like(amax))
    # Clamp first: torch's cast to float8_e4m3fn does not saturate, and amax / scale can round a hair above 448.
    q = (blocks / scale[:, None, :, None]).clamp(-FP8_MAX, FP8_MAX).to(torch.float8_e4m3fn)
    return q.view(gr * br, gc * bc)[:rows, :cols].contiguous(), scale.contiguous()


def dequantize(q, scale):
    rows, cols = q.shape
    s = scale.repeat_interleave(BLOCK[0], 0)[:rows].repeat_interleave(BLOCK[1], 1)[:, :cols]
    return q.float() * s


device = "cuda" if torch.cuda.is_available() else "cpu"
tensors = load_file(os.path.join(src, "model.safetensors"))
out, dequantized, worst = {}, {}, 0.0
for name, w in tensors.items():
    if not is_linear(name):
        out[name] = w
        continue
    q, scale = quantize(w.to(device))
    out[name] = q.cpu()
    out[name + "_scale_inv"] = scale.cpu()
    restored = dequantize(q, scale)
    dequantized[name] = restored.to(torch.bfloat16).cpu()
    err = ((restored - w.to(device).float()).norm() / w.float().norm().clamp_min(1e-30)).item()
    worst = max(worst, err)
print(f"quantized {len(dequantized)} linear weights; worst relative rms error of a weight {worst:.4f}")

os.makedirs(dst, exist_ok=True)
save_file(out, os.path.join(dst, "model.safetensors"), metadata={"format": "pt"})
config = json.load(open(os.path.join(src, "config.json")))
config["quantization_config"] = {"activation_scheme": "dynamic", "fmt": "e4m3", "quant_method": "fp8", "weight_block_size": list(BLOCK)}
json.dump(config, open(os.path.join(dst, "config.json"), "w"), indent=2)
for f in ("generation_config.json", "tokenizer.json", "tokenizer_config.json"):
    if os.path.exists(os.path.join(src, f)):
        shutil.copy(os.path.join(src, f), dst)

# The check: the written file read back as fp8 (dtype and scale shape), and transformers on its dequantized weights.
back = load_file(os.path.join(dst, "model.safetensors"))
name = "model.layers.0.self_attn.q_proj.weight"
assert back[name].dtype == torch.float8_e4m3fn and back[name + "_scale_inv"].dtype == torch.float32, "wrong dtypes written"
assert list(back[name + "_scale_inv"].shape) == [-(-back[name].shape[0] // BLOCK[0]), -(-back[name].shape[1] // BLOCK[1])], "wrong scale shape"
assert torch.equal(dequantize(back[name].to(device), back[name + "_scale_inv"].to(device)).to(torch.bfloat16).cpu(), dequantized[name]), "round trip differs"

reference = json.load(open(os.path.join(src, "reference_logits.json")))
shutil.copy(os.path.join(src, "reference_logits.json"), os.path.join(dst, "reference_logits_bf16.json"))
from transformers import AutoModelForCausalLM
model = AutoModelForCausalLM.from_pretrained(src, dtype=torch.bfloat16).to(device).eval()
with torch.no_grad():
    params = dict(model.named_parameters())
    for name, w in dequantized.items():
        params[name].copy_(w.to(device))
cases = []
for c in reference["cases"]:
    ids = torch.tensor([c["prompt_ids"]], device=device)
    with torch.no_grad():
        logits = model(ids).logits[0, -1].float()
    cases.append({"prompt_ids": c["prompt_ids"], "last_logits_top20": torch.topk(logits, 20).indices.tolist(),
                  "last_logits": [round(x, 4) for x in logits.tolist()]})
json.dump({"dtype": "bfloat16 (fp8 weights dequantized)", "cases": cases}, open(os.path.join(dst, "reference_logits.json"), "w"))
print("wrote", dst)

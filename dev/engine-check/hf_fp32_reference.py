# transformers' Qwen3 in fp32 (the bf16 checkpoint upcast) on the 1000-token prompt of reference_logits.json: how far
# transformers' own bf16 logits are from exact arithmetic. Writes reference_logits_fp32.json beside it.
import json, os, sys, torch
from transformers import AutoModelForCausalLM
d = sys.argv[1]
ref = json.load(open(os.path.join(d, "reference_logits.json")))
m = AutoModelForCausalLM.from_pretrained(d, torch_dtype=torch.float32).cuda().eval()
torch.backends.cuda.matmul.allow_tf32 = False
out = []
for c in ref["cases"]:
    with torch.no_grad():
        l32 = m(torch.tensor([c["prompt_ids"]]).cuda()).logits[0, -1].double().cpu()
    l16 = torch.tensor(c["last_logits"], dtype=torch.float64)
    cos = torch.nn.functional.cosine_similarity(l32, l16, dim=0).item()
    print(f"prompt {len(c['prompt_ids']):5}: transformers bf16 vs fp32 cosine {cos:.6f}", flush=True)
    out.append({"prompt_ids": c["prompt_ids"], "last_logits": [round(x, 4) for x in l32.tolist()]})
json.dump({"dtype": "float32", "cases": out}, open(os.path.join(d, "reference_logits_fp32.json"), "w"))

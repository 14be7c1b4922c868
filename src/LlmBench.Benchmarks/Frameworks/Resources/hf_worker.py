"""llmbench's framework worker: Hugging Face transformers behind `llmbench --backend hf|hf-compile`.

llmbench starts this file under the user's Python (`--python`, default python3) and speaks JSON lines with it: one
request object per line on stdin, one reply object per line on stdout. llmbench owns the workload, the clock of the
run as a whole, GPU sampling and the results; this worker only loads the model, generates, and times each token.

Requests ("op"):
  load     {"model": DIR, "backend": "hf"|"hf-compile", "device": "cuda:0", "compile_modes": [...], "seed": N}
  prepare  {"batch": B, "max_len": L}      hf-compile: static cache of B x L and the compiled decode step
  generate {"prompts": [[ids], ...], "max_new_tokens": N}
  shutdown {}
Replies: {"ok": true, "op": ..., ...} or {"ok": false, "op": ..., "kind": ..., "error": "one sentence"}.

Timing (docs/FRAMEWORKS.md): t0 is read when a generate request has been parsed, before its tensors are built; each
token's time is read after torch.cuda.synchronize() once the step that produced it is done: from a streamer's put()
for `hf` (transformers generate), from the decode loop itself for `hf-compile`.
"""

import json
import os
import sys
import time
import traceback

PROTOCOL = 1

# Replies go to the original stdout; anything else a library prints to stdout goes to stderr instead.
_replies = os.fdopen(os.dup(1), "w", buffering=1, encoding="utf-8")
os.dup2(2, 1)
sys.stdout = sys.stderr


def reply(obj):
    _replies.write(json.dumps(obj, separators=(",", ":")) + "\n")
    _replies.flush()


def log(text):
    sys.stderr.write(text + "\n")
    sys.stderr.flush()


class WorkerError(Exception):
    """A failure the user can act on: kind names it for llmbench, the message is one sentence."""

    def __init__(self, kind, message):
        super().__init__(message)
        self.kind = kind


def first_line(exc):
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0] if text else ''}".strip()


def import_frameworks():
    try:
        import torch
    except ImportError as e:
        raise WorkerError("no_torch", f"PyTorch is not installed for {sys.executable} ({e}); install a CUDA build of torch (pip install torch) or pass --python with an interpreter that has it.")
    try:
        import transformers
    except ImportError as e:
        raise WorkerError("no_transformers", f"transformers is not installed for {sys.executable} ({e}); install it (pip install transformers) or pass --python with an interpreter that has it.")
    if not torch.cuda.is_available():
        build = "a CPU-only build" if getattr(torch.version, "cuda", None) is None else f"built for CUDA {torch.version.cuda}, but it sees no GPU"
        raise WorkerError("no_cuda", f"PyTorch {torch.__version__} at {sys.executable} cannot use a GPU ({build}); install a CUDA build of torch (pip install torch from the index for your CUDA version) or pass --python with an interpreter that has one.")
    return torch, transformers


def accepts(fn, name, by_name_only=False):
    """Whether fn takes the keyword argument name (through **kwargs too, unless by_name_only)."""
    import inspect
    try:
        params = inspect.signature(fn).parameters
    except (TypeError, ValueError):
        return False
    return name in params or (not by_name_only and any(p.kind == p.VAR_KEYWORD for p in params.values()))


class TokenTimer:
    """A transformers streamer: generate calls put() with the prompt, then once per step with the new tokens."""

    def __init__(self, torch, t0):
        self.torch = torch
        self.t0 = t0
        self.times = []
        self.prompt_seen = False

    def put(self, value):
        if not self.prompt_seen:
            self.prompt_seen = True
            return
        self.torch.cuda.synchronize()
        self.times.append(time.perf_counter() - self.t0)

    def end(self):
        pass


class Worker:
    def __init__(self):
        self.torch = None
        self.model = None
        self.backend = None
        self.device = None
        self.modes = []
        self.failed_modes = {}
        self.mode = None
        self.compiled = {}  # batch -> (cache, max_len, decode function, mode)
        self.decoders = {}  # mode -> the compiled decode step
        self.pad = 0
        self.takes_cache_position = True
        self.logits_argument = None

    # ---- load -------------------------------------------------------------------------------------------------
    def load(self, req):
        torch, transformers = import_frameworks()
        self.torch = torch
        self.backend = req.get("backend", "hf")
        self.device = req.get("device") or "cuda:0"
        self.modes = list(req.get("compile_modes") or ["reduce-overhead", "default"])
        torch.manual_seed(int(req.get("seed", 0)))
        path = req["model"]
        start = time.perf_counter()
        try:
            from transformers import AutoModelForCausalLM
            major = int(transformers.__version__.split(".")[0])
            dtype_arg = {"dtype": torch.bfloat16} if major >= 5 else {"torch_dtype": torch.bfloat16}
            model = AutoModelForCausalLM.from_pretrained(path, attn_implementation="sdpa", **dtype_arg)
            model = model.to(self.device).eval()
        except Exception as e:  # noqa: BLE001 - any load failure is one sentence for the user
            log(traceback.format_exc())
            raise WorkerError("model_load", f"transformers {transformers.__version__} could not load the model in {path} ({first_line(e)}); install a transformers version that knows its architecture (pip install -U transformers) or check the directory.")
        self.model = model
        self.takes_cache_position = accepts(model.forward, "cache_position")
        self.logits_argument = next((n for n in ("logits_to_keep", "num_logits_to_keep") if accepts(model.forward, n)), None)
        config = model.config
        eos = config.eos_token_id
        eos = eos[0] if isinstance(eos, (list, tuple)) and eos else eos
        self.pad = config.pad_token_id if getattr(config, "pad_token_id", None) is not None else (eos if eos is not None else 0)
        torch.cuda.synchronize()
        return {
            "load_s": time.perf_counter() - start,
            "python": sys.version.split()[0],
            "torch": torch.__version__,
            "transformers": transformers.__version__,
            "cuda": getattr(torch.version, "cuda", None),
            "device_name": torch.cuda.get_device_name(torch.device(self.device)),
            "attn_implementation": getattr(config, "_attn_implementation", None),
        }

    # ---- inputs -----------------------------------------------------------------------------------------------
    def left_padded(self, prompts, width=None):
        torch = self.torch
        longest = max(len(p) for p in prompts)
        width = width or longest
        ids = [[self.pad] * (longest - len(p)) + list(p) for p in prompts]
        mask = [[0] * (longest - len(p)) + [1] * len(p) + [1] * (width - longest) for p in prompts]
        input_ids = torch.tensor(ids, dtype=torch.long, device=self.device)
        attention_mask = torch.tensor(mask, dtype=torch.long, device=self.device)
        lengths = torch.tensor([len(p) for p in prompts], dtype=torch.long, device=self.device)
        return input_ids, attention_mask, lengths

    # ---- hf: transformers generate, eager ------------------------------------------------------------------------
    def generate_eager(self, prompts, new_tokens, t0):
        torch = self.torch
        input_ids, attention_mask, _ = self.left_padded(prompts)
        timer = TokenTimer(torch, t0)
        with torch.inference_mode():
            out = self.model.generate(
                input_ids=input_ids, attention_mask=attention_mask, max_new_tokens=new_tokens, min_new_tokens=new_tokens,
                do_sample=False, num_beams=1, temperature=None, top_p=None, top_k=None, pad_token_id=self.pad,
                use_cache=True, streamer=timer)
        torch.cuda.synchronize()
        produced = int(out.shape[1] - input_ids.shape[1])
        return timer.times, produced

    # ---- hf-compile: a static cache and a compiled decode step (gpt-fast's loop over the HF model) ---------------
    def new_cache(self, batch, max_len):
        from transformers import StaticCache
        torch = self.torch
        kwargs = {"config": self.model.config, "max_cache_len": max_len}
        init = StaticCache.__init__
        if accepts(init, "max_batch_size", by_name_only=True):
            kwargs["max_batch_size"] = batch
        elif accepts(init, "batch_size", by_name_only=True):
            kwargs["batch_size"] = batch
        if accepts(init, "device", by_name_only=True):
            kwargs["device"] = torch.device(self.device)
        if accepts(init, "dtype", by_name_only=True):
            kwargs["dtype"] = torch.bfloat16
        return StaticCache(**kwargs)

    def forward_kwargs(self, cache, cache_position):
        """Keyword arguments of a forward step into the static cache; what the model accepts is read once, at load."""
        kwargs = {"past_key_values": cache, "use_cache": True}
        if self.takes_cache_position:
            kwargs["cache_position"] = cache_position
        if self.logits_argument is not None:
            kwargs[self.logits_argument] = 1
        return kwargs

    def decoder(self, mode):
        """The decode step compiled once per mode: fullgraph (a graph break is an error, not an eager island); the cache is
        an argument, so a new batch size re-specialises (then goes dynamic in the batch) instead of compiling anew."""
        compiled = self.decoders.get(mode)
        if compiled is None:
            model = self.model
            forward_kwargs = self.forward_kwargs

            def decode_one(token, position_ids, cache_position, mask, cache):
                out = model(input_ids=token, attention_mask=mask, position_ids=position_ids, **forward_kwargs(cache, cache_position))
                return out.logits[:, -1, :].argmax(dim=-1, keepdim=True)

            compiled = self.torch.compile(decode_one, mode=mode, fullgraph=True)
            self.decoders[mode] = compiled
        return compiled

    def run_static(self, batch_state, prompts, new_tokens, t0):
        """Prefill eagerly into the static cache, then new_tokens - 1 compiled decode steps; token times after a sync."""
        torch = self.torch
        cache, max_len, decode, mode = batch_state
        input_ids, mask, lengths = self.left_padded(prompts, width=max_len)
        width = input_ids.shape[1]
        if width + new_tokens > max_len:
            raise WorkerError("too_long", f"a sequence of {width + new_tokens} tokens does not fit the static cache of {max_len}.")
        times = []
        with torch.inference_mode():
            # Every sequence starts from an empty cache, as transformers' generate does: a static cache that counts the
            # positions it has written (transformers 5) would otherwise write past its end on the next batch.
            if hasattr(cache, "reset"):
                cache.reset()
            positions = (mask[:, :width].cumsum(-1) - 1).clamp(min=0)
            cache_position = torch.arange(width, device=self.device)
            out = self.model(input_ids=input_ids, attention_mask=mask, position_ids=positions, **self.forward_kwargs(cache, cache_position))
            token = out.logits[:, -1, :].argmax(dim=-1, keepdim=True)
            torch.cuda.synchronize()
            times.append(time.perf_counter() - t0)
            for step in range(new_tokens - 1):
                if mode == "reduce-overhead":
                    torch.compiler.cudagraph_mark_step_begin()
                position = torch.tensor([width + step], device=self.device)
                token = decode(token, (lengths + step).unsqueeze(1), position, mask, cache).clone()
                torch.cuda.synchronize()
                times.append(time.perf_counter() - t0)
        return times, new_tokens

    def prepare(self, req):
        if self.backend != "hf-compile":
            return {"compile_s": None, "compile_mode": None}
        torch = self.torch
        batch, max_len = int(req["batch"]), int(req["max_len"])
        held = self.compiled.get(batch)
        if held is not None and held[1] >= max_len and held[3] not in self.failed_modes:
            return {"compile_s": 0.0, "compile_mode": held[3], "cached": True, "failed_modes": self.failed_list()}
        import torch._dynamo
        torch._dynamo.config.suppress_errors = False  # a compile error must fail, never run eagerly
        # Every batch size may recompile once; the limits are spelled differently across torch versions.
        for name, floor in (("recompile_limit", 64), ("cache_size_limit", 64), ("accumulated_recompile_limit", 512), ("accumulated_cache_size_limit", 512)):
            current = getattr(torch._dynamo.config, name, None)
            if isinstance(current, int):
                setattr(torch._dynamo.config, name, max(floor, current))
        for mode in [m for m in self.modes if m not in self.failed_modes]:
            start = time.perf_counter()
            try:
                cache = self.new_cache(batch, max_len)
                state = (cache, max_len, self.decoder(mode), mode)
                warm = [[0] * 8] * batch
                for _ in range(3):  # compile, then (reduce-overhead) record and replay the CUDA graph
                    self.run_static(state, warm, 4, time.perf_counter())
                counters = self.counters()
                if counters.get("unique_graphs", 1) < 1:
                    raise WorkerError("compile_fallback", "torch.compile produced no graph for the decode step")
                self.compiled[batch] = state
                self.mode = mode
                return {"compile_s": time.perf_counter() - start, "compile_mode": mode,
                        "cudagraph_skips": counters.get("cudagraph_skips", 0), "failed_modes": self.failed_list()}
            except Exception as e:  # noqa: BLE001 - the next mode is tried; every failure is reported
                log(f"hf-compile: mode {mode} failed at batch {batch}:\n{traceback.format_exc()}")
                self.failed_modes[mode] = first_line(e)
                self.compiled.pop(batch, None)
                self.decoders.pop(mode, None)
                torch._dynamo.reset()
                torch.cuda.empty_cache()
        raise WorkerError("compile_failed", "torch.compile failed in every mode tried (" + "; ".join(f"{m}: {e}" for m, e in self.failed_modes.items()) + "); no eager fallback is run.")

    def counters(self):
        try:
            from torch._dynamo.utils import counters
            return {"unique_graphs": counters["stats"]["unique_graphs"], "cudagraph_skips": counters["inductor"]["cudagraph_skips"]}
        except Exception:  # noqa: BLE001 - counters are a check, not a requirement
            return {}

    def failed_list(self):
        return [{"mode": m, "error": e} for m, e in self.failed_modes.items()]

    # ---- generate -----------------------------------------------------------------------------------------------
    def generate(self, req, t0):
        prompts = req["prompts"]
        new_tokens = int(req["max_new_tokens"])
        if not prompts or new_tokens < 1:
            raise WorkerError("bad_request", "generate needs prompts and max_new_tokens >= 1.")
        if self.backend == "hf-compile":
            state = self.compiled.get(len(prompts))
            if state is None:
                raise WorkerError("not_prepared", f"no compiled decode step for batch {len(prompts)}; send prepare first.")
            try:
                times, produced = self.run_static(state, prompts, new_tokens, t0)
            except WorkerError:
                raise
            except Exception:
                self.failed_modes[state[3]] = "failed while generating"
                self.compiled.pop(len(prompts), None)
                self.decoders.pop(state[3], None)
                raise
        else:
            times, produced = self.generate_eager(prompts, new_tokens, t0)
        self.torch.cuda.synchronize()
        elapsed = time.perf_counter() - t0
        return {"token_times": times, "elapsed_s": elapsed, "output_tokens": [produced] * len(prompts),
                "compile_mode": self.mode if self.backend == "hf-compile" else None}


def main():
    worker = Worker()
    reply({"ok": True, "op": "ready", "protocol": PROTOCOL, "python": sys.version.split()[0], "executable": sys.executable})
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        t0 = time.perf_counter()
        op = None
        try:
            req = json.loads(line)
            op = req.get("op")
            if op == "shutdown":
                reply({"ok": True, "op": op})
                return 0
            if op == "load":
                result = worker.load(req)
            elif op == "prepare":
                result = worker.prepare(req)
            elif op == "generate":
                result = worker.generate(req, t0)
            else:
                raise WorkerError("bad_request", f"unknown op {op!r}.")
            result.update({"ok": True, "op": op})
            reply(result)
        except WorkerError as e:
            reply({"ok": False, "op": op, "kind": e.kind, "error": str(e)})
        except Exception as e:  # noqa: BLE001 - reported, and the worker goes on (an OOM at one batch is one failed point)
            log(traceback.format_exc())
            kind = "out_of_memory" if "out of memory" in str(e).lower() else "exception"
            reply({"ok": False, "op": op, "kind": kind, "error": first_line(e)})
            try:
                if worker.torch is not None:
                    worker.torch.cuda.empty_cache()
            except Exception:  # noqa: BLE001
                pass
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Ground truth for LlmSize: peak GPU memory of inference and training, one JSON record per run.

Models are built from config files with random weights (no downloads): the base configs in configs/ (copies of
shared/reference/hf-configs) and scaled variants of the same families. Per run the script records
torch.cuda.max_memory_allocated, max_memory_reserved and the device's used memory (NVML) after a warm-up, plus the
parts the estimator models separately (parameter, gradient, optimizer-state and KV-cache bytes).

    python3 tests/gpu-truth/measure.py --dry-run            # no torch needed: expand the sweep, write planned records
    python3 tests/gpu-truth/measure.py --list               # print the run ids of the sweep
    python3 tests/gpu-truth/measure.py                      # measure (CUDA, torch, transformers; peft for LoRA)
    python3 tests/gpu-truth/measure.py --check tests/data/measured   # validate records against record.schema.json

README.md in this folder documents the record format, the sweep and how to resume an interrupted measurement.
Only the standard library is imported at module level; torch, transformers and peft are imported when measuring.
"""

import argparse
import copy
import gc
import json
import os
import platform
import re
import subprocess
import sys
import time
import traceback

SCHEMA_VERSION = 1
SCRIPT_VERSION = "1.0"

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
CONFIG_DIR = os.path.join(HERE, "configs")
SCHEMA_PATH = os.path.join(HERE, "record.schema.json")
DEFAULT_OUT = os.path.join(REPO, "tests", "data", "measured")
DEFAULT_DRY_RUN_OUT = os.path.join(HERE, "dry-run-records")

# ---------------------------------------------------------------------------------------------------------------------
# Models: per family, sizes from 0.1 B to 8 B. Each size is a base config file plus overrides (recorded in every record).

LLAMA_ROLES = {"q": "q_proj", "k": "k_proj", "v": "v_proj", "o": "o_proj",
               "gate": "gate_proj", "up": "up_proj", "down": "down_proj"}
# GPT-2: q, k and v share the fused c_attn; c_proj exists in attention (o) and MLP (down); no gate.
GPT2_ROLES = {"q": r"attn\.c_attn", "k": r"attn\.c_attn", "v": r"attn\.c_attn", "o": r"attn\.c_proj",
              "up": r"mlp\.c_fc", "down": r"mlp\.c_proj"}

FAMILIES = {
    "llama": {
        "roles": LLAMA_ROLES,
        "sizes": [
            ("llama-0.2b", "llama-3-2-1b.json",
             {"hidden_size": 768, "intermediate_size": 3072, "num_hidden_layers": 12,
              "num_attention_heads": 12, "num_key_value_heads": 4, "head_dim": 64},
             "Llama-3.2-1B config scaled down (768 wide, 12 layers); 0.2 B, half of it the 128k embedding"),
            ("llama-1.2b", "llama-3-2-1b.json", {}, "Llama-3.2-1B as published"),
            ("llama-3.2b", "llama-3-2-1b.json",
             {"hidden_size": 3072, "intermediate_size": 8192, "num_hidden_layers": 28,
              "num_attention_heads": 24, "num_key_value_heads": 8, "head_dim": 128},
             "Llama-3.2-1B config with the shape of Llama-3.2-3B's published config.json"),
            ("llama-8b", "llama-3-8b.json", {}, "Llama-3-8B as published"),
        ],
    },
    "qwen2": {
        "roles": LLAMA_ROLES,
        "sizes": [
            ("qwen2-0.5b", "qwen2-5-0-5b.json", {}, "Qwen2.5-0.5B as published"),
            ("qwen2-1.5b", "qwen2-5-0-5b.json",
             {"hidden_size": 1536, "intermediate_size": 8960, "num_hidden_layers": 28,
              "num_attention_heads": 12, "num_key_value_heads": 2},
             "Qwen2.5-0.5B config with the shape of Qwen2.5-1.5B's published config.json"),
            ("qwen2-3b", "qwen2-5-0-5b.json",
             {"hidden_size": 2048, "intermediate_size": 11008, "num_hidden_layers": 36,
              "num_attention_heads": 16, "num_key_value_heads": 2},
             "Qwen2.5-0.5B config with the shape of Qwen2.5-3B's published config.json"),
            ("qwen2-7b", "qwen2-5-7b.json", {}, "Qwen2.5-7B as published"),
        ],
    },
    "gpt2": {
        "roles": GPT2_ROLES,
        "sizes": [
            ("gpt2-124m", "gpt-2-124m.json", {}, "GPT-2 as published"),
            ("gpt2-355m", "gpt-2-124m.json", {"n_embd": 1024, "n_layer": 24, "n_head": 16},
             "GPT-2 config with the shape of GPT-2 medium"),
            ("gpt2-774m", "gpt-2-124m.json", {"n_embd": 1280, "n_layer": 36, "n_head": 20},
             "GPT-2 config with the shape of GPT-2 large"),
            ("gpt2-1.5b", "gpt-2-xl.json", {}, "GPT-2 XL as published"),
        ],
    },
}
DEFAULT_FAMILIES = ["llama", "qwen2"]

# Training recipes. dtype: what the model's parameters are created in. precision: fp32 (no autocast), amp_bf16
# (torch.autocast bf16 over fp32 weights, the optimizer updating the fp32 weights: LlmSize's Amp regime), bf16 (pure
# bf16 weights, gradients and optimizer states). LoRA: peft adapters on a frozen base; amp_bf16 keeps peft's default
# fp32 adapters (autocast_adapter_dtype=True) under autocast.
RECIPES = {
    "full-fp32-adamw": {"method": "full", "dtype": "fp32", "precision": "fp32", "optimizer": "adamw"},
    "full-amp-bf16-adamw": {"method": "full", "dtype": "fp32", "precision": "amp_bf16", "optimizer": "adamw"},
    "full-bf16-adamw": {"method": "full", "dtype": "bf16", "precision": "bf16", "optimizer": "adamw"},
    "full-fp32-sgd": {"method": "full", "dtype": "fp32", "precision": "fp32", "optimizer": "sgd"},
    "full-bf16-sgd": {"method": "full", "dtype": "bf16", "precision": "bf16", "optimizer": "sgd"},
    "lora-amp-bf16-adamw": {"method": "lora", "dtype": "bf16", "precision": "amp_bf16", "optimizer": "adamw"},
    "lora-bf16-adamw": {"method": "lora", "dtype": "bf16", "precision": "bf16", "optimizer": "adamw"},
}
DEFAULT_RECIPES = ["full-fp32-adamw", "full-amp-bf16-adamw", "full-bf16-adamw", "full-fp32-sgd", "lora-amp-bf16-adamw"]

DTYPES = ("fp32", "bf16", "fp16")
ATTENTION = ("sdpa", "eager")
PHASES = ("inference", "training")
ROLES = ("q", "k", "v", "o", "gate", "up", "down")
LEARNING_RATE = {"adamw": 1e-5, "sgd": 1e-3}
STATUSES = ("ok", "dry_run", "oom", "skipped", "error")


class UsageError(Exception):
    """A bad argument: reported on stderr, exit code 2."""


# ---------------------------------------------------------------------------------------------------------------------
# Arguments

def parse_list(text, name, allowed=None, convert=str):
    items = [t.strip() for t in text.split(",") if t.strip()]
    if not items:
        raise UsageError("%s: give at least one value" % name)
    values = []
    for item in items:
        try:
            value = convert(item)
        except ValueError:
            raise UsageError("%s: '%s' is not a valid value" % (name, item))
        if allowed is not None and value not in allowed:
            raise UsageError("%s: unknown value '%s' (choose from %s)" % (name, item, ", ".join(allowed)))
        if value in values:
            raise UsageError("%s: '%s' is given twice" % (name, item))
        values.append(value)
    return values


def positive_ints(text, name):
    values = parse_list(text, name, convert=int)
    for v in values:
        if v < 1:
            raise UsageError("%s: %d is not a positive integer" % (name, v))
    return values


def build_parser():
    p = argparse.ArgumentParser(
        prog="measure.py",
        description="Measure peak GPU memory of inference and training for LlmSize's ground-truth records.")
    mode = p.add_argument_group("mode")
    mode.add_argument("--dry-run", action="store_true",
                      help="expand the sweep and write the records it would measure (measurements null); no torch")
    mode.add_argument("--list", action="store_true", help="print the run ids of the sweep and exit")
    mode.add_argument("--check", nargs="+", metavar="DIR",
                      help="validate the records under DIR against record.schema.json and exit")
    sweep = p.add_argument_group("sweep")
    sweep.add_argument("--families", default=",".join(DEFAULT_FAMILIES),
                       help="model families: %s (default %%(default)s)" % ", ".join(FAMILIES))
    sweep.add_argument("--sizes", default="all",
                       help="sizes of the chosen families, e.g. llama-1.2b,qwen2-0.5b; 'all' (default)")
    sweep.add_argument("--phases", default="inference,training", help="inference, training (default both)")
    sweep.add_argument("--seq-lens", default="256,1024,4096", help="sequence lengths (default %(default)s)")
    sweep.add_argument("--batch-sizes", default="1,4", help="batch sizes (default %(default)s)")
    sweep.add_argument("--inference-dtypes", default="bf16", help="weight dtypes for inference: fp32, bf16, fp16")
    sweep.add_argument("--attn", default="sdpa,eager", help="attention for inference prefill: sdpa, eager")
    sweep.add_argument("--recipes", default=",".join(DEFAULT_RECIPES),
                       help="training recipes: %s" % ", ".join(RECIPES))
    sweep.add_argument("--checkpointing", default="off,on", help="gradient checkpointing: off, on (default both)")
    sweep.add_argument("--training-attn", default="sdpa", help="attention for training: sdpa, eager")
    sweep.add_argument("--lora-rank", type=int, default=16, help="LoRA rank r (default 16; alpha = 2r)")
    sweep.add_argument("--lora-targets", default=",".join(ROLES),
                       help="LoRA target roles: q, k, v, o, gate, up, down (default all; roles a family lacks are dropped)")
    run = p.add_argument_group("running")
    run.add_argument("--out", help="folder for the records (default tests/data/measured; with --dry-run "
                                   "tests/gpu-truth/dry-run-records, which git ignores)")
    run.add_argument("--skip-done", action="append", default=[], metavar="DIR",
                     help="also skip runs whose record exists under DIR (repeatable); --out is always checked")
    run.add_argument("--overwrite", action="store_true", help="measure runs whose record already exists")
    run.add_argument("--shard", default="1/1", help="K/N: run every N-th planned run starting at the K-th")
    run.add_argument("--limit", type=int, help="stop after this many runs")
    run.add_argument("--time-budget-s", type=float, help="start no run after this many seconds")
    run.add_argument("--warmup", type=int, default=1, help="warm-up iterations before the measured one (default 1)")
    run.add_argument("--seed", type=int, default=0, help="seed for weights and token ids (default 0)")
    run.add_argument("--adamw-impl", default="default", choices=("default", "foreach", "fused"),
                     help="torch.optim.AdamW implementation (default: torch's choice, foreach on CUDA)")
    run.add_argument("--fail-fast", action="store_true", help="stop at the first run that errors (not OOM)")
    return p


def resolve(args):
    """Checks the arguments and returns the normalized sweep settings (UsageError on any problem)."""
    families = parse_list(args.families, "--families", allowed=list(FAMILIES))
    known = {name: fam for fam in families for (name, _, _, _) in FAMILIES[fam]["sizes"]}
    if args.sizes.strip() == "all":
        # Smallest of every family first, so that a run cut short by --time-budget-s covers both families.
        depth = max(len(FAMILIES[fam]["sizes"]) for fam in families)
        sizes = [FAMILIES[fam]["sizes"][i][0] for i in range(depth) for fam in families if i < len(FAMILIES[fam]["sizes"])]
    else:
        everywhere = [n for f in FAMILIES.values() for (n, _, _, _) in f["sizes"]]
        sizes = parse_list(args.sizes, "--sizes", allowed=everywhere)
        for s in sizes:
            if s not in known:
                raise UsageError("--sizes: %s is not a size of the chosen families (%s)" % (s, ", ".join(families)))
    settings = {
        "families": families,
        "sizes": sizes,
        "phases": parse_list(args.phases, "--phases", allowed=PHASES),
        "seq_lens": positive_ints(args.seq_lens, "--seq-lens"),
        "batch_sizes": positive_ints(args.batch_sizes, "--batch-sizes"),
        "inference_dtypes": parse_list(args.inference_dtypes, "--inference-dtypes", allowed=DTYPES),
        "attn": parse_list(args.attn, "--attn", allowed=ATTENTION),
        "recipes": parse_list(args.recipes, "--recipes", allowed=list(RECIPES)),
        "checkpointing": [v == "on" for v in parse_list(args.checkpointing, "--checkpointing", allowed=("off", "on"))],
        "training_attn": parse_list(args.training_attn, "--training-attn", allowed=ATTENTION),
        "lora_targets": parse_list(args.lora_targets, "--lora-targets", allowed=ROLES),
    }
    if args.lora_rank < 1:
        raise UsageError("--lora-rank: %d is not a positive integer" % args.lora_rank)
    settings["lora_rank"] = args.lora_rank
    m = re.fullmatch(r"(\d+)/(\d+)", args.shard.strip())
    if not m or not (1 <= int(m.group(1)) <= int(m.group(2))):
        raise UsageError("--shard: '%s' is not K/N with 1 <= K <= N" % args.shard)
    settings["shard"] = (int(m.group(1)), int(m.group(2)))
    if args.limit is not None and args.limit < 1:
        raise UsageError("--limit: %d is not a positive integer" % args.limit)
    if args.time_budget_s is not None and not args.time_budget_s > 0:
        raise UsageError("--time-budget-s: must be above 0")
    if args.warmup < 1:
        raise UsageError("--warmup: at least 1 warm-up iteration (the measurement is taken after a warm-up)")
    if args.dry_run and args.list:
        raise UsageError("--dry-run and --list exclude each other")
    return settings


# ---------------------------------------------------------------------------------------------------------------------
# The sweep: every run as a record skeleton (id, phase, model, settings), in a fixed order.

def size_entry(size):
    for fam_name, fam in FAMILIES.items():
        for (name, base, overrides, note) in fam["sizes"]:
            if name == size:
                return fam_name, base, overrides, note
    raise KeyError(size)


def load_model_config(size):
    family, base, overrides, note = size_entry(size)
    with open(os.path.join(CONFIG_DIR, base), encoding="utf-8") as f:
        config = json.load(f)
    config.update(overrides)
    # The dtype is a run setting, not a property of the model: the weights are created in the run's dtype.
    config.pop("torch_dtype", None)
    config.pop("dtype", None)
    return {
        "family": family,
        "size": size,
        "base_config": base,
        "overrides": dict(overrides),
        "note": note,
        "config": config,
        "effective_config": None,
    }


def max_positions(config):
    return config.get("max_position_embeddings") or config.get("n_positions") or 0


def lora_setup(family, roles):
    """The roles the family has, and the peft target_modules that select them."""
    table = FAMILIES[family]["roles"]
    present = [r for r in roles if r in table]
    if not present:
        raise UsageError("--lora-targets: %s has none of %s" % (family, ", ".join(roles)))
    if family == "gpt2":
        patterns = sorted(set(table[r] for r in present))
        modules = r".*\.(%s)$" % "|".join(patterns)
    else:
        modules = [table[r] for r in present]
    return present, modules


def blank_settings():
    return {
        "dtype": None, "batch_size": None, "sequence_length": None, "attn_implementation": None,
        "use_cache": None, "logits_to_keep": None,
        "recipe": None, "method": None, "precision": None, "optimizer": None, "optimizer_impl": None,
        "learning_rate": None, "gradient_checkpointing": None,
        "lora_rank": None, "lora_alpha": None, "lora_dropout": None, "lora_targets": None, "lora_target_modules": None,
        "warmup_iterations": None, "seed": None,
    }


def plan(settings, warmup, seed, adamw_impl):
    """Expands the sweep. Returns (runs, excluded): excluded lists (id, reason) of combinations that cannot run."""
    runs, excluded = [], []
    for size in settings["sizes"]:
        model = load_model_config(size)
        limit = max_positions(model["config"])

        def add(run_id, phase, overrides):
            s = blank_settings()
            s.update(overrides)
            s["warmup_iterations"] = warmup
            s["seed"] = seed
            if s["sequence_length"] and limit and s["sequence_length"] > limit:
                excluded.append((run_id, "sequence length %d exceeds the model's %d positions" % (s["sequence_length"], limit)))
                return
            runs.append({"id": run_id, "phase": phase, "model": copy.deepcopy(model), "settings": s})

        if "inference" in settings["phases"]:
            for dtype in settings["inference_dtypes"]:
                add("inf-weights__%s__%s" % (size, dtype), "inference_weights", {"dtype": dtype})
                for s in settings["seq_lens"]:
                    for b in settings["batch_sizes"]:
                        for attn in settings["attn"]:
                            add("inf-prefill__%s__%s__%s__b%d__s%d" % (size, dtype, attn, b, s), "inference_prefill",
                                {"dtype": dtype, "attn_implementation": attn, "batch_size": b, "sequence_length": s,
                                 "use_cache": True, "logits_to_keep": 1})
        if "training" in settings["phases"]:
            for recipe_name in settings["recipes"]:
                recipe = RECIPES[recipe_name]
                lora = {}
                label = recipe_name
                if recipe["method"] == "lora":
                    roles, modules = lora_setup(model["family"], settings["lora_targets"])
                    rank = settings["lora_rank"]
                    lora = {"lora_rank": rank, "lora_alpha": 2 * rank, "lora_dropout": 0.0,
                            "lora_targets": roles, "lora_target_modules": modules}
                    label = "%s-r%d-%s" % (recipe_name, rank, "".join(r[0] if r in "qkvo" else r[0].upper() for r in roles))
                for ckpt in settings["checkpointing"]:
                    for attn in settings["training_attn"]:
                        for s in settings["seq_lens"]:
                            for b in settings["batch_sizes"]:
                                run_id = "train__%s__%s__%s__%s__b%d__s%d" % (
                                    size, label, "ckpt" if ckpt else "nockpt", attn, b, s)
                                impl = adamw_impl if recipe["optimizer"] == "adamw" else "default"
                                values = {"dtype": recipe["dtype"], "attn_implementation": attn, "batch_size": b,
                                          "sequence_length": s, "use_cache": False, "recipe": recipe_name,
                                          "method": recipe["method"], "precision": recipe["precision"],
                                          "optimizer": recipe["optimizer"], "optimizer_impl": impl,
                                          "learning_rate": LEARNING_RATE[recipe["optimizer"]],
                                          "gradient_checkpointing": ckpt}
                                values.update(lora)
                                add(run_id, "training_step", values)
    ids = [r["id"] for r in runs]
    if len(ids) != len(set(ids)):
        raise AssertionError("duplicate run ids in the sweep")
    return runs, excluded


def select(runs, shard, done, limit):
    k, n = shard
    chosen = [r for i, r in enumerate(runs) if i % n == k - 1]
    todo = [r for r in chosen if r["id"] not in done]
    if limit is not None:
        todo = todo[:limit]
    return chosen, todo


def existing_ids(folders):
    ids = set()
    for folder in folders:
        if not os.path.isdir(folder):
            continue
        for root, _, files in os.walk(folder):
            ids.update(f[:-5] for f in files if f.endswith(".json"))
    return ids


# ---------------------------------------------------------------------------------------------------------------------
# Records

def git_commit():
    try:
        out = subprocess.run(["git", "-C", REPO, "rev-parse", "HEAD"], capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return None
    if out.returncode != 0 or not out.stdout.strip():
        return None
    return out.stdout.strip()


def base_environment():
    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "torch": None, "transformers": None, "peft": None, "cuda": None, "cudnn": None,
        "gpu_name": None, "gpu_total_memory": None, "driver": None, "device_used_source": None,
        "pytorch_cuda_alloc_conf": os.environ.get("PYTORCH_CUDA_ALLOC_CONF"),
        "cuda_module_loading": os.environ.get("CUDA_MODULE_LOADING"),
        "git_commit": git_commit(),
        "script_version": SCRIPT_VERSION,
    }


def new_record(run, environment, dry_run):
    return {
        "schema_version": SCHEMA_VERSION,
        "id": run["id"],
        "dry_run": dry_run,
        "measured": not dry_run,
        "fixture": False,
        "status": "dry_run" if dry_run else "ok",
        "status_detail": None,
        "phase": run["phase"],
        "created_utc": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "model": run["model"],
        "settings": run["settings"],
        "environment": environment,
        "measurements": None,
    }


def write_record(folder, record):
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, record["id"] + ".json")
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(record, f, indent=1, sort_keys=False)
        f.write("\n")
    os.replace(tmp, path)
    return path


# ---------------------------------------------------------------------------------------------------------------------
# A small JSON Schema checker for the keywords record.schema.json uses (type, enum, const, required, properties,
# additionalProperties, items, minimum, $ref to #/$defs, allOf with if/then). Unknown keywords are an error, so the
# schema cannot silently outgrow the checker.

ANNOTATIONS = {"$schema", "$id", "$comment", "title", "description", "$defs", "examples", "default"}
KEYWORDS = {"type", "enum", "const", "required", "properties", "additionalProperties", "items", "minimum",
            "$ref", "allOf", "if", "then", "pattern"}
TYPES = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
}


def validate(value, schema, root, path="$"):
    errors = []
    unknown = set(schema) - KEYWORDS - ANNOTATIONS
    if unknown:
        raise ValueError("schema at %s uses keywords the checker does not know: %s" % (path, ", ".join(sorted(unknown))))
    if "$ref" in schema:
        ref = schema["$ref"]
        if not ref.startswith("#/$defs/"):
            raise ValueError("only #/$defs/ references are supported: " + ref)
        errors += validate(value, root["$defs"][ref[len("#/$defs/"):]], root, path)
    if "type" in schema:
        types = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        if not any(TYPES[t](value) for t in types):
            return errors + ["%s: expected %s, got %s" % (path, " or ".join(types), json.dumps(value)[:60])]
    if "const" in schema and value != schema["const"]:
        errors.append("%s: must be %s" % (path, json.dumps(schema["const"])))
    if "enum" in schema and value not in schema["enum"]:
        errors.append("%s: %s is not one of %s" % (path, json.dumps(value), json.dumps(schema["enum"])))
    if "minimum" in schema and TYPES["number"](value) and value < schema["minimum"]:
        errors.append("%s: %s is below %s" % (path, value, schema["minimum"]))
    if "pattern" in schema and isinstance(value, str) and not re.search(schema["pattern"], value):
        errors.append("%s: '%s' does not match %s" % (path, value, schema["pattern"]))
    if isinstance(value, dict):
        for key in schema.get("required", []):
            if key not in value:
                errors.append("%s: missing required field '%s'" % (path, key))
        props = schema.get("properties", {})
        for key, item in value.items():
            if key in props:
                errors += validate(item, props[key], root, path + "." + key)
            elif schema.get("additionalProperties") is False:
                errors.append("%s: unexpected field '%s'" % (path, key))
    if isinstance(value, list) and "items" in schema:
        for i, item in enumerate(value):
            errors += validate(item, schema["items"], root, "%s[%d]" % (path, i))
    for sub in schema.get("allOf", []):
        errors += validate(value, sub, root, path)
    if "if" in schema and not validate(value, schema["if"], root, path):
        errors += validate(value, schema.get("then", {}), root, path)
    return errors


def check_folders(folders):
    with open(SCHEMA_PATH, encoding="utf-8") as f:
        schema = json.load(f)
    files = []
    for folder in folders:
        if not os.path.isdir(folder):
            raise UsageError("--check: %s is not a folder" % folder)
        for root, _, names in os.walk(folder):
            files += [os.path.join(root, n) for n in sorted(names) if n.endswith(".json")]
    bad = 0
    for path in files:
        try:
            with open(path, encoding="utf-8") as f:
                record = json.load(f)
        except (OSError, ValueError) as e:
            print("%s: not JSON: %s" % (path, e))
            bad += 1
            continue
        errors = validate(record, schema, schema)
        if isinstance(record, dict) and os.path.basename(path) != str(record.get("id")) + ".json":
            errors.append("$: the file name must be the record id + .json")
        if errors:
            bad += 1
            print("%s:\n  %s" % (path, "\n  ".join(errors)))
    print("checked %d records: %d valid, %d invalid" % (len(files), len(files) - bad, bad))
    return 1 if bad else 0


# ---------------------------------------------------------------------------------------------------------------------
# Device memory as the driver sees it: NVML through ctypes (no pynvml needed), else cudaMemGetInfo via torch.

class DeviceMemory:
    def __init__(self):
        self.source = None
        self._nvml = None
        self._handle = None
        try:
            import ctypes
            lib = ctypes.CDLL("libnvidia-ml.so.1")
            if lib.nvmlInit_v2() != 0:
                return
            handle = ctypes.c_void_p()
            index = os.environ.get("CUDA_VISIBLE_DEVICES", "0").split(",")[0].strip()
            if not index.isdigit() or lib.nvmlDeviceGetHandleByIndex_v2(int(index), ctypes.byref(handle)) != 0:
                return
            self._ctypes, self._nvml, self._handle, self.source = ctypes, lib, handle, "nvml"
        except OSError:
            pass

    def bind(self, uuid):
        """After CUDA is up: make sure NVML looks at the device torch uses (by UUID); otherwise fall back."""
        if self._nvml is None or not uuid:
            return
        handle = self._ctypes.c_void_p()
        if self._nvml.nvmlDeviceGetHandleByUUID(uuid.encode(), self._ctypes.byref(handle)) == 0:
            self._handle = handle

    def used(self):
        if self._nvml is not None:
            class Info(self._ctypes.Structure):
                _fields_ = [("total", self._ctypes.c_ulonglong), ("free", self._ctypes.c_ulonglong),
                            ("used", self._ctypes.c_ulonglong)]
            info = Info()
            if self._nvml.nvmlDeviceGetMemoryInfo(self._handle, self._ctypes.byref(info)) == 0:
                return int(info.used)
        return None

    def driver(self):
        if self._nvml is None:
            return None
        buf = self._ctypes.create_string_buffer(96)
        return buf.value.decode() if self._nvml.nvmlSystemGetDriverVersion(buf, 96) == 0 else None


# ---------------------------------------------------------------------------------------------------------------------
# Measurement (torch from here on)

class Measurer:
    def __init__(self, args):
        self.args = args
        self.device_memory = DeviceMemory()          # before CUDA is initialized
        self.used_before_init = self.device_memory.used()
        import torch
        import transformers
        self.torch, self.transformers = torch, transformers
        if not torch.cuda.is_available():
            raise UsageError("no CUDA device is visible to torch; use --dry-run on machines without a GPU")
        torch.cuda.init()
        props = torch.cuda.get_device_properties(0)
        uuid = getattr(props, "uuid", None)
        self.device_memory.bind(("GPU-" + str(uuid)) if uuid is not None else None)
        if self.device_memory.source is None:
            self.device_memory.source = "cudaMemGetInfo"
        try:
            import peft
            peft_version = peft.__version__
        except ImportError:
            peft_version = None
        self.total_memory = int(props.total_memory)
        env = base_environment()
        env.update({
            "torch": torch.__version__, "transformers": transformers.__version__, "peft": peft_version,
            "cuda": torch.version.cuda, "cudnn": torch.backends.cudnn.version(),
            "gpu_name": torch.cuda.get_device_name(0), "gpu_total_memory": self.total_memory,
            "driver": self.device_memory.driver(), "device_used_source": self.device_memory.source,
        })
        self.environment = env

    def device_used(self):
        used = self.device_memory.used()
        if used is None:
            free, total = self.torch.cuda.mem_get_info()
            used = int(total - free)
        return used

    def clean(self):
        torch = self.torch
        gc.collect()
        torch.cuda.synchronize()
        torch.cuda.empty_cache()
        if hasattr(torch._C, "_cuda_clearCublasWorkspaces"):
            torch._C._cuda_clearCublasWorkspaces()
        torch.cuda.reset_peak_memory_stats()

    def dtype(self, name):
        return {"fp32": self.torch.float32, "bf16": self.torch.bfloat16, "fp16": self.torch.float16}[name]

    def build(self, model_info, dtype, attn, device):
        from transformers import AutoConfig, AutoModelForCausalLM
        config = dict(model_info["config"])
        model_type = config.pop("model_type")
        cfg = AutoConfig.for_model(model_type, **config)
        with self.torch.device(device):
            try:    # transformers >= 4.56 names the argument dtype; older releases only know torch_dtype
                model = AutoModelForCausalLM.from_config(cfg, dtype=self.dtype(dtype), attn_implementation=attn)
            except TypeError:
                model = AutoModelForCausalLM.from_config(cfg, torch_dtype=self.dtype(dtype), attn_implementation=attn)
        for p in model.parameters():
            if p.is_floating_point() and p.dtype != self.dtype(dtype):
                raise RuntimeError("parameter created in %s, not %s" % (p.dtype, dtype))
        return model

    def predicted_floor(self, run):
        """A lower bound of the run's memory from its parameter count (meta device, no memory): runs whose model states
        alone exceed the GPU are recorded as skipped instead of attempted."""
        s = run["settings"]
        try:
            model = self.build(run["model"], s["dtype"], s["attn_implementation"] or "sdpa", "meta")
        except Exception as e:                         # noqa: BLE001 - no bound: the run is attempted
            print("note: %s: no meta-device parameter count (%s: %s)" % (run["id"], type(e).__name__, e), file=sys.stderr)
            return None, 0
        params = sum(p.numel() for p in model.parameters())
        run["model"]["effective_config"] = self.config_dict(model)
        del model
        width = {"fp32": 4, "bf16": 2, "fp16": 2}[s["dtype"]]
        if run["phase"] != "training_step" or s["method"] == "lora":
            per = width
        else:
            states = {"adamw": 2, "sgd": 0}[s["optimizer"]] * (2 if s["precision"] == "bf16" else 4)
            per = width * 2 + states                    # weights + gradients + optimizer states
        return params, params * per

    @staticmethod
    def config_dict(model):
        """model.config with every default filled in, as transformers itself serializes it."""
        return json.loads(model.config.to_json_string(use_diff=False))

    @staticmethod
    def tensor_bytes(tensors):
        storages = {}
        for t in tensors:
            if t is not None and hasattr(t, "untyped_storage") and t.device.type == "cuda":
                storages[t.untyped_storage().data_ptr()] = t.untyped_storage().nbytes()
        return sum(storages.values()), len(storages)

    def model_bytes(self, model):
        params = list(model.parameters())
        p_bytes, _ = self.tensor_bytes(params)
        b_bytes, _ = self.tensor_bytes(list(model.buffers()))
        return {
            "parameter_count": sum(p.numel() for p in params),
            "trainable_parameter_count": sum(p.numel() for p in params if p.requires_grad),
            "trainable_dtypes": sorted(set(str(p.dtype).replace("torch.", "") for p in params if p.requires_grad)),
            "parameter_bytes": p_bytes,
            "buffer_bytes": b_bytes,
        }

    def cache_tensors(self, cache):
        found = []

        def walk(obj, depth):
            if depth > 6 or obj is None:
                return
            if self.torch.is_tensor(obj):
                found.append(obj)
            elif isinstance(obj, (list, tuple)):
                for x in obj:
                    walk(x, depth + 1)
            elif isinstance(obj, dict):
                for x in obj.values():
                    walk(x, depth + 1)
            elif type(obj).__module__.startswith("transformers") and hasattr(obj, "__dict__"):
                for x in vars(obj).values():
                    walk(x, depth + 1)

        walk(cache, 0)
        return found

    def measure(self, run):
        torch = self.torch
        s = run["settings"]
        m = {
            "torch_max_memory_allocated": None, "torch_max_memory_reserved": None,
            "torch_allocated_at_start": None, "torch_allocated_after_load": None,
            "torch_allocated_before_measured": None, "torch_reserved_at_device_sample": None,
            "peak_after_forward": None, "peak_after_backward": None, "peak_after_step": None,
            "device_used_before_init": self.used_before_init, "device_used_at_start": None,
            "device_used_after_measured": None,
            "parameter_count": None, "trainable_parameter_count": None, "trainable_dtypes": None,
            "parameter_bytes": None, "buffer_bytes": None,
            "gradient_bytes": None, "optimizer_state_bytes": None,
            "kv_cache_bytes": None, "kv_cache_tensors": None, "kv_cache_class": None,
            "predicted_floor_bytes": None, "loss": None, "seconds": None,
        }
        started = time.time()
        self.clean()
        m["torch_allocated_at_start"] = torch.cuda.memory_allocated()
        m["device_used_at_start"] = self.device_used()
        params, floor = self.predicted_floor(run)
        m["parameter_count"], m["predicted_floor_bytes"] = params, floor
        if floor > 0.95 * self.total_memory:
            m["seconds"] = round(time.time() - started, 3)
            return "skipped", "model states alone need %.1f GiB of the GPU's %.1f GiB" % (
                floor / 2 ** 30, self.total_memory / 2 ** 30), m

        torch.manual_seed(s["seed"])
        state = {}
        try:
            if run["phase"] == "training_step":
                self.training(run, m, state)
            else:
                self.inference(run, m, state)
            status, detail = "ok", None
        except torch.cuda.OutOfMemoryError as e:
            status, detail = "oom", str(e).splitlines()[0][:300]
            m["torch_max_memory_allocated"] = torch.cuda.max_memory_allocated()
            m["torch_max_memory_reserved"] = torch.cuda.max_memory_reserved()
        finally:
            state.clear()
            self.clean()
        m["seconds"] = round(time.time() - started, 3)
        return status, detail, m

    def sample_device(self, m):
        self.torch.cuda.synchronize()
        m["torch_max_memory_allocated"] = self.torch.cuda.max_memory_allocated()
        m["torch_max_memory_reserved"] = self.torch.cuda.max_memory_reserved()
        m["torch_reserved_at_device_sample"] = self.torch.cuda.memory_reserved()
        m["device_used_after_measured"] = self.device_used()

    def inference(self, run, m, state):
        torch = self.torch
        s = run["settings"]
        model = state["model"] = self.build(run["model"], s["dtype"], s["attn_implementation"] or "sdpa", "cuda")
        model.eval()
        model.requires_grad_(False)                     # inference: no parameter is trainable
        torch.cuda.synchronize()
        m["torch_allocated_after_load"] = torch.cuda.memory_allocated()
        m.update(self.model_bytes(model))
        run["model"]["effective_config"] = self.config_dict(model)
        if run["phase"] == "inference_weights":
            m["torch_allocated_before_measured"] = m["torch_allocated_after_load"]
            self.sample_device(m)
            return

        keep = {}
        names = __import__("inspect").signature(model.forward).parameters
        if "logits_to_keep" in names:
            keep = {"logits_to_keep": s["logits_to_keep"]}
        elif "num_logits_to_keep" in names:
            keep = {"num_logits_to_keep": s["logits_to_keep"]}
        else:
            s["logits_to_keep"] = None                 # this transformers computes logits for every position
        vocab = model.config.vocab_size
        ids = torch.randint(0, vocab, (s["batch_size"], s["sequence_length"]), device="cuda")

        def prefill():
            out = model(input_ids=ids, use_cache=True, **keep)
            last = out.logits[:, -1, :].float()       # what generate() hands the sampler
            return out, last

        with torch.inference_mode():
            for _ in range(s["warmup_iterations"]):
                out, last = prefill()
                del out, last
            torch.cuda.synchronize()
            torch.cuda.reset_peak_memory_stats()
            m["torch_allocated_before_measured"] = torch.cuda.memory_allocated()
            state["out"], state["last"] = prefill()
            cache = state["out"].past_key_values
            m["kv_cache_bytes"], m["kv_cache_tensors"] = self.tensor_bytes(self.cache_tensors(cache))
            m["kv_cache_class"] = type(cache).__name__
            self.sample_device(m)

    def training(self, run, m, state):
        torch = self.torch
        s = run["settings"]
        model = state["model"] = self.build(run["model"], s["dtype"], s["attn_implementation"], "cuda")
        run["model"]["effective_config"] = self.config_dict(model)
        if s["gradient_checkpointing"]:
            model.gradient_checkpointing_enable(gradient_checkpointing_kwargs={"use_reentrant": False})
        if s["method"] == "lora":
            import peft
            config = peft.LoraConfig(r=s["lora_rank"], lora_alpha=s["lora_alpha"], lora_dropout=s["lora_dropout"],
                                     target_modules=s["lora_target_modules"], bias="none", task_type="CAUSAL_LM")
            try:
                # peft >= 0.12: fp32 adapters on a bf16 base unless autocast_adapter_dtype=False.
                wrapped = peft.get_peft_model(model, config, autocast_adapter_dtype=(s["precision"] == "amp_bf16"))
            except TypeError:
                wrapped = peft.get_peft_model(model, config)   # older peft: adapters in the base dtype
            model = state["model"] = wrapped
        model.train()
        torch.cuda.synchronize()
        m["torch_allocated_after_load"] = torch.cuda.memory_allocated()
        m.update(self.model_bytes(model))

        trainable = [p for p in model.parameters() if p.requires_grad]
        if s["optimizer"] == "adamw":
            kwargs = {} if s["optimizer_impl"] == "default" else {s["optimizer_impl"]: True}
            optimizer = torch.optim.AdamW(trainable, lr=s["learning_rate"], **kwargs)
        else:
            optimizer = torch.optim.SGD(trainable, lr=s["learning_rate"], momentum=0.0)
        state["optimizer"] = optimizer
        vocab = model.config.vocab_size
        ids = torch.randint(0, vocab, (s["batch_size"], s["sequence_length"]), device="cuda")
        autocast = s["precision"] == "amp_bf16"

        def step(measure):
            optimizer.zero_grad(set_to_none=True)
            with torch.autocast("cuda", dtype=torch.bfloat16, enabled=autocast):
                loss = model(input_ids=ids, labels=ids, use_cache=False).loss
            if measure:
                torch.cuda.synchronize()
                m["peak_after_forward"] = torch.cuda.max_memory_allocated()
            loss.backward()
            if measure:
                torch.cuda.synchronize()
                m["peak_after_backward"] = torch.cuda.max_memory_allocated()
                m["gradient_bytes"], _ = self.tensor_bytes([p.grad for p in trainable])
            optimizer.step()
            value = float(loss.detach())
            del loss
            return value

        for _ in range(s["warmup_iterations"]):
            step(False)
        optimizer.zero_grad(set_to_none=True)
        gc.collect()
        torch.cuda.synchronize()
        torch.cuda.reset_peak_memory_stats()
        m["torch_allocated_before_measured"] = torch.cuda.memory_allocated()
        m["loss"] = step(True)
        torch.cuda.synchronize()
        m["peak_after_step"] = torch.cuda.max_memory_allocated()
        state_tensors = [v for st in optimizer.state.values() for v in st.values() if torch.is_tensor(v)]
        m["optimizer_state_bytes"], _ = self.tensor_bytes(state_tensors)
        self.sample_device(m)


# ---------------------------------------------------------------------------------------------------------------------

def main(argv=None):
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if args.check:
            return check_folders(args.check)
        settings = resolve(args)
        runs, excluded = plan(settings, args.warmup, args.seed, args.adamw_impl)
        out = os.path.abspath(args.out or (DEFAULT_DRY_RUN_OUT if args.dry_run else DEFAULT_OUT))
        done = set() if args.overwrite else existing_ids([out] + args.skip_done)
        chosen, todo = select(runs, settings["shard"], done, args.limit)
        for run_id, reason in excluded:
            print("excluded %s: %s" % (run_id, reason), file=sys.stderr)
        recorded = sum(1 for r in chosen if r["id"] in done)
        print("sweep: %d runs (%d excluded); shard %d/%d: %d; already recorded: %d; to run: %d"
              % (len(runs), len(excluded), settings["shard"][0], settings["shard"][1], len(chosen), recorded,
                 len(todo)), file=sys.stderr)
        if args.list:
            for run in todo:
                print(run["id"])
            return 0
        if args.dry_run:
            environment = base_environment()
            for run in todo:
                write_record(out, new_record(run, environment, True))
            print("dry run: wrote %d records to %s" % (len(todo), out))
            return 0
        try:
            import torch  # noqa: F401
            import transformers  # noqa: F401
        except ImportError as e:
            raise UsageError("measuring needs PyTorch and transformers (%s); use --dry-run to check the sweep "
                             "without them" % e)
        if any(r["settings"]["method"] == "lora" for r in todo):
            try:
                import peft  # noqa: F401
            except ImportError:
                raise UsageError("the LoRA recipes need peft; install it or leave the lora-* recipes out of --recipes")
        measurer = Measurer(args)
        started = time.time()
        counts = {}
        for i, run in enumerate(todo):
            if args.time_budget_s is not None and time.time() - started > args.time_budget_s:
                print("time budget reached: %d of %d runs left; run the same command again to continue"
                      % (len(todo) - i, len(todo)), file=sys.stderr)
                break
            record = new_record(run, measurer.environment, False)
            try:
                status, detail, measurements = measurer.measure(run)
            except Exception as e:                       # noqa: BLE001 - recorded, then continue or stop
                status, detail, measurements = "error", "%s: %s" % (type(e).__name__, e), None
                traceback.print_exc()
            record.update({"status": status, "status_detail": detail, "measurements": measurements,
                           "model": run["model"], "settings": run["settings"]})
            write_record(out, record)
            counts[status] = counts.get(status, 0) + 1
            peak = (measurements or {}).get("torch_max_memory_allocated")
            print("[%d/%d] %s %s%s" % (i + 1, len(todo), run["id"], status,
                                       "" if peak is None else " peak %.3f GiB" % (peak / 2 ** 30)), flush=True)
            if status == "error" and args.fail_fast:
                return 1
        print("done: %s; records in %s" % (", ".join("%s %d" % kv for kv in sorted(counts.items())) or "nothing run", out))
        return 1 if counts.get("error") else 0
    except UsageError as e:
        print("measure.py: error: %s" % e, file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())

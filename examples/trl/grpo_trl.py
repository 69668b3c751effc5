"""GRPO with Hugging Face TRL's GRPOTrainer as an Ablate run (docs/external.md, "TRL recipe").

Started by `ablate run examples/trl/sweep.yaml` (trainer.command), it reads everything from the run:

- the config (`$ABLATE_CONFIG`): `model` builds a small GPT-2 from scratch (no download), `train`
  gives GRPOConfig's settings, `eval` the evaluation, `seed` the seed;
- the task Ablate exported (`$ABLATE_TASK_DIR/train.jsonl`, columns prompt and gold);
- the run's reward from Ablate's reward server (`$ABLATE_REWARD_SOCKET`) through
  `python/ablate_rewards.py`: one TRL reward function per component, weighted as Ablate weighs them;
- it writes Ablate's `metrics.jsonl` (a TrainerCallback turns TRL's logs into train lines; TRL's
  names are Ablate's), evaluates greedy completions with Ablate's evaluation metrics (the
  server's `evaluate`), writes `eval.json`, checkpoints under `$ABLATE_RUN_DIR/checkpoint/` and
  resumes from there with ABLATE_RESUME=1; SIGTERM saves a checkpoint and stops.

Needs torch, transformers, trl and datasets (CPU works; a GPU is used when CUDA_VISIBLE_DEVICES shows one).
"""

import glob
import json
import os
import re
import signal
import sys

os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault("HF_HUB_OFFLINE", "1")

import torch  # noqa: E402
from datasets import load_dataset  # noqa: E402
from transformers import GPT2Config, GPT2LMHeadModel, PreTrainedTokenizerFast, TrainerCallback  # noqa: E402
from trl import GRPOConfig, GRPOTrainer  # noqa: E402

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "python"))
from ablate_rewards import RewardClient, keep_metrics_through, trl_reward_functions, trl_reward_weights  # noqa: E402

PAD, EOS, UNK = "<pad>", "<eos>", "<unk>"


def character_tokenizer() -> PreTrainedTokenizerFast:
    """One token per ASCII character (id = code point); codes 0, 1, 2 are pad, end and unknown."""
    from tokenizers import Tokenizer, decoders, models

    vocabulary = {chr(code): code for code in range(3, 128)}
    vocabulary.update({PAD: 0, EOS: 1, UNK: 2})
    backend = Tokenizer(models.BPE(vocab=vocabulary, merges=[], unk_token=UNK))
    backend.decoder = decoders.Fuse()
    return PreTrainedTokenizerFast(tokenizer_object=backend, pad_token=PAD, eos_token=EOS, unk_token=UNK,
                                   padding_side="left")


def gpt2_from(model_config: dict, seed: int) -> GPT2LMHeadModel:
    """A random-init GPT-2 shaped by Ablate's `model` section."""
    torch.manual_seed(seed)
    config = GPT2Config(vocab_size=128, n_embd=model_config["dim"], n_layer=model_config["layers"],
                        n_head=model_config["heads"], n_inner=model_config["mlp_dim"],
                        n_positions=model_config["context"], resid_pdrop=0.0, embd_pdrop=0.0, attn_pdrop=0.0,
                        bos_token_id=1, eos_token_id=1, pad_token_id=0)
    model = GPT2LMHeadModel(config)
    model.generation_config.pad_token_id = 0
    model.generation_config.eos_token_id = 1
    return model


class AblateMetrics(TrainerCallback):
    """TRL's logs as Ablate train lines; evaluation every `eval.every` steps; SIGTERM → save and stop."""

    def __init__(self, path, evaluate, every):
        self.path, self.evaluate, self.every = path, evaluate, every
        self.stop_requested = False
        signal.signal(signal.SIGTERM, lambda *_: setattr(self, "stop_requested", True))

    def write(self, line):
        with open(self.path, "a") as f:
            f.write(json.dumps(line) + "\n")

    def on_log(self, args, state, control, logs=None, **kwargs):
        if not logs or "train_runtime" in logs:   # the end-of-training summary is not a step
            return
        numbers = {k: float(v) for k, v in logs.items() if isinstance(v, (int, float)) and not isinstance(v, bool)}
        self.write({"kind": "train", "step": state.global_step, **numbers})

    def on_step_end(self, args, state, control, model=None, **kwargs):
        if self.every > 0 and state.global_step % self.every == 0 and state.global_step < state.max_steps:
            self.write({"kind": "eval", **self.evaluate(model, state.global_step)})
        if self.stop_requested:
            control.should_save = True
            control.should_training_stop = True


def main():
    run_dir = os.environ["ABLATE_RUN_DIR"]
    config = json.load(open(os.environ["ABLATE_CONFIG"]))
    train, evaluation = config["train"], config["eval"]
    task_dir = os.environ["ABLATE_TASK_DIR"]
    torch.set_num_threads(int(os.environ.get("TORCH_THREADS", "1")))
    on_gpu = torch.cuda.is_available()

    tokenizer = character_tokenizer()
    checkpoints = os.path.join(run_dir, "checkpoint")
    metrics_path = os.path.join(run_dir, "metrics.jsonl")
    resume = os.environ.get("ABLATE_RESUME") == "1" and glob.glob(os.path.join(checkpoints, "checkpoint-*"))
    if resume:
        # Lines past the newest checkpoint are trained again: drop them.
        newest = max(int(re.search(r"checkpoint-(\d+)$", d).group(1)) for d in glob.glob(os.path.join(checkpoints, "checkpoint-*")))
        keep_metrics_through(newest)
        print(f"resuming from step {newest}", flush=True)

    client = RewardClient()
    dataset = load_dataset("json", data_files=os.path.join(task_dir, "train.jsonl"), split="train")

    def evaluate(model, step):
        rows = []
        for split in evaluation["splits"]:
            items = [json.loads(line) for line in open(os.path.join(task_dir, f"{split}.jsonl"))]
            rows += items[: evaluation["max_items"]] if evaluation["max_items"] > 0 else items
        was_training = model.training
        model.eval()
        completions = []
        for start in range(0, len(rows), 16):
            chunk = rows[start:start + 16]
            encoded = tokenizer([r["prompt"] for r in chunk], return_tensors="pt", padding=True).to(model.device)
            with torch.no_grad():
                output = model.generate(**encoded, do_sample=False, max_new_tokens=evaluation["max_new_tokens"])
            completions += tokenizer.batch_decode(output[:, encoded["input_ids"].shape[1]:], skip_special_tokens=True)
        model.train(was_training)
        items = [{"split": r["split"], "gold": r["gold"], "completion": c} for r, c in zip(rows, completions)]
        return client.evaluate(items, step)

    metrics = AblateMetrics(metrics_path, evaluate, evaluation["every"])
    args = GRPOConfig(
        output_dir=checkpoints,
        max_steps=train["steps"],
        learning_rate=train["lr"],
        lr_scheduler_type=train["lr_schedule"] if train["lr_schedule"] in ("constant", "linear", "cosine") else "constant",
        warmup_steps=train["warmup"],
        weight_decay=train["weight_decay"],
        adam_beta1=train["adam_beta1"], adam_beta2=train["adam_beta2"], adam_epsilon=train["adam_eps"],
        max_grad_norm=train["max_grad_norm"],
        per_device_train_batch_size=train["batch_size"] * train["group_size"],
        num_generations=train["group_size"],
        max_completion_length=train["max_new_tokens"],
        temperature=train["temperature"],
        top_p=train["top_p"],
        top_k=train["top_k"],
        beta=train["beta"],
        epsilon=train["epsilon"],
        num_iterations=train["iterations"],
        loss_type=train["loss_type"],
        reward_weights=trl_reward_weights(client),
        save_strategy="steps",
        save_steps=max(1, train["checkpoint_every"]),
        logging_steps=1,
        report_to="none",
        use_cpu=not on_gpu,
        bf16=False,
        seed=config["seed"],
        data_seed=config["seed"],
        disable_tqdm=True,
        gradient_checkpointing=False,
    )
    trainer = GRPOTrainer(model=gpt2_from(config["model"], config["seed"]), reward_funcs=trl_reward_functions(client),
                          args=args, train_dataset=dataset, processing_class=tokenizer, callbacks=[metrics])
    trainer.train(resume_from_checkpoint=bool(resume))
    if metrics.stop_requested:
        print(f"stopped at step {trainer.state.global_step} (checkpointed)", flush=True)
        sys.exit(130)
    final = evaluate(trainer.model, trainer.state.global_step)
    metrics.write({"kind": "eval", **final})
    with open(os.path.join(run_dir, "eval.json.tmp"), "w") as f:
        f.write(json.dumps(final) + "\n")
    os.replace(os.path.join(run_dir, "eval.json.tmp"), os.path.join(run_dir, "eval.json"))
    print(f"done at step {trainer.state.global_step}", flush=True)


if __name__ == "__main__":
    main()

"""A minimal external trainer for Ablate, in plain Python (standard library only).

It follows the whole contract of docs/external.md, at a size that runs in a second: the policy
is a softmax over five kinds of answer built from each item's gold answer (the gold itself,
without its think block, with a wrong parameter value, a refusal, and noise), shared by all
prompts. Each step samples `train.batch_size` prompts × `train.group_size` answers, scores them
with the run's reward on Ablate's reward server, and takes a REINFORCE step with group-normalised
advantages (GRPO's). It evaluates the greedy answer on the evaluation splits through the server,
checkpoints every `train.checkpoint_every` steps and on SIGTERM, and resumes with ABLATE_RESUME=1.

Run it through Ablate (`trainer: {command: [python3, .../bandit_trainer.py], resumable: true}`).
Options for tests: --exit-at STEP:CODE (exit with CODE at STEP), --malformed-at STEP (write a
metrics line with a string value at STEP). With BANDIT_GATE set, it waits after step
BANDIT_GATE_STEP (default 1) until that file exists.
"""

import argparse
import json
import math
import os
import random
import signal
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "python"))
from ablate_rewards import RewardClient, keep_metrics_through  # noqa: E402

KINDS = ["gold", "no_think", "wrong_value", "refusal", "noise"]


def answer(kind: str, gold: str) -> str:
    """The completion of one answer kind for an item with this gold answer."""
    if kind == "gold":
        return gold
    if kind == "no_think":
        end = gold.find("</think>")
        return gold[end + len("</think>"):].lstrip() if end >= 0 else gold
    if kind == "wrong_value":
        start = gold.find('": "', gold.find('"parameters"'))
        if gold.find('"parameters"') < 0 or start < 0:
            return gold.replace("<response>", '<tool_call>\n{"name": "search", "parameters": {"q": "x"}}\n</tool_call>\n<response>', 1)
        start += 4
        return gold[:start] + "zzz" + gold[gold.index('"', start):]
    if kind == "refusal":
        return "<think> I cannot do this. </think>\n<response> Sorry, I cannot help with that. </response>"
    return "the answer is 42"


def softmax(logits):
    top = max(logits)
    weights = [math.exp(x - top) for x in logits]
    total = sum(weights)
    return [w / total for w in weights]


def write_atomic(path: str, text: str):
    temporary = os.path.join(os.path.dirname(path), "." + os.path.basename(path) + ".tmp")
    with open(temporary, "w") as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())
    os.replace(temporary, path)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--exit-at", default=None, help="STEP:CODE")
    parser.add_argument("--malformed-at", type=int, default=None)
    options = parser.parse_args()

    run_dir = os.environ["ABLATE_RUN_DIR"]
    config = json.load(open(os.environ["ABLATE_CONFIG"]))
    train, evaluation = config["train"], config["eval"]
    steps, lr = train["steps"], train["lr"]
    batch, group = train["batch_size"], train["group_size"]
    checkpoint_every = max(1, train["checkpoint_every"])
    task_dir = os.environ["ABLATE_TASK_DIR"]
    items = [json.loads(line) for line in open(os.path.join(task_dir, "train.jsonl"))]
    client = RewardClient()
    components = client.info()["components"]

    checkpoint_dir = os.path.join(run_dir, "checkpoint")
    state_path = os.path.join(checkpoint_dir, "state.json")
    metrics_path = os.path.join(run_dir, "metrics.jsonl")
    step, logits = 0, [0.0] * len(KINDS)
    rng = random.Random(config["seed"])
    if os.environ.get("ABLATE_RESUME") == "1" and os.path.exists(state_path):
        saved = json.load(open(state_path))
        step, logits = saved["step"], saved["logits"]
        version, internal, gauss = saved["random"]
        rng.setstate((version, tuple(internal), gauss))
        # Lines written after the checkpoint are replayed by this run: drop them.
        keep_metrics_through(step)
        print(f"bandit: resumed at step {step}", flush=True)
    else:
        print(f"bandit: starting, {steps} steps", flush=True)

    stop = {"requested": False}
    signal.signal(signal.SIGTERM, lambda *_: stop.update(requested=True))

    def checkpoint():
        os.makedirs(checkpoint_dir, exist_ok=True)
        write_atomic(state_path, json.dumps({"step": step, "logits": logits, "random": rng.getstate()}))

    def evaluate():
        wanted = []
        best = KINDS[max(range(len(KINDS)), key=lambda k: logits[k])]
        for split in evaluation["splits"]:
            rows = [json.loads(line) for line in open(os.path.join(task_dir, f"{split}.jsonl"))]
            if evaluation["max_items"] > 0:
                rows = rows[:evaluation["max_items"]]
            wanted += [{"split": split, "gold": r["gold"], "completion": answer(best, r["gold"])} for r in rows]
        return client.evaluate(wanted, step)

    metrics = open(metrics_path, "a")

    def emit(line: dict):
        metrics.write(json.dumps(line) + "\n")
        metrics.flush()

    while step < steps:
        if stop["requested"]:
            checkpoint()
            print(f"bandit: stopping at step {step} (checkpointed)", flush=True)
            sys.exit(130)
        step += 1
        if options.exit_at and int(options.exit_at.split(":")[0]) == step:
            print(f"bandit: exiting at step {step} on purpose", file=sys.stderr, flush=True)
            sys.exit(int(options.exit_at.split(":")[1]))
        probabilities = softmax(logits)
        chosen, requests = [], []
        for _ in range(batch):
            item = items[rng.randrange(len(items))]
            for _ in range(group):
                k = rng.choices(range(len(KINDS)), weights=probabilities)[0]
                chosen.append(k)
                requests.append({"gold": item["gold"], "completion": answer(KINDS[k], item["gold"]), "step": step})
        results = client.score(requests)
        totals = [r["total"] for r in results]
        advantages, zero_std = [], 0
        for g in range(batch):
            rewards = totals[g * group:(g + 1) * group]
            mean = sum(rewards) / group
            std = math.sqrt(sum((r - mean) ** 2 for r in rewards) / max(1, group - 1))
            zero_std += std < 1e-8
            advantages += [(r - mean) / (std + 1e-4) for r in rewards]
        gradient = [0.0] * len(KINDS)
        loss = 0.0
        for k, advantage in zip(chosen, advantages):
            loss -= advantage * math.log(probabilities[k]) / len(chosen)
            for j in range(len(KINDS)):
                gradient[j] += advantage * ((j == k) - probabilities[j]) / len(chosen)
        logits = [x + lr * g for x, g in zip(logits, gradient)]
        mean_total = sum(totals) / len(totals)
        line = {"kind": "train", "step": step, "reward": mean_total,
                "reward_std": math.sqrt(sum((t - mean_total) ** 2 for t in totals) / len(totals))}
        for component in components:
            values = [r[component] for r in results]
            line[f"rewards/{component}/mean"] = sum(values) / len(values)
        line["frac_reward_zero_std"] = zero_std / batch
        line["entropy"] = -sum(p * math.log(p) for p in probabilities)
        line["loss"] = loss
        line["learning_rate"] = lr
        if options.malformed_at == step:
            line["reward"] = "high"
        emit(line)
        if evaluation["every"] > 0 and step % evaluation["every"] == 0 and step < steps:
            emit({"kind": "eval", **evaluate()})
        if step % checkpoint_every == 0:
            checkpoint()
        gate = os.environ.get("BANDIT_GATE")
        at_gate = step == int(os.environ.get("BANDIT_GATE_STEP", "1"))
        while gate and at_gate and not os.path.exists(gate) and not stop["requested"]:
            time.sleep(0.02)

    final = evaluate()
    emit({"kind": "eval", **final})
    write_atomic(os.path.join(run_dir, "eval.json"), json.dumps(final) + "\n")
    checkpoint()
    print(f"bandit: done, policy {dict(zip(KINDS, (round(p, 3) for p in softmax(logits))))}", flush=True)


if __name__ == "__main__":
    main()

"""Ablate's rewards for external trainers: a client of Ablate's reward server (and the one
helper of the run contract a resuming trainer needs, `keep_metrics_through`).

A single file with the standard library only; copy it next to a training script. The server is
`ablate score --serve` (docs/external.md); inside a run that Ablate starts, its Unix socket is in
$ABLATE_REWARD_SOCKET and holds the run's own reward (preset, composition, fidelity, schedule).

    from ablate_rewards import RewardClient, trl_reward_functions, trl_reward_weights
    funcs = trl_reward_functions()             # one function per component: format, correctness[, length]
    GRPOTrainer(..., reward_funcs=funcs, args=GRPOConfig(reward_weights=trl_reward_weights(), ...))

veRL: `custom_reward_function.path=ablate_rewards.py custom_reward_function.name=compute_score`.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import threading

__all__ = [
    "RewardClient", "RewardServerError", "default_client", "completion_text",
    "trl_reward_functions", "trl_reward_weights", "compute_score", "compute_score_batch", "keep_metrics_through",
]


class RewardServerError(RuntimeError):
    """The server answered a request with an error (the message names the field)."""


class RewardClient:
    """One connection to a reward server: a Unix socket, or a server this client starts.

    - `RewardClient()` connects to $ABLATE_REWARD_SOCKET;
    - `RewardClient(socket_path="/tmp/r.sock")` to a server started with `ablate score --serve --socket`;
    - `RewardClient(command=["ablate", "score", "--serve", "--reward", "coarse"])` starts a server on
      the client's own pipes (stdin/stdout JSON lines) and stops it on `close()`.

    Requests are answered in order; a lock makes one client safe to share between threads. After
    a fork (data-loader or Ray workers) the child opens its own connection on first use.
    """

    def __init__(self, socket_path: str | None = None, command: list[str] | None = None):
        if socket_path is None and command is None:
            socket_path = os.environ.get("ABLATE_REWARD_SOCKET")
            if not socket_path:
                raise RewardServerError(
                    "no reward server: ABLATE_REWARD_SOCKET is not set (run under `ablate run`, or pass "
                    "socket_path= or command=['ablate', 'score', '--serve', '--reward', PRESET])")
        self.socket_path = socket_path
        self.command = command
        self._lock = threading.Lock()
        self._pid = None
        self._process = None
        self._reader = None
        self._writer = None
        self._next_id = 0
        self._info = None

    # -- connection ---------------------------------------------------------------------------
    def _connect(self):
        if self._pid == os.getpid():
            return
        self._pid = os.getpid()
        if self.command is not None:
            self._process = subprocess.Popen(self.command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, bufsize=0)
            self._reader, self._writer = self._process.stdout, self._process.stdin
        else:
            connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            connection.connect(self.socket_path)
            self._reader = connection.makefile("rb")
            self._writer = connection.makefile("wb")

    def close(self):
        with self._lock:
            for stream in (self._writer, self._reader):
                try:
                    if stream is not None:
                        stream.close()
                except OSError:
                    pass
            if self._process is not None:
                self._process.wait(timeout=10)
            self._pid = self._process = self._reader = self._writer = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def request(self, payload: dict) -> dict:
        """Sends one request object, returns the response object (raises on an error answer)."""
        with self._lock:
            self._connect()
            self._next_id += 1
            payload = dict(payload, id=self._next_id)
            self._writer.write(json.dumps(payload).encode() + b"\n")
            self._writer.flush()
            line = self._reader.readline()
        if not line:
            raise RewardServerError("the reward server closed the connection")
        answer = json.loads(line)
        if "error" in answer:
            raise RewardServerError(answer["error"])
        answer.pop("id", None)
        return answer

    # -- requests -----------------------------------------------------------------------------
    def score(self, items, reward=None, total_steps=None) -> list[dict]:
        """Scores `items` (dicts with gold, completion, step). Each result has format,
        correctness, length (None without a length term) and total."""
        payload = {"op": "score", "items": list(items)}
        if reward is not None:
            payload["reward"] = reward
        if total_steps is not None:
            payload["total_steps"] = total_steps
        return self.request(payload)["results"]

    def info(self) -> dict:
        """The server's reward: resolved spec, components, weights, total_steps (cached)."""
        if self._info is None:
            self._info = self.request({"op": "info"})
        return self._info

    def evaluate(self, items, step: int) -> dict:
        """Ablate's evaluation metrics for items (dicts with split, gold, completion):
        `{"step": step, "splits": {"overall": {...}, "<split>": {...}}}`, the shape of eval.json."""
        return self.request({"op": "evaluate", "step": step, "items": list(items)})


_default = None
_default_lock = threading.Lock()


def default_client() -> RewardClient:
    """The process-wide client of $ABLATE_REWARD_SOCKET."""
    global _default
    with _default_lock:
        if _default is None:
            _default = RewardClient()
        return _default


def completion_text(completion) -> str:
    """A completion as text: a string as it is, a chat message list as its last message's content."""
    if isinstance(completion, str):
        return completion
    if isinstance(completion, list) and completion and isinstance(completion[-1], dict):
        return completion[-1].get("content") or ""
    if isinstance(completion, dict):
        return completion.get("content") or ""
    raise TypeError(f"cannot read a completion of type {type(completion).__name__}")


def keep_metrics_through(step: int, path: str | None = None):
    """On resume from a checkpoint at `step`: drops the lines of metrics.jsonl (default
    $ABLATE_RUN_DIR/metrics.jsonl) past that step, and a line torn by a kill, so that the
    steps trained again are not reported twice. The file is replaced atomically."""
    path = path or os.path.join(os.environ["ABLATE_RUN_DIR"], "metrics.jsonl")
    if not os.path.exists(path):
        return
    kept = []
    with open(path) as f:
        for line in f:
            try:
                if line.endswith("\n") and json.loads(line)["step"] <= step:
                    kept.append(line)
            except (ValueError, KeyError, TypeError):
                pass
    temporary = path + ".tmp"
    with open(temporary, "w") as f:
        f.writelines(kept)
    os.replace(temporary, path)


# -- TRL ----------------------------------------------------------------------------------------
def trl_reward_functions(client: RewardClient | None = None, gold_column: str = "gold"):
    """TRL `reward_funcs`: one function per component of the server's reward, named after it
    (`format`, `correctness`, and `length` when the reward has one), so TRL logs
    `rewards/<component>/mean` under Ablate's names. Pass `trl_reward_weights()` as
    `GRPOConfig(reward_weights=...)` so TRL's `reward` is Ablate's total.

    Each function takes TRL's keyword arguments: `completions`, the dataset column `gold_column`
    (the gold answers of `ablate export-task`), and `trainer_state` for the step (Ablate's step =
    `global_step + 1`, the step being trained). A batch is scored once for all components.
    """
    last = {"key": None, "results": None}
    lock = threading.Lock()

    def results_for(completions, kwargs):
        client_ = client or default_client()
        golds = kwargs.get(gold_column)
        if golds is None:
            raise RewardServerError(f"the dataset has no '{gold_column}' column (ablate export-task writes it)")
        state = kwargs.get("trainer_state")
        step = (getattr(state, "global_step", 0) or 0) + 1
        texts = [completion_text(c) for c in completions]
        key = (step, tuple(texts), tuple(golds))
        with lock:
            if last["key"] != key:
                items = [{"gold": g, "completion": t, "step": step} for g, t in zip(golds, texts)]
                last["results"] = client_.score(items)
                last["key"] = key
            return last["results"]

    def make(component):
        def reward(completions, **kwargs):
            return [r[component] for r in results_for(completions, kwargs)]
        reward.__name__ = component
        reward.__qualname__ = component
        return reward

    components = (client or default_client()).info()["components"]
    return [make(component) for component in components]


def trl_reward_weights(client: RewardClient | None = None) -> list[float]:
    """The weights of the components, in the order of `trl_reward_functions`."""
    info = (client or default_client()).info()
    return [float(info["weights"][component]) for component in info["components"]]


# -- veRL ---------------------------------------------------------------------------------------
def _step_of(extra_info) -> int:
    if isinstance(extra_info, dict) and "step" in extra_info:
        return int(extra_info["step"])
    return int(os.environ.get("ABLATE_REWARD_STEP", "0"))


def compute_score(data_source, solution_str, ground_truth, extra_info=None, **kwargs):
    """veRL's custom reward function: `{"score": total, "format": …, "correctness": …[, "length": …]}`
    (veRL trains on `score` and logs the other keys). The step, for scheduled rewards, comes from
    `extra_info["step"]`, else $ABLATE_REWARD_STEP, else 0."""
    return compute_score_batch([data_source], [solution_str], [ground_truth], [extra_info])[0]


def compute_score_batch(data_sources, solution_strs, ground_truths, extra_infos=None, **kwargs):
    """The batched form (veRL's `reward_model.reward_manager=batch`): one server request per batch."""
    extra_infos = extra_infos if extra_infos is not None else [None] * len(solution_strs)
    items = [{"gold": g, "completion": completion_text(s), "step": _step_of(e)}
             for s, g, e in zip(solution_strs, ground_truths, extra_infos)]
    scored = []
    for r in default_client().score(items):
        entry = {"score": r["total"], "format": r["format"], "correctness": r["correctness"]}
        if r.get("length") is not None:
            entry["length"] = r["length"]
        scored.append(entry)
    return scored

// Model: a small decoder-only transformer in the manner of llm.c — flat `Float` buffers, a
// `forward`/`backward` pair per layer, parameters in one allocation with named views, one
// inference path — with matrix products through OpenBLAS.
//
// Reading order:
// 1. `ModelConfig`, `Tokenizer` (bytes or BPE, `BPETraining`).
// 2. `Kernels/` — one file per layer: `Embedding`, `LayerNorm`, `Linear`, `Attention`, `GELU`,
//    `Residual`, `TokenLogProbs`; `FastMath` and `Parallel` beneath them; `KernelSet` picks the
//    OpenBLAS core.
// 3. `ParameterBuffer`, `TransformerLayout`, `TransformerActivations`, `FloatArena`.
// 4. `Transformer` — training forward and backward; `TransformerFiles`, `FloatBufferFile` — saving;
//    `ValueModel` — PPO's critic, a transformer trunk with a value head.
// 5. Inference: `TransformerLayout+Inference`, `KVCacheDecoder`, `SharedPromptForward`,
//    `Sampling` and `Sampler`.
// 6. `FLOPCounter` — the FLOPs benchmarks report.

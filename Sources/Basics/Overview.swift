// Basics: the ground floor. Everything here is shared by more than one floor above and depends on
// nothing but Foundation, so each fact is written once.
//
// Reading order:
// 1. `AtomicFile` — the one way a whole file is written (temp file, fsync, rename, fsync dir).
// 2. `JSONText`, `JSONTextWriter` — the one JSON escaping and number rule, and a streaming writer.
// 3. `SourceLocation`, `TextPosition`, `Diagnostic`, `ConfigError`, `Suggestion` — located
//    messages (where a byte offset lies, columns in scalars) and "did you mean" hints;
//    `UnreadableFile` — why a file cannot be read.
// 4. `ConfigOption`, `KeyedDecodingContainer+ConfigDecoding` — decoding config values with one
//    wording for a bad value.
// 5. `SplitMix64`, `SeededRandom`, `RandomGenerator` — the seeded generators.
// 6. `SHA256` — run ids and data digests.
// 7. `GrowableBuffer` — reusable allocations (training scratch, whole-file reads).
// 8. `Interrupts` — counting SIGINT/SIGTERM.

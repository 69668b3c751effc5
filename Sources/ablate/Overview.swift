// ablate: the command line. Thin: it parses, calls the floors below, and prints.
//
// Reading order:
// 1. `Ablate` — the root command and its groups of subcommands.
// 2. `Options` — option groups and typed arguments shared by subcommands; `Terminal` — exit
//    codes and the one stderr printer.
// 3. `Commands/Ablate+<Name>` — one subcommand each: sweep commands (`plan`, `run`, `status`,
//    `report`, with `SweepCommandSupport`) and single-run commands (`train`, `score`,
//    `export-task`, `bench`; the hidden `worker`).

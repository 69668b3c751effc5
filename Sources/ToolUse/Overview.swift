// ToolUse: the task — tools, requests, prompts, gold answers — and reading what a policy wrote.
//
// Reading order:
// 1. `TaskConfig`, `TaskItem` — what a run asks for and what it gets.
// 2. `Catalog/` — tool definitions and the two catalogs (`MainCatalogPart1/2`,
//    `ToolCatalog+Pretraining`).
// 3. `Generation/` — `TaskGenerator` draws items (values, masking, small talk, gold answers).
// 4. `Prompts/PromptRenderer` — ToolRL's prompt or a compact one.
// 5. `JSON/` — `JSONValue` with Python's semantics (`json.loads`, `json.dumps`, `==`), as the
//    ToolRL reward code compares values.
// 6. `Parsing/` — a completion's tags and tool calls; `Evaluation/` — metrics per split, ToolRL's
//    format check, `CallError` — the error class of a wrong answer.
// 7. `Loading/` — data files in (`ToolRLLoader`: `DataDocument` reads arrays or JSON lines with
//    located damage, `RecordStyle` the record shapes, `ToolListReader` the tool lists,
//    `LoadedTask` the splits and the load line; `DataFileReference` how a config names a file)
//    and out (`ToolRLExport`).

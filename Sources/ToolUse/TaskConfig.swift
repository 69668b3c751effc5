// The task section of a run config (`RunConfig.task`). Decoding follows the pattern of
// docs/architecture.md: every key optional with a documented default, bad values rejected with
// a message that says what is allowed, and encoding writes every field.

import Basics

/// Dataset sizes (`TaskConfig.preset`).
public enum TaskPreset: String, ConfigOption {
    /// Tests: 32 training items, 8 per evaluation split.
    case tiny
    /// Quickstart: 400 training items, 50 per evaluation split.
    case small
    /// Paper sweeps: 4,000 training items (ToolRL trains on 3,920), 200 per evaluation split.
    case medium

    /// Training items for this preset.
    public var trainSize: Int {
        switch self {
        case .tiny: return 32
        case .small: return 400
        case .medium: return 4000
        }
    }

    /// Items per evaluation split for this preset.
    var evalSize: Int {
        switch self {
        case .tiny: return 8
        case .small: return 50
        case .medium: return 200
        }
    }
}

/// How an item's prompt is written (`TaskConfig.prompt_style`).
public enum PromptStyle: String, ConfigOption {
    /// ToolRL's system prompt (tool list with JSON parameters, steps, output format, notes) and
    /// its `**Dialogue Records History**` user part, in Ablate's chat frame. About 2–3 KB.
    case toolrl
    /// Compact signatures and the request, a few hundred bytes, for small byte-level policies.
    case compact
    /// `compact` plus one line per parameter with its description (and default, when stated).
    case compactDescribed = "compact_described"

    /// Whether prompts list one-line signatures (re-rendered from the tool list).
    public var isCompact: Bool { self != .toolrl }
}

/// The task: which tools, how many items, how prompts look.
///
/// Keys (YAML / JSON, all optional):
/// - `preset` (`tiny` | `small` | `medium`, default `small`): dataset sizes. tiny = 32 train and
///   8 per evaluation split; small = 400 and 50; medium = 4,000 and 200.
/// - `catalog` (`main` | `pretraining` | `world` | `world_held_out`, default `main`): `main` is
///   the task's 50 tools in 10 domains; `pretraining` is a disjoint set of 16 tools in 8 other
///   domains; `world` is the procedurally generated pretraining world (`ToolWorld`), for
///   pretraining a base policy on the general skill without the task's tools; `world_held_out`
///   is the 40 tools that `world` holds out, a task a base trained on `world` has never seen.
/// - `world_tools` (integer ≥ 40, default 2000) and `world_seed` (integer ≥ 0, default 0): the
///   size and seed of the `world` and `world_held_out` catalogs (ignored by the other catalogs).
/// - `mask_names` (number in 0…1, default 0): fraction of items whose tool and parameter names are
///   replaced by random identifiers (as ToolRL's Hammer data), so the policy must read the tool
///   list. Prompt and gold of an item always agree.
/// - `prompt_style` (`toolrl` | `compact` | `compact_described`, default `compact`): `toolrl` is
///   ToolRL's full system prompt (2–3 KB); `compact` lists one-line signatures like
///   `get_weather(city: str, unit?: enum[celsius,fahrenheit]) - …` (a few hundred bytes);
///   `compact_described` adds a line per parameter with its description.
/// - `tools_per_prompt` (integer ≥ 1, default 3): tools listed per item, the gold tools plus
///   distractors. Items that call more distinct tools list all of them.
/// - `train_size` (integer ≥ 1 or null, default null = the preset's): training items.
/// - `eval_size` (integer ≥ 0 or null, default null = the preset's): items per evaluation split
///   (`seen`, `unseen`, `multi`, `irrelevant`).
/// - `multi_fraction` (number in 0…1, default 0.25): share of training items with two or more calls.
/// - `no_call_fraction` (number in 0…1, default 0.15): share of training items whose right answer
///   is a `<response>` without a call. `multi_fraction + no_call_fraction` must be at most 1.
/// - `max_calls` (integer 2…4, default 3): the most calls one item asks for.
/// - `seed_offset` (integer, default 0): items are generated from `run seed + seed_offset`; set it
///   to get different data for the same run seed.
/// - `data` (path or null, default null): a data file (ToolRL raw records, OpenAI-style messages or
///   veRL rows, as a JSON array or JSON lines; see `ToolRLLoader`) used instead of generated items.
///   A relative path is relative to the file that names it. Its prompts are re-rendered in
///   `prompt_style` when the record's tool list can be read, otherwise used as written.
///   `catalog`, `mask_names`, `tools_per_prompt`, the fractions and `max_calls` then do not apply.
/// - `eval_data` (path or null, default null; needs `data`): evaluate on exactly the records of this
///   file; `data` is then used whole for training and `data_eval_fraction` does not apply.
/// - `data_eval_fraction` (number in 0…1, default 0.02, ToolRL's test share): with `data` and no
///   `eval_data`, the share of records held out for evaluation (at least one when the share is
///   above 0 and there are two or more records; 0 holds out none).
public struct TaskConfig: Codable, Equatable, Sendable {
    public var preset: TaskPreset
    public var catalog: CatalogName
    public var maskNames: Double
    public var promptStyle: PromptStyle
    public var toolsPerPrompt: Int
    public var trainSize: Int?
    var evalSize: Int?
    var multiFraction: Double
    var noCallFraction: Double
    var maxCalls: Int
    var seedOffset: Int
    var worldTools: Int
    var worldSeed: Int
    public var data: DataFileReference?
    public var evalData: DataFileReference?
    var dataEvalFraction: Double

    public init(preset: TaskPreset = .small, catalog: CatalogName = .main, maskNames: Double = 0,
                promptStyle: PromptStyle = .compact, toolsPerPrompt: Int = 3, trainSize: Int? = nil,
                evalSize: Int? = nil, multiFraction: Double = 0.25, noCallFraction: Double = 0.15,
                maxCalls: Int = 3, seedOffset: Int = 0, worldTools: Int = 2000, worldSeed: Int = 0,
                data: DataFileReference? = nil, evalData: DataFileReference? = nil, dataEvalFraction: Double = 0.02) {
        self.preset = preset
        self.catalog = catalog
        self.maskNames = maskNames
        self.promptStyle = promptStyle
        self.toolsPerPrompt = toolsPerPrompt
        self.trainSize = trainSize
        self.evalSize = evalSize
        self.multiFraction = multiFraction
        self.noCallFraction = noCallFraction
        self.maxCalls = maxCalls
        self.seedOffset = seedOffset
        self.worldTools = worldTools
        self.worldSeed = worldSeed
        self.data = data
        self.evalData = evalData
        self.dataEvalFraction = dataEvalFraction
    }

    /// Training items after the preset and `train_size`.
    var resolvedTrainSize: Int { trainSize ?? preset.trainSize }
    /// Items per evaluation split after the preset and `eval_size`.
    var resolvedEvalSize: Int { evalSize ?? preset.evalSize }

    enum CodingKeys: String, CodingKey {
        case preset, catalog, data
        case maskNames = "mask_names"
        case promptStyle = "prompt_style"
        case toolsPerPrompt = "tools_per_prompt"
        case trainSize = "train_size"
        case evalSize = "eval_size"
        case multiFraction = "multi_fraction"
        case noCallFraction = "no_call_fraction"
        case maxCalls = "max_calls"
        case seedOffset = "seed_offset"
        case worldTools = "world_tools"
        case worldSeed = "world_seed"
        case dataEvalFraction = "data_eval_fraction"
        case evalData = "eval_data"
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = TaskConfig()
        preset = try container.decodeIfPresent(TaskPreset.self, forKey: .preset) ?? defaults.preset
        catalog = try container.decodeIfPresent(CatalogName.self, forKey: .catalog) ?? defaults.catalog
        promptStyle = try container.decodeIfPresent(PromptStyle.self, forKey: .promptStyle) ?? defaults.promptStyle
        func fraction(_ key: CodingKeys, _ fallback: Double) throws -> Double {
            try container.decodeChecked(Double.self, forKey: key, default: fallback, requirement: "a number from 0 to 1") {
                $0 >= 0 && $0 <= 1
            }
        }
        maskNames = try fraction(.maskNames, defaults.maskNames)
        multiFraction = try fraction(.multiFraction, defaults.multiFraction)
        noCallFraction = try fraction(.noCallFraction, defaults.noCallFraction)
        dataEvalFraction = try fraction(.dataEvalFraction, defaults.dataEvalFraction)
        toolsPerPrompt = try container.decodeChecked(
            Int.self, forKey: .toolsPerPrompt, default: defaults.toolsPerPrompt, requirement: "an integer ≥ 1") { $0 >= 1 }
        trainSize = try container.decodeCheckedIfPresent(Int.self, forKey: .trainSize, requirement: "an integer ≥ 1") { $0 >= 1 }
        evalSize = try container.decodeCheckedIfPresent(Int.self, forKey: .evalSize, requirement: "an integer ≥ 0") { $0 >= 0 }
        maxCalls = try container.decodeChecked(
            Int.self, forKey: .maxCalls, default: defaults.maxCalls, requirement: "an integer from 2 to 4") { (2...4).contains($0) }
        seedOffset = try container.decodeIfPresent(Int.self, forKey: .seedOffset) ?? defaults.seedOffset
        worldTools = try container.decodeChecked(
            Int.self, forKey: .worldTools, default: defaults.worldTools, requirement: "an integer ≥ 40") { $0 >= 40 }
        worldSeed = try container.decodeChecked(
            Int.self, forKey: .worldSeed, default: defaults.worldSeed, requirement: "an integer ≥ 0") { $0 >= 0 }
        data = try container.decodeIfPresent(DataFileReference.self, forKey: .data)
        evalData = try container.decodeIfPresent(DataFileReference.self, forKey: .evalData)
        if evalData != nil && data == nil {
            throw DecodingError.dataCorrupted(.init(
                codingPath: container.codingPath + [CodingKeys.evalData],
                debugDescription: "eval_data needs data: the training records come from task.data (generated items have other tools)"))
        }
        if multiFraction + noCallFraction > 1 {
            throw DecodingError.dataCorrupted(.init(
                codingPath: container.codingPath + [CodingKeys.noCallFraction],
                debugDescription: "multi_fraction + no_call_fraction is \(multiFraction + noCallFraction); "
                    + "expected at most 1 (the rest of the items make one call)"))
        }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(preset, forKey: .preset)
        try container.encode(catalog, forKey: .catalog)
        try container.encode(maskNames, forKey: .maskNames)
        try container.encode(promptStyle, forKey: .promptStyle)
        try container.encode(toolsPerPrompt, forKey: .toolsPerPrompt)
        try container.encode(trainSize, forKey: .trainSize)
        try container.encode(evalSize, forKey: .evalSize)
        try container.encode(multiFraction, forKey: .multiFraction)
        try container.encode(noCallFraction, forKey: .noCallFraction)
        try container.encode(maxCalls, forKey: .maxCalls)
        try container.encode(seedOffset, forKey: .seedOffset)
        try container.encode(worldTools, forKey: .worldTools)
        try container.encode(worldSeed, forKey: .worldSeed)
        try container.encode(data, forKey: .data)
        try container.encode(evalData, forKey: .evalData)
        try container.encode(dataEvalFraction, forKey: .dataEvalFraction)
    }
}

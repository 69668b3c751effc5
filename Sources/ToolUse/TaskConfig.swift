// The task section of a run config (`RunConfig.task`). Decoding follows the pattern of
// docs/architecture.md: every key optional with a documented default, bad values rejected with
// a message that says what is allowed, and encoding writes every field.

/// Dataset sizes (`TaskConfig.preset`).
public enum TaskPreset: String, Codable, CaseIterable, Sendable {
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
    public var evalSize: Int {
        switch self {
        case .tiny: return 8
        case .small: return 50
        case .medium: return 200
        }
    }
}

/// How an item's prompt is written (`TaskConfig.prompt_style`).
public enum PromptStyle: String, Codable, CaseIterable, Sendable {
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
/// - `catalog` (`main` | `pretraining` | `world`, default `main`): `main` is the task's 50 tools
///   in 10 domains; `pretraining` is a disjoint set of 16 tools in 8 other domains; `world` is
///   the procedurally generated pretraining world (`ToolWorld`), for pretraining a base policy
///   on the general skill without the task's tools.
/// - `world_tools` (integer ≥ 40, default 2000) and `world_seed` (integer ≥ 0, default 0): the
///   size and seed of the `world` catalog (ignored by the other catalogs).
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
    public var evalSize: Int?
    public var multiFraction: Double
    public var noCallFraction: Double
    public var maxCalls: Int
    public var seedOffset: Int
    public var worldTools: Int
    public var worldSeed: Int
    public var data: DataFileReference?
    public var evalData: DataFileReference?
    public var dataEvalFraction: Double

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
    public var resolvedTrainSize: Int { trainSize ?? preset.trainSize }
    /// Items per evaluation split after the preset and `eval_size`.
    public var resolvedEvalSize: Int { evalSize ?? preset.evalSize }

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
        preset = try Self.decodeChoice(TaskPreset.self, .preset, in: container) ?? defaults.preset
        catalog = try Self.decodeChoice(CatalogName.self, .catalog, in: container) ?? defaults.catalog
        promptStyle = try Self.decodeChoice(PromptStyle.self, .promptStyle, in: container) ?? defaults.promptStyle
        maskNames = try Self.fraction(.maskNames, in: container) ?? defaults.maskNames
        multiFraction = try Self.fraction(.multiFraction, in: container) ?? defaults.multiFraction
        noCallFraction = try Self.fraction(.noCallFraction, in: container) ?? defaults.noCallFraction
        dataEvalFraction = try Self.fraction(.dataEvalFraction, in: container) ?? defaults.dataEvalFraction
        toolsPerPrompt = try Self.integer(.toolsPerPrompt, atLeast: 1, in: container) ?? defaults.toolsPerPrompt
        trainSize = try Self.integer(.trainSize, atLeast: 1, in: container)
        evalSize = try Self.integer(.evalSize, atLeast: 0, in: container)
        maxCalls = try Self.integer(.maxCalls, atLeast: 2, atMost: 4, in: container) ?? defaults.maxCalls
        seedOffset = try container.decodeIfPresent(Int.self, forKey: .seedOffset) ?? defaults.seedOffset
        worldTools = try Self.integer(.worldTools, atLeast: 40, in: container) ?? defaults.worldTools
        worldSeed = try Self.integer(.worldSeed, atLeast: 0, in: container) ?? defaults.worldSeed
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
        // The world's keys are written only when not the default, so that run ids from before
        // they existed stay the same.
        if worldTools != TaskConfig().worldTools { try container.encode(worldTools, forKey: .worldTools) }
        if worldSeed != TaskConfig().worldSeed { try container.encode(worldSeed, forKey: .worldSeed) }
        try container.encode(data, forKey: .data)
        // Written only when set, so that run ids from before the key existed stay the same.
        if let evalData { try container.encode(evalData, forKey: .evalData) }
        try container.encode(dataEvalFraction, forKey: .dataEvalFraction)
    }

    private static func decodeChoice<T: RawRepresentable & CaseIterable & Decodable>(
        _ type: T.Type, _ key: CodingKeys, in container: KeyedDecodingContainer<CodingKeys>
    ) throws -> T? where T.RawValue == String {
        guard let raw = try container.decodeIfPresent(String.self, forKey: key) else { return nil }
        guard let value = T(rawValue: raw) else {
            let allowed = T.allCases.map(\.rawValue).joined(separator: ", ")
            throw DecodingError.dataCorrupted(.init(
                codingPath: container.codingPath + [key],
                debugDescription: "unknown value \"\(raw)\" for \(key.stringValue); expected one of \(allowed)"))
        }
        return value
    }

    private static func fraction(_ key: CodingKeys, in container: KeyedDecodingContainer<CodingKeys>) throws -> Double? {
        guard let value = try container.decodeIfPresent(Double.self, forKey: key) else { return nil }
        guard value >= 0, value <= 1 else {
            throw DecodingError.dataCorrupted(.init(
                codingPath: container.codingPath + [key],
                debugDescription: "\(key.stringValue) is \(value); expected a number from 0 to 1"))
        }
        return value
    }

    private static func integer(_ key: CodingKeys, atLeast minimum: Int, atMost maximum: Int = Int.max,
                                in container: KeyedDecodingContainer<CodingKeys>) throws -> Int? {
        guard let value = try container.decodeIfPresent(Int.self, forKey: key) else { return nil }
        guard value >= minimum, value <= maximum else {
            let range = maximum == Int.max ? "at least \(minimum)" : "from \(minimum) to \(maximum)"
            throw DecodingError.dataCorrupted(.init(
                codingPath: container.codingPath + [key],
                debugDescription: "\(key.stringValue) is \(value); expected an integer \(range)"))
        }
        return value
    }
}

// The two tool catalogs. `main` is the task's world; `pretraining` has different domains and
// tool names in the same format, so a base policy can learn the output format without ever
// seeing the task's tools.
//
// Held-out tools: the last tool of every domain never appears in training items; it is what the
// `unseen` split calls. The choice is fixed (not seeded) so every seed and preset agrees on it.

import Basics

/// Which catalog a task draws its tools from (`TaskConfig.catalog`).
public enum CatalogName: String, ConfigOption {
    case main
    case pretraining
    /// The procedurally generated pretraining world (`ToolWorld`), sized and seeded by
    /// `task.world_tools` and `task.world_seed`.
    case world
    /// The tools that `world` of the same `world_tools` and `world_seed` holds out of training
    /// (`ToolWorld.heldOutCatalog`): a task catalog a base policy trained on that world has never
    /// seen, in the world's format and conventions.
    case worldHeldOut = "world_held_out"
}

/// A set of tools grouped by domain, with the training / held-out division.
struct ToolCatalog: Sendable {
    let tools: [CatalogTool]
    let heldOutNames: Set<String>
    /// Share of distractor slots filled from the gold tool's own domain when it has more tools
    /// (hard negatives: `get_plant` beside `get_plant_status`); the rest are drawn from the
    /// whole catalog. 0 for the hand-written catalogs.
    var nearDistractorShare = 0.0

    init(domains: [[CatalogTool]]) {
        tools = domains.flatMap { $0 }
        heldOutNames = Set(domains.compactMap { $0.last?.name })
        precondition(Set(tools.map(\.name)).count == tools.count, "duplicate tool names in a catalog")
    }

    /// The catalog a task config names.
    static func forTask(_ config: TaskConfig) -> ToolCatalog {
        switch config.catalog {
        case .main: return main
        case .pretraining: return pretraining
        case .world: return ToolWorld.catalog(size: config.worldTools, seed: UInt64(config.worldSeed))
        case .worldHeldOut: return ToolWorld.heldOutCatalog(size: config.worldTools, seed: UInt64(config.worldSeed))
        }
    }

    /// The task's catalog: 50 tools in 10 domains.
    public static let main = ToolCatalog(domains: [
        weatherTools, travelTools, financeTools, calendarTools, messagingTools,
        mapsTools, shoppingTools, cookingTools, healthTools, mediaTools,
    ])

    /// The disjoint catalog base policies are pretrained on.
    static let pretraining = ToolCatalog(domains: [
        educationTools, sportsTools, homeTools, jobsTools, petsTools, realEstateTools, newsTools, libraryTools,
    ])

    /// Every tool, in catalog order.
    var definitions: [ToolDefinition] { tools.map(\.definition) }

    /// The domains, in catalog order.
    var domains: [String] {
        var seen: [String] = []
        for tool in tools where !seen.contains(tool.domain) { seen.append(tool.domain) }
        return seen
    }

    /// Tools that training items may call.
    var trainingDefinitions: [ToolDefinition] {
        tools.filter { !heldOutNames.contains($0.name) }.map(\.definition)
    }

    /// Tools reserved for the `unseen` split.
    var unseenDefinitions: [ToolDefinition] {
        tools.filter { heldOutNames.contains($0.name) }.map(\.definition)
    }

    /// The tool called `name`, if this catalog has it.
    func definition(named name: String) -> ToolDefinition? {
        tools.first { $0.name == name }?.definition
    }

    var trainingTools: [CatalogTool] { tools.filter { !heldOutNames.contains($0.name) } }
    var unseenTools: [CatalogTool] { tools.filter { heldOutNames.contains($0.name) } }
}

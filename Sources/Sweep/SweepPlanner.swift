import Basics
import Config
import Foundation

/// Expands a spec into runs: variants × grid × zip groups × seeds − excluded, overrides applied in
/// that order over `config`, stages planned once per seed that needs them, every config resolved
/// by the caller's resolver and hashed.
public struct SweepPlanner {
    public var resolver: ConfigResolver

    /// `resolver` fills defaults and knows which ones ids leave out (the CLI passes
    /// `RunConfig.planningResolver()`, which resolves and checks data files first).
    public init(resolver: ConfigResolver) { self.resolver = resolver }

    /// The key a run config names its starting point with.
    static let initKey = "init"
    static let stagePrefix = "stage:"
    static let runPrefix = "run:"

    public func plan(_ spec: SweepSpec) throws -> SweepPlan {
        var state = PlanningState(spec: spec, resolver: resolver)
        let combinations = Self.combinations(of: spec)
        var runs: [PlannedRun] = []
        var excluded = 0
        var matched = Array(repeating: false, count: spec.excludes.count)
        for combination in combinations {
            let hits = spec.excludes.indices.filter { Self.matches(spec.excludes[$0], combination) }
            for hit in hits { matched[hit] = true }
            if !hits.isEmpty { excluded += 1; continue }
            if let run = state.planRun(combination) { runs.append(run) }
        }
        for (index, rule) in spec.excludes.enumerated() where !matched[index] {
            state.log.warning(rule.location, "this exclude entry matches no run\(Self.nearMiss(rule, spec: spec))")
        }
        try state.log.throwIfErrors()
        var plan = SweepPlan(sweep: spec.name, specPath: spec.path, axes: spec.axisNames, runs: runs, stages: state.stageRuns,
                             excluded: excluded, report: spec.report, warnings: spec.warnings + state.log.warnings)
        plan.executor = spec.executor
        return plan
    }

    /// One point of the sweep before resolution.
    struct Combination {
        var variant: SweepSpec.Variant?
        /// (axis, chosen value) for grid then zip axes, in order.
        var choices: [(axis: SweepSpec.Axis, value: SweepSpec.AxisValue)]
        var seed: Int
    }

    /// Deterministic order: variants outermost, then grid axes in file order (first outermost),
    /// then zip groups in order, seeds innermost.
    static func combinations(of spec: SweepSpec) -> [Combination] {
        var points: [[(axis: SweepSpec.Axis, value: SweepSpec.AxisValue)]] = [[]]
        for axis in spec.grid {
            points = points.flatMap { prefix in axis.values.map { prefix + [(axis, $0)] } }
        }
        for group in spec.zipGroups {
            points = points.flatMap { prefix in (0..<group.count).map { index in prefix + group.axes.map { ($0, $0.values[index]) } } }
        }
        let variants: [SweepSpec.Variant?] = spec.variants.isEmpty ? [nil] : spec.variants
        var result: [Combination] = []
        for variant in variants {
            for point in points {
                for seed in spec.seeds { result.append(Combination(variant: variant, choices: point, seed: seed)) }
            }
        }
        return result
    }

    static func matches(_ rule: SweepSpec.ExcludeRule, _ combination: Combination) -> Bool {
        rule.conditions.allSatisfy { condition in
            switch condition.key {
            case "variant": return combination.variant.map { $0.label == SpecParser.label(of: condition.value) } ?? false
            case "seed": return condition.value.scalar?.sameValue(as: .int(combination.seed)) ?? false
            default:
                guard let choice = combination.choices.first(where: { $0.axis.key == condition.key }) else { return false }
                if choice.axis.isLabeled { return choice.value.label == SpecParser.label(of: condition.value) }
                return choice.value.value.sameValue(as: condition.value)
            }
        }
    }

    /// For a rule that matched nothing: the condition naming a value the axis does not have.
    static func nearMiss(_ rule: SweepSpec.ExcludeRule, spec: SweepSpec) -> String {
        for condition in rule.conditions {
            let wanted = SpecParser.label(of: condition.value)
            let labels: [String]
            if condition.key == "seed" { labels = spec.seeds.map(String.init) } else { labels = SpecParser().labels(of: condition.key, in: spec) }
            if !labels.contains(wanted) {
                return ": '\(condition.key)' has no value '\(wanted)'\(Suggestion.hint(for: wanted, among: labels))"
            }
        }
        return ""
    }
}

/// Memoised stage planning and resolution for one `plan` call.
struct PlanningState {
    let spec: SweepSpec
    let resolver: ConfigResolver
    var log = DiagnosticLog()
    var stageRuns: [PlannedRun] = []
    /// (stage, seed) → id, or nil when the stage failed to plan.
    var stageIDs: [String: String?] = [:]

    init(spec: SweepSpec, resolver: ConfigResolver) {
        self.spec = spec
        self.resolver = resolver
    }

    mutating func planRun(_ combination: SweepPlanner.Combination) -> PlannedRun? {
        var tree = spec.config
        var labels: [(axis: String, label: String)] = []
        if let variant = combination.variant {
            tree = tree.merging(variant.overrides)
            labels.append(("variant", variant.label))
        }
        for choice in combination.choices {
            tree.set(choice.value.value, atPath: choice.axis.key, keyLocation: choice.axis.keyLocation)
            labels.append((choice.axis.key, choice.value.label))
        }
        return finish(tree, seed: combination.seed, labels: labels, stage: nil, chain: [])
    }

    /// Sets the seed, rewrites a stage reference, resolves and hashes.
    mutating func finish(_ merged: ConfigTree, seed: Int, labels: [(axis: String, label: String)], stage: String?, chain: [String]) -> PlannedRun? {
        var tree = merged
        tree.set(.scalar(.int(seed), at: spec.seedsLocation), atPath: "seed")
        var dependsOn: [String] = []
        if let initNode = tree[SweepPlanner.initKey], let text = initNode.string, text.hasPrefix(SweepPlanner.stagePrefix) {
            let name = String(text.dropFirst(SweepPlanner.stagePrefix.count))
            guard let stageID = planStage(name, seed: seed, referencedAt: initNode.location, chain: chain) else { return nil }
            tree.set(.scalar(.string(SweepPlanner.runPrefix + stageID), at: initNode.location), atPath: SweepPlanner.initKey)
            dependsOn = [stageID]
        }
        do {
            let resolved = try resolver.resolve(tree)
            let identity = try resolver.identity(of: resolved)
            return PlannedRun(id: identity.id, row: labels.map(\.label).joined(separator: " / "), labels: labels,
                              seed: seed, stage: stage, dependsOn: dependsOn, config: resolved,
                              identity: identity)
        } catch {
            log.absorb(error)
            return nil
        }
    }

    mutating func planStage(_ name: String, seed: Int, referencedAt location: SourceLocation?, chain: [String]) -> String? {
        guard let stage = spec.stages.first(where: { $0.name == name }) else {
            let names = spec.stages.map(\.name)
            let known = names.isEmpty ? "this sweep defines no stages" : "stages: \(names.joined(separator: ", "))"
            log.error(location, "unknown stage '\(name)'\(Suggestion.hint(for: name, among: names)); \(known)")
            return nil
        }
        if chain.contains(name) {
            log.error(location, "stages form a cycle: \((chain + [name]).joined(separator: " → "))")
            return nil
        }
        // A stage that sets `seed` itself is one run for every seed of the sweep (one base
        // policy shared by all seeds, as the paper has one instruct checkpoint).
        var stageSeed = seed
        if let fixed = stage.overrides["seed"] {
            guard case .int(let value)? = fixed.scalar, value >= 0 else {
                log.error(fixed.location, "a stage's seed is a non-negative integer, found \(fixed.shortDescription)")
                return nil
            }
            stageSeed = value
        }
        let key = "\(name)#\(stageSeed)"
        if let known = stageIDs[key] { return known }
        // A stage does not inherit `init: stage:…` from `config`: only its own overrides can name one.
        var base = spec.config
        if let inherited = base[SweepPlanner.initKey]?.string, inherited.hasPrefix(SweepPlanner.stagePrefix),
           stage.overrides[SweepPlanner.initKey] == nil, var entries = base.entries {
            entries.removeAll { $0.key == SweepPlanner.initKey }
            base.value = .map(entries)
        }
        let run = finish(base.merging(stage.overrides), seed: stageSeed, labels: [], stage: name, chain: chain + [name])
        stageIDs[key] = run?.id
        if let run, !stageRuns.contains(where: { $0.id == run.id }) { stageRuns.append(run) }
        return run?.id
    }
}

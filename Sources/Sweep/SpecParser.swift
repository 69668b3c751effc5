import Basics
import Config
import Foundation

/// Reads the merged spec tree section by section, logging every problem.
struct SpecParser {
    var log = DiagnosticLog()

    mutating func parse(_ root: ConfigTree, path: String) -> SweepSpec? {
        guard let entries = root.entries else {
            log.error(root.location, "a sweep spec is a map with keys \(SweepSpec.topLevelKeys.joined(separator: ", ")); found \(root.shortDescription)")
            return nil
        }
        for entry in entries where !SweepSpec.topLevelKeys.contains(entry.key) {
            log.error(entry.keyLocation, "unknown key '\(entry.key)'\(Suggestion.hint(for: entry.key, among: SweepSpec.topLevelKeys))")
        }
        var name = ""
        do { name = try SweepSpec.sweepName(in: root) } catch { log.absorb(error) }
        var description: String?
        if let node = root["description"], !node.isNull {
            if let text = node.string { description = text } else { log.error(node.location, "'description' takes a string, found \(node.shortDescription)") }
        }
        let config = configTree(root.entry("config"), what: "'config'") ?? .map([], at: root.location)
        let (seeds, seedsLocation) = parseSeeds(root.entry("seeds"))
        let grid = parseGrid(root.entry("grid"))
        let zipGroups = parseZip(root.entry("zip"))
        let variants = parseVariants(root.entry("variants"))
        let stages = parseStages(root.entry("stages"))

        var seenAxes: [String: SourceLocation?] = [:]
        for axis in grid + zipGroups.flatMap(\.axes) {
            if let earlier = seenAxes[axis.key] {
                let also = earlier.map { " (first at \($0.line):\($0.column))" } ?? ""
                log.error(axis.keyLocation, "axis '\(axis.key)' appears twice\(also)")
            }
            seenAxes[axis.key] = axis.keyLocation
        }
        var spec = SweepSpec(name: name, description: description, path: path, config: config, seeds: seeds,
                             seedsLocation: seedsLocation, grid: grid, zipGroups: zipGroups, variants: variants,
                             excludes: [], stages: stages, report: ReportSettings(), warnings: [])
        spec.excludes = parseExcludes(root.entry("exclude"), spec: spec)
        spec.report = parseReport(root.entry("report"), spec: spec)
        spec.executor = parseExecutor(root.entry("executor"))
        spec.warnings = log.warnings
        return spec
    }

    /// A config tree (map or null), dotted keys expanded.
    mutating func configTree(_ entry: ConfigEntry?, what: String) -> ConfigTree? {
        guard let entry else { return nil }
        if entry.value.isNull { return .map([], at: entry.value.location) }
        guard entry.value.entries != nil else {
            log.error(entry.value.location, "\(what) takes a map of config keys, found \(entry.value.shortDescription)")
            return nil
        }
        do { return try entry.value.expandingDottedKeys() } catch { log.absorb(error); return nil }
    }

    mutating func parseSeeds(_ entry: ConfigEntry?) -> ([Int], SourceLocation?) {
        guard let node = entry?.value else { return ([0], nil) }
        if case .scalar(.int(let count)) = node.value {
            guard count >= 1 else { log.error(node.location, "'seeds' must be at least 1, found \(count)"); return ([0], node.location) }
            return (Array(0..<count), node.location)
        }
        if let items = node.items, !items.isEmpty {
            var seeds: [Int] = []
            for item in items {
                guard case .scalar(.int(let seed)) = item.value, seed >= 0 else {
                    log.error(item.location, "a seed is a non-negative integer, found \(item.shortDescription)")
                    continue
                }
                if seeds.contains(seed) { log.error(item.location, "seed \(seed) is listed twice") }
                seeds.append(seed)
            }
            return (seeds, node.location)
        }
        log.error(node.location, "'seeds' takes a count n (seeds 0..n-1) or a list of seeds [11, 12], found \(node.shortDescription)")
        return ([0], node.location)
    }

    mutating func parseAxis(_ entry: ConfigEntry, section: String) -> SweepSpec.Axis? {
        let key = entry.key
        if key.split(separator: ".", omittingEmptySubsequences: false).contains(where: \.isEmpty) {
            log.error(entry.keyLocation, "axis '\(key)' has an empty component; an axis is a dotted config key like 'train.lr'")
            return nil
        }
        if key == "seed" || key == "variant" {
            log.error(entry.keyLocation, "'\(key)' cannot be \(section == "grid" ? "a grid" : "a zip") axis; use '\(key)s' at the top level")
            return nil
        }
        let node = entry.value
        if let items = node.items {
            guard !items.isEmpty else { log.error(node.location, "axis '\(key)' has no values"); return nil }
            var values: [SweepSpec.AxisValue] = []
            for item in items {
                guard let value = expandedValue(item) else { continue }
                values.append(.init(label: Self.label(of: value), value: value))
            }
            return .init(key: key, keyLocation: entry.keyLocation, isLabeled: false, values: values)
        }
        if let labeled = node.entries {
            guard !labeled.isEmpty else { log.error(node.location, "axis '\(key)' has no values"); return nil }
            var values: [SweepSpec.AxisValue] = []
            for item in labeled {
                guard let value = expandedValue(item.value) else { continue }
                values.append(.init(label: item.key, value: value))
            }
            return .init(key: key, keyLocation: entry.keyLocation, isLabeled: true, values: values)
        }
        log.error(node.location, "axis '\(key)' takes a list of values or a map of label: value, found \(node.shortDescription)")
        return nil
    }

    mutating func expandedValue(_ node: ConfigTree) -> ConfigTree? {
        do { return try node.expandingDottedKeys() } catch { log.absorb(error); return nil }
    }

    /// The label an unlabeled value gets: its text for scalars, compact JSON otherwise.
    static func label(of value: ConfigTree) -> String {
        if case .scalar(let scalar) = value.value {
            switch scalar {
            case .string(let text): return text
            default: return CanonicalJSON.scalarText(scalar) ?? value.shortDescription
            }
        }
        return (try? CanonicalJSON.string(value)) ?? value.shortDescription
    }

    mutating func parseGrid(_ entry: ConfigEntry?) -> [SweepSpec.Axis] {
        guard let node = entry?.value, !node.isNull else { return [] }
        guard let entries = node.entries else {
            log.error(node.location, "'grid' takes a map of axis: values, found \(node.shortDescription)")
            return []
        }
        return entries.compactMap { parseAxis($0, section: "grid") }
    }

    mutating func parseZip(_ entry: ConfigEntry?) -> [SweepSpec.ZipGroup] {
        guard let node = entry?.value, !node.isNull else { return [] }
        guard let groups = node.items else {
            log.error(node.location, "'zip' takes a list of groups, each a map of axis: values advancing together, found \(node.shortDescription)")
            return []
        }
        var result: [SweepSpec.ZipGroup] = []
        for group in groups {
            guard let entries = group.entries, !entries.isEmpty else {
                log.error(group.location, "a zip group is a map of axis: values, found \(group.shortDescription)")
                continue
            }
            let axes = entries.compactMap { parseAxis($0, section: "zip") }
            guard axes.count == entries.count else { continue }
            let counts = Set(axes.map(\.values.count))
            if counts.count > 1 {
                let lengths = axes.map { "'\($0.key)' has \($0.values.count)" }.joined(separator: ", ")
                log.error(group.location, "the axes of a zip group must have equal lengths: \(lengths)")
                continue
            }
            result.append(.init(axes: axes, location: group.location))
        }
        return result
    }

    mutating func parseVariants(_ entry: ConfigEntry?) -> [SweepSpec.Variant] {
        guard let node = entry?.value, !node.isNull else { return [] }
        guard let entries = node.entries else {
            log.error(node.location, "'variants' takes a map of label: overrides, found \(node.shortDescription)")
            return []
        }
        return entries.compactMap { item in
            guard let overrides = configTree(item, what: "variant '\(item.key)'") else { return nil }
            return .init(label: item.key, labelLocation: item.keyLocation, overrides: overrides)
        }
    }

    mutating func parseStages(_ entry: ConfigEntry?) -> [SweepSpec.Stage] {
        guard let node = entry?.value, !node.isNull else { return [] }
        guard let entries = node.entries else {
            log.error(node.location, "'stages' takes a map of name: overrides, found \(node.shortDescription)")
            return []
        }
        return entries.compactMap { item in
            guard SweepSpec.isValidName(item.key) else {
                log.error(item.keyLocation, "a stage name uses only a-z, 0-9, '_' and '-', found '\(item.key)'")
                return nil
            }
            guard let overrides = configTree(item, what: "stage '\(item.key)'") else { return nil }
            return .init(name: item.key, nameLocation: item.keyLocation, overrides: overrides)
        }
    }

    mutating func parseExcludes(_ entry: ConfigEntry?, spec: SweepSpec) -> [SweepSpec.ExcludeRule] {
        guard let node = entry?.value, !node.isNull else { return [] }
        guard let items = node.items else {
            log.error(node.location, "'exclude' takes a list of maps {axis: value, …}, found \(node.shortDescription)")
            return []
        }
        let known = spec.axisNames + ["seed"]
        var rules: [SweepSpec.ExcludeRule] = []
        for item in items {
            guard let entries = item.entries, !entries.isEmpty else {
                log.error(item.location, "an exclude entry is a map {axis: value, …}, found \(item.shortDescription)")
                continue
            }
            var conditions: [SweepSpec.ExcludeRule.Condition] = []
            for condition in entries {
                guard known.contains(condition.key) else {
                    let axes = known.joined(separator: ", ")
                    log.error(condition.keyLocation, "'\(condition.key)' is not an axis of this sweep\(Suggestion.hint(for: condition.key, among: known)); axes: \(axes)")
                    continue
                }
                conditions.append(.init(key: condition.key, keyLocation: condition.keyLocation, value: condition.value))
            }
            if conditions.count == entries.count { rules.append(.init(conditions: conditions, location: item.location)) }
        }
        return rules
    }

    mutating func parseReport(_ entry: ConfigEntry?, spec: SweepSpec) -> ReportSettings {
        guard let node = entry?.value, !node.isNull else { return ReportSettings() }
        do {
            let settings = try ConfigTreeDecoder().decode(ReportSettings.self, from: node)
            let baselineNode = node["baseline"]
            for (axis, label) in settings.baseline {
                let keyLocation = baselineNode?.entry(axis)?.keyLocation
                guard spec.axisNames.contains(axis) else {
                    log.error(keyLocation, "report baseline names '\(axis)', which is not an axis of this sweep\(Suggestion.hint(for: axis, among: spec.axisNames))")
                    continue
                }
                let labels = labels(of: axis, in: spec)
                if !labels.contains(label) {
                    log.error(baselineNode?[axis]?.location, "report baseline: '\(axis)' has no value labelled '\(label)'\(Suggestion.hint(for: label, among: labels))")
                }
            }
            return settings
        } catch {
            log.absorb(error)
            return ReportSettings()
        }
    }

    /// `executor:` (site settings; never part of a run's identity).
    mutating func parseExecutor(_ entry: ConfigEntry?) -> ExecutorSettings {
        guard let node = entry?.value, !node.isNull else { return ExecutorSettings() }
        do {
            return try ConfigTreeDecoder().decode(ExecutorSettings.self, from: node)
        } catch {
            log.absorb(error)
            return ExecutorSettings()
        }
    }

    func labels(of axis: String, in spec: SweepSpec) -> [String] {
        if axis == "variant" { return spec.variants.map(\.label) }
        let all = spec.grid + spec.zipGroups.flatMap(\.axes)
        return all.first { $0.key == axis }?.values.map(\.label) ?? []
    }
}

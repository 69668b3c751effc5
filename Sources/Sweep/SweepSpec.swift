import Basics
import Config
import Foundation

/// A parsed, validated sweep spec (format v1, see docs/spec.md). Every part keeps the location
/// it was written at, so expansion errors can point back into the file.
public struct SweepSpec: Sendable {
    public var name: String
    public var description: String?
    /// Absolute path of the spec file.
    public var path: String
    /// The base run config, dotted keys expanded.
    public var config: ConfigTree
    public var seeds: [Int]
    var seedsLocation: SourceLocation?
    public var grid: [Axis]
    var zipGroups: [ZipGroup]
    public var variants: [Variant]
    var excludes: [ExcludeRule]
    public var stages: [Stage]
    public var report: ReportSettings
    /// Where `ablate run --executor …` sends runs, and with what resources (not part of any run).
    public var executor = ExecutorSettings()
    /// Warnings found while parsing (planning adds its own).
    public var warnings: [Diagnostic]

    /// One sweep axis: a dotted config key and its values, labelled or not.
    public struct Axis: Sendable {
        public var key: String
        public var keyLocation: SourceLocation?
        /// Whether the values were given as a map `label: value`.
        var isLabeled: Bool
        public var values: [AxisValue]
    }

    public struct AxisValue: Sendable {
        /// The label (for an unlabeled axis, the value's text: `original`, `0.001`, `[0,1]`).
        public var label: String
        public var value: ConfigTree
    }

    /// Axes that advance together.
    struct ZipGroup: Sendable {
        var axes: [Axis]
        public var location: SourceLocation?
        var count: Int { axes.first?.values.count ?? 0 }
    }

    /// A named set of overrides crossed with the grid.
    public struct Variant: Sendable {
        public var label: String
        var labelLocation: SourceLocation?
        public var overrides: ConfigTree
    }

    /// Drop combinations matching every condition.
    struct ExcludeRule: Sendable {
        struct Condition: Sendable {
            var key: String
            var keyLocation: SourceLocation?
            public var value: ConfigTree
        }
        var conditions: [Condition]
        public var location: SourceLocation?
    }

    /// A shared prerequisite run: `config` with these overrides, trained once per seed.
    public struct Stage: Sendable {
        public var name: String
        var nameLocation: SourceLocation?
        public var overrides: ConfigTree
    }

    /// Every labelled dimension in row order: `variant` (when there are variants), grid axes,
    /// then zip axes.
    var axisNames: [String] {
        (variants.isEmpty ? [] : ["variant"]) + grid.map(\.key) + zipGroups.flatMap { $0.axes.map(\.key) }
    }
}

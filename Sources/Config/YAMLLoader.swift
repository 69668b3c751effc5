import Basics
import Foundation
import Yams

/// Reads YAML into a `ConfigTree`, keeping every node's file:line:column.
///
/// Yams composes the document into nodes (aliases share their anchor's node); this loader walks
/// them, types plain scalars with the YAML 1.2 core schema, and counts the nodes it builds so
/// that alias expansion is bounded: a "billion laughs" document is refused, not expanded.
public enum YAMLLoader {
    /// At most this many nodes are built from one document, aliases expanded.
    static let nodeLimit = 100_000

    public static func load(file path: String) throws -> ConfigTree {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ConfigError(at: nil, "cannot read '\(path)': \(error.localizedDescription)")
        }
        return try load(yaml: text, file: path)
    }

    /// Parses `yaml`; `file` names the source in locations. An empty document is an empty map.
    public static func load(yaml: String, file: String) throws -> ConfigTree {
        let parser: Parser
        let root: Node?
        do {
            parser = try Parser(yaml: yaml)
            root = try parser.singleRoot()
        } catch let error as YamlError {
            throw describe(error, file: file)
        }
        var builder = TreeBuilder(file: file)
        let tree = try root.map { try builder.build($0) } ?? ConfigTree(.map([]), at: SourceLocation(file: file, line: 1, column: 1))
        withExtendedLifetime(parser) {}  // anchors are weak references owned by the parser
        return tree
    }

    /// Maps a Yams error to `file:line:column: error: problem`.
    static func describe(_ error: YamlError, file: String) -> ConfigError {
        func at(_ mark: Mark) -> SourceLocation { SourceLocation(file: file, line: mark.line, column: mark.column) }
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _), .composer(_, let problem, let mark, _):
            return ConfigError(at: at(mark), "invalid YAML: \(problem)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            return ConfigError(at: at(context.mark), "key '\(duplicates.joined(separator: "', '"))' appears twice in one map")
        default:
            return ConfigError(at: nil, "invalid YAML in \(file): \(error)")
        }
    }
}

/// Builds the tree, counting nodes and noticing when an anchor is expanded a second time.
private struct TreeBuilder {
    let file: String
    var nodeCount = 0
    var expandedAnchors = Set<ObjectIdentifier>()
    var seenAnchors = Set<ObjectIdentifier>()

    init(file: String) { self.file = file }

    func location(_ mark: Mark?) -> SourceLocation? {
        mark.map { SourceLocation(file: file, line: $0.line, column: $0.column) }
    }

    mutating func build(_ node: Node) throws -> ConfigTree {
        nodeCount += 1
        if let anchor = node.anchor {
            let identity = ObjectIdentifier(anchor)
            if !seenAnchors.insert(identity).inserted { expandedAnchors.insert(identity) }
        }
        if nodeCount > YAMLLoader.nodeLimit {
            let reason = expandedAnchors.isEmpty ? "the document is too large"
                : "expanding aliases would build too many nodes (a 'billion laughs' document?)"
            throw ConfigError(at: location(node.mark), "\(reason): more than \(YAMLLoader.nodeLimit) nodes; refusing to expand it")
        }
        switch node {
        case .scalar(let scalar):
            return .scalar(Self.resolve(scalar), at: location(scalar.mark))
        case .sequence(let sequence):
            var items: [ConfigTree] = []
            for child in sequence { items.append(try build(child)) }
            return .list(items, at: location(sequence.mark))
        case .mapping(let mapping):
            var entries: [ConfigEntry] = []
            var merges: [ConfigTree] = []
            for (key, value) in mapping {
                guard case .scalar(let keyScalar) = key else {
                    throw ConfigError(at: location(key.mark), "map keys must be plain strings, not \(key.sequence != nil ? "a list" : "a map")")
                }
                let child = try build(value)
                if keyScalar.string == "<<", keyScalar.style == .plain {
                    merges.append(child)   // `<<: *defaults`: keys written here win
                    continue
                }
                entries.append(ConfigEntry(key: keyScalar.string, keyLocation: location(keyScalar.mark), value: child))
            }
            for merge in merges {
                for source in merge.items ?? [merge] {
                    guard let sourceEntries = source.entries else {
                        throw ConfigError(at: source.location, "a merge key '<<' takes a map or a list of maps")
                    }
                    for entry in sourceEntries where !entries.contains(where: { $0.key == entry.key }) {
                        entries.append(entry)
                    }
                }
            }
            return .map(entries, at: location(mapping.mark))
        case .alias(let alias):
            throw ConfigError(at: location(alias.mark), "unresolved alias '\(alias.anchor.rawValue)'")
        }
    }

    /// YAML 1.2 core schema: null, bool, int (decimal, 0o, 0x), float (incl. .inf/.nan); quoted
    /// scalars and everything else are strings. Explicit `!!str`/`!!int`/… tags are honoured.
    static func resolve(_ scalar: Node.Scalar) -> ConfigScalar {
        let text = scalar.string
        switch Tag.Name(rawValue: scalar.tag.rawValue) {
        case .str: return .string(text)
        case .int: return integer(text).map(ConfigScalar.int) ?? .string(text)
        case .float: return float(text).map(ConfigScalar.double) ?? .string(text)
        case .bool: return bool(text).map(ConfigScalar.bool) ?? .string(text)
        case .null: return .null
        default: break
        }
        guard scalar.style == .plain else { return .string(text) }
        if ["", "~", "null", "Null", "NULL"].contains(text) { return .null }
        if let flag = bool(text) { return .bool(flag) }
        if let value = integer(text) { return .int(value) }
        if let value = float(text) { return .double(value) }
        return .string(text)
    }

    static func bool(_ text: String) -> Bool? {
        switch text {
        case "true", "True", "TRUE": return true
        case "false", "False", "FALSE": return false
        default: return nil
        }
    }

    /// `[-+]?[0-9]+`, `0o[0-7]+`, `0x[0-9a-fA-F]+`. Decimal integers too big for Int are floats.
    static func integer(_ text: String) -> Int? {
        if text.hasPrefix("0o") { return Int(text.dropFirst(2), radix: 8) }
        if text.hasPrefix("0x") { return Int(text.dropFirst(2), radix: 16) }
        var digits = Substring(text)
        if digits.first == "-" || digits.first == "+" { digits = digits.dropFirst() }
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return Int(text.hasPrefix("+") ? String(text.dropFirst()) : text)
    }

    /// `[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?`, `[-+]?.inf`, `.nan` (any case form
    /// the schema lists).
    static func float(_ text: String) -> Double? {
        switch text {
        case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF": return .infinity
        case "-.inf", "-.Inf", "-.INF": return -.infinity
        case ".nan", ".NaN", ".NAN": return .nan
        default: break
        }
        var rest = Substring(text)
        if rest.first == "-" || rest.first == "+" { rest = rest.dropFirst() }
        let mantissaEnd = rest.firstIndex { $0 == "e" || $0 == "E" } ?? rest.endIndex
        let mantissa = rest[..<mantissaEnd]
        let parts = mantissa.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        func digits(_ s: Substring) -> Bool { s.allSatisfy { $0.isASCII && $0.isNumber } }
        guard parts.count <= 2, parts.allSatisfy(digits), mantissa != "." else { return nil }
        if parts.count == 2 {
            guard !(parts[0].isEmpty && parts[1].isEmpty) else { return nil }
        } else if parts[0].isEmpty { return nil }
        if mantissaEnd != rest.endIndex {
            var exponent = rest[rest.index(after: mantissaEnd)...]
            if exponent.first == "-" || exponent.first == "+" { exponent = exponent.dropFirst() }
            guard !exponent.isEmpty, digits(exponent) else { return nil }
        }
        return Double(text.hasPrefix("+") ? String(text.dropFirst()) : text)
    }
}

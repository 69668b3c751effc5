import Basics
import Foundation

/// Decodes any `Decodable` from a `ConfigTree`, then reports every key that was present but never
/// asked for, at its file:line:column, with the nearest asked key as a suggestion:
///
///     sweep.yaml:12:5: error: unknown key 'granularty' in 'reward.correctness' (did you mean 'granularity'?)
///
/// Config types read every key with `decodeIfPresent(_:forKey:) ?? default`, so the keys a type
/// asks for are exactly the keys it knows. Type errors (`expected a number, found "abc"`) point at
/// the value; a type's own `DecodingError.dataCorrupted` points at the key it came from.
public struct ConfigTreeDecoder {
    public var userInfo: [CodingUserInfoKey: Any] = [:]

    public init() {}

    public func decode<T: Decodable>(_ type: T.Type, from tree: ConfigTree) throws -> T {
        let log = UsageLog()
        let decoder = TreeDecoder(node: tree, codingPath: [], log: log, userInfo: userInfo)
        let value: T
        do {
            value = try T(from: decoder)
        } catch let error as DecodingError {
            throw Self.locate(error, in: tree)
        }
        try log.checkUnknownKeys()
        return value
    }

    /// `a.b[0].c` for a coding path.
    static func describe(_ path: [CodingKey]) -> String {
        var text = ""
        for key in path {
            if let index = key.intValue, key.stringValue == String(index) {
                text += "[\(index)]"
            } else {
                text += text.isEmpty ? key.stringValue : ".\(key.stringValue)"
            }
        }
        return text
    }

    /// The node at a coding path, and the location of the key that led to it.
    static func node(at path: [CodingKey], in root: ConfigTree) -> (node: ConfigTree, keyLocation: SourceLocation?) {
        var node = root
        var keyLocation: SourceLocation? = root.location
        for key in path {
            if let entry = node.entry(key.stringValue) {
                node = entry.value
                keyLocation = entry.keyLocation ?? entry.value.location
            } else if let items = node.items, let index = key.intValue, items.indices.contains(index) {
                node = items[index]
                keyLocation = node.location
            } else {
                break
            }
        }
        return (node, keyLocation)
    }

    /// Turns a DecodingError into a ConfigError at the right place.
    static func locate(_ error: DecodingError, in root: ConfigTree) -> ConfigError {
        switch error {
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            let found = node(at: context.codingPath, in: root)
            return ConfigError(at: found.node.location, context.debugDescription)
        case .keyNotFound(let key, let context):
            let found = node(at: context.codingPath, in: root)
            let container = describe(context.codingPath)
            return ConfigError(at: found.node.location, "missing key '\(key.stringValue)'\(container.isEmpty ? "" : " in '\(container)'")")
        case .dataCorrupted(let context):
            let found = node(at: context.codingPath, in: root)
            let path = describe(context.codingPath)
            let prefix = path.isEmpty ? "" : "invalid value for '\(path)': "
            return ConfigError(at: found.keyLocation, prefix + context.debugDescription)
        @unknown default:
            return ConfigError(at: root.location, String(describing: error))
        }
    }
}

/// Which keys each keyed container asked for, by coding path.
final class UsageLog {
    struct MapUse {
        var node: ConfigTree
        var path: [CodingKey]
        var asked: [String] = []
    }

    private var uses: [String: MapUse] = [:]
    private var order: [String] = []

    func register(_ node: ConfigTree, at path: [CodingKey]) {
        let id = ConfigTreeDecoder.describe(path)
        if uses[id] == nil {
            uses[id] = MapUse(node: node, path: path)
            order.append(id)
        }
    }

    func asked(_ key: String, at path: [CodingKey]) {
        let id = ConfigTreeDecoder.describe(path)
        if uses[id]?.asked.contains(key) == false { uses[id]?.asked.append(key) }
    }

    /// Throws one diagnostic per key present in a decoded map but never asked for.
    func checkUnknownKeys() throws {
        var log = DiagnosticLog()
        for id in order {
            guard let use = uses[id], let entries = use.node.entries else { continue }
            for entry in entries where !use.asked.contains(entry.key) {
                let place = id.isEmpty ? "" : " in '\(id)'"
                let hint = Suggestion.hint(for: entry.key, among: use.asked)
                log.error(entry.keyLocation ?? entry.value.location, "unknown key '\(entry.key)'\(place)\(hint)")
            }
        }
        try log.throwIfErrors()
    }
}

/// A coding key for list positions.
struct IndexKey: CodingKey {
    var intValue: Int?
    var stringValue: String
    init(_ index: Int) { intValue = index; stringValue = String(index) }
    init?(intValue: Int) { self.init(intValue) }
    init?(stringValue: String) { return nil }
}

/// A coding key for any map key.
struct NameKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ name: String) { stringValue = name }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { return nil }
}

struct TreeDecoder: Decoder {
    let node: ConfigTree
    let codingPath: [CodingKey]
    let log: UsageLog
    let userInfo: [CodingUserInfoKey: Any]

    func mismatch(_ expected: String, _ type: Any.Type) -> DecodingError {
        .typeMismatch(type, .init(codingPath: codingPath, debugDescription: "expected \(expected), found \(node.shortDescription)"))
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard let entries = node.entries else { throw mismatch("a map", [String: Any].self) }
        log.register(node, at: codingPath)
        return KeyedDecodingContainer(KeyedTreeContainer<Key>(decoder: self, entries: entries))
    }

    func unkeyedContainer() throws -> UnkeyedDecodingContainer {
        guard let items = node.items else { throw mismatch("a list", [Any].self) }
        return UnkeyedTreeContainer(decoder: self, items: items)
    }

    func singleValueContainer() throws -> SingleValueDecodingContainer { SingleTreeContainer(decoder: self) }

    func child(_ node: ConfigTree, key: CodingKey) -> TreeDecoder {
        TreeDecoder(node: node, codingPath: codingPath + [key], log: log, userInfo: userInfo)
    }

    // MARK: Scalars

    func decodeBool() throws -> Bool {
        guard case .scalar(.bool(let flag)) = node.value else { throw mismatch("true or false", Bool.self) }
        return flag
    }

    func decodeString() throws -> String {
        guard let text = node.string else { throw mismatch("a string", String.self) }
        return text
    }

    func decodeDouble() throws -> Double {
        guard let number = node.scalar?.number else { throw mismatch("a number", Double.self) }
        return number
    }

    func decodeInteger<T: FixedWidthInteger>(_ type: T.Type) throws -> T {
        switch node.scalar {
        case .int(let value)?:
            if let exact = T(exactly: value) { return exact }
        case .double(let value)?:
            if value.isFinite, value == value.rounded(), let exact = T(exactly: value) { return exact }
        default: break
        }
        if node.scalar?.number != nil {
            throw DecodingError.typeMismatch(type, .init(codingPath: codingPath,
                debugDescription: "expected an integer in the range of \(T.self), found \(node.shortDescription)"))
        }
        throw mismatch("an integer", type)
    }

    func decodeValue<T: Decodable>(_ type: T.Type) throws -> T {
        switch type {
        case is Bool.Type: return try decodeBool() as! T
        case is String.Type: return try decodeString() as! T
        case is Double.Type: return try decodeDouble() as! T
        case is Float.Type: return Float(try decodeDouble()) as! T
        case is Int.Type: return try decodeInteger(Int.self) as! T
        case is Int64.Type: return try decodeInteger(Int64.self) as! T
        case is Int32.Type: return try decodeInteger(Int32.self) as! T
        case is UInt64.Type: return try decodeInteger(UInt64.self) as! T
        case is UInt32.Type: return try decodeInteger(UInt32.self) as! T
        case is UInt.Type: return try decodeInteger(UInt.self) as! T
        default: return try T(from: self)
        }
    }
}

struct KeyedTreeContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let decoder: TreeDecoder
    let entries: [ConfigEntry]

    var codingPath: [CodingKey] { decoder.codingPath }
    var allKeys: [Key] {
        entries.compactMap { entry in
            let key = Key(stringValue: entry.key)
            if key != nil { decoder.log.asked(entry.key, at: codingPath) }
            return key
        }
    }

    func value(_ key: Key) -> ConfigTree? {
        decoder.log.asked(key.stringValue, at: codingPath)
        return entries.first { $0.key == key.stringValue }?.value
    }

    func require(_ key: Key) throws -> TreeDecoder {
        guard let node = value(key) else {
            throw DecodingError.keyNotFound(key, .init(codingPath: codingPath, debugDescription: "missing key '\(key.stringValue)'"))
        }
        return decoder.child(node, key: key)
    }

    func contains(_ key: Key) -> Bool { value(key) != nil }

    func decodeNil(forKey key: Key) throws -> Bool { value(key)?.isNull ?? true }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        let child = try require(key)
        if child.node.isNull {
            throw DecodingError.valueNotFound(type, .init(codingPath: child.codingPath, debugDescription: "expected a value for '\(key.stringValue)', found null"))
        }
        return try child.decodeValue(type)
    }

    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        guard let node = value(key), !node.isNull else { return nil }
        return try decoder.child(node, key: key).decodeValue(type)
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        try require(key).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> UnkeyedDecodingContainer {
        try require(key).unkeyedContainer()
    }

    func superDecoder() throws -> Decoder {
        decoder.child(entries.first { $0.key == "super" }?.value ?? .scalar(.null), key: NameKey("super"))
    }

    func superDecoder(forKey key: Key) throws -> Decoder {
        decoder.child(value(key) ?? .scalar(.null), key: key)
    }
}

struct UnkeyedTreeContainer: UnkeyedDecodingContainer {
    let decoder: TreeDecoder
    let items: [ConfigTree]
    var currentIndex = 0

    init(decoder: TreeDecoder, items: [ConfigTree]) {
        self.decoder = decoder
        self.items = items
    }

    var codingPath: [CodingKey] { decoder.codingPath }
    var count: Int? { items.count }
    var isAtEnd: Bool { currentIndex >= items.count }

    mutating func next() throws -> TreeDecoder {
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(Any.self, .init(codingPath: codingPath + [IndexKey(currentIndex)],
                debugDescription: "expected another item in the list of \(items.count)"))
        }
        defer { currentIndex += 1 }
        return decoder.child(items[currentIndex], key: IndexKey(currentIndex))
    }

    mutating func decodeNil() throws -> Bool {
        guard !isAtEnd, items[currentIndex].isNull else { return false }
        currentIndex += 1
        return true
    }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T { try next().decodeValue(type) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        try next().container(keyedBy: type)
    }

    mutating func nestedUnkeyedContainer() throws -> UnkeyedDecodingContainer { try next().unkeyedContainer() }

    mutating func superDecoder() throws -> Decoder { try next() }
}

struct SingleTreeContainer: SingleValueDecodingContainer {
    let decoder: TreeDecoder
    var codingPath: [CodingKey] { decoder.codingPath }

    func decodeNil() -> Bool { decoder.node.isNull }
    func decode(_ type: Bool.Type) throws -> Bool { try decoder.decodeBool() }
    func decode(_ type: String.Type) throws -> String { try decoder.decodeString() }
    func decode(_ type: Double.Type) throws -> Double { try decoder.decodeDouble() }
    func decode(_ type: Float.Type) throws -> Float { Float(try decoder.decodeDouble()) }
    func decode(_ type: Int.Type) throws -> Int { try decoder.decodeInteger(type) }
    func decode(_ type: Int8.Type) throws -> Int8 { try decoder.decodeInteger(type) }
    func decode(_ type: Int16.Type) throws -> Int16 { try decoder.decodeInteger(type) }
    func decode(_ type: Int32.Type) throws -> Int32 { try decoder.decodeInteger(type) }
    func decode(_ type: Int64.Type) throws -> Int64 { try decoder.decodeInteger(type) }
    func decode(_ type: UInt.Type) throws -> UInt { try decoder.decodeInteger(type) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try decoder.decodeInteger(type) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try decoder.decodeInteger(type) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try decoder.decodeInteger(type) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try decoder.decodeInteger(type) }
    func decode<T: Decodable>(_ type: T.Type) throws -> T { try decoder.decodeValue(type) }
}

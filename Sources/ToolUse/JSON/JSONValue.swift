import Foundation

/// A JSON value as Python's `json.loads` produces it.
///
/// - Integers and doubles stay distinct (`1` is `.integer(1)`, `1.0` is `.double(1.0)`), as Python
///   keeps `int` and `float` apart. Integers outside `Int` (64-bit) become `.double`, which loses
///   precision beyond 2^53 (Python would keep an exact big int); ToolRL data never has such values.
/// - Objects keep their keys in document order. A duplicate key keeps its first position and takes
///   the last value, like a Python `dict` filled from left to right.
/// - Strings hold Unicode scalars exactly as decoded. A lone surrogate escape (`"\ud800"`), which
///   Python keeps but a Swift `String` cannot hold, becomes U+FFFD.
///
/// Three equalities, on purpose:
/// - `==` (`Equatable`) is representation equality: same cases, same scalars, object keys in the
///   same order. It is what round-trip tests want.
/// - `pythonEquals(_:)` is Python's `==` on the decoded values (`1 == 1.0 == true`, objects
///   order-insensitive). ToolRL's reward code compares with it.
/// - `strictEquals(_:)` is type-aware equality for evaluation: numbers compare by value across
///   `.integer`/`.double`, but a bool never equals a number and strings never equal numbers.
public enum JSONValue: Sendable {
    case null
    case bool(Bool)
    case integer(Int)
    case double(Double)
    case string(String)
    case array([JSONValue])
    /// Ordered key/value pairs; keys are unique (the parser merges duplicates).
    case object([(String, JSONValue)])
}

extension JSONValue {
    /// The value under `key` when this is an object (exact scalar comparison of keys), else nil.
    public subscript(key: String) -> JSONValue? {
        guard case .object(let pairs) = self else { return nil }
        // By index: binding each (key, value) pair would retain and release both.
        for index in pairs.indices where pairs[index].0.hasSameScalars(as: key) { return pairs[index].1 }
        return nil
    }

    public var stringValue: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    public var arrayValue: [JSONValue]? {
        if case .array(let items) = self { return items }
        return nil
    }

    var objectPairs: [(String, JSONValue)]? {
        if case .object(let pairs) = self { return pairs }
        return nil
    }

    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// A short name of the JSON type, for error messages ("object", "string", …).
    public var typeName: String {
        switch self {
        case .null: return "null"
        case .bool: return "boolean"
        case .integer: return "integer"
        case .double: return "number"
        case .string: return "string"
        case .array: return "array"
        case .object: return "object"
        }
    }
}

extension String {
    /// Code-point equality (Python `str ==`). Swift's `==` uses canonical equivalence, under which
    /// NFC and NFD spellings are equal; Python's is not, and ToolRL's rewards depend on that.
    @inlinable
    public func hasSameScalars(as other: String) -> Bool {
        let left = utf8, right = other.utf8
        guard left.count == right.count else { return false }
        if let equal = left.withContiguousStorageIfAvailable({ a in
            right.withContiguousStorageIfAvailable { b in
                a.count == 0 || memcmpBytes(a.baseAddress!, b.baseAddress!, a.count)
            }
        }), let result = equal {
            return result
        }
        return left.elementsEqual(right)
    }
}

/// Whether two byte ranges are equal (libc `memcmp`: gold answers of a few KB are compared once
/// per scored line).
@usableFromInline
func memcmpBytes(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ count: Int) -> Bool {
    memcmp(a, b, count) == 0
}

extension JSONValue: Equatable {
    /// Representation equality (see the type's documentation); doubles compare with `==`.
    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): return true
        case let (.bool(a), .bool(b)): return a == b
        case let (.integer(a), .integer(b)): return a == b
        case let (.double(a), .double(b)): return a == b
        case let (.string(a), .string(b)): return a.hasSameScalars(as: b)
        case let (.array(a), .array(b)): return a == b
        case let (.object(a), .object(b)):
            guard a.count == b.count else { return false }
            for index in a.indices {
                guard a[index].0.hasSameScalars(as: b[index].0), a[index].1 == b[index].1 else { return false }
            }
            return true
        default: return false
        }
    }
}

extension JSONValue: Codable {
    /// Decodes from any `Decoder`. Object key order follows the decoder's `allKeys`, which
    /// Foundation does not promise to keep; use `JSONValue.parse` when order matters.
    public init(from decoder: Decoder) throws {
        if let single = try? decoder.singleValueContainer() {
            if single.decodeNil() { self = .null; return }
            if let flag = try? single.decode(Bool.self) { self = .bool(flag); return }
            if let whole = try? single.decode(Int.self) { self = .integer(whole); return }
            if let number = try? single.decode(Double.self) { self = .double(number); return }
            if let text = try? single.decode(String.self) { self = .string(text); return }
            if let items = try? single.decode([JSONValue].self) { self = .array(items); return }
        }
        let keyed = try decoder.container(keyedBy: AnyCodingKey.self)
        var pairs: [(String, JSONValue)] = []
        for key in keyed.allKeys {
            pairs.append((key.stringValue, try keyed.decode(JSONValue.self, forKey: key)))
        }
        self = .object(pairs)
    }

    public func encode(to encoder: Encoder) throws {
        switch self {
        case .null:
            var single = encoder.singleValueContainer()
            try single.encodeNil()
        case .bool(let flag):
            var single = encoder.singleValueContainer()
            try single.encode(flag)
        case .integer(let whole):
            var single = encoder.singleValueContainer()
            try single.encode(whole)
        case .double(let number):
            var single = encoder.singleValueContainer()
            try single.encode(number)
        case .string(let text):
            var single = encoder.singleValueContainer()
            try single.encode(text)
        case .array(let items):
            var unkeyed = encoder.unkeyedContainer()
            for item in items { try unkeyed.encode(item) }
        case .object(let pairs):
            var keyed = encoder.container(keyedBy: AnyCodingKey.self)
            for (key, value) in pairs { try keyed.encode(value, forKey: AnyCodingKey(key)) }
        }
    }
}

/// A coding key for arbitrary object keys.
struct AnyCodingKey: CodingKey, Hashable, Sendable {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ string: String) { stringValue = string }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { stringValue = String(intValue) }
}

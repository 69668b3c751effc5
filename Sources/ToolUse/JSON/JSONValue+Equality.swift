/// The two value equalities besides representation `==` (see `JSONValue`).
extension JSONValue {
    /// Python's `==` on the values `json.loads` returns:
    /// - `bool`, `int` and `float` compare as numbers: `1 == 1.0 == true`, `0 == false == -0.0`;
    ///   an int and a float are equal only when the float is exactly that integer.
    /// - strings compare by code points (NFC ≠ NFD); a string never equals a number.
    /// - `null` equals only `null`; arrays compare in order; objects ignore key order.
    /// - `NaN != NaN` at the top level. Inside an array or object, Python compares items with an
    ///   identity shortcut and `json.loads` returns one shared `NaN` object, so `[NaN] == [NaN]` is
    ///   true; this reproduces that.
    public func pythonEquals(_ other: JSONValue) -> Bool {
        pythonEquals(other, nested: false)
    }

    func pythonEquals(_ other: JSONValue, nested: Bool) -> Bool {
        switch (self, other) {
        case (.null, .null): return true
        case let (.string(a), .string(b)): return a.hasSameScalars(as: b)
        case let (.array(a), .array(b)):
            guard a.count == b.count else { return false }
            for index in a.indices where !a[index].pythonEquals(b[index], nested: true) { return false }
            return true
        case let (.object(a), .object(b)):
            return JSONValue.objectsEqual(a, b) { $0.pythonEquals($1, nested: true) }
        default:
            guard let left = numericValue, let right = other.numericValue else { return false }
            if nested, case .double(let x) = self, case .double(let y) = other, x.isNaN, y.isNaN { return true }
            return left.equals(right)
        }
    }

    /// Type-aware equality for evaluation: like `pythonEquals` except that booleans equal only
    /// booleans (`true != 1`), and `NaN` never equals anything. `1 == 1.0` still holds: the task
    /// is about the value a tool receives, and JSON writers differ in how they print whole floats.
    public func strictEquals(_ other: JSONValue) -> Bool {
        switch (self, other) {
        case (.null, .null): return true
        case let (.bool(a), .bool(b)): return a == b
        case (.bool, _), (_, .bool): return false
        case let (.string(a), .string(b)): return a.hasSameScalars(as: b)
        case let (.array(a), .array(b)):
            guard a.count == b.count else { return false }
            for index in a.indices where !a[index].strictEquals(b[index]) { return false }
            return true
        case let (.object(a), .object(b)):
            return JSONValue.objectsEqual(a, b) { $0.strictEquals($1) }
        default:
            guard let left = numericValue, let right = other.numericValue else { return false }
            return left.equals(right)
        }
    }

    static func objectsEqual(_ a: [(String, JSONValue)], _ b: [(String, JSONValue)],
                             _ valuesEqual: (JSONValue, JSONValue) -> Bool) -> Bool {
        guard a.count == b.count else { return false }
        for (index, pair) in a.enumerated() {
            // Same position first: the common case is identical key order.
            if index < b.count, b[index].0.hasSameScalars(as: pair.0) {
                if !valuesEqual(pair.1, b[index].1) { return false }
                continue
            }
            guard let match = b.first(where: { $0.0.hasSameScalars(as: pair.0) }),
                  valuesEqual(pair.1, match.1) else { return false }
        }
        return true
    }

    /// Booleans, integers and doubles as a number (Python's numeric tower); nil otherwise.
    var numericValue: PythonNumber? {
        switch self {
        case .bool(let flag): return .integer(flag ? 1 : 0)
        case .integer(let whole): return .integer(whole)
        case .double(let number): return .double(number)
        default: return nil
        }
    }
}

enum PythonNumber {
    case integer(Int)
    case double(Double)

    /// Exact comparison, as Python compares an int with a float (no rounding of the int).
    func equals(_ other: PythonNumber) -> Bool {
        switch (self, other) {
        case let (.integer(a), .integer(b)): return a == b
        case let (.double(a), .double(b)): return a == b
        case let (.integer(a), .double(b)), let (.double(b), .integer(a)):
            guard b.isFinite, b.rounded(.towardZero) == b,
                  b >= -9.223372036854775808e18, b < 9.223372036854775808e18 else { return false }
            return Int(b) == a
        }
    }
}

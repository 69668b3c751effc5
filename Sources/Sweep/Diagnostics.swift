/// A place in a source file: 1-based line and column, as editors count them.
public struct SourceLocation: Equatable, Hashable, Sendable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int

    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    /// `file:line:column`, the form compilers use and editors jump to.
    public var description: String { "\(file):\(line):\(column)" }
}

/// One message about an input: an error stops planning, a warning does not.
public struct Diagnostic: Equatable, Hashable, Sendable, CustomStringConvertible {
    public enum Severity: String, Sendable { case error, warning }

    public var severity: Severity
    public var location: SourceLocation?
    public var message: String

    public init(_ severity: Severity, at location: SourceLocation?, _ message: String) {
        self.severity = severity
        self.location = location
        self.message = message
    }

    /// `file:line:column: error: message` (without the location when there is none).
    public var description: String {
        if let location { return "\(location): \(severity.rawValue): \(message)" }
        return "\(severity.rawValue): \(message)"
    }
}

/// One or more errors in a config or a spec, each with its file:line:column.
public struct ConfigError: Error, CustomStringConvertible, Sendable {
    public var diagnostics: [Diagnostic]

    public init(diagnostics: [Diagnostic]) { self.diagnostics = diagnostics }

    public init(at location: SourceLocation?, _ message: String) {
        self.diagnostics = [Diagnostic(.error, at: location, message)]
    }

    /// One line per diagnostic, in the order found.
    public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}

/// Collects diagnostics while a spec is checked, so that one pass reports every problem it can.
struct DiagnosticLog {
    private(set) var diagnostics: [Diagnostic] = []

    var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }
    var warnings: [Diagnostic] { diagnostics.filter { $0.severity == .warning } }

    mutating func error(_ location: SourceLocation?, _ message: String) {
        append(Diagnostic(.error, at: location, message))
    }

    mutating func warning(_ location: SourceLocation?, _ message: String) {
        append(Diagnostic(.warning, at: location, message))
    }

    mutating func append(_ diagnostic: Diagnostic) {
        if !diagnostics.contains(diagnostic) { diagnostics.append(diagnostic) }
    }

    mutating func absorb(_ error: Error) {
        if let config = error as? ConfigError {
            for diagnostic in config.diagnostics { append(diagnostic) }
        } else {
            self.error(nil, String(describing: error))
        }
    }

    /// Throws the errors (warnings ride along) when there is at least one.
    func throwIfErrors() throws {
        if hasErrors { throw ConfigError(diagnostics: diagnostics.filter { $0.severity == .error }) }
    }
}

/// Suggestions for misspelt names: the candidate nearest in edit distance, when near enough.
enum Suggestion {
    /// The closest candidate within `max(2, name.count / 3)` edits, ties broken by candidate order.
    static func nearest(to name: String, among candidates: [String]) -> String? {
        let limit = max(2, name.count / 3)
        var best: (candidate: String, distance: Int)?
        for candidate in candidates where candidate != name {
            let distance = editDistance(name, candidate)
            if distance <= limit, distance < (best?.distance ?? Int.max) { best = (candidate, distance) }
        }
        return best?.candidate
    }

    /// ` (did you mean 'x'?)` or an empty string.
    static func hint(for name: String, among candidates: [String]) -> String {
        guard let nearest = nearest(to: name, among: candidates) else { return "" }
        return " (did you mean '\(nearest)'?)"
    }

    /// Levenshtein distance over Unicode scalars.
    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a.unicodeScalars), b = Array(b.unicodeScalars)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
                current[j] = min(substitution, previous[j] + 1, current[j - 1] + 1)
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}

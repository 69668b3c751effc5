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

    init(_ severity: Severity, at location: SourceLocation?, _ message: String) {
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

/// Collects diagnostics while an input is checked, so that one pass reports every problem it can.
public struct DiagnosticLog: Sendable {
    public private(set) var diagnostics: [Diagnostic] = []

    public init() {}

    var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }
    public var warnings: [Diagnostic] { diagnostics.filter { $0.severity == .warning } }

    public mutating func error(_ location: SourceLocation?, _ message: String) {
        append(Diagnostic(.error, at: location, message))
    }

    public mutating func warning(_ location: SourceLocation?, _ message: String) {
        append(Diagnostic(.warning, at: location, message))
    }

    public mutating func append(_ diagnostic: Diagnostic) {
        if !diagnostics.contains(diagnostic) { diagnostics.append(diagnostic) }
    }

    public mutating func absorb(_ error: Error) {
        if let config = error as? ConfigError {
            for diagnostic in config.diagnostics { append(diagnostic) }
        } else {
            self.error(nil, String(describing: error))
        }
    }

    /// Throws the errors (warnings ride along) when there is at least one.
    public func throwIfErrors() throws {
        if hasErrors { throw ConfigError(diagnostics: diagnostics.filter { $0.severity == .error }) }
    }
}

import Basics

/// The diagnostics of a thrown `ConfigError`, as text (one per line), or a marker saying what
/// happened instead.
public func diagnosticText(_ body: () throws -> Any) -> String {
    do {
        _ = try body()
        return "<no error>"
    } catch let error as ConfigError {
        return error.description
    } catch {
        return "<other error: \(error)>"
    }
}

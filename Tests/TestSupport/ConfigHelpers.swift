import Basics
import Config

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

/// The run id of a config written as YAML, resolved and identified by `resolver`.
public func runID(_ yaml: String, resolver: ConfigResolver) throws -> String {
    try resolver.identity(of: try resolver.resolve(try YAMLLoader.load(yaml: yaml, file: "run.yaml"))).id
}

// How a run config names a data file (`task.data`, `task.eval_data`). In YAML it is a path, as
// the user wrote it, relative to the file that names it. Planning (and `ablate train`) resolves it
// and records the file's content hash, and `config.json` keeps all three:
//
//     "data": {"path": "data/rlla_sft.json", "resolved": "/home/me/exp/data/rlla_sft.json",
//              "sha256": "9f2c…"}
//
// A run's id hashes the content (`sha256`), not the paths: an edited file makes new runs, a moved
// one does not.

/// A data file named by a run config: the path as written, and once resolved, the absolute path
/// and the SHA-256 of its bytes (lowercase hex).
public struct DataFileReference: Codable, Equatable, Hashable, Sendable, ExpressibleByStringLiteral {
    /// The path as written in the config.
    public var path: String
    /// The absolute path it resolved to (nil until resolved).
    public var resolved: String?
    /// SHA-256 of the file's bytes when it was resolved (nil until resolved).
    public var sha256: String?

    public init(_ path: String, resolved: String? = nil, sha256: String? = nil) {
        self.path = path
        self.resolved = resolved
        self.sha256 = sha256
    }

    public init(stringLiteral path: String) { self.init(path) }

    /// The path to open: the resolved one when there is one, else the path as written (relative
    /// to the current directory).
    public var location: String { resolved ?? path }

    enum CodingKeys: String, CodingKey { case path, resolved, sha256 }

    /// A plain string (a path as written) or the recorded object `{path, resolved, sha256}`.
    public init(from decoder: Decoder) throws {
        if let single = try? decoder.singleValueContainer(), let text = try? single.decode(String.self) {
            guard !text.isEmpty else {
                throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                                                        debugDescription: "a data file path cannot be empty"))
            }
            self.init(text)
            return
        }
        let container: KeyedDecodingContainer<CodingKeys>
        do { container = try decoder.container(keyedBy: CodingKeys.self) } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                                                    debugDescription: "expected a data file path (a string)"))
        }
        self.init(try container.decode(String.self, forKey: .path),
                  resolved: try container.decodeIfPresent(String.self, forKey: .resolved),
                  sha256: try container.decodeIfPresent(String.self, forKey: .sha256))
    }

    /// An unresolved reference is written as its path; a resolved one as the full object.
    public func encode(to encoder: Encoder) throws {
        if resolved == nil && sha256 == nil {
            var single = encoder.singleValueContainer()
            try single.encode(path)
            return
        }
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(path, forKey: .path)
        try container.encode(resolved, forKey: .resolved)
        try container.encode(sha256, forKey: .sha256)
    }
}

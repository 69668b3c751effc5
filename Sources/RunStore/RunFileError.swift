import Basics
import Foundation

/// A run file that cannot be read as its format says: the file, and where known the line, column
/// and field, with what was expected.
///
///     runs/store/3f9c…/state.json:1:12: unexpected character
///     runs/store/3f9c…/state.json: field 'state': expected one of pending, running, done, failed
public struct RunFileError: Error, CustomStringConvertible, Sendable {
    public var path: String
    public var line: Int?
    public var column: Int?
    public var field: String?
    public var message: String

    public init(path: String, line: Int? = nil, column: Int? = nil, field: String? = nil, _ message: String) {
        self.path = path
        self.line = line
        self.column = column
        self.field = field
        self.message = message
    }

    /// A syntax error at its line and column in `data`.
    init(path: String, data: Data, syntax: JSONSyntaxError) {
        let (line, column) = syntax.lineAndColumn(in: data)
        self.init(path: path, line: line, column: column, syntax.message)
    }

    public var description: String {
        var place = path
        if let line { place += ":\(line)" + (column.map { ":\($0)" } ?? "") }
        return place + ": " + (field.map { "field '\($0)': " } ?? "") + message
    }

    /// Reads `path` and parses it as one JSON document; nil when the file does not exist.
    static func readJSON(at path: String) throws -> (data: Data, root: JSONNode)? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        do {
            return (data, try JSONNode.parse(data))
        } catch let error as JSONSyntaxError {
            throw RunFileError(path: path, data: data, syntax: error)
        }
    }

    /// `readJSON(at:)` through a reading thread's reusable `buffer` (reports read thousands of
    /// small files): the same document or the same error.
    static func readJSON(at path: String, buffer: GrowableBuffer<UInt8>) throws -> JSONNode? {
        guard let count = buffer.load(contentsOf: path) else { return nil }
        let bytes = UnsafeBufferPointer(start: count == 0 ? nil : UnsafePointer(buffer.pointer), count: count)
        do {
            return try parseJSONDocument(bytes)
        } catch let error as JSONSyntaxError {
            throw RunFileError(path: path, data: Data(bytes), syntax: error)
        }
    }
}

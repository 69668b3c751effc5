// Where a byte offset of a UTF-8 text lies, as editors count: the rule for every located message
// about a text Ablate reads (data files, JSON values; `JSONTreeParser` counts the same way as it
// scans).

/// A 1-based line and column; columns count Unicode scalars, as editors do.
public struct TextPosition: Equatable, Sendable {
    public var line: Int
    public var column: Int

    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    public init(_ bytes: [UInt8], offset: Int) {
        self = bytes.withUnsafeBufferPointer { TextPosition($0, offset: offset) }
    }

    public init(_ buffer: UnsafeBufferPointer<UInt8>, offset: Int) {
        var line = 1
        var lineStart = 0
        let end = min(offset, buffer.count)
        for index in 0..<end where buffer[index] == 0x0A {
            line += 1
            lineStart = index + 1
        }
        var column = 1
        // Continuation bytes (10xxxxxx) do not start a scalar.
        for index in lineStart..<end where buffer[index] & 0xC0 != 0x80 { column += 1 }
        self.init(line: line, column: column)
    }
}

extension SourceLocation {
    /// `position` in `file`.
    public init(file: String, _ position: TextPosition) {
        self.init(file: file, line: position.line, column: position.column)
    }
}

// Where a byte offset of a text lies, as editors count: for JSON parse errors and data files.

/// A 1-based line and column (columns count Unicode scalars, as editors do).
struct TextPosition: Equatable {
    var line: Int
    var column: Int

    init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    init(_ bytes: [UInt8], offset: Int) {
        self = bytes.withUnsafeBufferPointer { TextPosition($0, offset: offset) }
    }

    init(_ buffer: UnsafeBufferPointer<UInt8>, offset: Int) {
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

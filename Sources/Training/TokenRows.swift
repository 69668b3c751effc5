import Basics
import Foundation
import Model

/// Reusable token rows [B, T] (row-major, right-padded) for forward passes, grown only when a
/// larger shape arrives so that steps do not allocate.
final class TokenRows {
    private let storage: GrowableBuffer<Int32>
    private(set) var batchSize = 0
    private(set) var sequenceLength = 0

    var tokens: UnsafeMutablePointer<Int32> { storage.pointer }

    init(capacity: Int = 1) {
        storage = GrowableBuffer(capacity: capacity)
    }

    /// Lays out `rows` (each at most `width` tokens) as [rows.count, width], padded with `padding`.
    func fill(_ rows: [[Int32]], width: Int, padding: Int32) {
        storage.reserve(rows.count * width)
        batchSize = rows.count
        sequenceLength = width
        for (r, row) in rows.enumerated() {
            let start = tokens + r * width
            let count = min(row.count, width)
            row.withUnsafeBufferPointer { start.update(from: $0.baseAddress!, count: count) }
            if count < width { (start + count).update(repeating: padding, count: width - count) }
        }
    }
}

import Foundation

// Rotary position embedding (RoPE; Su et al., 2021) of the queries and keys, in place.
// Shapes: qkv [N, 3C] (query | key | value, each C = NH·hs channels, head h at h·hs); the N rows'
//         positions (`RotaryPositions`); table cos, sin [positions, hs/2].
// Legend: in every head of q and of k, channel c < hs/2 pairs with c + hs/2 (split halves); at
//         position p the pair turns by the angle p·θc with θc = base^(−2c/hs):
//           x'[c] = x[c]·cos − x[c + hs/2]·sin,   x'[c + hs/2] = x[c]·sin + x[c + hs/2]·cos.
//         The score of query i and key j is then q·R(i − j)·k: it depends on where the key stands
//         relative to the query, not on either absolute position, so a look-up such as "the token
//         after the one I just copied" is one pattern at every position. Values are untouched.
// Backward: the rotation is linear and orthogonal, so the gradient with respect to the unrotated
//         x is the gradient with respect to x' turned back by −p·θc. It runs in place on dQKV:
//         attention's backward has accumulated the gradients of the rotated q and k there (and
//         finished with them), and the qkv projection's backward reads the turned-back result.
//         Rotating in place stores nothing: the forward's rotated qkv is what attention's backward
//         needs, and the projection's backward needs its input, not its output.

/// The positions of the rows a rotary kernel turns.
enum RotaryPositions {
    /// Row n of B right-padded sequences of T tokens sits at n mod T.
    case sequences(length: Int)
    /// Row n sits at `positions[n]` (packed rows, decode steps).
    case listed(UnsafePointer<Int32>)

    @inline(__always)
    func position(ofRow n: Int) -> Int {
        switch self {
        case .sequences(let T): return n % T
        case .listed(let positions): return Int(positions[n])
        }
    }
}

/// cos(p·θc) and sin(p·θc) for every position p < `positionCount` and pair c < hs/2, computed once
/// per model shape (in Double, stored as Float).
final class RotaryTable {
    /// The rotation base (the original RoPE's 10,000): θc = base^(−2c/hs).
    static let base = 10_000.0
    let positionCount: Int
    let headSize: Int
    let cos: UnsafeMutablePointer<Float>   // [positionCount, hs/2]
    let sin: UnsafeMutablePointer<Float>   // [positionCount, hs/2]

    init(positionCount: Int, headSize hs: Int) {
        precondition(hs % 2 == 0, "rotary position embedding needs an even head size, got \(hs)")
        self.positionCount = positionCount
        headSize = hs
        let half = hs / 2
        cos = .allocate(capacity: max(1, positionCount * half))
        sin = .allocate(capacity: max(1, positionCount * half))
        for c in 0..<half {
            let theta = Foundation.pow(Self.base, -2 * Double(c) / Double(hs))
            for p in 0..<positionCount {
                let angle = Double(p) * theta
                cos[p * half + c] = Float(Foundation.cos(angle))
                sin[p * half + c] = Float(Foundation.sin(angle))
            }
        }
    }

    deinit {
        cos.deallocate()
        sin.deallocate()
    }
}

/// Forward/backward pair of the rotary position embedding (in place on qkv / dQKV).
enum Rotary {
    /// Turns q and k of every row of qkv [N, 3C] by its position's angles.
    static func forward(qkv: UnsafeMutablePointer<Float>, positions: RotaryPositions, rows N: Int,
                        channels C: Int, heads NH: Int, table: RotaryTable) {
        rotate(qkv, positions: positions, rows: N, channels: C, heads: NH, table: table, direction: 1)
    }

    /// Turns the gradients of the rotated q and k in dQKV [N, 3C] back into those of the unrotated
    /// ones (see the header: in place, the transposed rotation).
    static func backward(qkvGradient dQKV: UnsafeMutablePointer<Float>, positions: RotaryPositions, rows N: Int,
                         channels C: Int, heads NH: Int, table: RotaryTable) {
        rotate(dQKV, positions: positions, rows: N, channels: C, heads: NH, table: table, direction: -1)
    }

    /// direction 1: by +p·θc (forward); −1: by −p·θc (the transpose, backward).
    private static func rotate(_ qkv: UnsafeMutablePointer<Float>, positions: RotaryPositions, rows N: Int,
                               channels C: Int, heads NH: Int, table: RotaryTable, direction: Float) {
        let hs = C / NH, half = hs / 2
        precondition(hs == table.headSize, "rotary table for head size \(table.headSize), model has \(hs)")
        Parallel.forEachRange(count: N, work: N * 2 * C) { _, rows in
            for n in rows {
                let p = positions.position(ofRow: n)
                precondition(p >= 0 && p < table.positionCount, "row \(n) at position \(p), outside the rotary table")
                let cos = table.cos + p * half, sin = table.sin + p * half
                // q and k: the 2·NH heads that start the row, hs channels each.
                for head in 0..<(2 * NH) {
                    let x = qkv + n * 3 * C + head * hs, y = x + half
                    for c in 0..<half {
                        let s = direction * sin[c]
                        let a = x[c], b = y[c]
                        x[c] = a * cos[c] - b * s
                        y[c] = a * s + b * cos[c]
                    }
                }
            }
        }
    }
}

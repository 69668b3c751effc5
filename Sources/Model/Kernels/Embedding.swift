// Token + position embedding.
// Shapes: tokens [B, T] (Int32), tokenTable [V, C], positionTable [maxT, C], out [B, T, C].
// out[b, t, :] = tokenTable[tokens[b, t], :] + positionTable[t, :]
// The packed form takes each row's position explicitly: tokens, positions [N], out [N, C].

/// Forward/backward pair of the embedding layer (llm.c `encoder_*`).
enum Embedding {
    static func forward(out: UnsafeMutablePointer<Float>, tokens: UnsafePointer<Int32>,
                               tokenTable: UnsafePointer<Float>, positionTable: UnsafePointer<Float>,
                               batchSize B: Int, sequenceLength T: Int, channels C: Int) {
        for b in 0..<B {
            for t in 0..<T {
                let row = out + (b * T + t) * C
                let tokenRow = tokenTable + Int(tokens[b * T + t]) * C
                let positionRow = positionTable + t * C
                for c in 0..<C { row[c] = tokenRow[c] + positionRow[c] }
            }
        }
    }

    /// Accumulates dOut into the rows of the two tables that the forward read.
    static func backward(tokenTableGradient dTokenTable: UnsafeMutablePointer<Float>,
                                positionTableGradient dPositionTable: UnsafeMutablePointer<Float>,
                                outGradient dOut: UnsafePointer<Float>, tokens: UnsafePointer<Int32>,
                                batchSize B: Int, sequenceLength T: Int, channels C: Int) {
        for b in 0..<B {
            for t in 0..<T {
                let row = dOut + (b * T + t) * C
                let tokenRow = dTokenTable + Int(tokens[b * T + t]) * C
                let positionRow = dPositionTable + t * C
                for c in 0..<C {
                    tokenRow[c] += row[c]
                    positionRow[c] += row[c]
                }
            }
        }
    }

    /// Packed rows: out[n, :] = tokenTable[tokens[n], :] + positionTable[positions[n], :].
    static func forward(out: UnsafeMutablePointer<Float>, tokens: UnsafePointer<Int32>, positions: UnsafePointer<Int32>,
                               tokenTable: UnsafePointer<Float>, positionTable: UnsafePointer<Float>,
                               rows N: Int, channels C: Int) {
        for n in 0..<N {
            let row = out + n * C
            let tokenRow = tokenTable + Int(tokens[n]) * C
            let positionRow = positionTable + Int(positions[n]) * C
            for c in 0..<C { row[c] = tokenRow[c] + positionRow[c] }
        }
    }

    /// Backward of the packed form: accumulates dOut into the rows the forward read.
    static func backward(tokenTableGradient dTokenTable: UnsafeMutablePointer<Float>,
                                positionTableGradient dPositionTable: UnsafeMutablePointer<Float>,
                                outGradient dOut: UnsafePointer<Float>, tokens: UnsafePointer<Int32>,
                                positions: UnsafePointer<Int32>, rows N: Int, channels C: Int) {
        for n in 0..<N {
            let row = dOut + n * C
            let tokenRow = dTokenTable + Int(tokens[n]) * C
            let positionRow = dPositionTable + Int(positions[n]) * C
            for c in 0..<C {
                tokenRow[c] += row[c]
                positionRow[c] += row[c]
            }
        }
    }
}

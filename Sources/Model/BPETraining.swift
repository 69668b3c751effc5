/// Learning byte-level BPE merges, and the pre-tokenisation (chunking) that encode shares.
enum BPETraining {
    private enum ByteClass { case letter, digit, space, lineBreak, other }

    private static func byteClass(_ byte: UInt8, spaces: Tokenizer.SpaceHandling) -> ByteClass {
        switch byte {
        case UInt8(ascii: " ") where spaces == .split: return .other
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), 0x80...0xFF: return .letter
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return .digit
        case UInt8(ascii: " "): return .space
        case UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "\t"): return .lineBreak
        default: return .other
        }
    }

    /// Splits bytes into chunks that merges never cross: runs of one byte class (letters —
    /// including every non-ASCII byte, so UTF-8 characters stay whole —, digits, spaces, line
    /// breaks, other symbols). With `spaces: .glued` a single space is glued to the run that
    /// follows it (" word", GPT-2's habit); with `.split` a space counts as a symbol: it joins the
    /// punctuation around it (`": "`, `", "` can become one token each) but never a word, so a
    /// word is the same tokens after a space, a quote or a bracket (what copying a value from a
    /// request into a JSON call needs). The chunks tile the input exactly, which is what
    /// makes encoding lossless.
    static func chunks(_ bytes: [UInt8], spaces: Tokenizer.SpaceHandling = .glued) -> [Range<Int>] {
        var result: [Range<Int>] = []
        let n = bytes.count
        var i = 0
        while i < n {
            let space = UInt8(ascii: " ")
            if bytes[i] == space && spaces == .glued {
                var end = i
                while end < n && bytes[end] == space { end += 1 }
                if end == n {                       // trailing spaces: one chunk
                    result.append(i..<end)
                    break
                }
                if end - i > 1 { result.append(i..<(end - 1)) }   // all but the last space
                let glued = end - 1                 // the last space joins the run after it
                let runClass = byteClass(bytes[end], spaces: spaces)
                i = end
                while i < n && byteClass(bytes[i], spaces: spaces) == runClass { i += 1 }
                result.append(glued..<i)
            } else {
                let start = i
                let runClass = byteClass(bytes[i], spaces: spaces)
                while i < n && byteClass(bytes[i], spaces: spaces) == runClass { i += 1 }
                result.append(start..<i)
            }
        }
        return result
    }

    /// Greedy BPE over the distinct chunks of the corpus, weighted by their frequency. Pair
    /// counts are kept up to date incrementally: a merge only revisits the chunks containing it.
    static func learnMerges(corpus: [String], mergeCount: Int, spaces: Tokenizer.SpaceHandling = .glued) -> [(Int32, Int32)] {
        guard mergeCount > 0 else { return [] }
        var frequency: [[UInt8]: Int] = [:]
        for text in corpus {
            let bytes = Array(text.utf8)
            for range in chunks(bytes, spaces: spaces) { frequency[Array(bytes[range]), default: 0] += 1 }
        }
        // A fixed order (by bytes) keeps everything below independent of hashing.
        let distinct = frequency.keys.sorted { $0.lexicographicallyPrecedes($1) }
        var words: [[Int32]] = distinct.map { $0.map { Int32($0) } }
        let weights: [Int] = distinct.map { frequency[$0]! }
        var pairCounts: [UInt64: Int] = [:]
        var wordsWithPair: [UInt64: Set<Int>] = [:]
        for (index, word) in words.enumerated() where word.count > 1 {
            for i in 0..<(word.count - 1) {
                let key = Tokenizer.key(word[i], word[i + 1])
                pairCounts[key, default: 0] += weights[index]
                wordsWithPair[key, default: []].insert(index)
            }
        }
        var merges: [(Int32, Int32)] = []
        while merges.count < mergeCount {
            var bestKey: UInt64 = 0
            var bestCount = 0
            for (key, count) in pairCounts where count > bestCount || (count == bestCount && count > 0 && key < bestKey) {
                bestKey = key
                bestCount = count
            }
            if bestCount < 2 { break }
            let a = Int32(truncatingIfNeeded: bestKey >> 32), b = Int32(truncatingIfNeeded: bestKey & 0xFFFF_FFFF)
            let newToken = Int32(Tokenizer.byteVocabularySize + merges.count)
            merges.append((a, b))
            for index in (wordsWithPair[bestKey] ?? []).sorted() {
                let word = words[index]
                let weight = weights[index]
                for i in 0..<(word.count - 1) {
                    let key = Tokenizer.key(word[i], word[i + 1])
                    pairCounts[key, default: 0] -= weight
                    if pairCounts[key] == 0 { pairCounts[key] = nil }
                }
                var merged: [Int32] = []
                merged.reserveCapacity(word.count)
                var i = 0
                while i < word.count {
                    if i + 1 < word.count && word[i] == a && word[i + 1] == b {
                        merged.append(newToken)
                        i += 2
                    } else {
                        merged.append(word[i])
                        i += 1
                    }
                }
                words[index] = merged
                if merged.count > 1 {
                    for i in 0..<(merged.count - 1) {
                        let key = Tokenizer.key(merged[i], merged[i + 1])
                        pairCounts[key, default: 0] += weight
                        wordsWithPair[key, default: []].insert(index)
                    }
                }
            }
            wordsWithPair[bestKey] = nil
        }
        return merges
    }
}

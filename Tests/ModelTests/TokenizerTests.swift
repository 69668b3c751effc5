import XCTest
@testable import Basics
@testable import Model

/// Byte and BPE tokenizers: exact round trips, determinism, Codable, lossy decode of junk.
final class TokenizerTests: XCTestCase {
    static let corpus: [String] = (0..<60).map { i in
        "<tool_call>\n{\"name\": \"get_weather\", \"parameters\": {\"city\": \"Paris\", \"days\": \(i % 7)}}\n</tool_call> think about the weather in Paris, café ☕️ \(i)"
    }

    /// Random strings mixing ASCII, CRLF, tabs, accents, combining marks, CJK, emoji with ZWJ and
    /// skin tones, and characters outside the BMP.
    func randomStrings(count: Int, seed: UInt64) -> [String] {
        let pieces = ["a", "Z", " ", "  ", "\r\n", "\n", "\t", "{", "\"", "é", "e\u{301}", "\u{300}\u{301}", "中文", "😀",
                      "👩‍👩‍👧", "👍🏽", "𝔘", "\u{0}", "ß", "🇫🇷", "0", "42", "\u{FEFF}", "\u{200B}", "Ω", "ﬁ"]
        var random = RandomGenerator(seed: seed)
        return (0..<count).map { _ in
            (0..<random.nextInt(below: 40)).map { _ in pieces[random.nextInt(below: pieces.count)] }.joined()
        } + ["", " ", "\r\n\r\n", "e\u{301}\u{302}\u{303}", String(repeating: "🙂", count: 50)]
    }

    func testByteTokenizerRoundTripsEveryString() {
        let tokenizer = Tokenizer.bytes()
        XCTAssertEqual(tokenizer.vocabularySize, 257)
        XCTAssertEqual(tokenizer.endOfText, 256)
        for text in randomStrings(count: 200, seed: 1) {
            let tokens = tokenizer.encode(text)
            XCTAssertEqual(tokens.count, text.utf8.count)
            XCTAssertEqual(tokenizer.decode(tokens), text)
            XCTAssertEqual(tokenizer.bytes(of: tokens), Array(text.utf8))
            XCTAssertEqual(Array(tokenizer.decode(tokens).unicodeScalars), Array(text.unicodeScalars))
        }
    }

    func testBPEIsDeterministicCompressesAndRoundTrips() {
        let first = Tokenizer.trainBPE(corpus: Self.corpus, vocabularySize: 300)
        let second = Tokenizer.trainBPE(corpus: Self.corpus, vocabularySize: 300)
        XCTAssertEqual(first.vocabularySize, 300)
        XCTAssertEqual(first.merges.map { [$0.0, $0.1] }, second.merges.map { [$0.0, $0.1] })
        let sample = Self.corpus[3]
        XCTAssertLessThan(first.encode(sample).count, sample.utf8.count / 2, "merges should compress the training text")
        for text in randomStrings(count: 200, seed: 2) + Self.corpus {
            let tokens = first.encode(text)
            XCTAssertTrue(tokens.allSatisfy { $0 >= 0 && Int($0) < first.vocabularySize && $0 != first.endOfText })
            XCTAssertEqual(first.decode(tokens), text)
            XCTAssertEqual(first.bytes(of: tokens), Array(text.utf8))
        }
        // The first merge is the most frequent pair of the corpus.
        var counts: [[UInt8]: Int] = [:]
        for text in Self.corpus {
            let bytes = Array(text.utf8)
            for range in BPETraining.chunks(bytes) where range.count > 1 {
                for i in range.dropLast() { counts[[bytes[i], bytes[i + 1]], default: 0] += 1 }
            }
        }
        let best = counts.values.max()!
        XCTAssertEqual(counts[[UInt8(first.merges[0].0), UInt8(first.merges[0].1)]], best)
    }

    func testChunksTileTheInput() {
        for text in randomStrings(count: 100, seed: 3) {
            let bytes = Array(text.utf8)
            let chunks = BPETraining.chunks(bytes)
            XCTAssertEqual(chunks.map(\.count).reduce(0, +), bytes.count)
            var expected = 0
            for chunk in chunks {
                XCTAssertEqual(chunk.lowerBound, expected)
                XCTAssertFalse(chunk.isEmpty)
                expected = chunk.upperBound
            }
        }
        XCTAssertEqual(BPETraining.chunks(Array("a  bc".utf8)), [0..<1, 1..<2, 2..<5])
    }

    func testDecodeNeverTrapsAndIsLossyOnlyOnInvalidUTF8() {
        let tokenizer = Tokenizer.trainBPE(corpus: Self.corpus, vocabularySize: 280)
        var random = RandomGenerator(seed: 4)
        for _ in 0..<50 {
            let tokens = (0..<20).map { _ in Int32(random.nextInt(below: 400)) - 50 }
            _ = tokenizer.decode(tokens)
        }
        let euro = Array("€".utf8).map { Int32($0) }           // 3 bytes
        XCTAssertEqual(tokenizer.decode(Array(euro.prefix(2))), "\u{FFFD}")
        XCTAssertEqual(tokenizer.decode(euro + [256] + [Int32(UInt8(ascii: "x"))]), "€x", "end-of-text spells nothing")
    }

    func testCodableRoundTrip() throws {
        for tokenizer in [Tokenizer.bytes(), Tokenizer.trainBPE(corpus: Self.corpus, vocabularySize: 290)] {
            let data = try JSONEncoder().encode(tokenizer)
            let decoded = try JSONDecoder().decode(Tokenizer.self, from: data)
            XCTAssertEqual(decoded.vocabularySize, tokenizer.vocabularySize)
            XCTAssertEqual(decoded.kind, tokenizer.kind)
            for text in Self.corpus.prefix(5) { XCTAssertEqual(decoded.encode(text), tokenizer.encode(text)) }
        }
        let bad = Data(#"{"kind": "bpe", "merges": [[1, 2], [300, 4]]}"#.utf8)
        XCTAssertThrowsError(try JSONDecoder().decode(Tokenizer.self, from: bad)) { error in
            XCTAssertTrue("\(error)".contains("merge 1"), "\(error)")
        }
    }
}

/// `spaces: .split`: a word is the same tokens after a space and inside quotes, which is what
/// copying a value from a request into a JSON call needs; `.glued` makes them differ.
final class SplitSpaceTokenizerTests: XCTestCase {
    func testWordsKeepTheirTokensInsideQuotesOnlyWhenSpacesSplit() throws {
        let corpus = (0..<40).map { i in
            "What is the weather in Paris on day \(i)? {\"city\": \"Paris\", \"days\": \(i % 5)} in Paris"
        }
        let split = Tokenizer.trainBPE(corpus: corpus, vocabularySize: 320, spaces: .split)
        let glued = Tokenizer.trainBPE(corpus: corpus, vocabularySize: 320, spaces: .glued)
        XCTAssertEqual(Array(split.encode(" Paris").dropFirst()), split.encode("Paris"))
        XCTAssertEqual(Array(split.encode("\"Paris\"").dropFirst().dropLast()), split.encode("Paris"))
        XCTAssertNotEqual(Array(glued.encode(" Paris")), [glued.encode(" ")[0]] + glued.encode("Paris"))
        for text in corpus { XCTAssertEqual(split.decode(split.encode(text)), text) }
        // Saved and read back with its space handling; a file without the key reads as glued.
        let decoded = try JSONDecoder().decode(Tokenizer.self, from: JSONEncoder().encode(split))
        XCTAssertEqual(decoded.spaces, .split)
        XCTAssertEqual(decoded.encode(corpus[3]), split.encode(corpus[3]))
        let old = try JSONDecoder().decode(Tokenizer.self, from: Data(#"{"kind": "bytes", "merges": []}"#.utf8))
        XCTAssertEqual(old.spaces, .glued)
    }
}

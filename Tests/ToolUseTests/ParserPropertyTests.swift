import XCTest
@testable import Basics
@testable import ToolUse

/// The parser must take any string without trapping, and its reports must stay consistent.
final class ParserPropertyTests: XCTestCase {

    static let valid = """
    <think> I should use the tool. </think>
    <tool_call>
    {"name": "search", "parameters": {"q": "caf\\u00e9", "n": [1, 2.5, null, true], "o": {"k": "v"}}}
    {"name": "B", "parameters": {}}
    </tool_call>
    <response> ok </response>
    """

    func checkInvariants(_ text: String) {
        let parsed = CompletionParser.parse(text)
        for tag in CompletionTag.allCases { XCTAssertGreaterThanOrEqual(parsed.tagCounts[tag], 0) }
        let lineCount = text.utf8.filter { $0 == 0x0A }.count + 1
        for error in parsed.errors { XCTAssertTrue((1...lineCount).contains(error.line), "\(error)") }
        if parsed.toolCallBlock == nil { XCTAssertTrue(parsed.calls.isEmpty) }
        XCTAssertLessThanOrEqual(parsed.calls.count, parsed.callValues.count)
        for call in parsed.calls { _ = call.json.dumps() }
        _ = try? JSONValue.parse(text)
    }

    func testRandomByteSoupNeverTraps() {
        var random = SplitMix64(seed: 7)
        let alphabet: [String] = ["<think>", "</think>", "<tool_call>", "</tool_call>", "<response>", "</response>",
                                  "\n", " ", "{", "}", "[", "]", "\"", ":", ",", "\\", "\\u", "d83d", "name", "é", "\u{0}", "NaN"]
        for _ in 0..<300 {
            let count = random.below(200)
            var bytes: [UInt8] = []
            for _ in 0..<count { bytes.append(UInt8(truncatingIfNeeded: random.next())) }
            checkInvariants(String(decoding: bytes, as: UTF8.self))
            var pieces = ""
            for _ in 0..<random.below(40) { pieces += alphabet[random.below(alphabet.count)] }
            checkInvariants(pieces)
        }
    }

    func testMutatedValidCompletionsNeverTrap() {
        var random = SplitMix64(seed: 11)
        let original = Array(Self.valid.utf8)
        XCTAssertTrue(CompletionParser.parse(Self.valid).hasValidCalls)
        for _ in 0..<500 {
            var bytes = original
            for _ in 0..<(1 + random.below(4)) {
                switch random.below(4) {
                case 0: bytes.remove(at: random.below(bytes.count))
                case 1: bytes.insert(UInt8(truncatingIfNeeded: random.next()), at: random.below(bytes.count))
                case 2: bytes[random.below(bytes.count)] = UInt8(truncatingIfNeeded: random.next())
                default:
                    let cut = random.below(bytes.count)
                    bytes = Array(bytes[..<cut])
                }
                if bytes.isEmpty { bytes = [0x20] }
            }
            checkInvariants(String(decoding: bytes, as: UTF8.self))
        }
    }

    func testJSONRoundTripOnRandomValues() throws {
        var random = SplitMix64(seed: 3)
        func make(_ depth: Int) -> JSONValue {
            switch random.below(depth > 3 ? 5 : 7) {
            case 0: return .null
            case 1: return .bool(random.below(2) == 0)
            case 2: return .integer(Int(truncatingIfNeeded: random.next()) >> random.below(64))
            case 3: return .double(Double(bitPattern: random.next() & 0x7FEF_FFFF_FFFF_FFFF) * (random.below(2) == 0 ? 1 : -1))
            case 4: return .string(String(decoding: (0..<random.below(8)).map { _ in UInt8(truncatingIfNeeded: random.next()) }, as: UTF8.self))
            case 5: return .array((0..<random.below(4)).map { _ in make(depth + 1) })
            default:
                var pairs: [(String, JSONValue)] = []
                for index in 0..<random.below(4) { pairs.append(("k\(index)", make(depth + 1))) }
                return .object(pairs)
            }
        }
        for _ in 0..<300 {
            let value = make(0)
            XCTAssertEqual(try JSONValue.parse(value.dumps()), value, value.dumps())
        }
    }
}

extension SplitMix64 {
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
}

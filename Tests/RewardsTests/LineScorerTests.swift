import XCTest
@testable import Benchmarks
@testable import Rewards
@testable import ToolUse

final class LineScorerTests: XCTestCase {
    let gold = "<think> g </think>\n<tool_call>\n{\"name\": \"A\", \"parameters\": {\"x\": 1}}\n</tool_call>"
    let completion = "<think> c </think>\n<tool_call>\n{\"name\": \"A\", \"parameters\": {\"x\": 1}}\n</tool_call>"

    func scorer(_ preset: RewardPreset = .original) throws -> LineScorer {
        LineScorer(reward: try ToolCallReward(spec: RewardSpec(preset: preset)), totalSteps: 105)
    }

    func line(_ extra: [(String, JSONValue)] = [], step: JSONValue = .integer(3)) -> String {
        JSONValue.object([("id", .string("q1"))] + extra + [("gold", .string(gold)), ("completion", .string(completion)), ("step", step)]).dumps()
    }

    func testFieldsAreKeptInOrderAndScoresAppended() throws {
        let input = line([("note", .array([.integer(1), .double(2.5)]))])
        let output = try XCTUnwrap(try scorer().scoreLine(input, lineNumber: 1))
        XCTAssertTrue(output.hasPrefix(String(input.dropLast())), "input bytes kept")
        let value = try JSONValue.parse(output)
        XCTAssertEqual(value.objectPairs?.map(\.0), ["id", "note", "gold", "completion", "step", "format", "correctness", "length", "total"])
        XCTAssertEqual(value["format"], .double(1))
        XCTAssertEqual(value["correctness"], .double(3))
        XCTAssertEqual(value["length"], .null)
        XCTAssertEqual(value["total"], .double(4))
        let withLength = try JSONValue.parse(try XCTUnwrap(try scorer(.length).scoreLine(input, lineNumber: 1)))
        XCTAssertEqual(withLength["length"], .double(1.0 / 512))
    }

    func testExistingScoreFieldsAreReplacedInPlace() throws {
        let input = line([("total", .integer(99))])
        let value = try JSONValue.parse(try XCTUnwrap(try scorer().scoreLine(input, lineNumber: 1)))
        XCTAssertEqual(value.objectPairs?.map(\.0), ["id", "total", "gold", "completion", "step", "format", "correctness", "length"])
        XCTAssertEqual(value["total"], .double(4))
    }

    /// The fast path for usual lines writes what the general path (the whole line parsed) writes,
    /// line after line (the gold answer kept from one line to the next, then changed), and leaves
    /// unusual lines to the general path.
    func testUsualLinesScoreAsTheGeneralPathDoes() throws {
        let otherGold = #"<think> h </think>"# + "\n" + #"<tool_call>"# + "\n" + #"{"name": "B", "parameters": {"y": "a\"b/c"}}"# + "\n</tool_call>"
        let otherLine = JSONValue.object([("gold", .string(otherGold)), ("completion", .string("<think>\t\u{8}x</think>\r\n<response> r </response>")),
                                          ("step", .integer(3))]).dumps()
        let usual = [
            line(), line(step: .integer(50)), line([("note", .array([.integer(1), .object([])]))]), line(step: .double(7)), otherLine,
            // Escaped slashes and an exponent.
            otherLine.replacingOccurrences(of: "</think>", with: #"<\/think>"#).replacingOccurrences(of: #""step": 3"#, with: #""step": 1e1"#),
        ]
        let unusual = [
            line([("total", .integer(99))]), line([("gold", .string("again"))]),
            JSONValue.object([("gold", .string(gold)), ("completion", .string("<think> \u{E9} </think>")), ("step", .integer(3))]).dumps(),
            #"{"gold": "\u003cthink> g </think>", "completion": "x", "step": 2}"#,
            #"{"g\u006fld": "x", "gold": "<think> g </think>", "completion": "x", "step": 2}"#,
        ]
        for preset in [RewardPreset.original, .finegrained, .length] {
            let fast = try scorer(preset), general = try scorer(preset)
            for (index, text) in (usual + unusual + usual).enumerated() {
                var copy = text
                try copy.withUTF8 { bytes in
                    let content = PythonText.strip(bytes, 0..<bytes.count)
                    var expected: [UInt8] = [], actual: [UInt8] = []
                    try general.scoreAnyLine(bytes, content: content, lineNumber: index + 1, appendingTo: &expected)
                    XCTAssertTrue(try fast.scoreLine(utf8: bytes, lineNumber: index + 1, appendingTo: &actual))
                    XCTAssertEqual(String(decoding: actual, as: UTF8.self), String(decoding: expected, as: UTF8.self), "\(preset) line \(index + 1)")
                }
            }
            XCTAssertEqual(fast.usualLineCount, 2 * usual.count, "the usual lines, and only they, take the fast path")
        }
    }

    /// A pipe is read in chunks (a line longer than the read buffer included); a file is mapped.
    /// Both give the same output.
    func testPipeAndFileGiveTheSameOutput() throws {
        let long = line([("padding", .string(String(repeating: "p", count: 3 << 20)))])
        let text = ([line(), long] + (0..<200).map { line(step: .integer($0)) }).joined(separator: "\n")
        let (fromFile, fileSummary, _) = try runFile(text, skipBad: false)
        let input = Pipe(), output = Pipe()
        let writer = Thread {
            input.fileHandleForWriting.write(Data(text.utf8))
            try? input.fileHandleForWriting.close()
        }
        writer.start()
        let collected = OutputCollector(output.fileHandleForReading)
        let summary = try scorer().run(input: input.fileHandleForReading, output: output.fileHandleForWriting, skipBad: false)
        try output.fileHandleForWriting.close()
        XCTAssertEqual(summary, fileSummary)
        XCTAssertEqual(summary.scored, 202)
        XCTAssertEqual(String(decoding: collected.wait(), as: UTF8.self), fromFile)
    }

    func testBadLinesNameTheirLine() throws {
        let scorer = try scorer()
        let bad: [(String, String)] = [
            ("{\"gold\": ", "not valid JSON"), ("[1, 2]", "expected a JSON object"),
            (#"{"completion": "x", "step": 1}"#, "missing field \"gold\""),
            (#"{"gold": 3, "completion": "x", "step": 1}"#, "\"gold\" must be a string"),
            (JSONValue.object([("gold", .string(gold)), ("completion", .string("x")), ("step", .integer(-1))]).dumps(), "non-negative integer"),
            (JSONValue.object([("gold", .string("<tool_call>\nnot json\n</tool_call>")), ("completion", .string("x")), ("step", .integer(1))]).dumps(), "gold"),
        ]
        for (index, (text, message)) in bad.enumerated() {
            XCTAssertThrowsError(try scorer.scoreLine(text, lineNumber: index + 7)) { error in
                let failure = error as? LineScoringError
                XCTAssertEqual(failure?.line, index + 7)
                XCTAssertTrue(failure?.message.contains(message) ?? false, "\(error)")
            }
        }
        XCTAssertNil(try scorer.scoreLine("   ", lineNumber: 1), "blank lines are dropped")
    }

    func testStepMayBeLeftOutOnlyWhenTheRewardHasNoSchedule() throws {
        let withoutStep = JSONValue.object([("gold", .string(gold)), ("completion", .string(completion))]).dumps()
        for preset in [RewardPreset.original, .length, .coarse] {
            let scored = try JSONValue.parse(try XCTUnwrap(try scorer(preset).scoreLine(withoutStep, lineNumber: 1)))
            let atZero = try JSONValue.parse(try XCTUnwrap(try scorer(preset).scoreLine(line(step: .integer(0)), lineNumber: 1)))
            XCTAssertEqual(scored["total"], atZero["total"], "\(preset)")
        }
        for (preset, reason) in [(RewardPreset.twoStage, "(reward.schedule is two_stage)"),
                                 (.dynamicLength, "(the length target grows (reward.length.growth is linear))")] {
            XCTAssertThrowsError(try scorer(preset).scoreLine(withoutStep, lineNumber: 4)) { error in
                XCTAssertEqual((error as? LineScoringError)?.line, 4)
                XCTAssertEqual((error as? LineScoringError)?.message, "missing field \"step\": this reward changes with training progress "
                               + reason + ", so each line needs the step its completion was sampled at")
            }
        }
    }

    func runFile(_ text: String, skipBad: Bool) throws -> (String, LineScorer.Summary, [LineScoringError]) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("linescorer-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let inputURL = directory.appendingPathComponent("in.jsonl"), outputURL = directory.appendingPathComponent("out.jsonl")
        try text.write(to: inputURL, atomically: true, encoding: .utf8)
        FileManager.default.createFile(atPath: outputURL.path, contents: nil)
        let input = try FileHandle(forReadingFrom: inputURL), output = try FileHandle(forWritingTo: outputURL)
        var skipped: [LineScoringError] = []
        var summary = LineScorer.Summary()
        var thrown: Error?
        do {
            summary = try scorer().run(input: input, output: output, skipBad: skipBad) { skipped.append($0) }
        } catch { thrown = error }
        try output.close()
        let written = try String(contentsOf: outputURL, encoding: .utf8)
        if let thrown { throw thrown }
        return (written, summary, skipped)
    }

    func testRunStopsAtABadLineOrSkipsIt() throws {
        let text = [line(), "", "not json", line(step: .integer(50))].joined(separator: "\n")
        XCTAssertThrowsError(try runFile(text, skipBad: false)) { error in
            XCTAssertEqual((error as? LineScoringError)?.line, 3)
        }
        let (output, summary, skipped) = try runFile(text, skipBad: true)
        XCTAssertEqual(summary, LineScorer.Summary(scored: 2, skipped: 1))
        XCTAssertEqual(skipped.map(\.line), [3])
        let lines = output.split(separator: "\n")
        XCTAssertEqual(lines.count, 2)
        XCTAssertEqual(try JSONValue.parse(lines[1])["step"], .integer(50))
    }

    func testBenchmarkScoresSyntheticLines() throws {
        let lines = ScoreBenchmark.syntheticLines(count: 64)
        let scorer = try scorer()
        for (index, text) in lines.enumerated() {
            XCTAssertNotNil(try scorer.scoreLine(text, lineNumber: index + 1))
        }
        XCTAssertGreaterThan(ScoreBenchmark.linesPerSecond(lines: 200), 0)
    }
}

/// Reads a pipe to its end on a thread of its own (so that a writer never blocks on a full pipe).
private final class OutputCollector: @unchecked Sendable {
    private var data = Data()
    private let done = DispatchSemaphore(value: 0)

    init(_ handle: FileHandle) {
        Thread {
            self.data = handle.readDataToEndOfFile()
            self.done.signal()
        }.start()
    }

    func wait() -> Data {
        done.wait()
        return data
    }
}

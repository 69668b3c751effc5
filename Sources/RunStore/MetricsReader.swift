import Basics
import Foundation

/// (step, value) points of one metric in step order.
public struct Series: Sendable, Equatable {
    public var steps: [Int] = []
    public var values: [Double] = []

    init(steps: [Int] = [], values: [Double] = []) {
        self.steps = steps
        self.values = values
    }

    mutating func reserveCapacity(_ count: Int) {
        steps.reserveCapacity(count)
        values.reserveCapacity(count)
    }

    mutating func append(_ step: Int, _ value: Double) {
        steps.append(step)
        values.append(value)
    }
}

/// Which metrics to keep while reading metrics.jsonl; everything else is skipped unparsed.
public struct MetricSelection: Sendable {
    /// Training line keys, e.g. `reward`.
    public var trainNames: [String]
    /// Also keep every `rewards/<component>/mean` (for the reward-component curves).
    var rewardComponents: Bool
    /// Eval metric names kept for every split, e.g. `accuracy`.
    public var evalMetrics: [String]

    public init(trainNames: [String], evalMetrics: [String], rewardComponents: Bool = true) {
        self.trainNames = trainNames
        self.evalMetrics = evalMetrics
        self.rewardComponents = rewardComponents
    }
}

/// Reads one run's metrics.jsonl (and eval.json) keeping only the selected metrics: the fast
/// reader reports use over thousands of runs.
///
/// A line that is not valid JSON is skipped with a warning naming the file and line, except a
/// last line without its newline: that is a line still being written, ignored silently.
public struct MetricsReader {
    public let selection: MetricSelection
    private let trainKeys: [[UInt8]]
    private let evalKeys: [[UInt8]]
    public private(set) var warnings: [String] = []

    private var train: [Series]
    private var componentNames: [[UInt8]] = []
    private var components: [Series] = []
    private var splitNames: [[UInt8]] = []
    // Staging for one line, reused so reading a line allocates nothing.
    private var trainValues = LineStaging<(Int, Double)>()
    private var componentValues = LineStaging<(Int, Double)>()
    private var evalValues = LineStaging<(Int, Int, Double)>()
    /// [split][metric]
    private var eval: [[Series]] = []
    /// About how many lines the file being read has (from its size and first line).
    private var expectedLines = 0
    /// The members of the last lines, to skip scanning keys that repeat.
    private var layout = MetricsLineLayout()

    /// Bit b set when some wanted training key starts with byte b: most keys are rejected on
    /// their first byte without a comparison.
    private var trainKeyFirstBytes: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)

    public init(selection: MetricSelection) {
        self.selection = selection
        trainKeys = selection.trainNames.map { Array($0.utf8) }
        evalKeys = selection.evalMetrics.map { Array($0.utf8) }
        train = Array(repeating: Series(), count: selection.trainNames.count)
        // Staging for a line's values, sized once (a reader is made per run).
        trainValues.reserveCapacity(trainKeys.count)
        componentValues.reserveCapacity(8)
        evalValues.reserveCapacity(16)
        for key in trainKeys + [Array("rewards/".utf8)] where !key.isEmpty {
            let b = Int(key[0])
            switch b >> 6 {
            case 0: trainKeyFirstBytes.0 |= 1 << UInt64(b & 63)
            case 1: trainKeyFirstBytes.1 |= 1 << UInt64(b & 63)
            case 2: trainKeyFirstBytes.2 |= 1 << UInt64(b & 63)
            default: trainKeyFirstBytes.3 |= 1 << UInt64(b & 63)
            }
        }
    }

    private func mayBeTrainKey(_ first: UInt8) -> Bool {
        let b = Int(first)
        let word: UInt64
        switch b >> 6 {
        case 0: word = trainKeyFirstBytes.0
        case 1: word = trainKeyFirstBytes.1
        case 2: word = trainKeyFirstBytes.2
        default: word = trainKeyFirstBytes.3
        }
        return word & (1 << UInt64(b & 63)) != 0
    }

    /// Forgets the points and warnings of the run read last, keeping what makes reading the
    /// next one cheaper: the component and split names seen so far (numbered as the key layout
    /// knows them; a name without points is left out of the series) and staging room. One reader
    /// per reading thread serves run after run.
    public mutating func reset() {
        for index in train.indices { train[index] = Series() }
        for index in components.indices { components[index] = Series() }
        for split in eval.indices {
            for metric in eval[split].indices { eval[split][metric] = Series() }
        }
        warnings.removeAll()
    }

    /// Reads `metrics.jsonl` at `path` into the selected series, through `buffer` (one per
    /// reading thread, reused from file to file).
    public mutating func read(_ path: String, buffer: GrowableBuffer<UInt8> = GrowableBuffer(capacity: 1 << 16)) {
        guard let count = buffer.load(contentsOf: path), count > 0 else { return }
        do {
            let base = UnsafePointer(buffer.pointer)
            var lineStart = 0
            var lineNumber = 0
            var lastStep = -1
            while lineStart < count {
                lineNumber += 1
                let newline = memchr(base + lineStart, 0x0A, count - lineStart)
                let lineEnd = newline.map { UnsafeRawPointer($0) - UnsafeRawPointer(base) } ?? count
                let complete = lineEnd < count
                // Training series get room for as many points as the file has lines of the
                // first line's length, instead of growing step by step.
                if lineNumber == 1 { expectedLines = min(count / (lineEnd - lineStart + 1) + 1, 1 << 16) }
                var scanner = JSONScanner(base: base, start: lineStart, end: lineEnd)
                if scanner.peek() != nil {
                    do {
                        try readLine(&scanner, lastStep: &lastStep)
                    } catch let error as JSONSyntaxError {
                        if complete {
                            warnings.append("\(path):\(lineNumber):\(error.offset - lineStart + 1): \(error.message); line skipped")
                        }
                    } catch {
                        warnings.append("\(path):\(lineNumber): \(error); line skipped")
                    }
                }
                lineStart = lineEnd + 1
            }
        }
    }

    /// One line: `{"kind": "train"|"eval", "step": s, ...}`. Values are staged until the line
    /// parses completely, so a malformed line contributes nothing.
    private mutating func readLine(_ s: inout JSONScanner, lastStep: inout Int) throws {
        try s.expect(UInt8(ascii: "{"), "'{' at the start of a metrics line")
        var isEval: Bool? = nil
        var step: Int? = nil
        trainValues.clear()
        componentValues.clear()
        evalValues.clear()
        if s.peek() == UInt8(ascii: "}") { s.position += 1; return }
        var member = 0
        while true {
            let action: MetricsKeyAction
            if let known = layout.match(member, s.base, at: s.position, end: s.end) {
                s.position += known.length
                action = known.action
            } else {
                let memberStart = s.position
                let (keyStart, keyCount, _) = try s.rawString()
                try s.expect(UInt8(ascii: ":"), "':' after a key")
                s.skipWhitespace()
                action = self.action(s, keyStart, keyCount)
                layout.record(member, s.base, from: memberStart, to: s.position, action: action)
            }
            switch action {
            case .kind:
                let (vs, vc, _) = try s.rawString()
                isEval = s.keyIs(vs, vc, "eval")
            case .step:
                let x = try s.parseNumber()
                guard x.isFinite else { throw s.fail("\"step\" is not a finite number") }
                step = Int(x)
            case .splits:
                try readSplits(&s)
            case .train(let index):
                if let x = try numberOrNull(&s) { trainValues.append((index, x)) }
            case .component(let index):
                if let x = try numberOrNull(&s) { componentValues.append((index, x)) }
            case .skip:
                // Most skipped values are numbers: straight to the number skipper.
                let c = s.position < s.end ? s.base[s.position] : 0
                if c &- 0x30 < 10 || c == UInt8(ascii: "-") { try s.skipNumber() } else { try s.skipValue() }
            }
            member += 1
            if try s.endOfContainer(close: UInt8(ascii: "}"), what: "',' or '}'") { break }
        }
        s.skipWhitespace()
        if s.position != s.end { throw s.fail("unexpected text after the JSON object") }
        let at = step ?? (lastStep + 1)
        lastStep = at
        if isEval ?? !evalValues.isEmpty {
            for (split, metric, x) in evalValues.staged {
                // Evaluations are few: room for several at once instead of growing one by one.
                if eval[split][metric].steps.isEmpty { eval[split][metric].reserveCapacity(8) }
                eval[split][metric].append(at, x)
            }
        } else {
            for (index, x) in trainValues.staged {
                if train[index].steps.isEmpty { train[index].reserveCapacity(expectedLines) }
                train[index].append(at, x)
            }
            for (index, x) in componentValues.staged {
                if components[index].steps.isEmpty { components[index].reserveCapacity(expectedLines) }
                components[index].append(at, x)
            }
        }
    }

    /// What to do with the value of the key `s.base[start..<start + count]` (raw bytes).
    private mutating func action(_ s: JSONScanner, _ start: Int, _ count: Int) -> MetricsKeyAction {
        if s.keyIs(start, count, "kind") { return .kind }
        if s.keyIs(start, count, "step") { return .step }
        if s.keyIs(start, count, "splits") { return .splits }
        if !mayBeTrainKey(s.base[start]) { return .skip }
        if let index = trainKeys.firstIndex(where: { s.keyEquals(start, count, $0) }) { return .train(index) }
        if selection.rewardComponents, let index = componentIndex(s, start, count) { return .component(index) }
        return .skip
    }

    private func numberOrNull(_ s: inout JSONScanner) throws -> Double? {
        if s.peek() == UInt8(ascii: "n") { try s.literal("null"); return nil }
        return try s.parseNumber()
    }

    /// `{"<split>": {"<metric>": x, …}, …}` keeping the selected metrics.
    private mutating func readSplits(_ s: inout JSONScanner) throws {
        try s.expect(UInt8(ascii: "{"), "'{' after \"splits\"")
        if s.peek() == UInt8(ascii: "}") { s.position += 1; return }
        while true {
            let (splitStart, splitCount, escaped) = try s.rawString()
            try s.expect(UInt8(ascii: ":"), "':' after a split name")
            let split = splitIndex(s, splitStart, splitCount, escaped)
            try s.expect(UInt8(ascii: "{"), "'{' holding the split's metrics")
            if s.peek() == UInt8(ascii: "}") {
                s.position += 1
            } else {
                while true {
                    let (ks, kc, _) = try s.rawString()
                    try s.expect(UInt8(ascii: ":"), "':' after a metric name")
                    if let metric = evalKeys.firstIndex(where: { s.keyEquals(ks, kc, $0) }) {
                        if let x = try numberOrNull(&s) { evalValues.append((split, metric, x)) }
                    } else {
                        try s.skipValue()
                    }
                    if try s.endOfContainer(close: UInt8(ascii: "}"), what: "',' or '}'") { break }
                }
            }
            if try s.endOfContainer(close: UInt8(ascii: "}"), what: "',' or '}'") { return }
        }
    }

    private mutating func splitIndex(_ s: JSONScanner, _ start: Int, _ count: Int, _ escaped: Bool) -> Int {
        if let i = splitNames.firstIndex(where: { s.keyEquals(start, count, $0) }) { return i }
        splitNames.append(Array(UnsafeBufferPointer(start: s.base + start, count: count)))
        eval.append(Array(repeating: Series(), count: evalKeys.count))
        return splitNames.count - 1
    }

    private mutating func componentIndex(_ s: JSONScanner, _ start: Int, _ count: Int) -> Int? {
        let prefix = 8, suffix = 5  // "rewards/", "/mean"
        guard count > prefix + suffix, s.keyIs(start, prefix, "rewards/"),
              s.keyIs(start + count - suffix, suffix, "/mean") else { return nil }
        let nameStart = start + prefix, nameCount = count - prefix - suffix
        if let i = componentNames.firstIndex(where: { s.keyEquals(nameStart, nameCount, $0) }) { return i }
        componentNames.append(Array(UnsafeBufferPointer(start: s.base + nameStart, count: nameCount)))
        components.append(Series())
        return componentNames.count - 1
    }

    /// eval.json: `{"step": N, "splits": {...}}`, the final evaluation. It replaces an eval line
    /// at the same step and is appended after earlier ones.
    public mutating func readFinalEvaluation(_ path: String, buffer: GrowableBuffer<UInt8> = GrowableBuffer(capacity: 1 << 12)) {
        guard let count = buffer.load(contentsOf: path), count > 0 else { return }
        do {
            let base = UnsafePointer(buffer.pointer)
            var scanner = JSONScanner(base: base, start: 0, end: count)
            // A copy of this reader (its keys, splits and layout) with no evaluation points yet;
            // only its evaluations are used.
            var staged = self
            staged.eval = eval.map { $0.map { _ in Series() } }
            var lastStep = Int.max - 1
            do {
                try staged.readLine(&scanner, lastStep: &lastStep)
            } catch let error as JSONSyntaxError {
                let data = Data(UnsafeBufferPointer(start: base, count: count))
                warnings.append("\(RunFileError(path: path, data: data, syntax: error)); the final evaluation is not used")
                return
            } catch {
                warnings.append("\(path): \(error); the final evaluation is not used")
                return
            }
            splitNames = staged.splitNames
            while eval.count < staged.eval.count { eval.append(Array(repeating: Series(), count: evalKeys.count)) }
            for split in staged.eval.indices {
                for metric in staged.eval[split].indices {
                    for (step, x) in zip(staged.eval[split][metric].steps, staged.eval[split][metric].values) {
                        while let lastStep = eval[split][metric].steps.last, lastStep >= step {
                            eval[split][metric].steps.removeLast()
                            eval[split][metric].values.removeLast()
                        }
                        eval[split][metric].append(step, x)
                    }
                }
            }
        }
    }

    /// Training series by line key (`reward`, `rewards/format/mean`, …).
    public func trainSeries() -> [String: Series] {
        var result: [String: Series] = [:]
        for (name, series) in zip(selection.trainNames, train) where !series.steps.isEmpty { result[name] = series }
        for (name, series) in zip(componentNames, components) where !series.steps.isEmpty {
            result["rewards/\(String(decoding: name, as: UTF8.self))/mean"] = series
        }
        return result
    }

    /// Evaluation series by split, then metric.
    public func evalSeries() -> [String: [String: Series]] {
        var result: [String: [String: Series]] = [:]
        for (split, metrics) in zip(splitNames, eval) {
            var bySplit: [String: Series] = [:]
            for (name, series) in zip(selection.evalMetrics, metrics) where !series.steps.isEmpty { bySplit[name] = series }
            if !bySplit.isEmpty { result[String(decoding: split, as: UTF8.self)] = bySplit }
        }
        return result
    }
}

/// Values staged while one line is read, cleared for the next without giving back their room
/// (clearing an array in place costs a call per line; a count does not).
private struct LineStaging<Element> {
    private var items: [Element] = []
    private var count = 0

    mutating func reserveCapacity(_ capacity: Int) { items.reserveCapacity(capacity) }

    mutating func clear() { count = 0 }

    var isEmpty: Bool { count == 0 }

    mutating func append(_ item: Element) {
        if count < items.count { items[count] = item } else { items.append(item) }
        count += 1
    }

    /// The values staged since the last `clear()`, in order.
    var staged: ArraySlice<Element> { items[..<count] }
}

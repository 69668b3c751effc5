import Foundation

/// Which metrics to keep while reading metrics.jsonl; everything else is skipped unparsed.
struct MetricSelection {
    /// `train.<name>` names, e.g. `reward`.
    var trainNames: [String]
    /// Also keep every `rewards/<component>/mean` (for the reward-component curves).
    var rewardComponents: Bool
    /// Eval metric names kept for every split, e.g. `accuracy`.
    var evalMetrics: [String]

    /// What a report with these columns and headline needs.
    init(columns: [MetricPath], headline: MetricPath) {
        var train: [String] = ["reward"]
        var eval: [String] = []
        for path in columns + [headline] {
            switch path {
            case .train(let name): if !train.contains(name) { train.append(name) }
            case .eval(_, let metric): if !eval.contains(metric) { eval.append(metric) }
            }
        }
        if !eval.contains("accuracy") { eval.append("accuracy") }
        trainNames = train
        rewardComponents = true
        evalMetrics = eval
    }
}

/// Reads one run's metrics.jsonl (and eval.json) keeping only the selected metrics.
///
/// A line that is not valid JSON is skipped with a warning naming the file and line, except a
/// last line without its newline: that is a line still being written, ignored silently.
struct MetricsFileReader {
    let selection: MetricSelection
    private let trainKeys: [[UInt8]]
    private let evalKeys: [[UInt8]]
    private(set) var warnings: [String] = []

    private var train: [Series]
    private var componentNames: [[UInt8]] = []
    private var components: [Series] = []
    private var splitNames: [[UInt8]] = []
    /// [split][metric]
    private var eval: [[Series]] = []

    init(selection: MetricSelection) {
        self.selection = selection
        trainKeys = selection.trainNames.map { Array($0.utf8) }
        evalKeys = selection.evalMetrics.map { Array($0.utf8) }
        train = Array(repeating: Series(), count: selection.trainNames.count)
    }

    private static let kindKey = Array("kind".utf8), stepKey = Array("step".utf8), splitsKey = Array("splits".utf8)
    private static let evalKind = Array("eval".utf8)
    private static let componentPrefix = Array("rewards/".utf8), componentSuffix = Array("/mean".utf8)

    mutating func read(_ url: URL) {
        guard let data = try? Data(contentsOf: url, options: .alwaysMapped), !data.isEmpty else { return }
        data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            let base = raw.bindMemory(to: UInt8.self).baseAddress!
            let count = raw.count
            var lineStart = 0
            var lineNumber = 0
            var lastStep = -1
            while lineStart < count {
                lineNumber += 1
                var lineEnd = lineStart
                while lineEnd < count && base[lineEnd] != 0x0A { lineEnd += 1 }
                let complete = lineEnd < count
                var scanner = JSONScanner(base: base, start: lineStart, end: lineEnd)
                if scanner.peek() != nil {
                    do {
                        try readLine(&scanner, lastStep: &lastStep)
                    } catch let error as JSONSyntaxError {
                        if complete {
                            warnings.append("\(url.path):\(lineNumber):\(error.offset - lineStart + 1): \(error.message); line skipped")
                        }
                    } catch {
                        warnings.append("\(url.path):\(lineNumber): \(error); line skipped")
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
        var trainValues: [(Int, Double)] = []
        var componentValues: [(Int, Double)] = []
        var evalValues: [(Int, Int, Double)] = []
        if s.peek() == UInt8(ascii: "}") { s.position += 1; return }
        while true {
            let (keyStart, keyCount, _) = try s.rawString()
            try s.expect(UInt8(ascii: ":"), "':' after a key")
            if s.keyEquals(keyStart, keyCount, Self.kindKey) {
                let (vs, vc, _) = try s.rawString()
                isEval = s.keyEquals(vs, vc, Self.evalKind)
            } else if s.keyEquals(keyStart, keyCount, Self.stepKey) {
                let x = try s.parseNumber()
                guard x.isFinite else { throw s.fail("\"step\" is not a finite number") }
                step = Int(x)
            } else if s.keyEquals(keyStart, keyCount, Self.splitsKey) {
                try readSplits(&s, into: &evalValues)
            } else if let index = trainKeys.firstIndex(where: { s.keyEquals(keyStart, keyCount, $0) }) {
                if let x = try numberOrNull(&s) { trainValues.append((index, x)) }
            } else if selection.rewardComponents, let index = componentIndex(s, keyStart, keyCount) {
                if let x = try numberOrNull(&s) { componentValues.append((index, x)) }
            } else {
                try s.skipValue()
            }
            if try s.endOfContainer(close: UInt8(ascii: "}"), what: "',' or '}'") { break }
        }
        s.skipWhitespace()
        if s.position != s.end { throw s.fail("unexpected text after the JSON object") }
        let at = step ?? (lastStep + 1)
        lastStep = at
        if isEval ?? !evalValues.isEmpty {
            for (split, metric, x) in evalValues { eval[split][metric].append(at, x) }
        } else {
            for (index, x) in trainValues { train[index].append(at, x) }
            for (index, x) in componentValues { components[index].append(at, x) }
        }
    }

    private func numberOrNull(_ s: inout JSONScanner) throws -> Double? {
        if s.peek() == UInt8(ascii: "n") { try s.literal("null"); return nil }
        return try s.parseNumber()
    }

    /// `{"<split>": {"<metric>": x, …}, …}` keeping the selected metrics.
    private mutating func readSplits(_ s: inout JSONScanner, into values: inout [(Int, Int, Double)]) throws {
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
                        if let x = try numberOrNull(&s) { values.append((split, metric, x)) }
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
        let p = Self.componentPrefix, q = Self.componentSuffix
        guard count > p.count + q.count,
              memcmp(s.base + start, p, p.count) == 0,
              memcmp(s.base + start + count - q.count, q, q.count) == 0 else { return nil }
        let nameStart = start + p.count, nameCount = count - p.count - q.count
        if let i = componentNames.firstIndex(where: { s.keyEquals(nameStart, nameCount, $0) }) { return i }
        componentNames.append(Array(UnsafeBufferPointer(start: s.base + nameStart, count: nameCount)))
        components.append(Series())
        return componentNames.count - 1
    }

    /// eval.json: `{"step": N, "splits": {...}}`, the final evaluation. It replaces an eval line
    /// at the same step and is appended after earlier ones.
    mutating func readFinalEvaluation(_ url: URL) {
        guard let data = FileManager.default.contents(atPath: url.path), !data.isEmpty else { return }
        data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            var scanner = JSONScanner(base: raw.bindMemory(to: UInt8.self).baseAddress!, start: 0, end: raw.count)
            var staged = MetricsFileReader(selection: selection)
            staged.splitNames = splitNames
            staged.eval = eval.map { $0.map { _ in Series() } }
            var lastStep = Int.max - 1
            do {
                try staged.readLine(&scanner, lastStep: &lastStep)
            } catch let error as JSONSyntaxError {
                let (l, c) = lineAndColumn(in: data, offset: error.offset)
                warnings.append("\(url.path):\(l):\(c): \(error.message); the final evaluation is not used")
                return
            } catch {
                warnings.append("\(url.path): \(error); the final evaluation is not used")
                return
            }
            splitNames = staged.splitNames
            while eval.count < staged.eval.count { eval.append(Array(repeating: Series(), count: evalKeys.count)) }
            for split in staged.eval.indices {
                for metric in staged.eval[split].indices {
                    for (step, x) in zip(staged.eval[split][metric].steps, staged.eval[split][metric].values) {
                        var series = eval[split][metric]
                        while let lastStep = series.steps.last, lastStep >= step {
                            series.steps.removeLast()
                            series.values.removeLast()
                        }
                        series.append(step, x)
                        eval[split][metric] = series
                    }
                }
            }
        }
    }

    func trainSeries() -> [String: Series] {
        var result: [String: Series] = [:]
        for (name, series) in zip(selection.trainNames, train) where !series.steps.isEmpty { result[name] = series }
        for (name, series) in zip(componentNames, components) where !series.steps.isEmpty {
            result["rewards/\(String(decoding: name, as: UTF8.self))/mean"] = series
        }
        return result
    }

    func evalSeries() -> [String: [String: Series]] {
        var result: [String: [String: Series]] = [:]
        for (split, metrics) in zip(splitNames, eval) {
            var bySplit: [String: Series] = [:]
            for (name, series) in zip(selection.evalMetrics, metrics) where !series.steps.isEmpty { bySplit[name] = series }
            if !bySplit.isEmpty { result[String(decoding: split, as: UTF8.self)] = bySplit }
        }
        return result
    }
}

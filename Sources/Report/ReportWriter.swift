import Basics
import Foundation
import Sweep

/// The output formats of `ablate report`.
public enum ReportFormat: String, CaseIterable, Sendable {
    case md, csv, latex, html, json

    /// The file name inside `runs/<sweep>/report/`.
    public var fileName: String {
        switch self {
        case .md: return "report.md"
        case .csv: return "report.csv"
        case .latex: return "report.tex"
        case .html: return "report.html"
        case .json: return "report.json"
        }
    }
}

extension SweepReport {
    /// The report as text in one format.
    public func render(_ format: ReportFormat) -> String {
        switch format {
        case .md: return MarkdownFormat.render(self)
        case .csv: return CSVFormat.render(self)
        case .latex: return LaTeXFormat.render(self)
        case .html: return HTMLFormat.render(self)
        case .json: return JSONFormat.render(self)
        }
    }
}

/// Writes report files.
public enum ReportWriter {
    /// Builds the report of the sweep in `sweepDirectory` (`runs/<sweep>/`, holding plan.json)
    /// from the runs in `storeDirectory` (`runs/store/`) and writes every format into
    /// `sweepDirectory/report/`. `ablate run` calls this when it ends, finished or interrupted.
    /// Returns the report (for its warnings and state counts).
    @discardableResult
    public static func writeAll(sweepDirectory: URL, storeDirectory: URL) throws -> SweepReport {
        let report = try SweepReport.load(sweepDirectory: sweepDirectory, storeDirectory: storeDirectory)
        try write(report, formats: ReportFormat.allCases,
                  to: sweepDirectory.appendingPathComponent("report", isDirectory: true))
        return report
    }

    /// Writes the given formats into `directory` (created when missing), each file atomically
    /// (`AtomicFile`) so a reader never sees half a report. Returns the files written.
    @discardableResult
    public static func write(_ report: SweepReport, formats: [ReportFormat], to directory: URL) throws -> [URL] {
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw ReportError("\(directory.path): cannot create the report directory (\(error.localizedDescription))")
        }
        var rendered = [String](repeating: "", count: formats.count)
        rendered.withUnsafeMutableBufferPointer { slots in
            let base = slots.baseAddress!
            DispatchQueue.concurrentPerform(iterations: formats.count) { i in
                (base + i).pointee = report.render(formats[i])
            }
        }
        var written: [URL] = []
        for (format, text) in zip(formats, rendered) {
            let url = directory.appendingPathComponent(format.fileName)
            do {
                try AtomicFile.write(Data(text.utf8), to: url.path)
            } catch {
                throw ReportError("\(url.path): cannot write the report (\(error.localizedDescription))")
            }
            written.append(url)
        }
        if formats.contains(.html) { written += try writeCharts(report, to: directory.appendingPathComponent("charts", isDirectory: true)) }
        return written
    }

    /// The HTML report's learning curves, each a standalone SVG file (`01-training-reward-total.svg`,
    /// …, in the report's order) for a paper or a page; files of charts no longer drawn are removed.
    static func writeCharts(_ report: SweepReport, to directory: URL) throws -> [URL] {
        let manager = FileManager.default
        do {
            try manager.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw ReportError("\(directory.path): cannot create the charts directory (\(error.localizedDescription))")
        }
        let colours = SVGChart.colours(for: report.charts)
        var written: [URL] = []
        for (index, chart) in report.charts.enumerated() {
            let url = directory.appendingPathComponent(String(format: "%02d-", index + 1) + slug(chart.title) + ".svg")
            let text = SVGChart(chart: chart, colours: colours).render(standalone: true) + "\n"
            do {
                try AtomicFile.write(Data(text.utf8), to: url.path)
            } catch {
                throw ReportError("\(url.path): cannot write a chart (\(error.localizedDescription))")
            }
            written.append(url)
        }
        let kept = Set(written.map(\.lastPathComponent))
        for name in (try? manager.contentsOfDirectory(atPath: directory.path)) ?? [] where name.hasSuffix(".svg") && !kept.contains(name) {
            try? manager.removeItem(at: directory.appendingPathComponent(name))
        }
        return written
    }

    /// `Evaluation: eval.seen.accuracy` → `evaluation-eval-seen-accuracy`.
    static func slug(_ title: String) -> String {
        var out = ""
        for character in title.lowercased() {
            if character.isASCII && (character.isLetter || character.isNumber) {
                out.append(character)
            } else if !out.isEmpty && out.last != "-" {
                out.append("-")
            }
        }
        while out.last == "-" { out.removeLast() }
        return out
    }
}

/// An error the user can act on; its description says what, where and how to fix it.
struct ReportError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

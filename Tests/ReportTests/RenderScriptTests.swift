import Foundation
import XCTest
@testable import Benchmarks
@testable import Report

/// Renders a synthetic report with scripts/render-report.sh (headless Chromium). Set
/// ABLATE_REPORT_KEEP=DIR to keep the ledger, the report files and the PNG for a look.
final class RenderScriptTests: XCTestCase {
    func testHTMLRendersToANonTrivialPNG() throws {
        let chromium = ["chromium", "chromium-browser", "google-chrome"].first { name in
            (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":")
                .contains { FileManager.default.isExecutableFile(atPath: "\($0)/\(name)") }
        }
        guard chromium != nil else {
            throw XCTSkip("Chromium is not installed (apt-get install -y chromium); the HTML rendering check is skipped")
        }
        let keep = ProcessInfo.processInfo.environment["ABLATE_REPORT_KEEP"]
        let root = keep.map { URL(fileURLWithPath: $0) }
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("ablate-render-\(UUID().uuidString)")
        defer { if keep == nil { try? FileManager.default.removeItem(at: root) } }
        var ledger = SyntheticLedger()
        ledger.sweep = "granularity"
        ledger.axes = [("variant", ["baseline", "length"]), ("reward.correctness.granularity", ["finegrained", "intermediate", "coarse"])]
        ledger.seeds = 3
        ledger.state = { index in index == 4 ? .failed : index == 7 ? .running : index == 8 ? .pending : .done }
        let (sweepDirectory, store) = try ledger.write(into: root)
        try ReportWriter.writeAll(sweepDirectory: sweepDirectory, storeDirectory: store)
        let html = sweepDirectory.appendingPathComponent("report/report.html")
        let png = sweepDirectory.appendingPathComponent("report/report.png")

        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("scripts/render-report.sh")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [script.path, html.path, png.path]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = Pipe()
        try process.run()
        process.waitUntilExit()
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        XCTAssertEqual(process.terminationStatus, 0, message)

        let data = try Data(contentsOf: png)
        XCTAssertEqual(Array(data.prefix(8)), [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], "a PNG signature")
        // IHDR holds width and height (big-endian) at bytes 16–23.
        let width = data[16..<20].reduce(0) { $0 << 8 | Int($1) }
        let height = data[20..<24].reduce(0) { $0 << 8 | Int($1) }
        XCTAssertEqual(width, 1500)
        XCTAssertGreaterThan(height, 1000)
        XCTAssertGreaterThan(data.count, 50_000, "a page of tables and charts compresses to well over 50 kB")
    }
}

import Foundation
import Sweep

extension ReportSettings {
    /// The bootstrap the settings ask for (`resamples`, the fixed seed). One instance per number
    /// of resamples serves the whole process, so its resample indices are drawn once per shape
    /// and shared by every cell of a report.
    var bootstrap: Bootstrap { BootstrapCache.shared.bootstrap(resamples: resamples) }
}

/// The bootstraps handed out by `ReportSettings.bootstrap`.
private final class BootstrapCache: @unchecked Sendable {
    static let shared = BootstrapCache()
    private let lock = NSLock()
    private var byResamples: [Int: Bootstrap] = [:]

    func bootstrap(resamples: Int) -> Bootstrap {
        lock.lock()
        defer { lock.unlock() }
        if let known = byResamples[resamples] { return known }
        let made = Bootstrap(resamples: resamples)
        byResamples[resamples] = made
        return made
    }
}

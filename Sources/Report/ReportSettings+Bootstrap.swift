import Sweep

extension ReportSettings {
    /// The bootstrap the settings ask for (`resamples`), with its fixed seed.
    var bootstrap: Bootstrap { Bootstrap(resamples: resamples) }
}

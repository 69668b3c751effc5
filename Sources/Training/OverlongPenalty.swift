import Basics
import Foundation

/// DAPO's soft overlong punishment (Yu et al. 2025, Eq. 13; veRL `overlong_buffer`), added to
/// the reward (`train.overlong_penalty: {buffer, factor}`). With L_max = `max_new_tokens` and a
/// completion of `length` tokens (end-of-text included):
///
///     0                                          length ≤ L_max − buffer
///     −factor · (length − (L_max − buffer))/buffer   otherwise (−factor at L_max)
struct OverlongPenalty: Codable, Equatable, Sendable {
    /// Tokens before the budget where the penalty starts (DAPO's L_cache).
    var buffer: Int
    /// The penalty at the budget.
    var factor: Double

    init(buffer: Int, factor: Double) {
        self.buffer = buffer
        self.factor = factor
    }

    enum CodingKeys: String, CodingKey { case buffer, factor }

    init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        buffer = try c.decodeChecked(Int.self, forKey: .buffer, default: 16, requirement: "an integer ≥ 1") { $0 >= 1 }
        factor = try c.decodeChecked(Double.self, forKey: .factor, default: 1, requirement: "a number ≥ 0") { $0 >= 0 && $0.isFinite }
    }

    /// The penalty (≤ 0) for a completion of `length` tokens under budget `maxLength`.
    func value(length: Int, maxLength: Int) -> Double {
        let expected = maxLength - buffer
        guard length > expected else { return 0 }
        return -factor * Double(length - expected) / Double(buffer)
    }
}

/// Python's `round(x, 2)` on a double: the exact binary value rounded to two decimals, ties to
/// even (so 64/512 = 0.125 → 0.12 and 320/512 = 0.625 → 0.62), then the nearest double.
enum PythonRound {
    static func twoDecimals(_ value: Double) -> Double {
        guard value.isFinite, value != 0 else { return value }
        let magnitude = Swift.abs(value)
        // Past 2^50 every double is a whole number: nothing to round.
        guard magnitude < 1e15 else { return value }
        var floor = Int((magnitude * 100).rounded(.down))
        // Make `floor` exact: floor ≤ 100·x < floor + 1.
        while floor > 0, compare(magnitude, floor, 100) < 0 { floor -= 1 }
        while compare(magnitude, floor + 1, 100) >= 0 { floor += 1 }
        var rounded = floor
        let half = compare(magnitude, 2 * floor + 1, 200)
        if half > 0 || (half == 0 && floor % 2 == 1) { rounded += 1 }
        let result = Double(rounded) / 100
        return value < 0 ? -result : result
    }

    /// The sign of `x − numerator/denominator`, computed exactly (x finite and positive).
    static func compare(_ x: Double, _ numerator: Int, _ denominator: Int) -> Int {
        let significand: UInt64
        let exponent: Int
        if x.isNormal {
            significand = x.significandBitPattern | (1 << 52)
            exponent = Int(x.exponent) - 52
        } else {
            significand = x.significandBitPattern
            exponent = -1074
        }
        // x·denominator vs numerator, i.e. significand·denominator·2^exponent vs numerator.
        var left = UInt128(significand) * UInt128(denominator)
        var right = UInt128(numerator)
        if exponent >= 0 {
            left <<= UInt128(exponent)
        } else {
            let shift = -exponent
            if numerator > 0 && shift >= 128 - (64 - numerator.leadingZeroBitCount) { return -1 }
            right <<= UInt128(shift)
        }
        return left < right ? -1 : (left > right ? 1 : 0)
    }
}

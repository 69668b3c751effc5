import Foundation

/// Student's t distribution: CDF through the regularised incomplete beta function, quantiles by
/// bisection on the CDF. Legend: ν degrees of freedom (real, > 0), I_x(a, b) the regularised
/// incomplete beta function, B(a, b) the beta function.
///
///   P(T ≤ t) = 1 − ½ I_{ν/(ν+t²)}(ν/2, ½)  for t ≥ 0, and symmetric for t < 0.
enum StudentT {
    /// P(T ≤ t) for ν degrees of freedom.
    static func cdf(_ t: Double, degreesOfFreedom nu: Double) -> Double {
        precondition(nu > 0, "degrees of freedom must be positive")
        if t.isNaN { return .nan }
        if t.isInfinite { return t > 0 ? 1 : 0 }
        let tail = 0.5 * regularizedIncompleteBeta(x: nu / (nu + t * t), a: nu / 2, b: 0.5)
        return t >= 0 ? 1 - tail : tail
    }

    /// Two-sided p-value P(|T| ≥ |t|).
    static func twoSidedPValue(_ t: Double, degreesOfFreedom nu: Double) -> Double {
        if t.isNaN { return .nan }
        if t.isInfinite { return 0 }
        return min(1, regularizedIncompleteBeta(x: nu / (nu + t * t), a: nu / 2, b: 0.5))
    }

    /// The t with P(T ≤ t) = p, 0 < p < 1 (e.g. p = 0.975 for a two-sided 95 % interval).
    static func quantile(_ p: Double, degreesOfFreedom nu: Double) -> Double {
        precondition(p > 0 && p < 1, "probability must lie in (0, 1)")
        if p == 0.5 { return 0 }
        if p < 0.5 { return -quantile(1 - p, degreesOfFreedom: nu) }
        // Bracket [0, high] with cdf(high) ≥ p, then bisect to full double precision.
        var low = 0.0
        var high = 1.0
        while cdf(high, degreesOfFreedom: nu) < p {
            low = high
            high *= 2
            if high > 1e300 { return .infinity }
        }
        for _ in 0..<200 {
            let mid = 0.5 * (low + high)
            if mid == low || mid == high { break }
            if cdf(mid, degreesOfFreedom: nu) < p { low = mid } else { high = mid }
        }
        return 0.5 * (low + high)
    }

    /// The 97.5 % quantile for integer ν, cached: the half-width factor of a 95 % interval.
    static func quantile975(degreesOfFreedom nu: Int) -> Double {
        if nu < cached975.count { return cached975[nu] }
        return quantile(0.975, degreesOfFreedom: Double(nu))
    }
    private static let cached975: [Double] = [Double.nan] + (1..<200).map { quantile(0.975, degreesOfFreedom: Double($0)) }

    /// I_x(a, b) for a, b > 0, 0 ≤ x ≤ 1, by the continued fraction for the incomplete beta
    /// (evaluated with the modified Lentz method), using the symmetry
    /// I_x(a, b) = 1 − I_{1−x}(b, a) where the fraction converges faster.
    static func regularizedIncompleteBeta(x: Double, a: Double, b: Double) -> Double {
        precondition(a > 0 && b > 0, "a and b must be positive")
        if x <= 0 { return 0 }
        if x >= 1 { return 1 }
        // x^a (1−x)^b / (a B(a, b)), in logs for large a, b.
        let logFront = lgamma(a + b) - lgamma(a) - lgamma(b) + a * log(x) + b * log1p(-x)
        if x < (a + 1) / (a + b + 2) {
            return exp(logFront) * betaContinuedFraction(x: x, a: a, b: b) / a
        }
        return 1 - exp(logFront) * betaContinuedFraction(x: 1 - x, a: b, b: a) / b
    }

    /// The continued fraction 1/(1+ d1/(1+ d2/(1+ …))) with
    ///   d_{2m+1} = −(a+m)(a+b+m) x / ((a+2m)(a+2m+1)),  d_{2m} = m(b−m) x / ((a+2m−1)(a+2m)).
    private static func betaContinuedFraction(x: Double, a: Double, b: Double) -> Double {
        let tiny = 1e-300
        let epsilon = 1e-16
        var c = 1.0
        var d = 1 - (a + b) * x / (a + 1)
        if abs(d) < tiny { d = tiny }
        d = 1 / d
        var result = d
        for m in 1...10_000 {
            let mm = Double(m)
            // Even step.
            var numerator = mm * (b - mm) * x / ((a + 2 * mm - 1) * (a + 2 * mm))
            d = 1 + numerator * d
            if abs(d) < tiny { d = tiny }
            c = 1 + numerator / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            result *= d * c
            // Odd step.
            numerator = -(a + mm) * (a + b + mm) * x / ((a + 2 * mm) * (a + 2 * mm + 1))
            d = 1 + numerator * d
            if abs(d) < tiny { d = tiny }
            c = 1 + numerator / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            let delta = d * c
            result *= delta
            if abs(delta - 1) < epsilon { break }
        }
        return result
    }
}

// Vectorised exp for the hot loops (attention softmax, GELU, log-prob rows). libm's expf is a
// scalar call the compiler cannot vectorise; this one works on 8 lanes and is accurate to about
// 2 ulp over the clamped range [-87, 88] (inputs outside are clamped: exp(-87) ≈ 1.6e-38).
//
// exp(x) = 2^n · exp(r) with n = round(x·log2 e), r = x − n·ln 2 (|r| ≤ ln2/2, ln 2 split in a
// high and a low part so r is exact), exp(r) by its degree-7 Taylor polynomial (error < 1e-8
// relative), 2^n built directly in the exponent bits.

typealias Float8 = SIMD8<Float>

@inline(__always)
func exp8(_ input: Float8) -> Float8 {
    // Clamp with masks (the generic `clamped` is not specialised well).
    var x = input.replacing(with: -87, where: input .< -87)
    x = x.replacing(with: 88, where: x .> 88)
    // Round x·log2 e to an integer by adding 1.5·2²³: the sum's low mantissa bits are n.
    // Fused multiply-adds throughout (one instruction each on the target CPUs).
    let shifter: Float = 12_582_912
    let t = Float8(repeating: shifter).addingProduct(x, 1.442_695_04)
    let n = t - shifter
    var r = x.addingProduct(n, -0.693_145_75)   // ln 2, high part (exact product for |n| ≤ 128)
    r = r.addingProduct(n, -1.428_606_8e-6)     // ln 2, low part
    var p = Float8(repeating: 1.0 / 720).addingProduct(Float8(repeating: 1.0 / 5040), r)
    p = Float8(repeating: 1.0 / 120).addingProduct(p, r)
    p = Float8(repeating: 1.0 / 24).addingProduct(p, r)
    p = Float8(repeating: 1.0 / 6).addingProduct(p, r)
    p = Float8(repeating: 0.5).addingProduct(p, r)
    p = Float8(repeating: 1).addingProduct(p, r)
    p = Float8(repeating: 1).addingProduct(p, r)
    let shifterBits = SIMD8<Int32>(repeating: Int32(bitPattern: shifter.bitPattern))
    let exponent = (unsafeBitCast(t, to: SIMD8<Int32>.self) &- shifterBits &+ 127) &<< 23
    return p * unsafeBitCast(exponent, to: Float8.self)
}

/// exp of one value through the same formula as `exp8` (used for loop tails so every element
/// gets the same rounding whatever its position).
@inline(__always)
func fastExp(_ x: Float) -> Float {
    exp8(Float8(repeating: x))[0]
}

/// out[i] = exp(inp[i] − shift) for i in 0..<count; returns the sum of the outputs (in Float,
/// summed in 8 lanes then across lanes, a fixed order).
@inline(__always)
func expShiftedSum(_ out: UnsafeMutablePointer<Float>, _ inp: UnsafePointer<Float>, shift: Float, count: Int) -> Float {
    var sums = Float8(repeating: 0)
    var i = 0
    let shifts = Float8(repeating: shift)
    while i + 8 <= count {
        let v = exp8(UnsafeRawPointer(inp + i).loadUnaligned(as: Float8.self) - shifts)
        UnsafeMutableRawPointer(out + i).storeBytes(of: v, as: Float8.self)
        sums += v
        i += 8
    }
    var total = sums.sum()
    while i < count {
        let v = fastExp(inp[i] - shift)
        out[i] = v
        total += v
        i += 1
    }
    return total
}

/// The largest of inp[0..<count] (count > 0).
@inline(__always)
func maximum(_ inp: UnsafePointer<Float>, count: Int) -> Float {
    var best = Float8(repeating: -.infinity)
    var i = 0
    while i + 8 <= count {
        let v = UnsafeRawPointer(inp + i).loadUnaligned(as: Float8.self)
        best = best.replacing(with: v, where: v .> best)
        i += 8
    }
    var result = best.max()
    while i < count {
        result = max(result, inp[i])
        i += 1
    }
    return result
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Text operations with Python's exact semantics, on UTF-8 bytes (tags are ASCII, so byte
/// search is code-point search).
public enum PythonText {
    /// Python's `str.isspace` for one code point (what `str.split()` and `str.strip()` use):
    /// `\t\n\v\f\r`, U+001C–U+001F, space, U+0085, U+00A0, U+1680, U+2000–U+200A, U+2028,
    /// U+2029, U+202F, U+205F, U+3000. Not U+200B.
    @inlinable
    static func isWhitespace(_ scalar: UInt32) -> Bool {
        switch scalar {
        case 0x09...0x0D, 0x1C...0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000:
            return true
        default:
            return false
        }
    }

    /// Decodes the scalar starting at `index` (invalid bytes count as one non-space scalar).
    @inlinable
    public static func scalar(in bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> (value: UInt32, length: Int) {
        let lead = bytes[index]
        if lead < 0x80 { return (UInt32(lead), 1) }
        let length: Int
        var value: UInt32
        switch lead {
        case 0xC2...0xDF: length = 2; value = UInt32(lead & 0x1F)
        case 0xE0...0xEF: length = 3; value = UInt32(lead & 0x0F)
        case 0xF0...0xF4: length = 4; value = UInt32(lead & 0x07)
        default: return (0xFFFD, 1)
        }
        guard index + length <= bytes.count else { return (0xFFFD, 1) }
        for offset in 1..<length {
            let next = bytes[index + offset]
            guard next & 0xC0 == 0x80 else { return (0xFFFD, 1) }
            value = value << 6 | UInt32(next & 0x3F)
        }
        return (value, length)
    }

    /// Start of the last scalar before `end`.
    @inlinable
    static func previousScalarStart(in bytes: UnsafeBufferPointer<UInt8>, before end: Int, floor: Int) -> Int {
        var index = end - 1
        while index > floor, bytes[index] & 0xC0 == 0x80, end - index < 4 { index -= 1 }
        return index
    }

    /// The byte range of `str.strip()` applied to `bytes[range]`.
    public static func strip(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Range<Int> {
        var start = range.lowerBound
        var end = range.upperBound
        while start < end {
            let (value, length) = scalar(in: bytes, at: start)
            guard isWhitespace(value) else { break }
            start += length
        }
        while end > start {
            let previous = previousScalarStart(in: bytes, before: end, floor: start)
            let (value, length) = scalar(in: bytes, at: previous)
            guard previous + length == end, isWhitespace(value) else { break }
            end = previous
        }
        return start..<end
    }

    /// `str.strip()` of a whole string.
    public static func strip(_ text: String) -> String {
        var copy = text
        return copy.withUTF8 { bytes in
            let range = strip(bytes, 0..<bytes.count)
            return String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
        }
    }

    /// `len(text.split())`: the number of maximal runs of non-whitespace code points.
    public static func wordCount(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Int {
        var count = 0
        var inWord = false
        var index = range.lowerBound
        while index < range.upperBound {
            let byte = bytes[index]
            let isSpace: Bool
            if byte < 0x80 {
                isSpace = (byte >= 0x09 && byte <= 0x0D) || (byte >= 0x1C && byte <= 0x20)
                index += 1
            } else {
                let (value, length) = scalar(in: bytes, at: index)
                isSpace = isWhitespace(value)
                index += length
            }
            if isSpace {
                inWord = false
            } else if !inWord {
                inWord = true
                count += 1
            }
        }
        return count
    }

    public static func wordCount(_ text: String) -> Int {
        var copy = text
        return copy.withUTF8 { wordCount($0, 0..<$0.count) }
    }

    /// First index ≥ `start` where `needle` occurs entirely before `end`.
    @inlinable
    public static func find(_ needle: StaticString, in bytes: UnsafeBufferPointer<UInt8>,
                            from start: Int, to end: Int? = nil) -> Int? {
        let limit = end ?? bytes.count
        let count = needle.utf8CodeUnitCount
        let pointer = needle.utf8Start
        guard count > 0, start >= 0, limit <= bytes.count, limit - start >= count, let base = bytes.baseAddress else { return nil }
        let first = Int32(pointer[0])
        var index = start
        let last = limit - count
        while index <= last {
            // memchr finds candidates for the first byte quickly.
            guard let hit = memchr(base + index, first, last - index + 1) else { return nil }
            let candidate = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
            var offset = 1
            while offset < count, base[candidate + offset] == pointer[offset] { offset += 1 }
            if offset == count { return candidate }
            index = candidate + 1
        }
        return nil
    }

    /// Last index where `needle` starts (for `split(needle)[-1]`).
    @inlinable
    public static func findLast(_ needle: StaticString, in bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        let count = needle.utf8CodeUnitCount
        let pointer = needle.utf8Start
        guard bytes.count >= count else { return nil }
        var index = bytes.count - count
        while index >= 0 {
            var offset = 0
            while offset < count, bytes[index + offset] == pointer[offset] { offset += 1 }
            if offset == count { return index }
            index -= 1
        }
        return nil
    }

    /// Python's `text.count(needle)` (non-overlapping occurrences).
    @inlinable
    public static func count(_ needle: StaticString, in bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var total = 0
        var start = 0
        while let found = find(needle, in: bytes, from: start) {
            total += 1
            start = found + needle.utf8CodeUnitCount
        }
        return total
    }

    /// Whether `bytes[at...]` begins with `needle`.
    @inlinable
    public static func hasPrefix(_ needle: StaticString, in bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Bool {
        let count = needle.utf8CodeUnitCount
        guard index >= 0, index + count <= bytes.count else { return false }
        let pointer = needle.utf8Start
        for offset in 0..<count where bytes[index + offset] != pointer[offset] { return false }
        return true
    }
}

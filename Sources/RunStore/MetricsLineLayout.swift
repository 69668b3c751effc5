import Foundation

/// What `MetricsReader` does with the value of a metrics-line key.
enum MetricsKeyAction: Equatable {
    case kind
    case step
    case splits
    /// Keep it as the selection's training key at this index.
    case train(Int)
    /// Keep it as the reward component at this index.
    case component(Int)
    case skip
}

/// The keys of the last metrics lines, member by member: a trainer writes the same keys in the
/// same order on every line, so the bytes from a member's start to its value (`, "reward_std": `,
/// the ':' and the spaces after it included) usually repeat those of the line before. A member
/// whose bytes match is not scanned again: the scanner would find the same key in them, and the
/// key alone decides the action. A member that does not match is scanned and its bytes recorded
/// in its place.
struct MetricsLineLayout {
    /// Members longer than this (spaces, quotes and key) are always scanned.
    static let slotSize = 64

    private var bytes: [UInt8] = []
    private var lengths: [Int] = []
    private var actions: [MetricsKeyAction] = []

    /// Room for `members` members (a trainer's line has a few dozen) allocated once.
    init(members: Int = 32) {
        bytes.reserveCapacity(members * Self.slotSize)
        lengths.reserveCapacity(members)
        actions.reserveCapacity(members)
    }

    /// The length and action of member `index` when the text at `position` starts with its bytes.
    @inline(__always)
    func match(_ index: Int, _ base: UnsafePointer<UInt8>, at position: Int, end: Int) -> (length: Int, action: MetricsKeyAction)? {
        guard index < lengths.count else { return nil }
        let length = lengths[index]
        guard length > 0, position + length <= end else { return nil }
        let equal = bytes.withUnsafeBufferPointer { Self.equal(base + position, $0.baseAddress! + index * Self.slotSize, length) }
        return equal ? (length, actions[index]) : nil
    }

    /// Whether `count` bytes at a and b are equal, eight at a time (members are short: a call
    /// to memcmp would cost more than the comparison).
    @inline(__always)
    private static func equal(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ count: Int) -> Bool {
        guard count >= 8 else {
            for i in 0..<count where a[i] != b[i] { return false }
            return true
        }
        let rawA = UnsafeRawPointer(a), rawB = UnsafeRawPointer(b)
        var offset = 0
        while offset + 8 < count {
            if rawA.loadUnaligned(fromByteOffset: offset, as: UInt64.self) != rawB.loadUnaligned(fromByteOffset: offset, as: UInt64.self) {
                return false
            }
            offset += 8
        }
        // The last eight bytes, overlapping the words before.
        return rawA.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self) == rawB.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self)
    }

    /// Records member `index` as the bytes `base[start..<end]` with its action.
    mutating func record(_ index: Int, _ base: UnsafePointer<UInt8>, from start: Int, to end: Int, action: MetricsKeyAction) {
        while lengths.count <= index {
            lengths.append(0)
            actions.append(.skip)
            bytes += repeatElement(0, count: Self.slotSize)
        }
        let length = end - start
        guard length <= Self.slotSize else { lengths[index] = 0; return }
        bytes.withUnsafeMutableBufferPointer { slots in
            (slots.baseAddress! + index * Self.slotSize).update(from: base + start, count: length)
        }
        lengths[index] = length
        actions[index] = action
    }
}

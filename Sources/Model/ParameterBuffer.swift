import Foundation

/// A named slice of a `ParameterBuffer`: `count` floats starting at `offset`, row-major `shape`.
public struct ParameterView: Codable, Equatable, Sendable {
    public var name: String
    public var offset: Int
    public var shape: [Int]

    init(name: String, offset: Int, shape: [Int]) {
        self.name = name
        self.offset = offset
        self.shape = shape
    }

    public var count: Int { shape.reduce(1, *) }
    /// Weight matrices (two dimensions); biases, norms are vectors. Trainers use this to decide
    /// which views get weight decay.
    public var isMatrix: Bool { shape.count == 2 }
}

/// All of a model's parameters (or their gradients) in ONE allocation, addressed through named
/// views. A model's gradients buffer has exactly the parameters' layout.
public final class ParameterBuffer {
    /// The views in allocation order; they tile the buffer without gaps.
    public let views: [ParameterView]
    /// Total number of floats.
    public let count: Int
    /// Start of the allocation (owned by this buffer; freed on deinit).
    public let pointer: UnsafeMutablePointer<Float>
    private let indexByName: [String: Int]

    /// Allocates a zeroed buffer for `views` (which must tile 0..<total in order).
    init(views: [ParameterView]) {
        var expected = 0
        for view in views {
            precondition(view.offset == expected, "parameter view \(view.name) is not contiguous")
            expected += view.count
        }
        self.views = views
        count = expected
        pointer = .allocate(capacity: max(1, expected))
        pointer.initialize(repeating: 0, count: max(1, expected))
        var index: [String: Int] = [:]
        for (position, view) in views.enumerated() { index[view.name] = position }
        indexByName = index
    }

    deinit { pointer.deallocate() }

    /// The view called `name`, or nil.
    public func view(named name: String) -> ParameterView? {
        indexByName[name].map { views[$0] }
    }

    /// Pointer to the first float of the view called `name` (a programming error if absent).
    public subscript(name: String) -> UnsafeMutablePointer<Float> {
        guard let position = indexByName[name] else { preconditionFailure("no parameter view named \(name)") }
        return pointer + views[position].offset
    }

    /// The whole buffer as a buffer pointer.
    public var buffer: UnsafeMutableBufferPointer<Float> { UnsafeMutableBufferPointer(start: pointer, count: count) }

    /// Sets every float to zero.
    public func zero() { pointer.update(repeating: 0, count: count) }

    /// A new buffer with the same views and values.
    public func copy() -> ParameterBuffer {
        let other = ParameterBuffer(views: views)
        other.pointer.update(from: pointer, count: count)
        return other
    }
}

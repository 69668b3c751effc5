/// A streaming JSON writer that keeps keys in the order written (readable diffs, stable output),
/// with `", "` and `": "` separators on one line, and the rules of `JSONText`. Non-finite numbers
/// are written as `null`. A class, so nested closures can share it.
public final class JSONTextWriter {
    @exclusivity(unchecked) public private(set) var text = ""
    @exclusivity(unchecked) private var needsComma = [false]

    public init() {}

    private func separate() {
        if needsComma[needsComma.count - 1] { text += ", " }
        needsComma[needsComma.count - 1] = true
    }

    public func key(_ name: String) {
        separate()
        JSONText.appendQuoted(name, to: &text)
        text += ": "
        needsComma[needsComma.count - 1] = false
    }

    public func object(_ body: () -> Void) {
        separate()
        text += "{"
        needsComma.append(false)
        body()
        needsComma.removeLast()
        text += "}"
    }

    public func array<T>(_ items: [T], _ each: (T) -> Void) {
        separate()
        text += "["
        needsComma.append(false)
        for item in items { each(item) }
        needsComma.removeLast()
        text += "]"
    }

    public func string(_ value: String) {
        separate()
        JSONText.appendQuoted(value, to: &text)
    }

    public func optionalString(_ value: String?) {
        if let value { string(value) } else { null() }
    }

    public func number(_ value: Double) {
        separate()
        text += JSONText.numberOrNull(value)
    }

    public func number(_ value: Int) {
        separate()
        text += String(value)
    }

    public func optionalNumber(_ value: Double?) {
        if let value { number(value) } else { null() }
    }

    public func bool(_ value: Bool) {
        separate()
        text += value ? "true" : "false"
    }

    public func null() {
        separate()
        text += "null"
    }
}

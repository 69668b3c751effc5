/// Writing JSON the way Python's `json.dumps` does with its defaults: separators `", "` and
/// `": "`, `ensure_ascii` (every character outside printable ASCII as a lowercase `\uxxxx`
/// escape, astral characters as surrogate pairs), floats as `repr` (`1.0`, `1e-05`, `1e+16`,
/// `NaN`, `Infinity`), keys in their stored order.
extension JSONValue {
    /// The `json.dumps(value)` text: `{"a": 1, "b": [1, 2.5]}`.
    public func dumps() -> String {
        var output = ""
        write(to: &output)
        return output
    }

    public func write(to output: inout String) {
        switch self {
        case .null: output += "null"
        case .bool(let flag): output += flag ? "true" : "false"
        case .integer(let whole): output += String(whole)
        case .double(let number): output += JSONValue.pythonRepr(number)
        case .string(let text): JSONValue.writeString(text, to: &output)
        case .array(let items):
            output += "["
            for (index, item) in items.enumerated() {
                if index > 0 { output += ", " }
                item.write(to: &output)
            }
            output += "]"
        case .object(let pairs):
            output += "{"
            for (index, pair) in pairs.enumerated() {
                if index > 0 { output += ", " }
                JSONValue.writeString(pair.0, to: &output)
                output += ": "
                pair.1.write(to: &output)
            }
            output += "}"
        }
    }

    /// A JSON string literal with `ensure_ascii` escaping.
    static func writeString(_ text: String, to output: inout String) {
        output += "\""
        var plainStart = text.unicodeScalars.startIndex
        var index = plainStart
        let scalars = text.unicodeScalars
        while index != scalars.endIndex {
            let value = scalars[index].value
            if value >= 0x20, value <= 0x7E, value != 0x22, value != 0x5C {
                index = scalars.index(after: index)
                continue
            }
            output.unicodeScalars.append(contentsOf: scalars[plainStart..<index])
            switch value {
            case 0x22: output += "\\\""
            case 0x5C: output += "\\\\"
            case 0x0A: output += "\\n"
            case 0x0D: output += "\\r"
            case 0x09: output += "\\t"
            case 0x08: output += "\\b"
            case 0x0C: output += "\\f"
            default:
                if value > 0xFFFF {
                    let offset = value - 0x10000
                    appendUnicodeEscape(0xD800 + (offset >> 10), to: &output)
                    appendUnicodeEscape(0xDC00 + (offset & 0x3FF), to: &output)
                } else {
                    appendUnicodeEscape(value, to: &output)
                }
            }
            index = scalars.index(after: index)
            plainStart = index
        }
        output.unicodeScalars.append(contentsOf: scalars[plainStart..<index])
        output += "\""
    }

    static func appendUnicodeEscape(_ unit: UInt32, to output: inout String) {
        let hex: [Character] = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "a", "b", "c", "d", "e", "f"]
        output += "\\u"
        for shift in stride(from: 12, through: 0, by: -4) {
            output.append(hex[Int((unit >> UInt32(shift)) & 0xF)])
        }
    }

    /// Python's `repr(float)`: the shortest digits that round-trip, in fixed notation when the
    /// decimal exponent is in [-4, 16), otherwise `d.ddde±XX`.
    public static func pythonRepr(_ number: Double) -> String {
        if number.isNaN { return "NaN" }
        if number.isInfinite { return number < 0 ? "-Infinity" : "Infinity" }
        if number == 0 { return number.sign == .minus ? "-0.0" : "0.0" }
        // Swift's description also prints the shortest round-trip digits; re-layout them.
        let (negative, digits, pointPosition) = shortestDigits(number)
        var output = negative ? "-" : ""
        if pointPosition > -4 && pointPosition <= 16 {
            if pointPosition <= 0 {
                output += "0." + String(repeating: "0", count: -pointPosition) + digits
            } else if pointPosition >= digits.count {
                output += digits + String(repeating: "0", count: pointPosition - digits.count) + ".0"
            } else {
                let split = digits.index(digits.startIndex, offsetBy: pointPosition)
                output += digits[..<split] + "." + digits[split...]
            }
        } else {
            let exponent = pointPosition - 1
            output += String(digits.first!)
            if digits.count > 1 { output += "." + digits.dropFirst() }
            output += exponent < 0 ? "e-" : "e+"
            let magnitude = String(abs(exponent))
            output += magnitude.count < 2 ? "0" + magnitude : magnitude
        }
        return output
    }

    /// Significant digits (no leading/trailing zeros) and the decimal point's position relative
    /// to them: value = 0.DIGITS × 10^pointPosition.
    static func shortestDigits(_ number: Double) -> (negative: Bool, digits: String, pointPosition: Int) {
        let text = Swift.abs(number).description
        var mantissa = Substring(text)
        var exponent = 0
        if let marker = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            mantissa = text[..<marker]
            exponent = Int(text[text.index(after: marker)...]) ?? 0
        }
        var integerPart = mantissa
        var fractionPart: Substring = ""
        if let dot = mantissa.firstIndex(of: ".") {
            integerPart = mantissa[..<dot]
            fractionPart = mantissa[mantissa.index(after: dot)...]
        }
        var digits = String(integerPart) + fractionPart
        var pointPosition = integerPart.count + exponent
        while digits.first == "0" {
            digits.removeFirst()
            pointPosition -= 1
        }
        while digits.last == "0" { digits.removeLast() }
        return (number.sign == .minus, digits, pointPosition)
    }
}

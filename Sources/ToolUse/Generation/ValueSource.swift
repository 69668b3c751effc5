// How the generator draws a parameter value and says it in a request: each draw gives the
// gold value (what the call must contain) and its surface text (what the user writes). The two
// can differ: a date is `2025-03-14` in the call and "March 14, 2025" in the request.

import Basics

/// A drawn value and the words a user would use for it.
struct Realisation {
    var value: ArgumentValue
    var text: String
}

/// A way to draw values for one parameter.
struct ValueSource: Sendable {
    let draw: @Sendable (inout SeededRandom) -> Realisation

    /// A string said as itself, drawn from `values`.
    static func phrase(_ values: [String]) -> ValueSource {
        ValueSource { random in
            let value = random.pick(values)
            return Realisation(value: .string(value), text: value)
        }
    }

    /// An enum-like string with several ways of saying each value.
    static func choice(_ options: [(value: String, sayings: [String])]) -> ValueSource {
        ValueSource { random in
            let option = random.pick(options)
            return Realisation(value: .string(option.value), text: random.pick(option.sayings))
        }
    }

    /// `true`, said by the template text around it (the placeholder itself says nothing).
    static let flag = ValueSource { _ in Realisation(value: .boolean(true), text: "") }

    /// An integer in `range`, written in digits (small ones sometimes in words).
    static func integer(_ range: ClosedRange<Int>, unit: String = "") -> ValueSource {
        ValueSource { random in
            let value = random.integer(in: range)
            var text = String(value)
            if value >= 1, value <= 9, random.chance(0.3) {
                text = ValuePools.numberWords[value - 1]
            }
            if !unit.isEmpty { text += " " + unit + (value == 1 ? "" : "s") }
            return Realisation(value: .integer(value), text: text)
        }
    }

    /// A JSON number: a whole or two-decimal amount in `range`, said with `prefix` (e.g. "$").
    static func amount(_ range: ClosedRange<Int>, prefix: String = "", suffix: String = "") -> ValueSource {
        ValueSource { random in
            let whole = random.integer(in: range)
            let cents = random.chance(0.5) ? random.pick([0, 25, 50, 75, 99]) : 0
            let value = Double(whole) + Double(cents) / 100
            let text = cents == 0 ? String(whole) : String(whole) + "." + (cents < 10 ? "0" : "") + String(cents)
            return Realisation(value: .number(value), text: prefix + text + suffix)
        }
    }

    /// A list of 2…`maximum` distinct draws from `element`, said as "a, b and c".
    static func list(_ element: ValueSource, maximum: Int = 3) -> ValueSource {
        ValueSource { random in
            let count = random.integer(in: 2...max(2, maximum))
            var items: [Realisation] = []
            var attempts = 0
            while items.count < count, attempts < 20 {
                attempts += 1
                let item = element.draw(&random)
                if !items.contains(where: { $0.value == item.value }) { items.append(item) }
            }
            let words = items.map(\.text)
            let text = words.count == 1 ? words[0]
                : words.dropLast().joined(separator: ", ") + " and " + words[words.count - 1]
            return Realisation(value: .array(items.map(\.value)), text: text)
        }
    }

    /// How a request writes a date (the call always has `YYYY-MM-DD`).
    enum DateSpelling {
        case iso, monthFirst, dayFirst
    }

    /// A calendar date in 2025–2026: `YYYY-MM-DD` in the call, several spellings in the request.
    static let date = date(years: 2025...2026, spellings: [.iso, .monthFirst, .dayFirst])

    /// A date in `years` (days 1–28), written in the request with a spelling drawn from
    /// `spellings` (repeat one to make it more likely): `2025-03-14`, "March 14, 2025" or
    /// "14 March 2025".
    static func date(years: ClosedRange<Int>, spellings: [DateSpelling]) -> ValueSource {
        ValueSource { random in
            let year = random.integer(in: years)
            let month = random.integer(in: 1...12)
            let day = random.integer(in: 1...28)
            let iso = String(year) + "-" + twoDigits(month) + "-" + twoDigits(day)
            let name = ValuePools.monthNames[month - 1]
            let text: String
            switch random.pick(spellings) {
            case .iso: text = iso
            case .monthFirst: text = name + " " + String(day) + ", " + String(year)
            case .dayFirst: text = String(day) + " " + name + " " + String(year)
            }
            return Realisation(value: .string(iso), text: text)
        }
    }

    /// A time of day: `HH:MM` (24-hour) in the call, 24- or 12-hour in the request.
    static let time = ValueSource { random in
        let hour = random.integer(in: 7...21)
        let minute = random.pick([0, 15, 30, 45])
        let value = twoDigits(hour) + ":" + twoDigits(minute)
        var text = value
        if random.chance(0.5) {
            let twelve = hour > 12 ? hour - 12 : hour
            text = String(twelve) + (minute == 0 ? "" : ":" + twoDigits(minute)) + (hour >= 12 ? " pm" : " am")
        }
        return Realisation(value: .string(value), text: text)
    }

    static let city = phrase(ValuePools.cities)
    static let country = phrase(ValuePools.countries)
    static let firstName = phrase(ValuePools.firstNames)

    /// A full name, "Anna Schmidt".
    static let person = ValueSource { random in
        let name = random.pick(ValuePools.firstNames) + " " + random.pick(ValuePools.lastNames)
        return Realisation(value: .string(name), text: name)
    }

    /// An e-mail address, said as itself.
    static let email = ValueSource { random in
        let address = random.pick(ValuePools.firstNames).lowercased() + "."
            + random.pick(ValuePools.lastNames).lowercased() + "@" + random.pick(ValuePools.mailDomains)
        return Realisation(value: .string(address), text: address)
    }

    /// An ISO 4217 currency code, said as a code or a name.
    static let currency = choice(ValuePools.currencies)
    /// A language name, said as itself.
    static let language = phrase(ValuePools.languages)

    /// `7` → `07`.
    static func twoDigits(_ number: Int) -> String {
        number < 10 ? "0" + String(number) : String(number)
    }
}

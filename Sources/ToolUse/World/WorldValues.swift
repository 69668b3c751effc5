// Value sources of the pretraining world that the task catalog's `ValueSource`s do not cover,
// and its word pools. The general conventions a base policy should learn live here: a string is
// copied as written, a number said in words or with a unit is written as digits, a spoken date
// is written `YYYY-MM-DD` and a 12-hour time `HH:MM`.
//
// Half of the names, places, titles and notes are made-up words (`Tarvinow`, "brel kosu"): a
// value a policy cannot have memorised can only be copied, and a base trained on values from
// small pools learns the pools (and blends them: "Auga Kowalsurki") before it learns to copy.

import Basics

enum WorldValues {
    static let categories = [
        "science", "travel", "music", "history", "sports", "cooking", "design", "finance", "health",
        "nature", "technology", "politics", "fashion", "games", "movies", "poetry",
    ]

    static let colors = ["red", "blue", "green", "yellow", "black", "white", "purple", "orange"]

    static let titles = [
        "team lunch", "spring cleanup", "weekly sync", "budget review", "moving day", "book club",
        "garden party", "quarterly plan", "summer trip", "kickoff", "family dinner", "night shift",
        "open house", "code freeze", "launch prep", "study group", "board meeting", "road trip",
        "bake sale", "career fair", "winter sale", "final draft", "birthday surprise", "new hires",
    ]

    static let notes = [
        "running late", "see you soon", "call me back", "all done", "bring the keys",
        "thanks for the help", "meet at the door", "please confirm", "ready for review", "back on Monday",
        "lunch is on me", "check the attachment", "almost there", "good luck", "start without me",
    ]

    /// An integer in `range`, in digits or (1–12) in words, with `unit` said after it.
    static func integer(_ range: ClosedRange<Int>, unit: String = "") -> ValueSource {
        ValueSource { random in
            let value = random.integer(in: range)
            var text = String(value)
            if value >= 1, value <= numberWords.count, random.chance(0.3) { text = numberWords[value - 1] }
            if !unit.isEmpty { text += " " + unit + (value == 1 ? "" : "s") }
            return Realisation(value: .integer(value), text: text)
        }
    }

    static let numberWords = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
                              "eleven", "twelve"]

    /// A date in 2025–2027: `YYYY-MM-DD` in the call; in the request as written (3 in 5) or spoken.
    static let date = ValueSource.date(years: 2025...2027, spellings: [.iso, .iso, .iso, .monthFirst, .dayFirst])

    /// A time: `HH:MM` (24-hour) in the call; in the request as written or as "3:30 pm".
    static let time = ValueSource { random in
        let hour = random.integer(in: 6...22)
        let minute = random.pick([0, 10, 15, 20, 30, 40, 45, 50])
        let value = ValueSource.twoDigits(hour) + ":" + ValueSource.twoDigits(minute)
        var text = value
        if random.chance(0.35) {
            let twelve = hour > 12 ? hour - 12 : hour
            text = String(twelve) + ":" + ValueSource.twoDigits(minute) + (hour >= 12 ? " pm" : " am")
        }
        return Realisation(value: .string(value), text: text)
    }

    /// A made-up word of two or three syllables (`tarvinow`), capitalised when `capital`.
    static func madeUpWord(_ random: inout SeededRandom, capital: Bool) -> String {
        let onsets = ["b", "k", "d", "t", "m", "n", "l", "r", "s", "v", "z", "g", "p", "h", "f", "j",
                      "br", "tr", "st", "gr", "ch", "sh", "pl", "kr"]
        let vowels = ["a", "e", "i", "o", "u", "a", "e", "o", "ai", "ou", "ie"]
        let codas = ["", "", "", "n", "r", "l", "s", "k", "m", "x"]
        var word = ""
        for _ in 0..<random.integer(in: 2...3) {
            word += random.pick(onsets) + random.pick(vowels) + random.pick(codas)
        }
        return capital ? word.prefix(1).uppercased() + word.dropFirst() : word
    }

    /// Half the time a draw from `pool`, otherwise made-up words (`words` of them, capitalised
    /// when `capital`).
    static func realOrMadeUp(_ pool: [String], words: ClosedRange<Int>, capital: Bool) -> ValueSource {
        ValueSource { random in
            if random.chance(0.5) {
                let value = random.pick(pool)
                return Realisation(value: .string(value), text: value)
            }
            let value = (0..<random.integer(in: words)).map { _ in madeUpWord(&random, capital: capital) }
                .joined(separator: " ")
            return Realisation(value: .string(value), text: value)
        }
    }

    static let place = realOrMadeUp(ValuePools.cities, words: 1...2, capital: true)
    static let person = ValueSource { random in
        let first = random.chance(0.5) ? random.pick(ValuePools.firstNames) : madeUpWord(&random, capital: true)
        let last = random.chance(0.5) ? random.pick(ValuePools.lastNames) : madeUpWord(&random, capital: true)
        return Realisation(value: .string(first + " " + last), text: first + " " + last)
    }
    static let email = ValueSource { random in
        let address = madeUpWord(&random, capital: false) + "." + madeUpWord(&random, capital: false) + "@"
            + random.pick(ValuePools.mailDomains)
        return Realisation(value: .string(address), text: address)
    }
    static let title = realOrMadeUp(titles, words: 1...3, capital: false)
    static let note = realOrMadeUp(notes, words: 2...4, capital: false)

    /// An identifier such as `K-4821` or `90317`, said as itself.
    static let identifier = ValueSource { random in
        let digits = String(random.integer(in: 1000...99999))
        let value = random.chance(0.5) ? String(random.pick(Array("ABCDEFGHKMNPRSTVWXYZ"))) + "-" + digits : digits
        return Realisation(value: .string(value), text: value)
    }
}

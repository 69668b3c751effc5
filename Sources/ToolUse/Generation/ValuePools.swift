// Word lists the value sources draw from. Kept modest: variety matters more than size, and a
// byte-level policy must copy these strings into its calls.

enum ValuePools {
    static let cities = [
        "Paris", "Tokyo", "London", "Berlin", "Madrid", "Rome", "Lisbon", "Vienna", "Prague",
        "Oslo", "Stockholm", "Dublin", "Amsterdam", "Zurich", "Athens", "Cairo", "Nairobi",
        "Lagos", "Mumbai", "Delhi", "Seoul", "Beijing", "Shanghai", "Singapore", "Sydney",
        "Melbourne", "Auckland", "Toronto", "Vancouver", "Chicago", "Boston", "Denver", "Seattle",
        "Austin", "Miami", "New York", "San Francisco", "Los Angeles", "Mexico City", "Lima",
        "Bogota", "Santiago", "Buenos Aires", "Istanbul", "Dubai", "Bangkok", "Hanoi", "Manila",
    ]

    static let countries = [
        "France", "Japan", "Germany", "Spain", "Italy", "Portugal", "Austria", "Norway", "Sweden",
        "Ireland", "Greece", "Egypt", "Kenya", "India", "Brazil", "Canada", "Mexico", "Peru",
        "Chile", "Argentina", "Australia", "Thailand", "Vietnam", "Turkey", "Morocco",
    ]

    static let firstNames = [
        "Anna", "Ben", "Carla", "David", "Elena", "Farid", "Grace", "Hugo", "Ines", "Jonas",
        "Keiko", "Liam", "Maya", "Noah", "Olga", "Pablo", "Quinn", "Rosa", "Sam", "Tara",
        "Umar", "Vera", "Wei", "Yara", "Zoe", "Marco", "Lena", "Omar", "Priya", "Tom",
    ]

    static let lastNames = [
        "Smith", "Schmidt", "Garcia", "Rossi", "Tanaka", "Novak", "Silva", "Kim", "Nguyen",
        "Dubois", "Jensen", "Kowalski", "Okafor", "Patel", "Moreau", "Larsen", "Costa", "Weber",
    ]

    static let mailDomains = ["example.com", "mail.org", "work.net"]

    static let numberWords = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]

    static let monthNames = [
        "January", "February", "March", "April", "May", "June", "July", "August", "September",
        "October", "November", "December",
    ]

    static let currencies: [(value: String, sayings: [String])] = [
        ("USD", ["USD", "US dollars", "dollars"]),
        ("EUR", ["EUR", "euros"]),
        ("GBP", ["GBP", "British pounds", "pounds"]),
        ("JPY", ["JPY", "Japanese yen", "yen"]),
        ("CHF", ["CHF", "Swiss francs"]),
        ("CAD", ["CAD", "Canadian dollars"]),
        ("INR", ["INR", "Indian rupees", "rupees"]),
        ("MXN", ["MXN", "Mexican pesos"]),
    ]

    static let languages = [
        "French", "Spanish", "German", "Italian", "Japanese", "Portuguese", "Korean", "Dutch",
        "Swedish", "Greek", "Turkish", "Hindi", "Arabic", "Chinese",
    ]
}

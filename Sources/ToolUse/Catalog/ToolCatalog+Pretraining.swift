// The pretraining catalog: eight domains the main catalog does not touch, with their own tool
// and parameter names. A policy pretrained on it learns the ToolRL format, not the task's tools.

extension ToolCatalog {
    static let educationTools: [CatalogTool] = {
        let b = ToolBuilder(domain: "education")
        let subjects = ValueSource.phrase(["algebra", "chemistry", "history", "biology", "physics", "geography"])
        return [
            b.tool("find_course", "Find online courses on a subject.",
                   [.required("subject", .string, "Course subject", subjects),
                    .optional("level", .enumeration(["beginner", "intermediate", "advanced"]), "Difficulty",
                              default: .string("beginner"),
                              .choice([("beginner", ["for beginners"]), ("intermediate", ["at intermediate level"]),
                                       ("advanced", ["at advanced level"])]))],
                   ["Find a course on {subject}[ {level}].",
                    "I want to learn {subject}[ {level}]. Any courses?",
                    "Look up {subject} classes[ {level}]."]),
            b.tool("get_exam_dates", "List exam dates for a subject in a term.",
                   [.required("subject", .string, "Subject", subjects),
                    .required("term", .enumeration(["spring", "summer", "fall"]), "School term",
                              .choice([("spring", ["spring"]), ("summer", ["summer"]), ("fall", ["fall", "autumn"])]))],
                   ["When are the {subject} exams in the {term} term?",
                    "Exam dates for {subject}, {term} term.",
                    "Show me {term} exam dates for {subject}."]),
        ]
    }()

    static let sportsTools: [CatalogTool] = {
        let b = ToolBuilder(domain: "sports")
        let teams = ValueSource.phrase(["Lakers", "Yankees", "Arsenal", "Ajax", "Celtics", "Juventus", "Barcelona"])
        return [
            b.tool("get_match_score", "Get the score of a team's latest match.",
                   [.required("team", .string, "Team name", teams)],
                   ["What was the score of the last {team} game?",
                    "How did {team} do in their last match?",
                    "Did {team} win yesterday?"]),
            b.tool("get_league_table", "Get the standings of a league.",
                   [.required("league", .string, "League name",
                              .phrase(["Premier League", "La Liga", "NBA", "Serie A", "Bundesliga"])),
                    .optional("top", .integer, "How many teams to show", default: .integer(10), .integer(3...10))],
                   ["Show the {league} table[, top {top}].",
                    "Who leads the {league}?",
                    "Standings for the {league}[, just the first {top}]."]),
        ]
    }()

    static let homeTools: [CatalogTool] = {
        let b = ToolBuilder(domain: "home")
        let rooms = ValueSource.phrase(["kitchen", "bedroom", "living room", "office", "hallway", "garage"])
        return [
            b.tool("set_thermostat", "Set the thermostat temperature in a room.",
                   [.required("room", .string, "Room name", rooms),
                    .required("degrees", .number, "Target temperature", .amount(16...26, suffix: " degrees"))],
                   ["Set the {room} to {degrees}.",
                    "Make the {room} {degrees}, please.",
                    "Change the thermostat in the {room} to {degrees}."]),
            b.tool("switch_lights", "Turn the lights in a room on or off.",
                   [.required("room", .string, "Room name", rooms),
                    .required("on", .boolean, "True to turn on, false to turn off",
                              ValueSource { random in
                                  let on = random.chance(0.5)
                                  return Realisation(value: .boolean(on), text: on ? "on" : "off")
                              })],
                   ["Turn {on} the lights in the {room}.",
                    "Switch the {room} lights {on}.",
                    "Lights {on} in the {room}, please."]),
        ]
    }()

    static let jobsTools: [CatalogTool] = {
        let b = ToolBuilder(domain: "jobs")
        let roles = ValueSource.phrase(["nurse", "data analyst", "teacher", "electrician", "designer", "chef"])
        return [
            b.tool("search_jobs", "Search job listings.",
                   [.required("role", .string, "Job title", roles),
                    .required("location", .string, "City", .city),
                    .optional("remote", .boolean, "Only remote jobs", default: .boolean(false), .flag)],
                   ["Find {role} jobs in {location}[{remote}, remote only].",
                    "Any openings for a {role} in {location}?",
                    "Search[{remote} remote] {role} positions in {location}."]),
            b.tool("estimate_salary", "Estimate the typical salary for a role in a city.",
                   [.required("role", .string, "Job title", roles),
                    .required("location", .string, "City", .city),
                    .optional("years_experience", .integer, "Years of experience", default: nil,
                              .integer(1...20, unit: "year"))],
                   ["How much does a {role} earn in {location}[ with {years_experience} of experience]?",
                    "What's the average {role} salary in {location}?",
                    "Estimate pay for a {role} in {location}[ with {years_experience} in the job]."]),
        ]
    }()

    static let petsTools: [CatalogTool] = {
        let b = ToolBuilder(domain: "pets")
        return [
            b.tool("find_vet", "Find veterinary clinics in a city.",
                   [.required("city", .string, "City name", .city),
                    .optional("emergency", .boolean, "Only open emergency clinics", default: .boolean(false), .flag)],
                   ["Find a vet in {city}[{emergency} that takes emergencies].",
                    "I need a[{emergency}n emergency] vet in {city}.",
                    "Where is the nearest animal clinic in {city}?"]),
            b.tool("get_breed_info", "Describe a dog or cat breed.",
                   [.required("breed", .string, "Breed name",
                              .phrase(["beagle", "poodle", "labrador", "siamese", "maine coon", "husky"]))],
                   ["Tell me about the {breed} breed.",
                    "Is a {breed} a good family pet?",
                    "What should I know before getting a {breed}?"]),
        ]
    }()

    static let realEstateTools: [CatalogTool] = {
        let b = ToolBuilder(domain: "real_estate")
        return [
            b.tool("search_rentals", "Search apartments for rent.",
                   [.required("city", .string, "City name", .city),
                    .required("bedrooms", .integer, "Number of bedrooms", .integer(1...4, unit: "bedroom")),
                    .optional("max_rent", .number, "Highest monthly rent", default: nil, .amount(500...4000, prefix: "$"))],
                   ["Find apartments in {city} with {bedrooms}[ under {max_rent}].",
                    "I'm looking to rent a place in {city}, {bedrooms}[, max {max_rent} a month].",
                    "Show rentals with {bedrooms} in {city}."]),
            b.tool("estimate_home_value", "Estimate the market value of a home.",
                   [.required("city", .string, "City name", .city),
                    .required("square_meters", .integer, "Living area in square meters", .integer(40...250))],
                   ["What's a {square_meters} square meter home in {city} worth?",
                    "Estimate the value of my {square_meters} m2 house in {city}.",
                    "How much could I sell a {square_meters} square meter flat in {city} for?"]),
        ]
    }()

    static let newsTools: [CatalogTool] = {
        let b = ToolBuilder(domain: "news")
        let topics = ValueSource.phrase(["technology", "science", "politics", "sports", "health", "business"])
        return [
            b.tool("get_headlines", "Get top news headlines on a topic.",
                   [.required("topic", .string, "News topic", topics),
                    .optional("count", .integer, "How many headlines", default: .integer(5), .integer(2...10))],
                   ["What are the[ {count}] top {topic} headlines?",
                    "Give me the latest {topic} news.",
                    "Show[ {count}] {topic} stories from today."]),
            b.tool("summarize_article", "Summarize a news article from its URL.",
                   [.required("url", .string, "Article URL",
                              ValueSource { random in
                                  let text = "https://news.example.com/" + random.pick(["story", "article", "post"])
                                      + "/" + String(random.integer(in: 1000...9999))
                                  return Realisation(value: .string(text), text: text)
                              }),
                    .optional("sentences", .integer, "Summary length in sentences", default: .integer(3),
                              .integer(1...5, unit: "sentence"))],
                   ["Summarize {url}[ in {sentences}].",
                    "Give me the gist of {url}[, {sentences} max].",
                    "What does the article at {url} say?"]),
        ]
    }()

    static let libraryTools: [CatalogTool] = {
        let b = ToolBuilder(domain: "library")
        let books = ValueSource.phrase(["Dune", "Emma", "Beloved", "Ulysses", "Middlemarch", "Rebecca", "Hamlet"])
        return [
            b.tool("check_book_availability", "Check whether the library has a book available.",
                   [.required("title", .string, "Book title", books)],
                   ["Is {title} available at the library?",
                    "Can I borrow {title} right now?",
                    "Check if the library has {title} in stock."]),
            b.tool("renew_loan", "Renew a borrowed book.",
                   [.required("title", .string, "Book title", books),
                    .optional("weeks", .integer, "Extension in weeks", default: .integer(2), .integer(1...4, unit: "week"))],
                   ["Renew my loan of {title}[ for {weeks}].",
                    "Extend {title}[ by {weeks}], please.",
                    "I need more time with {title}. Renew it."]),
        ]
    }()
}

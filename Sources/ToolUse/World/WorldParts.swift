// The parts the procedural pretraining world (`ToolWorld`) composes its tools from: topics with
// their objects, verbs with the ways a user says them, and parameter kinds with their names,
// types, values and the phrases that carry a value in a request.
//
// None of the task catalog's topics or objects appear here (the task's verbs — get, find,
// book, … — do: they are the general vocabulary a base policy should bring to any tool list).
// A test checks that no generated tool shares a name with a task catalog tool.

/// Word lists for `ToolWorld`.
enum WorldParts {
    /// A thing tools act on: its words in a name (`yoga_session`) and in requests.
    struct Object {
        let singular: String
        let plural: String
    }

    /// Topics (the world's domains) and their objects.
    static let topics: [(topic: String, objects: [Object])] = [
        ("garden", objects("plant", "seed packet", "watering plan", "compost bin", "greenhouse")),
        ("pets", objects("pet", "vet visit", "dog walker", "pet food order", "grooming session")),
        ("school", objects("course", "homework", "exam", "classroom", "tutor")),
        ("office", objects("document", "meeting room", "printer", "expense report", "timesheet")),
        ("smart_home", objects("thermostat", "light", "door lock", "vacuum", "alarm")),
        ("sports", objects("match", "team", "league", "stadium", "player")),
        ("library", objects("book", "author", "magazine", "reading list", "library card")),
        ("fitness", objects("gym class", "yoga session", "running route", "step count", "trainer")),
        ("housing", objects("apartment", "listing", "viewing", "landlord", "lease")),
        ("jobs", objects("job", "resume", "interview", "application", "salary")),
        ("news", objects("article", "headline", "newsletter", "blog post", "comment")),
        ("social", objects("post", "follower", "friend request", "profile", "photo")),
        ("storage", objects("file", "folder", "backup", "share link", "drive")),
        ("code", objects("repository", "issue", "pull request", "build", "deployment")),
        ("support", objects("ticket", "complaint", "refund", "case", "feedback")),
        ("live_music", objects("concert", "festival", "band", "venue", "setlist")),
        ("commute", objects("bus", "parking spot", "bike", "taxi", "ferry")),
        ("paperwork", objects("tax return", "receipt", "invoice", "budget", "subscription")),
        ("garage", objects("vehicle", "oil change", "tire", "mechanic", "fuel station")),
        ("learning", objects("lesson", "quiz", "flashcard", "spelling list", "science project")),
        ("art", objects("exhibition", "museum", "painting", "gallery", "tour")),
        ("dining", objects("restaurant", "table", "menu", "delivery", "review")),
        ("chores", objects("laundry", "cleaner", "chore", "dishwasher", "trash pickup")),
        ("childcare", objects("nanny", "babysitter", "feeding", "nap", "playdate")),
        ("gaming", objects("game", "achievement", "leaderboard", "tournament", "save file")),
        ("photography", objects("camera", "album", "print order", "photoshoot", "filter")),
        ("charity", objects("volunteer shift", "donation", "charity", "fundraiser", "campaign")),
        ("hobbies", objects("knitting pattern", "puzzle", "board game", "model kit", "stamp")),
        ("utilities", objects("electricity bill", "meter reading", "outage", "internet plan", "gas bill")),
        ("insurance", objects("policy", "claim", "quote", "coverage", "premium")),
        ("permits", objects("permit", "license", "passport", "voter registration", "parking permit")),
        ("astronomy", objects("star", "planet", "telescope", "meteor shower", "moon phase")),
        ("farm", objects("crop", "harvest", "tractor", "field", "herd")),
        ("language", objects("vocabulary list", "word", "phrase", "pronunciation", "grammar drill")),
        ("security", objects("password", "login", "device", "alert", "camera feed")),
        ("printing", objects("poster", "label", "business card", "flyer", "sticker")),
        ("salon", objects("haircut", "salon", "manicure", "spa booking", "stylist")),
        ("moving", objects("moving truck", "packing box", "storage unit", "mover", "inventory")),
        ("boating", objects("boat", "dock", "sailing lesson", "tide table", "marina")),
        ("crafts", objects("sewing project", "fabric", "pottery class", "kiln", "bead kit")),
    ]

    private static func objects(_ names: String...) -> [Object] {
        names.map { name in
            let plural: String
            if name.hasSuffix("s") || name.hasSuffix("x") || name.hasSuffix("sh") || name.hasSuffix("ch") {
                plural = name + "es"
            } else if name.hasSuffix("y"), let before = name.dropLast().last, !"aeiou".contains(before) {
                plural = name.dropLast() + "ies"
            } else {
                plural = name + "s"
            }
            return Object(singular: name, plural: plural)
        }
    }

    /// An action: its word in a tool name, in a description, and in requests.
    struct Verb {
        /// The word in the tool name (`find`).
        let name: String
        /// How requests say it (`look up`); the first is the name word itself.
        let sayings: [String]
        /// Whether it acts on many objects (its name and requests use the plural).
        var plural = false
        /// Whether requests may ask it as a question ("What is the …").
        var question = false
    }

    static let verbs: [Verb] = [
        Verb(name: "get", sayings: ["get", "show me", "fetch"], question: true),
        Verb(name: "find", sayings: ["find", "search for", "look for"], plural: true),
        Verb(name: "list", sayings: ["list", "show all", "give me all"], plural: true, question: true),
        Verb(name: "create", sayings: ["create", "make", "set up"]),
        Verb(name: "add", sayings: ["add", "put in"]),
        Verb(name: "delete", sayings: ["delete", "remove", "get rid of"]),
        Verb(name: "update", sayings: ["update", "change", "edit"]),
        Verb(name: "cancel", sayings: ["cancel", "call off"]),
        Verb(name: "book", sayings: ["book", "reserve"]),
        Verb(name: "send", sayings: ["send", "forward"]),
        Verb(name: "check", sayings: ["check", "verify"], question: true),
        Verb(name: "schedule", sayings: ["schedule", "plan"]),
        Verb(name: "track", sayings: ["track", "follow"]),
        Verb(name: "share", sayings: ["share"]),
        Verb(name: "export", sayings: ["export", "download"], plural: true),
        Verb(name: "rate", sayings: ["rate", "review"]),
        Verb(name: "renew", sayings: ["renew", "extend"]),
        Verb(name: "archive", sayings: ["archive", "file away"]),
        Verb(name: "compare", sayings: ["compare"], plural: true),
        Verb(name: "count", sayings: ["count"], plural: true),
    ]

    /// Name endings that make siblings of one verb and object (`get_plant_status`).
    static let qualifiers = ["status", "details", "history", "summary", "settings"]

    /// A kind of parameter: names a tool may give it, its type, values and request phrases
    /// (`{v}` stands for the value's words; a phrase without `{v}` says a flag).
    struct ParameterKind {
        let names: [String]
        let type: ParameterType
        let description: String
        let source: ValueSource
        let phrases: [String]
        /// Whether a tool may make it required (flags and some modifiers are only optional).
        var canBeRequired = true
    }

    static let parameterKinds: [ParameterKind] = [
        ParameterKind(names: ["city", "location", "city_name", "town"], type: .string, description: "City name",
                      source: WorldValues.place, phrases: ["in {v}", "for {v}", "near {v}"]),
        ParameterKind(names: ["country", "country_name", "region"], type: .string, description: "Country",
                      source: .country, phrases: ["in {v}", "for {v}"]),
        ParameterKind(names: ["person", "contact", "recipient", "owner", "full_name"], type: .string,
                      description: "Full name of the person", source: WorldValues.person, phrases: ["for {v}", "with {v}", "to {v}"]),
        ParameterKind(names: ["email", "email_address", "contact_email"], type: .string, description: "E-mail address",
                      source: WorldValues.email, phrases: ["to {v}", "at {v}", "using {v}"]),
        ParameterKind(names: ["date", "day", "start_date", "due_date"], type: .string, description: "Date as YYYY-MM-DD",
                      source: WorldValues.date, phrases: ["on {v}", "for {v}", "dated {v}"]),
        ParameterKind(names: ["time", "start_time", "at_time"], type: .string, description: "Time as HH:MM, 24-hour",
                      source: WorldValues.time, phrases: ["at {v}"]),
        ParameterKind(names: ["limit", "count", "max_results", "top_n"], type: .integer, description: "How many results",
                      source: WorldValues.integer(1...20), phrases: ["top {v}", "at most {v}", "limited to {v}"]),
        ParameterKind(names: ["minutes", "duration", "duration_minutes"], type: .integer, description: "Length in minutes",
                      source: WorldValues.integer(5...120, unit: "minute"), phrases: ["for {v}", "lasting {v}"]),
        ParameterKind(names: ["quantity", "amount", "copies", "units"], type: .integer, description: "How many",
                      source: WorldValues.integer(1...12), phrases: ["x{v}", "{v} of them", "quantity {v}"]),
        ParameterKind(names: ["price", "max_price", "budget", "total"], type: .number, description: "Amount in dollars",
                      source: .amount(5...900, prefix: "$"), phrases: ["under {v}", "for {v}", "up to {v}"]),
        ParameterKind(names: ["title", "name", "label", "subject"], type: .string, description: "Title",
                      source: WorldValues.title, phrases: ["called \"{v}\"", "titled \"{v}\"", "named \"{v}\""]),
        ParameterKind(names: ["note", "message", "text", "comment"], type: .string, description: "Free text",
                      source: WorldValues.note, phrases: ["saying \"{v}\"", "with the note \"{v}\""]),
        ParameterKind(names: ["id", "reference", "code", "number"], type: .string, description: "Identifier",
                      source: WorldValues.identifier, phrases: ["number {v}", "with id {v}", "{v}"]),
        ParameterKind(names: ["language", "lang"], type: .string, description: "Language",
                      source: .language, phrases: ["in {v}"]),
        ParameterKind(names: ["category", "topic", "tag", "genre"], type: .string, description: "Category",
                      source: .phrase(WorldValues.categories), phrases: ["about {v}", "in the {v} category", "tagged {v}"]),
        ParameterKind(names: ["color", "colour", "theme"], type: .enumeration(WorldValues.colors), description: "Color",
                      source: .phrase(WorldValues.colors), phrases: ["in {v}", "colored {v}"]),
        ParameterKind(names: ["priority", "urgency", "level"], type: .enumeration(["low", "normal", "high"]),
                      description: "Priority",
                      source: .phrase(["low", "normal", "high"]), phrases: ["with {v} priority", "at {v} priority"]),
        ParameterKind(names: ["sort_by", "order", "sort"], type: .enumeration(["newest", "oldest", "popular"]),
                      description: "Sort order",
                      source: .phrase(["newest", "oldest", "popular"]), phrases: ["sorted by {v}", "{v} first"],
                      canBeRequired: false),
        ParameterKind(names: ["format", "file_type"], type: .enumeration(["pdf", "csv", "txt"]), description: "File format",
                      source: .phrase(["pdf", "csv", "txt"]), phrases: ["as {v}", "in {v} format"]),
        ParameterKind(names: ["notify", "send_alert", "notify_me"], type: .boolean, description: "Send a notification",
                      source: .flag, phrases: ["and notify me", "with an alert"], canBeRequired: false),
        ParameterKind(names: ["include_archived", "show_archived"], type: .boolean, description: "Include archived ones",
                      source: .flag, phrases: ["including archived ones", "archived ones too"], canBeRequired: false),
        ParameterKind(names: ["public", "is_public", "shared"], type: .boolean, description: "Visible to everyone",
                      source: .flag, phrases: ["publicly", "visible to everyone"], canBeRequired: false),
    ]

    /// How a request opens before the verb ("" keeps the verb first, capitalised).
    static let openers = ["", "", "Please ", "Can you ", "Could you ", "I want to ", "I need to ", "Help me "]
}

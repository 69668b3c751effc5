// The main catalog, second half: maps, shopping, cooking, health, media.
// As in the first half, the LAST tool of each domain is held out for the `unseen` split.

private typealias P = ParameterSpec

extension ToolCatalog {
    static let mapsTools: [CatalogTool] = {
        let b = ToolBuilder(domain: "maps")
        let streets = ["Baker Street", "Main Street", "Oak Avenue", "River Road", "Market Square", "Park Lane"]
        let address = ValueSource { random in
            let text = String(random.integer(in: 1...120)) + " " + random.pick(streets) + ", " + random.pick(ValuePools.cities)
            return Realisation(value: .string(text), text: text)
        }
        return [
            b.tool("get_directions", "Get directions between two places.",
                   [.required("origin", .string, "Start place", .city),
                    .required("destination", .string, "End place", .city),
                    .optional("mode", .enumeration(["driving", "walking", "transit", "cycling"]), "Travel mode",
                              default: .string("driving"),
                              .choice([("driving", ["by car", "driving"]), ("walking", ["on foot", "walking"]),
                                       ("transit", ["by public transport", "by transit"]),
                                       ("cycling", ["by bike", "cycling"])]))],
                   ["How do I get from {origin} to {destination}[ {mode}]?",
                    "Directions from {origin} to {destination}[ {mode}], please.",
                    "Route me to {destination} from {origin}[ {mode}]."],
                   distinct: ["origin", "destination"]),
            b.tool("find_nearby_places", "Find places of a kind in a city.",
                   [.required("category", .enumeration(["restaurant", "cafe", "pharmacy", "atm", "park", "museum"]),
                              "Kind of place",
                              .choice([("restaurant", ["restaurants"]), ("cafe", ["cafes", "coffee shops"]),
                                       ("pharmacy", ["pharmacies"]), ("atm", ["ATMs", "cash machines"]),
                                       ("park", ["parks"]), ("museum", ["museums"])])),
                    .required("city", .string, "City name", .city),
                    .optional("radius_km", .number, "Search radius in km", default: .number(2.0),
                              .amount(1...10, suffix: " km"))],
                   ["Find {category} in {city}[ within {radius_km}].",
                    "Are there any {category} near me in {city}[, say within {radius_km}]?",
                    "Show {category} around {city}[ in a {radius_km} radius]."]),
            b.tool("get_distance", "Get the distance between two places.",
                   [.required("origin", .string, "Start place", .city),
                    .required("destination", .string, "End place", .city),
                    .optional("unit", .enumeration(["km", "miles"]), "Distance unit", default: .string("km"),
                              .choice([("km", ["in kilometers", "in km"]), ("miles", ["in miles"])]))],
                   ["How far is {origin} from {destination}[ {unit}]?",
                    "What's the distance between {origin} and {destination}[ {unit}]?",
                    "Distance from {origin} to {destination}[ {unit}]?"],
                   distinct: ["origin", "destination"]),
            b.tool("get_traffic", "Get current traffic conditions in a city.",
                   [.required("city", .string, "City name", .city),
                    .optional("road", .string, "A road to focus on", default: nil,
                              .phrase(["the ring road", "the highway", "the bridge", "the tunnel"]))],
                   ["How's the traffic in {city}[ on {road}]?",
                    "Is there a traffic jam in {city}[ on {road}] right now?",
                    "Check traffic conditions for {city}."]),
            b.tool("geocode_address", "Turn a street address into coordinates.",
                   [.required("address", .string, "Street address", address)],
                   ["What are the coordinates of {address}?",
                    "Geocode {address} for me.",
                    "Give me the latitude and longitude of {address}."]),
        ]
    }()

    static let shoppingTools: [CatalogTool] = {
        let b = ToolBuilder(domain: "shopping")
        let products = ["wireless headphones", "running shoes", "coffee maker", "desk lamp", "yoga mat",
                        "backpack", "phone charger", "winter jacket", "water bottle", "board game"]
        let orderID = ValueSource { random in
            let text = "ORD-" + String(random.integer(in: 10000...99999))
            return Realisation(value: .string(text), text: text)
        }
        return [
            b.tool("search_products", "Search the shop for products.",
                   [.required("query", .string, "What to search for", .phrase(products)),
                    .optional("max_price", .number, "Highest price", default: nil, .amount(10...300, prefix: "$")),
                    .optional("sort_by", .enumeration(["relevance", "price", "rating"]), "Sort order",
                              default: .string("relevance"),
                              .choice([("relevance", ["by relevance"]), ("price", ["by price", "cheapest first"]),
                                       ("rating", ["by rating", "best rated first"])]))],
                   ["Search for {query}[ under {max_price}][ sorted {sort_by}].",
                    "Look up {query} in the shop[, max {max_price}].",
                    "Show me results for {query}[ {sort_by}]."]),
            b.tool("add_to_cart", "Add a product to the shopping cart.",
                   [.required("product", .string, "Product name", .phrase(products)),
                    .optional("quantity", .integer, "How many", default: .integer(1), .integer(2...5))],
                   ["Add the {product} to my cart[, quantity {quantity}].",
                    "Put the {product} in my basket[, {quantity} of them].",
                    "I'll take the {product}[, quantity {quantity}]."]),
            b.tool("track_order", "Get the delivery status of an order.",
                   [.required("order_id", .string, "Order number", orderID)],
                   ["Where is my order {order_id}?",
                    "Track order {order_id}.",
                    "Has {order_id} shipped yet?"]),
            b.tool("compare_prices", "Compare a product's price across stores.",
                   [.required("product", .string, "Product name", .phrase(products)),
                    .required("stores", .array(.string), "Stores to compare",
                              .list(.phrase(["Amazon", "Walmart", "Target", "Ikea", "Best Buy", "Costco"])))],
                   ["Compare prices for the {product} at {stores}.",
                    "Which is cheaper for the {product}: {stores}?",
                    "Check the price of the {product} at {stores}."]),
            b.tool("return_item", "Start a return for an order.",
                   [.required("order_id", .string, "Order number", orderID),
                    .required("reason", .enumeration(["damaged", "wrong_size", "not_as_described", "changed_mind"]),
                              "Reason for the return",
                              .choice([("damaged", ["it arrived damaged", "it is broken"]),
                                       ("wrong_size", ["it's the wrong size", "it doesn't fit"]),
                                       ("not_as_described", ["it's not as described"]),
                                       ("changed_mind", ["I changed my mind"])]))],
                   ["I want to return order {order_id} because {reason}.",
                    "Start a return for {order_id}: {reason}.",
                    "Please send back {order_id}, {reason}."]),
        ]
    }()

    static let cookingTools: [CatalogTool] = {
        let b = ToolBuilder(domain: "cooking")
        let ingredients = ValueSource.phrase(["chicken", "rice", "tomatoes", "spinach", "eggs", "tofu", "lentils",
                                              "mushrooms", "potatoes", "salmon", "cheese", "garlic"])
        let dishes = ValueSource.phrase(["lasagna", "pancakes", "chili", "risotto", "apple pie", "pad thai",
                                         "paella", "banana bread", "curry", "roast chicken"])
        let units = ["cups", "grams", "ounces", "tablespoons", "teaspoons", "milliliters"]
        let unitSource = ValueSource.choice(units.map { ($0, [$0]) })
        return [
            b.tool("find_recipes", "Find recipes that use given ingredients.",
                   [.required("ingredients", .array(.string), "Ingredients to use", .list(ingredients)),
                    .optional("diet", .enumeration(["none", "vegetarian", "vegan", "gluten_free"]), "Diet",
                              default: .string("none"),
                              .choice([("vegetarian", ["vegetarian"]), ("vegan", ["vegan"]),
                                       ("gluten_free", ["gluten-free"])])),
                    .optional("max_minutes", .integer, "Longest cooking time in minutes", default: nil,
                              .integer(10...90, unit: "minute"))],
                   ["Find[ {diet}] recipes with {ingredients}[ that take under {max_minutes}].",
                    "What can I cook with {ingredients}[ in {max_minutes}]?",
                    "I have {ingredients}. Suggest a[ {diet}] recipe."]),
            b.tool("get_nutrition_facts", "Get calories and nutrients for an amount of food.",
                   [.required("food", .string, "Food name", ingredients),
                    .required("grams", .integer, "Amount in grams", .integer(20...500))],
                   ["How many calories are in {grams} grams of {food}?",
                    "Nutrition facts for {grams}g of {food}.",
                    "What's the protein in {grams} grams of {food}?"]),
            b.tool("convert_cooking_units", "Convert a cooking quantity between units.",
                   [.required("quantity", .number, "Amount to convert", .amount(1...20)),
                    .required("from_unit", .enumeration(units), "Unit to convert from", unitSource),
                    .required("to_unit", .enumeration(units), "Unit to convert to", unitSource)],
                   ["Convert {quantity} {from_unit} to {to_unit}.",
                    "How many {to_unit} is {quantity} {from_unit}?",
                    "{quantity} {from_unit} in {to_unit}?"],
                   distinct: ["from_unit", "to_unit"]),
            b.tool("scale_recipe", "Scale a recipe to a number of servings.",
                   [.required("recipe", .string, "Recipe name", dishes),
                    .required("servings", .integer, "Number of servings", .integer(2...12))],
                   ["Scale the {recipe} recipe to {servings} servings.",
                    "I'm making {recipe} for {servings} people. Adjust the recipe.",
                    "Resize my {recipe} recipe for {servings}."]),
            b.tool("suggest_wine_pairing", "Suggest a wine to go with a dish.",
                   [.required("dish", .string, "The dish", dishes)],
                   ["What wine goes well with {dish}?",
                    "Suggest a wine for {dish}.",
                    "Which wine should I serve with {dish}?"]),
        ]
    }()

    static let healthTools: [CatalogTool] = {
        let b = ToolBuilder(domain: "health")
        return [
            b.tool("log_workout", "Record a workout.",
                   [.required("activity", .enumeration(["running", "cycling", "swimming", "yoga", "walking"]),
                              "Kind of workout",
                              .choice([("running", ["running", "a run"]), ("cycling", ["cycling", "a bike ride"]),
                                       ("swimming", ["swimming", "a swim"]), ("yoga", ["yoga"]),
                                       ("walking", ["walking", "a walk"])])),
                    .required("minutes", .integer, "Duration in minutes", .integer(10...120)),
                    .optional("date", .string, "Date as YYYY-MM-DD", default: nil, .date)],
                   ["Log {minutes} minutes of {activity}[ on {date}].",
                    "I did {activity} for {minutes} minutes[ on {date}]. Record it.",
                    "Add a workout: {activity}, {minutes} minutes[, {date}]."]),
            b.tool("calculate_bmi", "Compute body mass index.",
                   [.required("weight_kg", .number, "Weight in kilograms", .amount(45...120, suffix: " kg")),
                    .required("height_cm", .number, "Height in centimeters", .amount(150...200, suffix: " cm"))],
                   ["What's my BMI if I weigh {weight_kg} and I'm {height_cm} tall?",
                    "Calculate BMI for {weight_kg} and {height_cm}.",
                    "I'm {height_cm} and {weight_kg}. What's my body mass index?"]),
            b.tool("book_doctor_appointment", "Book a doctor's appointment.",
                   [.required("specialty", .enumeration(["general", "dentist", "dermatology", "cardiology"]),
                              "Kind of doctor",
                              .choice([("general", ["a general practitioner", "my GP"]), ("dentist", ["a dentist"]),
                                       ("dermatology", ["a dermatologist"]), ("cardiology", ["a cardiologist"])])),
                    .required("date", .string, "Date as YYYY-MM-DD", .date),
                    .optional("time", .string, "Preferred time as HH:MM", default: nil, .time)],
                   ["Book an appointment with {specialty} on {date}[ at {time}].",
                    "I need to see {specialty} on {date}[, ideally at {time}].",
                    "Get me a slot with {specialty} for {date}[ around {time}]."]),
            b.tool("log_water_intake", "Record water drunk, in milliliters.",
                   [.required("milliliters", .integer, "Amount of water in ml", .integer(100...1500))],
                   ["Log {milliliters} ml of water.",
                    "I just drank {milliliters} milliliters of water.",
                    "Add {milliliters} ml to my water intake."]),
            b.tool("get_medication_info", "Look up dosage and side effects of a medication.",
                   [.required("medication", .string, "Medication name",
                              .phrase(["ibuprofen", "paracetamol", "aspirin", "amoxicillin", "loratadine", "omeprazole"]))],
                   ["What are the side effects of {medication}?",
                    "Tell me about {medication}.",
                    "What's the usual dose of {medication}?"]),
        ]
    }()

    static let mediaTools: [CatalogTool] = {
        let b = ToolBuilder(domain: "media")
        let songs = ValueSource.phrase(["Yellow", "Hey Jude", "Clocks", "Imagine", "Halo", "Wonderwall",
                                        "Dancing Queen", "Hallelujah", "Respect", "Vogue"])
        return [
            b.tool("play_song", "Play a song.",
                   [.required("title", .string, "Song title", songs),
                    .optional("artist", .string, "Artist name", default: nil,
                              .phrase(["Coldplay", "The Beatles", "ABBA", "Adele", "Beyonce", "Madonna"]))],
                   ["Play {title}[ by {artist}].",
                    "Put on the song {title}[ by {artist}].",
                    "I want to hear {title}[ from {artist}]."]),
            b.tool("search_movies", "Search movies by genre.",
                   [.required("genre", .enumeration(["comedy", "drama", "horror", "action", "animation", "documentary"]),
                              "Movie genre",
                              .choice([("comedy", ["comedy"]), ("drama", ["drama"]),
                                       ("horror", ["horror"]), ("action", ["action"]),
                                       ("animation", ["animated"]), ("documentary", ["documentary"])])),
                    .optional("year", .integer, "Release year", default: nil, .integer(1980...2025)),
                    .optional("min_rating", .number, "Lowest rating out of 10", default: nil, .amount(5...8))],
                   ["Find {genre} movies[ from {year}][ rated at least {min_rating}].",
                    "Recommend some {genre} films[ released in {year}].",
                    "Any good {genre} movies[ with a rating above {min_rating}]?"]),
            b.tool("get_tv_schedule", "Get a TV channel's schedule for a date.",
                   [.required("channel", .string, "Channel name",
                              .phrase(["BBC One", "CNN", "Arte", "HBO", "Discovery", "ESPN"])),
                    .required("date", .string, "Date as YYYY-MM-DD", .date)],
                   ["What's on {channel} on {date}?",
                    "Show the {channel} schedule for {date}.",
                    "TV listings for {channel}, {date}."]),
            b.tool("create_playlist", "Create a playlist from songs.",
                   [.required("name", .string, "Playlist name",
                              .phrase(["Road trip", "Workout", "Chill", "Party", "Focus"])),
                    .required("songs", .array(.string), "Song titles", .list(songs, maximum: 4))],
                   ["Make a playlist called {name} with {songs}.",
                    "Create a {name} playlist containing {songs}.",
                    "New playlist {name}: {songs}."]),
            b.tool("get_podcast_episodes", "List the latest episodes of a podcast.",
                   [.required("podcast", .string, "Podcast name",
                              .phrase(["The Daily", "Radiolab", "Planet Money", "Hardcore History", "99% Invisible"])),
                    .optional("limit", .integer, "How many episodes", default: .integer(5), .integer(2...10))],
                   ["Show the latest[ {limit}] episodes of {podcast}.",
                    "What are the newest episodes of {podcast}?",
                    "List[ {limit}] recent {podcast} episodes."]),
        ]
    }()
}

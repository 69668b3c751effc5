// Requests no tool serves at all, with the response a helpful assistant gives instead. They mix
// with "the right tool is not listed" requests in no-call items.

enum SmallTalk {
    /// The response to a request whose tool is not in the list.
    static let missingToolResponse = "Sorry, none of the available tools can help with that."

    static let exchanges: [(request: String, response: String)] = [
        ("Hi there!", "Hello! How can I help you today?"),
        ("Hello, how are you?", "I'm doing well, thanks! How can I help?"),
        ("Thanks, that's all for now.", "You're welcome! Have a great day."),
        ("Thank you so much!", "You're welcome!"),
        ("Good morning!", "Good morning! What can I do for you?"),
        ("Who are you?", "I'm an assistant that can use tools to help with your tasks."),
        ("What can you do?", "I can call the listed tools to help with your requests."),
        ("Tell me a joke.", "Why did the scarecrow win an award? He was outstanding in his field."),
        ("What is two plus two?", "Two plus two is four."),
        ("Can you write me a short poem?", "Roses are red, the sky is blue, I'm glad to be here helping you."),
        ("What's the capital of France?", "The capital of France is Paris."),
        ("How many days are in a week?", "There are seven days in a week."),
        ("Never mind.", "No problem. Let me know if you need anything."),
        ("Goodbye!", "Goodbye! Talk to you soon."),
        ("Spell the word cat backwards.", "Backwards, cat is tac."),
        ("Is a tomato a fruit?", "Yes, botanically a tomato is a fruit."),
    ]
}

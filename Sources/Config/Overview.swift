// Config: the config language every floor above reads. A config is a tree (`ConfigTree`) whose
// nodes remember their file:line:column; typed configs are decoded from it by a decoder that
// reports unknown keys and wrong types at their place; a resolved config has one canonical text,
// and a run's id is a hash of it without its defaults (data files by their content).
//
// Reading order:
// 1. `ConfigTree` — maps, lists and scalars with locations; dotted keys, merging.
// 2. `YAMLLoader` (YAML 1.2 core schema, bounded aliases) and `JSONTreeParser` (strict JSON).
// 3. `ConfigTreeDecoder` — `Decodable` from a tree; unknown keys with suggestions.
// 4. `ConfigLoader` — files and text to typed configs; `ConfigResolver` — resolve for planning;
//    `FileReferences` — values that name a file (data files), resolved and hashed by content.
// 5. `CanonicalJSON` — the one text of a config; `RunIdentity` — what a run id hashes (data files
//    by content, defaults left out).

internal import Foundation
internal import Yams

/// A pipeline definition file that cannot be used. Reported before any input is read.
public struct ConfigError: Error, Sendable, CustomStringConvertible {
    public var path: String
    /// Dotted key path inside the file (`stages.entities.lexicons`), when the problem is at a key.
    public var key: String?
    public var reason: String

    public init(path: String, key: String? = nil, reason: String) {
        self.path = path
        self.key = key
        self.reason = reason
    }

    public var description: String {
        if let key { return "\(path): \(key): \(reason)" }
        return "\(path): \(reason)"
    }
}

/// The contents of `pipelines/<name>.yaml`: which stages run, and their settings. Data file paths are
/// relative to the definition file's folder.
public struct PipelineDefinition: Sendable {
    public struct Read: Sendable {
        public var maxBytes = 50_000_000
        /// Most bytes one input (an archive, nested archives included) may expand to.
        public var maxArchiveBytes = 64_000_000_000
    }

    public struct Clean: Sendable {
        public var maxDepth = 512
        public var dropElements: [String]?
        /// A word-list file of class/id words that mark boilerplate blocks.
        public var boilerplateMarkers: String?
        /// A word-list file of class/id words that mark the article's container.
        public var contentMarkers: String?
        /// A TSV file of month names → 1–12, for dates written out in bylines.
        public var monthNames: String?
        /// A word-list file of words that end the names in a byline.
        public var bylineStopWords: String?
        /// A word-list file of byline pieces that are not a person (`staff`, `news`).
        public var bylineNonNames: String?
    }

    public struct Text: Sendable {
        public var abbreviations: String
        public var stopwords: [String: String]
    }

    public struct Entities: Sendable {
        /// The cue word lists, each read from one or more files (`key: file` or `key: [file, …]`).
        public enum WordList: String, CaseIterable, Sendable {
            case personTitles = "person_titles", personFollowers = "person_followers", givenNames = "given_names"
            case ambiguousGivenNames = "ambiguous_given_names"
            case surnames, orgSuffixes = "org_suffixes", legalForms = "legal_forms", functionWords = "function_words", commonWords = "common_words"
            case nonEntityWords = "non_entity_words", placeWords = "place_words", placeModifiers = "place_modifiers"
            case placePrepositions = "place_prepositions", nameParticles = "name_particles", eventWords = "event_words"
        }

        public var lexicons: [String]
        /// Files per word list; a list left out is empty.
        public var wordLists: [WordList: [String]]
    }

    public struct Money: Sendable {
        public var data: String
    }

    public struct Emit: Sendable {
        public var rotateRecords = 10_000
    }

    public var path: String
    public var name: String
    public var version: String
    public var read = Read()
    public var clean = Clean()
    public var text: Text
    public var entities: Entities?
    public var money: Money?
    public var emit = Emit()

    /// Reads and strictly validates a definition: unknown keys, wrong types and missing files are errors.
    public static func load(path: String) throws(ConfigError) -> PipelineDefinition {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigError(path: path, reason: "cannot read pipeline definition (missing or unreadable)")
        }
        guard let yaml = String(data: data, encoding: .utf8) else {
            throw ConfigError(path: path, reason: "not valid UTF-8")
        }
        let root: Any?
        do {
            root = try Yams.load(yaml: yaml)
        } catch {
            throw ConfigError(path: path, reason: "not valid YAML: \(error)")
        }
        let folder = (path as NSString).deletingLastPathComponent
        let reader = ConfigReader(path: path, folder: folder.isEmpty ? "." : folder)
        let top = try reader.mapping(root, at: nil, allowed: ["name", "version", "stages"])
        let stages = try reader.mapping(
            top["stages"], at: "stages", allowed: ["read", "decode", "clean", "text", "entities", "money", "emit"])

        var definition = PipelineDefinition(
            path: path, name: try reader.string(top["name"], at: "name"),
            version: try reader.scalarString(top["version"], at: "version"),
            text: Text(abbreviations: "", stopwords: [:]))

        if let read = stages["read"] {
            let map = try reader.mapping(read, at: "stages.read", allowed: ["max_bytes", "max_archive_bytes"])
            if let value = map["max_bytes"] { definition.read.maxBytes = try reader.positiveInt(value, at: "stages.read.max_bytes") }
            if let value = map["max_archive_bytes"] {
                definition.read.maxArchiveBytes = try reader.positiveInt(value, at: "stages.read.max_archive_bytes")
            }
        }
        if let decode = stages["decode"] {
            _ = try reader.mapping(decode, at: "stages.decode", allowed: [])
        }
        if let clean = stages["clean"] {
            let map = try reader.mapping(
                clean, at: "stages.clean",
                allowed: [
                    "max_depth", "drop_elements", "boilerplate_markers", "content_markers", "month_names", "byline_stop_words",
                    "byline_non_names",
                ])
            if let value = map["max_depth"] { definition.clean.maxDepth = try reader.positiveInt(value, at: "stages.clean.max_depth") }
            if let value = map["drop_elements"] { definition.clean.dropElements = try reader.strings(value, at: "stages.clean.drop_elements") }
            let files: [(String, WritableKeyPath<Clean, String?>)] = [
                ("boilerplate_markers", \.boilerplateMarkers), ("content_markers", \.contentMarkers), ("month_names", \.monthNames),
                ("byline_stop_words", \.bylineStopWords), ("byline_non_names", \.bylineNonNames),
            ]
            for (key, field) in files {
                if let value = map[key] { definition.clean[keyPath: field] = try reader.file(value, at: "stages.clean.\(key)") }
            }
        }
        let text = try reader.mapping(stages["text"], at: "stages.text", allowed: ["abbreviations", "stopwords"])
        definition.text.abbreviations = try reader.file(text["abbreviations"], at: "stages.text.abbreviations")
        let stopwords = try reader.mapping(text["stopwords"], at: "stages.text.stopwords", allowed: nil)
        for (language, file) in stopwords {
            definition.text.stopwords[language] = try reader.file(file, at: "stages.text.stopwords.\(language)")
        }
        if let entities = stages["entities"] {
            let key = "stages.entities"
            let map = try reader.mapping(entities, at: key, allowed: Set(["lexicons"] + Entities.WordList.allCases.map(\.rawValue)))
            var wordLists: [Entities.WordList: [String]] = [:]
            for list in Entities.WordList.allCases {
                guard let value = map[list.rawValue] else { continue }
                let listKey = key + "." + list.rawValue
                wordLists[list] = value is String ? [try reader.file(value, at: listKey)] : try reader.files(value, at: listKey)
            }
            definition.entities = Entities(lexicons: try reader.files(map["lexicons"], at: key + ".lexicons"), wordLists: wordLists)
        }
        if let money = stages["money"] {
            let map = try reader.mapping(money, at: "stages.money", allowed: ["data"])
            definition.money = Money(data: try reader.folder(map["data"], at: "stages.money.data"))
        }
        if let emit = stages["emit"] {
            let map = try reader.mapping(emit, at: "stages.emit", allowed: ["rotate_records"])
            if let value = map["rotate_records"] { definition.emit.rotateRecords = try reader.positiveInt(value, at: "stages.emit.rotate_records") }
        }
        return definition
    }
}

/// Typed, strict access to decoded YAML, with errors that name the key.
private struct ConfigReader {
    let path: String
    let folder: String

    func fail(_ key: String?, _ reason: String) -> ConfigError { ConfigError(path: path, key: key, reason: reason) }

    /// A mapping whose keys must all be in `allowed` (nil: any key).
    func mapping(_ value: Any?, at key: String?, allowed: Set<String>?) throws(ConfigError) -> [String: Any] {
        guard let value else { throw fail(key, "missing (expected a mapping)") }
        guard let map = value as? [String: Any] else {
            if let any = value as? [AnyHashable: Any], any.isEmpty { return [:] }
            throw fail(key, "expected a mapping of keys to values")
        }
        if let allowed {
            for name in map.keys.sorted() where !allowed.contains(name) {
                let expected = allowed.isEmpty ? "no keys" : allowed.sorted().joined(separator: ", ")
                throw fail(key.map { "\($0).\(name)" } ?? name, "unknown key (expected: \(expected))")
            }
        }
        return map
    }

    func string(_ value: Any?, at key: String) throws(ConfigError) -> String {
        guard let string = value as? String, !string.isEmpty else { throw fail(key, "missing or not a string") }
        return string
    }

    /// A string, or a number written without quotes (`version: 1`).
    func scalarString(_ value: Any?, at key: String) throws(ConfigError) -> String {
        if let int = value as? Int { return String(int) }
        if let double = value as? Double { return String(double) }
        return try string(value, at: key)
    }

    func positiveInt(_ value: Any, at key: String) throws(ConfigError) -> Int {
        guard let int = value as? Int, int > 0 else { throw fail(key, "expected a positive whole number") }
        return int
    }

    func strings(_ value: Any, at key: String) throws(ConfigError) -> [String] {
        guard let list = value as? [Any] else { throw fail(key, "expected a list of strings") }
        var result: [String] = []
        for (index, item) in list.enumerated() {
            guard let string = item as? String else { throw fail("\(key)[\(index)]", "expected a string") }
            result.append(string)
        }
        return result
    }

    /// A data file path, resolved against the definition's folder; it must exist.
    func file(_ value: Any?, at key: String) throws(ConfigError) -> String {
        let resolved = resolve(try string(value, at: key))
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: resolved, isDirectory: &isFolder), !isFolder.boolValue else {
            throw fail(key, "file not found: \(resolved)")
        }
        return resolved
    }

    func files(_ value: Any?, at key: String) throws(ConfigError) -> [String] {
        guard let value else { throw fail(key, "missing (expected a list of files)") }
        let list = try strings(value, at: key)
        guard !list.isEmpty else { throw fail(key, "expected at least one file") }
        var result: [String] = []
        for (index, item) in list.enumerated() { result.append(try file(item, at: "\(key)[\(index)]")) }
        return result
    }

    func folder(_ value: Any?, at key: String) throws(ConfigError) -> String {
        let resolved = resolve(try string(value, at: key))
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: resolved, isDirectory: &isFolder), isFolder.boolValue else {
            throw fail(key, "folder not found: \(resolved)")
        }
        return resolved
    }

    private func resolve(_ relative: String) -> String {
        relative.hasPrefix("/") ? relative : folder + "/" + relative
    }
}

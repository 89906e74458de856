public import NewsCore

/// One alias of a named entity, as listed in a lexicon file.
public struct LexiconEntry: Sendable, Hashable {
    public var alias: String
    public var label: EntityLabel
    public var canonical: String
    /// Match the alias in any letter case.
    public var caseFolded: Bool
    /// The alias is also an ordinary word (`Apple`, `Target`): it needs support from the context.
    public var weak: Bool

    public init(alias: String, label: EntityLabel, canonical: String, caseFolded: Bool = false, weak: Bool = false) {
        self.alias = alias
        self.label = label
        self.canonical = canonical
        self.caseFolded = caseFolded
        self.weak = weak
    }
}

/// The word lists that drive the entity patterns.
public struct EntityCues: Sendable {
    /// Titles and roles that precede a person's name (`President`, `CEO`, `Mr.`).
    public var personTitles: [String] = []
    /// Given names; a capitalised word after one is likely a surname.
    public var givenNames: Set<String> = []
    /// Given names that are also ordinary words or places (`Chad`, `Georgia`, `Will`): a person only before a surname.
    public var ambiguousGivenNames: Set<String> = []
    /// Family names that are not ordinary words (`Khan`, `Müller`, `Wang`): a name ending in one is a person's.
    public var surnames: Set<String> = []
    /// Words that end an organisation's name (`Inc`, `Group`, `Holdings`, `Bank`) or head one before `of`.
    public var orgSuffixes: Set<String> = []
    /// Legal forms (`Inc.`, `Ltd`, `GmbH`): organisation suffixes that may follow a comma (`Morningstar, Inc.`).
    public var legalForms: Set<String> = []
    /// Ordinary lower-case English words: capitalised after a title (`General Intelligence`) they are not a name.
    public var commonWords: Set<String> = []
    /// Words after a bare surname that show it names a person (`the Trump administration`, `Musk said`).
    public var personFollowers: Set<String> = []
    /// Capitalised words that are not names: demonyms, months, weekdays, ordinary acronyms (`Chinese`, `June`, `CEO`).
    public var nonEntityWords: Set<String> = []
    /// Words that make a name a place's (`River`, `Street`, `Lake`, `Mount`).
    public var placeWords: Set<String> = []
    /// Directions that make a region of a place (`Eastern Slavonia`, `South China`).
    public var placeModifiers: Set<String> = []
    /// Lower-case words before an unknown name that make it a place (`in`, `near`), and `-based` after one.
    public var placePrepositions: Set<String> = []
    /// Words that end an event's name (`Cup`, `Open`, `Championship`): such a run is not an entity.
    public var eventWords: Set<String> = []
    /// Lower-case particles inside personal names (`van der`, `bin`, `de`).
    public var nameParticles: Set<String> = []

    public init() {}
}

public enum LexiconLoader {
    /// Reads lexicon files (`alias<TAB>label<TAB>canonical[<TAB>flags]`). A later file may not redefine an
    /// (alias, label) pair with a different canonical name: that is reported, because silent overrides hide data bugs.
    public static func load(_ paths: [String]) throws(DataFileError) -> [LexiconEntry] {
        var entries: [LexiconEntry] = []
        var seen: [String: (String, DataRow)] = [:]
        for path in paths {
            for row in try DataFile.rows(path, minColumns: 3, maxColumns: 4) {
                guard let label = EntityLabel(rawValue: row[1]) else {
                    throw row.error("unknown label \"\(row[1])\" (expected PERSON, ORG, GPE or LOC)")
                }
                let alias = row[0].trimmingSpaces, canonical = row[2].trimmingSpaces
                guard !alias.isEmpty, !canonical.isEmpty else { throw row.error("empty alias or canonical name") }
                let flags = row.flags
                if let unknown = flags.subtracting(["fold", "weak", ""]).first {
                    throw row.error("unknown flag \"\(unknown)\" (expected fold or weak)")
                }
                let key = alias + "\t" + label.rawValue
                if let (previousCanonical, previousRow) = seen[key] {
                    if previousCanonical != canonical {
                        throw row.error(
                            "\"\(alias)\" (\(label.rawValue)) is already defined as \"\(previousCanonical)\" at \(previousRow.path):\(previousRow.line)")
                    }
                    continue
                }
                seen[key] = (canonical, row)
                entries.append(
                    LexiconEntry(
                        alias: alias, label: label, canonical: canonical, caseFolded: flags.contains("fold"),
                        weak: flags.contains("weak")))
            }
        }
        return entries
    }
}

extension String {
    var trimmingSpaces: String {
        var scalars = Substring(self)
        while scalars.first == " " { scalars = scalars.dropFirst() }
        while scalars.last == " " { scalars = scalars.dropLast() }
        return String(scalars)
    }
}

internal import Foundation

/// Links in feeds and sitemaps: cleaned, resolved against a base (RFC 3986 §5.2), kept only when http(s).
enum FeedLink {
    /// Longer links are junk (or an attack on whatever stores them).
    static let maxBytes = 8_192

    /// `raw` as an absolute http or https URL: resolved against `base` when relative; nil for other schemes
    /// (`javascript:`, `mailto:`), for empty links and for links that cannot be resolved.
    static func resolve(_ raw: String, base: String?) -> String? {
        guard let reference = cleaned(raw) else { return nil }
        if scheme(of: reference) != nil { return http(reference) }
        guard let base, let resolved = resolveAny(reference, against: base) else { return nil }
        return http(resolved)
    }

    /// `raw` when it is already an absolute http(s) URL (an RSS guid, an Atom id), else nil.
    static func absolute(_ raw: String) -> String? {
        guard let reference = cleaned(raw), scheme(of: reference) != nil else { return nil }
        return http(reference)
    }

    /// `raw` resolved against `base` whatever the schemes (for `xml:base` chains); nil when `raw` is unusable,
    /// or relative and `base` has no scheme.
    static func resolveAny(_ raw: String, against base: String) -> String? {
        guard let reference = cleaned(raw) else { return nil }
        let target = URIReference(reference)
        if target.scheme != nil { return target.resolved(against: target).string }
        guard let base = cleaned(base), scheme(of: base) != nil else { return nil }
        return target.resolved(against: URIReference(base)).string
    }

    /// Trimmed; tabs and line breaks inside dropped and spaces escaped (as browsers do); nil when empty, too
    /// long or holding other control characters.
    static func cleaned(_ raw: String) -> String? {
        let trimmed = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty, trimmed.utf8.count <= maxBytes else { return nil }
        guard trimmed.utf8.contains(where: { $0 <= 0x20 || $0 == 0x7F }) else { return trimmed }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(trimmed.utf8.count + 8)
        for byte in trimmed.utf8 {
            switch byte {
            case 0x09, 0x0A, 0x0D: continue
            case 0x20: bytes.append(contentsOf: [0x25, 0x32, 0x30])
            case 0x00..<0x20, 0x7F: return nil
            default: bytes.append(byte)
            }
        }
        return bytes.isEmpty ? nil : String(decoding: bytes, as: UTF8.self)
    }

    /// The lower-cased scheme when `reference` starts with one (`scheme:`), else nil.
    static func scheme(of reference: String) -> String? {
        var scheme: [UInt8] = []
        for byte in reference.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"):
                scheme.append(byte | 0x20)
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."):
                guard !scheme.isEmpty else { return nil }
                scheme.append(byte)
            case UInt8(ascii: ":"):
                return scheme.isEmpty ? nil : String(decoding: scheme, as: UTF8.self)
            default:
                return nil
            }
        }
        return nil
    }

    /// `url` with its scheme lower-cased when it is http(s) with a host, else nil.
    private static func http(_ url: String) -> String? {
        guard let scheme = scheme(of: url), scheme == "http" || scheme == "https" else { return nil }
        let rest = url.utf8.dropFirst(scheme.utf8.count + 1)
        guard rest.starts(with: "//".utf8) else { return nil }
        let authority = rest.dropFirst(2).prefix { $0 != UInt8(ascii: "/") && $0 != UInt8(ascii: "?") && $0 != UInt8(ascii: "#") }
        // The host is what follows any `user@` and precedes any `:port`.
        let hostAndPort = authority.split(separator: UInt8(ascii: "@"), omittingEmptySubsequences: false).last ?? authority[...]
        guard let host = hostAndPort.split(separator: UInt8(ascii: ":"), omittingEmptySubsequences: false).first, !host.isEmpty
        else { return nil }
        return scheme + ":" + String(decoding: rest, as: UTF8.self)
    }
}

/// A URI reference split into its five parts (RFC 3986 §3), for resolution.
private struct URIReference {
    var scheme: Substring?
    var authority: Substring?
    var path: String
    var query: Substring?
    var fragment: Substring?

    init(scheme: Substring?, authority: Substring?, path: String, query: Substring?, fragment: Substring?) {
        self.scheme = scheme
        self.authority = authority
        self.path = path
        self.query = query
        self.fragment = fragment
    }

    init(_ text: String) {
        var rest = text[...]
        if let hash = rest.firstIndex(of: "#") {
            fragment = rest[rest.index(after: hash)...]
            rest = rest[..<hash]
        }
        if let question = rest.firstIndex(of: "?") {
            query = rest[rest.index(after: question)...]
            rest = rest[..<question]
        }
        if FeedLink.scheme(of: String(rest)) != nil, let colon = rest.firstIndex(of: ":") {
            scheme = rest[..<colon]
            rest = rest[rest.index(after: colon)...]
        }
        if rest.hasPrefix("//") {
            let afterSlashes = rest.dropFirst(2)
            let end = afterSlashes.firstIndex(of: "/") ?? afterSlashes.endIndex
            authority = afterSlashes[..<end]
            rest = afterSlashes[end...]
        }
        path = String(rest)
    }

    /// RFC 3986 §5.2.2: the target URI of this reference against `base` (which has a scheme).
    func resolved(against base: URIReference) -> URIReference {
        var target: URIReference
        if scheme != nil {
            target = self
            target.path = Self.removingDotSegments(path)
        } else if authority != nil {
            target = URIReference(scheme: base.scheme, authority: authority, path: Self.removingDotSegments(path), query: query, fragment: nil)
        } else if path.isEmpty {
            target = URIReference(scheme: base.scheme, authority: base.authority, path: base.path, query: query ?? base.query, fragment: nil)
        } else if path.hasPrefix("/") {
            target = URIReference(scheme: base.scheme, authority: base.authority, path: Self.removingDotSegments(path), query: query, fragment: nil)
        } else {
            target = URIReference(
                scheme: base.scheme, authority: base.authority, path: Self.removingDotSegments(Self.merged(base: base, path: path)),
                query: query, fragment: nil)
        }
        target.fragment = fragment
        return target
    }

    /// §5.2.3: a relative path appended to the base's directory.
    private static func merged(base: URIReference, path: String) -> String {
        if base.authority != nil, base.path.isEmpty { return "/" + path }
        guard let slash = base.path.lastIndex(of: "/") else { return path }
        return String(base.path[...slash]) + path
    }

    /// §5.2.4: `.` and `..` segments taken out.
    static func removingDotSegments(_ path: String) -> String {
        guard path.contains(".") else { return path }
        let absolute = path.hasPrefix("/")
        var segments = path.split(separator: "/", omittingEmptySubsequences: false)
        if absolute { segments.removeFirst() }
        var output: [Substring] = []
        for (index, segment) in segments.enumerated() {
            let isLast = index == segments.count - 1
            if segment == "." || segment == ".." {
                if segment == "..", !output.isEmpty { output.removeLast() }
                if isLast { output.append("") }
            } else {
                output.append(segment)
            }
        }
        return (absolute ? "/" : "") + output.joined(separator: "/")
    }

    var string: String {
        var result = ""
        if let scheme {
            result += scheme
            result += ":"
        }
        if let authority {
            result += "//"
            result += authority
        }
        result += path
        if let query {
            result += "?"
            result += query
        }
        if let fragment {
            result += "#"
            result += fragment
        }
        return result
    }
}

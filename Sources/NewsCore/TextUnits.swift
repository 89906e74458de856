/// The text as an array of Unicode scalars: every offset in newsflow indexes this array,
/// which is what Python's `str` and DuckDB's `substring` index too.
public struct ScalarText: Sendable {
    public let scalars: [Unicode.Scalar]
    /// The UTF-8 bytes, and for each scalar offset its byte offset (one more entry than scalars), so a slice
    /// becomes a String by copying bytes rather than appending scalars one by one.
    @usableFromInline let utf8: [UInt8]
    @usableFromInline let byteOffsets: [Int]

    public init(_ text: String) {
        let utf8 = Array(text.utf8)
        // One pass over the bytes, ASCII without decoding, written in place: this runs on every article's
        // text. There are at most as many scalars as bytes.
        var scalars: [Unicode.Scalar] = []
        let offsets = utf8.withUnsafeBufferPointer { bytes in
            [Int](unsafeUninitializedCapacity: bytes.count + 1) { offsets, offsetCount in
                scalars = [Unicode.Scalar](unsafeUninitializedCapacity: bytes.count) { scalars, scalarCount in
                    var index = 0
                    while index < bytes.count {
                        offsets.initializeElement(at: scalarCount, to: index)
                        let scalar: Unicode.Scalar
                        if bytes[index] < 0x80 {
                            scalar = Unicode.Scalar(bytes[index])
                            index += 1
                        } else {
                            let length: Int
                            (scalar, length) = UTF8Scalar.decode(bytes, at: index)
                            index += length
                        }
                        scalars.initializeElement(at: scalarCount, to: scalar)
                        scalarCount += 1
                    }
                    offsets.initializeElement(at: scalarCount, to: index)
                    offsetCount = scalarCount + 1
                }
            }
        }
        self.scalars = scalars
        self.utf8 = utf8
        byteOffsets = offsets
    }

    public var count: Int { scalars.count }

    /// Calls `body` with the text's UTF-8 bytes; `byteRange(of:)` gives a token's bytes in it.
    @inlinable
    public func withUTF8<Result>(_ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result {
        try utf8.withUnsafeBufferPointer(body)
    }

    /// The UTF-8 byte range of a range of scalar offsets. Inlinable: the recognizers ask it for every token.
    @inlinable
    public func byteRange(of range: Range<Int>) -> Range<Int> {
        byteOffsets[range.lowerBound]..<byteOffsets[range.upperBound]
    }

    /// Every token's text comes from here: built in place, which measured a third faster for short words
    /// than `String(decoding:as:)` over an array slice.
    public subscript(range: Range<Int>) -> String {
        let bytes = byteRange(of: range)
        return utf8.withUnsafeBufferPointer { utf8 in
            String(unsafeUninitializedCapacity: bytes.count) { target in
                target.initialize(fromContentsOf: utf8[bytes])
            }
        }
    }
}

/// One token: a half-open range of scalar offsets, the token's text, and the shape of its letters.
public struct Token: Sendable, Hashable {
    public var text: String
    public var start: Int
    public var end: Int
    /// True when whitespace separates this token from the previous one (or it is the first).
    public var spaceBefore: Bool
    /// True when a line break lies between this token and the previous one.
    public var lineBreakBefore: Bool
    /// Case and letter facts, read once by the tokenizer so the passes after it test bits, not scalars.
    public var shape: TokenShape

    public init(text: String, start: Int, end: Int, spaceBefore: Bool, lineBreakBefore: Bool = false, shape: TokenShape) {
        self.text = text
        self.start = start
        self.end = end
        self.spaceBefore = spaceBefore
        self.lineBreakBefore = lineBreakBefore
        self.shape = shape
    }
}

/// What a token's scalars are made of. "Letter" means alphabetic and not CJK; "capital" means an uppercase
/// scalar (A–Z in ASCII). The tokenizer computes it (`TokenShape(_:)` in NewsText).
@frozen
public struct TokenShape: OptionSet, Sendable, Hashable {
    public let rawValue: UInt16
    @inlinable public init(rawValue: UInt16) { self.rawValue = rawValue }

    // Computed and inlinable, so a test in another module compiles to a bit test rather than an accessor call.

    /// Every scalar is ASCII.
    @inlinable public static var ascii: TokenShape { TokenShape(rawValue: 1 << 0) }
    @inlinable public static var startsWithLetter: TokenShape { TokenShape(rawValue: 1 << 1) }
    @inlinable public static var startsWithCapital: TokenShape { TokenShape(rawValue: 1 << 2) }
    @inlinable public static var startsWithCJK: TokenShape { TokenShape(rawValue: 1 << 3) }
    /// Some scalar is an ASCII capital.
    @inlinable public static var hasASCIICapital: TokenShape { TokenShape(rawValue: 1 << 4) }
    /// Every scalar is a letter.
    @inlinable public static var letters: TokenShape { TokenShape(rawValue: 1 << 5) }
    /// Every scalar is a letter, `.` or `'` (`J.`, `O'Neil`).
    @inlinable public static var nameLetters: TokenShape { TokenShape(rawValue: 1 << 6) }
    /// Every scalar is a letter, `.`, `&` or `'` (`AT&T`).
    @inlinable public static var nameWordLetters: TokenShape { TokenShape(rawValue: 1 << 7) }
    /// Two or more scalars, every one a capital, `.` or `&` (`AI`, `U.S.`, `AT&T`).
    @inlinable public static var capitals: TokenShape { TokenShape(rawValue: 1 << 8) }
    /// Two or more scalars, every one a capital (`AI`, `CEO`).
    @inlinable public static var capitalLetters: TokenShape { TokenShape(rawValue: 1 << 9) }
}

/// A sentence as a range of token indices.
public struct Sentence: Sendable, Hashable {
    public var tokens: Range<Int>

    public init(tokens: Range<Int>) {
        self.tokens = tokens
    }
}

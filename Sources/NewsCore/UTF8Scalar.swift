/// One scalar at a time from UTF-8 bytes, for the scanners that work over bytes and meet non-ASCII text
/// only now and then.
public enum UTF8Scalar {
    /// The scalar starting at `index` and its length in bytes. The bytes are expected to be valid UTF-8
    /// (they come from a Swift string or from libxml2); a broken sequence reads as U+FFFD, one byte long.
    @inlinable
    public static func decode(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> (scalar: Unicode.Scalar, length: Int) {
        let lead = bytes[index]
        if lead < 0x80 { return (Unicode.Scalar(lead), 1) }
        let length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1
        guard length > 1, index + length <= bytes.count else { return ("\u{FFFD}", 1) }
        var value = UInt32(lead) & (0xFF >> UInt32(length + 1))
        for offset in 1..<length {
            let byte = bytes[index + offset]
            guard byte & 0xC0 == 0x80 else { return ("\u{FFFD}", 1) }
            value = value << 6 | UInt32(byte & 0x3F)
        }
        guard let scalar = Unicode.Scalar(value) else { return ("\u{FFFD}", 1) }
        return (scalar, length)
    }
}

/// ASCII tests and case folding for the scanners that work over UTF-8 bytes.
extension UInt8 {
    @inlinable public var isASCIIUppercase: Bool { self >= 0x41 && self <= 0x5A }

    /// The byte with an ASCII capital lowered; any other byte as it is.
    @inlinable public var asciiLowercased: UInt8 { isASCIIUppercase ? self | 0x20 : self }

    /// Space, tab, line feed, vertical tab, form feed, carriage return.
    @inlinable public var isASCIIWhitespace: Bool { self == 0x20 || (self >= 0x09 && self <= 0x0D) }
}

extension [UInt8] {
    /// Where `needle` first occurs at or after `from`, nil if nowhere. The standard library's
    /// `firstRange(of:)` and `contains(_:)` for collections are generic and several times slower on bytes.
    public func firstIndex(ofBytes needle: [UInt8], from: Int = 0) -> Int? {
        guard let first = needle.first, count >= needle.count else { return nil }
        var index = from
        while index + needle.count <= count {
            if self[index] == first, self[index..<(index + needle.count)].elementsEqual(needle) { return index }
            index += 1
        }
        return nil
    }
}

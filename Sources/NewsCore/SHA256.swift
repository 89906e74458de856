import CCrypto

/// SHA-256 through OpenSSL's libcrypto, used for stable article ids and run keys. libcrypto uses the CPU's
/// SHA extensions, which matters here: every page's raw bytes are hashed, and a hand-written digest was a
/// tenth of the HTML path's time.
public enum SHA256 {
    /// The 32-byte digest of `bytes`.
    public static func digest(_ bytes: some Collection<UInt8>) -> [UInt8] {
        if let digest = bytes.withContiguousStorageIfAvailable(digest(buffer:)) { return digest }
        return Array(bytes).withUnsafeBufferPointer(digest(buffer:))
    }

    private static func digest(buffer: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: 32)
        // An empty buffer may have no base address; OpenSSL accepts any pointer with a zero count.
        let succeeded = digest.withUnsafeMutableBufferPointer { output in
            CCrypto_sha256(buffer.baseAddress ?? UnsafePointer(output.baseAddress!), buffer.count, output.baseAddress!)
        }
        // EVP_Digest fails only when OpenSSL cannot allocate a context: nothing sensible can go on.
        precondition(succeeded == 1, "OpenSSL's SHA-256 failed")
        return digest
    }

    public static func hex(_ bytes: some Collection<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var hex: [UInt8] = []
        hex.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            hex.append(digits[Int(byte >> 4)])
            hex.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: hex, as: UTF8.self)
    }
}

/// The record id: the first 128 bits of the SHA-256 of the article's raw bytes, in hex.
/// The same bytes give the same id on every run and every machine.
public func articleID(for bytes: some Collection<UInt8>) -> String {
    SHA256.hex(SHA256.digest(bytes).prefix(16))
}

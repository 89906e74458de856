import CCrypto
#if canImport(Glibc)
internal import Glibc
#elseif canImport(Darwin)
internal import Darwin
#endif

/// A file could not be read to its end while being hashed.
public struct FileDigestError: Error, Sendable, CustomStringConvertible {
    public var errno: Int32

    public init(errno: Int32) {
        self.errno = errno
    }

    public var description: String { "read failed: \(String(cString: strerror(errno)))" }
}

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

    /// The hex digest of a file's contents, read in blocks from an open descriptor (from its current offset).
    public static func hexDigest(ofDescriptor descriptor: Int32) throws(FileDigestError) -> String {
        guard let context = CCrypto_sha256_begin() else { preconditionFailure("OpenSSL cannot allocate a digest context") }
        var block = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let count = block.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                CCrypto_sha256_finish(context, &block)
                throw FileDigestError(errno: errno)
            }
            if count == 0 { break }
            block.withUnsafeBytes { _ = CCrypto_sha256_update(context, $0.baseAddress, count) }
        }
        var digest = [UInt8](repeating: 0, count: 32)
        precondition(CCrypto_sha256_finish(context, &digest) == 1, "OpenSSL's SHA-256 failed")
        return hex(digest)
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

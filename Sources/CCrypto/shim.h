#ifndef NEWSFLOW_CCRYPTO_SHIM_H
#define NEWSFLOW_CCRYPTO_SHIM_H

#include <openssl/evp.h>

/* One-shot SHA-256 through OpenSSL's EVP interface, which picks the CPU's SHA extensions when present.
   Returns 1 on success. */
static inline int CCrypto_sha256(const void *bytes, size_t count, unsigned char digest[32]) {
    return EVP_Digest(bytes, count, digest, NULL, EVP_sha256(), NULL);
}

#endif

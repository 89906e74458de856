#ifndef NEWSFLOW_CCRYPTO_SHIM_H
#define NEWSFLOW_CCRYPTO_SHIM_H

#include <openssl/evp.h>

/* One-shot SHA-256 through OpenSSL's EVP interface, which picks the CPU's SHA extensions when present.
   Returns 1 on success. */
static inline int CCrypto_sha256(const void *bytes, size_t count, unsigned char digest[32]) {
    return EVP_Digest(bytes, count, digest, NULL, EVP_sha256(), NULL);
}

/* Incremental SHA-256, for inputs hashed while they are read (files of any size). */
static inline EVP_MD_CTX *CCrypto_sha256_begin(void) {
    EVP_MD_CTX *context = EVP_MD_CTX_new();
    if (context != NULL && EVP_DigestInit_ex(context, EVP_sha256(), NULL) != 1) {
        EVP_MD_CTX_free(context);
        return NULL;
    }
    return context;
}

static inline int CCrypto_sha256_update(EVP_MD_CTX *context, const void *bytes, size_t count) {
    return EVP_DigestUpdate(context, bytes, count);
}

/* Writes the digest and frees the context. */
static inline int CCrypto_sha256_finish(EVP_MD_CTX *context, unsigned char digest[32]) {
    int status = EVP_DigestFinal_ex(context, digest, NULL);
    EVP_MD_CTX_free(context);
    return status;
}

#endif

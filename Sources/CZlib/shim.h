#ifndef NEWSFLOW_CZLIB_SHIM_H
#define NEWSFLOW_CZLIB_SHIM_H

#include <zlib.h>

/// inflateInit2 is a macro, which Swift cannot call. `windowBits` 15 + 32 accepts a gzip or a zlib header.
static inline int CZlib_inflateInit2(z_streamp stream, int windowBits) {
    return inflateInit2(stream, windowBits);
}

#endif

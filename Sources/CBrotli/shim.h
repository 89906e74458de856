#ifndef NEWSFLOW_CBROTLI_SHIM_H
#define NEWSFLOW_CBROTLI_SHIM_H

#include <brotli/decode.h>

#endif

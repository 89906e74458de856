#ifndef NEWSFLOW_CLIBARCHIVE_SHIM_H
#define NEWSFLOW_CLIBARCHIVE_SHIM_H

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>

/* The file-type constants are macros of octal casts Swift does not import. */
static inline unsigned int CLibArchive_regularFile(void) { return AE_IFREG; }

/* archive_set_error is variadic, which Swift does not import. */
static inline void CLibArchive_setError(struct archive *archive, const char *message) {
    archive_set_error(archive, EIO, "%s", message);
}

#endif

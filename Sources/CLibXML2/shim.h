#ifndef NEWSFLOW_CLIBXML2_SHIM_H
#define NEWSFLOW_CLIBXML2_SHIM_H

/* Debian builds libxml2 with ICU, and encoding.h then includes ICU's headers, which clash with the copy
   of ICU inside Foundation. newsflow decodes bytes itself and never asks libxml2 to convert with ICU. */
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED

#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlmemory.h>

/// xmlFree is a global function pointer, which Swift 6 rejects as not concurrency-safe.
static inline void CLibXML2_free(void *pointer) { xmlFree(pointer); }

/// Parser options for untrusted HTML: recover from errors, stay silent, never touch the network.
static inline int CLibXML2_safeHTMLOptions(void) {
    return HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET
         | HTML_PARSE_COMPACT;
}

/// Parser options for untrusted XML (feeds, sitemaps): recover, silent, no network, no DTD loading, no
/// entity substitution (so no external entities), no huge-document mode.
static inline int CLibXML2_safeXMLOptions(void) {
    return XML_PARSE_RECOVER | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_NONET | XML_PARSE_NOCDATA
         | XML_PARSE_COMPACT;
}

#endif

#ifndef RAMPART_CJEMALLOC_SHIM_H
#define RAMPART_CJEMALLOC_SHIM_H
/* jemalloc (Debian's libjemalloc-dev), the allocator the data plane links: it replaces glibc's malloc
   in every process that links the data plane, and its control interface (mallctl) reports on it. */
#include <jemalloc/jemalloc.h>
#endif

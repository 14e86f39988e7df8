#ifndef RAMPART_CMALLOC_SHIM_H
#define RAMPART_CMALLOC_SHIM_H
/* glibc's allocator controls (mallopt, mallinfo2), which the Glibc module leaves out. */
#include <malloc.h>
#endif

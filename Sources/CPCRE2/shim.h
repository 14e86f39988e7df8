#ifndef RAMPART_CPCRE2_SHIM_H
#define RAMPART_CPCRE2_SHIM_H
// PCRE2 with 8-bit code units, the width Suricata uses for rule expressions.
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#endif

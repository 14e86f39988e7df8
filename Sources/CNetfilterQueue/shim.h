#ifndef RAMPART_CNETFILTERQUEUE_SHIM_H
#define RAMPART_CNETFILTERQUEUE_SHIM_H
#include <stdint.h>
#include <sys/socket.h>
#include <linux/netfilter.h>
#include <libnetfilter_queue/libnetfilter_queue.h>
#endif

#ifndef RAMPART_CNETFILTERQUEUE_SHIM_H
#define RAMPART_CNETFILTERQUEUE_SHIM_H
#include <stddef.h>
#include <stdint.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <linux/netlink.h>
#include <linux/netfilter.h>
#include <libnetfilter_queue/libnetfilter_queue.h>

/* Macros and packed-struct reads, as functions Swift can call. */

static inline uint32_t rampart_nf_accept(void) { return NF_ACCEPT; }
static inline uint32_t rampart_nf_drop(void) { return NF_DROP; }
static inline uint32_t rampart_nf_repeat(void) { return NF_REPEAT; }
static inline uint8_t rampart_nfqnl_copy_packet(void) { return NFQNL_COPY_PACKET; }
static inline uint32_t rampart_nfqa_cfg_f_fail_open(void) { return NFQA_CFG_F_FAIL_OPEN; }
static inline int rampart_sol_netlink(void) { return SOL_NETLINK; }
static inline int rampart_netlink_no_enobufs(void) { return NETLINK_NO_ENOBUFS; }

/* The packet id in host order, or -1 when the message has no packet header. */
static inline int64_t rampart_nfq_packet_id(struct nfq_data *nfad) {
    struct nfqnl_msg_packet_hdr *header = nfq_get_msg_packet_hdr(nfad);
    if (header == NULL) return -1;
    return (int64_t)ntohl(header->packet_id);
}

#endif

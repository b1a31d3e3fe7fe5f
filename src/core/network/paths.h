/*
 * paths.h - "who can introduce me": the best chains of people from an asker's
 * side of the network to a contact, or to anyone matching a description, of
 * at most three relationships, through people the asker may see.
 *
 * The graph is the directory's relationships in compressed rows (CSR), each
 * relationship stored in both directions: if Anna knows Lars, Lars can
 * introduce Anna and Anna can introduce Lars. Pure: arrays in, paths out; the
 * store builds the arrays, the service turns paths into sentences.
 */
#ifndef TB_NETWORK_PATHS_H
#define TB_NETWORK_PATHS_H

#include <stddef.h>
#include <stdint.h>

#include "core/error.h"

#define NET_MAX_HOPS 3
#define NET_NONE UINT32_MAX

struct net_graph {
    uint32_t people;               /* people 0..people-1 */
    const uint64_t *offset;        /* relationships of p: [offset[p], offset[p+1]) */
    const uint32_t *other;         /* the person at the other end */
    const uint8_t *strength;       /* 1 (met once) .. 5 (works closely with) */
    const int32_t *last_contact;   /* days since 1970-01-01 of the last contact */
    const uint32_t *owner;         /* operator that owns the person's record */
    const uint8_t *shared;         /* 1 when shared with the whole federation */
};

struct net_path {
    uint32_t hops;                      /* relationships on the path, 1..3 */
    uint32_t person[NET_MAX_HOPS + 1];  /* from the asker's side to the target */
    double score;                       /* product of the ties' weights, 0..1 */
};

/* Scratch memory for queries, one per thread; reused across queries so a
 * query allocates nothing once it is warm. */
struct net_scratch;
struct net_scratch *net_scratch_new(void);
void net_scratch_free(struct net_scratch *s);

/* A tie's weight: strength/5, halved for every `half_life_days` since the
 * last contact (today - last_contact). */
double net_tie_weight(uint8_t strength, int32_t last_contact, int32_t today, int32_t half_life_days);

/* Best paths from any of sources[0..nsources-1] to `target`, each through a
 * different last introducer, best first; at most `k` into out. Only people
 * visible to operator `viewer` (own or shared) may be on a path; the sources
 * are the asker's side and count as visible, and no path passes through
 * another of them (it would start there). A target the viewer may not see
 * answers 404, as a record of another operator does. Returns the number of
 * paths, or -1 with err set. */
int net_paths_to(const struct net_graph *g, struct net_scratch *s, uint32_t viewer, const uint32_t *sources,
                 size_t nsources, uint32_t target, int32_t today, struct net_path *out, size_t k,
                 struct tb_err *err);

/* Best path to each of the best `k` people for whom is_target[p] is set (a
 * description: country, sector, HS prefix, evaluated by the caller). */
int net_paths_to_any(const struct net_graph *g, struct net_scratch *s, uint32_t viewer, const uint32_t *sources,
                     size_t nsources, const uint8_t *is_target, int32_t today, struct net_path *out, size_t k,
                     struct tb_err *err);

#endif

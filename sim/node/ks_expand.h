/* ks_expand.h -- Kubernetes' own variable references, $(VAR), as the
 * kubelet expands them in env values (dependent environment variables) and
 * in command and args, before any shell sees them.
 *
 * The rules (kubernetes/kubernetes third_party/forked/golang/expansion/
 * expand.go, Expand and tryReadVariableName):
 *   $(NAME)   the value of NAME when it is defined, else left as written
 *   $$        one $ (so $$(NAME) is the text $(NAME))
 *   $( ...    with no ')' after it: left as written
 *   $x, a $ at the end: left as written ($HOME is the shell's business)
 * Depends on: ks_mem.
 */
#ifndef KS_EXPAND_H
#define KS_EXPAND_H

#include "core/ks_mem.h"

/* A variable's value, or NULL when it is not defined. */
typedef const char *(*ks_expand_lookup)(void *ud, const char *name);

/* in with its $(NAME) references expanded, in ar (NULL when out of memory). */
char *ks_expand(ks_arena *ar, const char *in, ks_expand_lookup lookup, void *ud);

#endif

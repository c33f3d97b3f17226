/* ks_expand.c -- $(VAR) references as the kubelet expands them (see
 * ks_expand.h for the rules and their source). */
#include "ks_expand.h"

#include <string.h>


char *ks_expand(ks_arena *ar, const char *in, ks_expand_lookup lookup, void *ud)
{
    size_t len = strlen(in), i, cap = len + 1, n = 0;
    char *out = ks_arena_alloc(ar, cap);
    char name[256];
#define PUT(s, k)                                                              \
    do {                                                                       \
        size_t k_ = (k);                                                       \
        if (n + k_ + 1 > cap) {                                                \
            char *bigger;                                                      \
            while (n + k_ + 1 > cap)                                           \
                cap *= 2;                                                      \
            if (!(bigger = ks_arena_alloc(ar, cap)))                           \
                return NULL;                                                   \
            memcpy(bigger, out, n);                                            \
            out = bigger;                                                      \
        }                                                                      \
        memcpy(out + n, (s), k_);                                              \
        n += k_;                                                               \
    } while (0)
    if (!out)
        return NULL;
    for (i = 0; i < len; i++) {
        const char *close, *value;
        if (in[i] != '$' || i + 1 == len) {
            PUT(in + i, 1);
            continue;
        }
        if (in[i + 1] == '$') {                        /* an escaped $ */
            PUT("$", 1);
            i++;
            continue;
        }
        if (in[i + 1] != '(' || !(close = strchr(in + i + 2, ')'))) {
            PUT(in + i, 2);                            /* "$x", or "$(" never closed */
            i++;
            continue;
        }
        if ((size_t)(close - in - i - 2) < sizeof name) {
            memcpy(name, in + i + 2, (size_t)(close - in - i - 2));
            name[close - in - i - 2] = '\0';
            value = lookup(ud, name);
        } else {
            value = NULL;                              /* no such long name */
        }
        if (value)
            PUT(value, strlen(value));
        else
            PUT(in + i, (size_t)(close - in - i) + 1); /* undefined: as written */
        i = (size_t)(close - in);
    }
#undef PUT
    out[n] = '\0';
    return out;
}

/* internal/ingress_regex.h -- nginx (PCRE) location paths as POSIX ERE, for
 * ks_ingress.c. The supported subset is listed in ks_ingress.h. */
#ifndef KSI_INGRESS_REGEX_H
#define KSI_INGRESS_REGEX_H

#include <stdbool.h>
#include <stddef.h>

typedef struct ksi_regex_xlat {
    unsigned char gmap[10];       /* PCRE group k (1..9) -> POSIX subexpression */
    size_t pcre_groups, posix_groups;
    bool lazy;                    /* lazy quantifiers were read as greedy */
    const char *why;              /* static text when the translation fails */
    bool pcre;                    /* why is PCRE's own error (nginx -t fails on
                                     it), not a limit of kubesim's */
    size_t at;                    /* pcre: where in p PCRE stops (strlen(p):
                                     at its end) */
} ksi_regex_xlat;

/* Translates the PCRE pattern p into ERE text appended to out (cap bytes,
 * holding an n-byte prefix already; 16 * strlen(p) + n + 4 is always
 * enough). Returns false with x->why set when p uses an unsupported feature
 * or does not fit, or, x->pcre set, when PCRE itself refuses p: then why is
 * the text of PCRE 8's error (pcre_compile.c error_texts, the library the
 * controller's nginx is built with) and x->at where it stopped. */
bool ksi_regex_translate(const char *p, char *out, size_t n, size_t cap, ksi_regex_xlat *x);

#endif

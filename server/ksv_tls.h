/* ksv_tls.h -- the API server's TLS certificate, made fresh for each run.
 * Depends on: GnuTLS. */
#ifndef KSV_TLS_H
#define KSV_TLS_H

#include <stddef.h>

/* A self-signed certificate for address (an IPv4 literal) and localhost,
 * with its private key, both PEM (malloc'd). Returns 0, or -1 with the
 * reason in err. */
int ksv_tls_make(const char *address, char **cert_pem, char **key_pem, char *err, size_t n);

#endif

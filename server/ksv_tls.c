/* ksv_tls.c -- a fresh self-signed certificate for each run, made with
 * GnuTLS (the TLS library libmicrohttpd itself uses). kubectl sends the
 * bearer token only over TLS (client-go clientcmd reads a user's
 * credentials only when the transport is TLS), so the API is HTTPS; the
 * kubeconfig carries this certificate as the cluster's certificate
 * authority, so clients verify the server without skipping anything.
 * The key is ECDSA P-256; the certificate names the listening address (IP
 * SAN) and localhost, is its own CA, and is valid for a year. */
#include "ksv_tls.h"

#include <arpa/inet.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

static char *datum_string(gnutls_datum_t *d)
{
    char *s = malloc(d->size + 1);
    if (s) {
        memcpy(s, d->data, d->size);
        s[d->size] = '\0';
    }
    gnutls_free(d->data);
    return s;
}

int ksv_tls_make(const char *address, char **cert_pem, char **key_pem, char *err, size_t n)
{
    gnutls_x509_privkey_t key = NULL;
    gnutls_x509_crt_t crt = NULL;
    gnutls_datum_t d;
    unsigned char serial[16], ip[4];
    time_t now = time(NULL);
    int rc = -1, e;
    *cert_pem = *key_pem = NULL;
    if (getrandom(serial, sizeof serial, 0) != (ssize_t)sizeof serial) {
        snprintf(err, n, "no system randomness for the certificate");
        return -1;
    }
    serial[0] &= 0x7f;                       /* a positive serial number */
    if ((e = gnutls_x509_privkey_init(&key)) < 0
        || (e = gnutls_x509_privkey_generate(key, GNUTLS_PK_ECDSA,
                                             GNUTLS_CURVE_TO_BITS(GNUTLS_ECC_CURVE_SECP256R1),
                                             0)) < 0
        || (e = gnutls_x509_crt_init(&crt)) < 0
        || (e = gnutls_x509_crt_set_version(crt, 3)) < 0
        || (e = gnutls_x509_crt_set_serial(crt, serial, sizeof serial)) < 0
        || (e = gnutls_x509_crt_set_activation_time(crt, now - 3600)) < 0
        || (e = gnutls_x509_crt_set_expiration_time(crt, now + 365 * 86400)) < 0
        || (e = gnutls_x509_crt_set_dn_by_oid(crt, GNUTLS_OID_X520_COMMON_NAME, 0, "kubesim",
                                              7)) < 0
        || (e = gnutls_x509_crt_set_subject_alt_name(crt, GNUTLS_SAN_DNSNAME, "localhost", 9,
                                                     GNUTLS_FSAN_APPEND)) < 0)
        goto fail;
    if (inet_pton(AF_INET, address, ip) == 1
        && (e = gnutls_x509_crt_set_subject_alt_name(crt, GNUTLS_SAN_IPADDRESS, ip, 4,
                                                     GNUTLS_FSAN_APPEND)) < 0)
        goto fail;
    if (strcmp(address, "127.0.0.1") != 0 && inet_pton(AF_INET, "127.0.0.1", ip) == 1
        && (e = gnutls_x509_crt_set_subject_alt_name(crt, GNUTLS_SAN_IPADDRESS, ip, 4,
                                                     GNUTLS_FSAN_APPEND)) < 0)
        goto fail;
    if ((e = gnutls_x509_crt_set_basic_constraints(crt, 1, -1)) < 0
        || (e = gnutls_x509_crt_set_key_usage(crt, GNUTLS_KEY_DIGITAL_SIGNATURE
                                                       | GNUTLS_KEY_KEY_CERT_SIGN)) < 0
        || (e = gnutls_x509_crt_set_key_purpose_oid(crt, GNUTLS_KP_TLS_WWW_SERVER, 0)) < 0
        || (e = gnutls_x509_crt_set_key(crt, key)) < 0
        || (e = gnutls_x509_crt_sign2(crt, crt, key, GNUTLS_DIG_SHA256, 0)) < 0)
        goto fail;
    if ((e = gnutls_x509_crt_export2(crt, GNUTLS_X509_FMT_PEM, &d)) < 0)
        goto fail;
    *cert_pem = datum_string(&d);
    if ((e = gnutls_x509_privkey_export2(key, GNUTLS_X509_FMT_PEM, &d)) < 0)
        goto fail;
    *key_pem = datum_string(&d);
    if (!*cert_pem || !*key_pem) {
        snprintf(err, n, "out of memory");
        goto out;
    }
    rc = 0;
    goto out;
fail:
    snprintf(err, n, "cannot make a TLS certificate: %s", gnutls_strerror(e));
out:
    if (rc != 0) {
        free(*cert_pem);
        free(*key_pem);
        *cert_pem = *key_pem = NULL;
    }
    gnutls_x509_crt_deinit(crt);
    gnutls_x509_privkey_deinit(key);
    return rc;
}

/* kvf_kubeconfig.h -- the user's kubeconfig, read as kubectl reads it, down
 * to the one context kubesim verify talks to.
 *
 * Files: --kubeconfig FILE alone, else $KUBECONFIG (a colon-separated list,
 * merged as client-go merges it: for clusters, users and contexts the first
 * file naming an entry wins; so does the first current-context), else
 * ~/.kube/config. Relative file paths in an entry (certificate-authority,
 * client-certificate, client-key, tokenFile) start at the folder of the file
 * that holds the entry. *-data fields are base64, as kubectl writes them.
 * Credentials kubesim verify cannot use -- exec and auth-provider plugins --
 * are refused at their place (file:line:col) with what to do instead: it
 * never runs a program named in a kubeconfig.
 * Ownership: everything in a kvf_kubeconfig lives in the arena passed in.
 * Depends on: sim/load (ks_yaml, ks_file, ks_validate), ks_diag.
 */
#ifndef KVF_KUBECONFIG_H
#define KVF_KUBECONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "core/ks_diag.h"
#include "core/ks_mem.h"

#define KVF_MAX_KUBECONFIGS 16        /* files in $KUBECONFIG */
#define KVF_MAX_CRED_BYTES (1 << 20)  /* a certificate, key or token file */

/* One context, resolved: where the API server is and how to prove who we are. */
typedef struct kvf_kubeconfig {
    const char *file;             /* the file that named the context */
    const char *context, *cluster, *user;
    const char *server;           /* "https://127.0.0.1:6443" */
    const char *ns;               /* the context's namespace, or "default" */
    const char *ca;               /* PEM of the certificate authority, or NULL */
    size_t ca_len;
    const char *cert, *key;       /* the client certificate and key (PEM), or NULL */
    size_t cert_len, key_len;
    const char *token;            /* bearer token, or NULL */
    const char *username, *password;   /* basic auth, or NULL */
    const char *tls_server_name;  /* or NULL */
    bool insecure;                /* insecure-skip-tls-verify: true */
} kvf_kubeconfig;

/* Loads the context named context (NULL: current-context) from file (NULL:
 * $KUBECONFIG or ~/.kube/config) into out. Returns KS_OK, or records every
 * problem in d (located where the file says it) and returns the first
 * error's code. */
int kvf_kubeconfig_load(ks_arena *ar, const char *file, const char *context,
                        kvf_kubeconfig *out, ks_diags *d);

/* path made absolute against the current folder (realpath(3) when the file
 * exists), so that kubectl, which verify runs from the scenario's folder,
 * reads the same file; list: a colon-separated list as $KUBECONFIG holds,
 * each entry so made (empty ones dropped). In ar; NULL when out of memory. */
const char *kvf_kubeconfig_absolute(ks_arena *ar, const char *path, bool list);

#endif

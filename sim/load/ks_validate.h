/* ks_validate.h -- the value rules of the Kubernetes API that bite learners:
 * quantities ("500m", "2Gi"), DNS names, label keys and values, base64.
 * Pure functions; each returns NULL when the value is fine, or a short
 * reason ("must be at most 63 characters") to put in a located error.
 * Depends on: libc only.
 */
#ifndef KS_VALIDATE_H
#define KS_VALIDATE_H

#include <stddef.h>
#include <stdint.h>

/* A resource quantity, as resource.Quantity parses it: a decimal number
 * with an optional suffix (Ki Mi Gi Ti Pi Ei, n u m k M G T P E, or e<N>).
 * *out is the value times 10^-scale, rounded up (scale -3: millicores;
 * scale 0: bytes). NULL on success, else why not. */
const char *ks_quantity_parse(const char *s, int scale, int64_t *out);

/* Formats bytes the way kubectl shows a capacity: the largest binary suffix
 * that divides exactly ("2Gi", "500Mi", "1536"). */
size_t ks_quantity_format_bytes(int64_t bytes, char *buf, size_t n);

/* DNS-1123 subdomain (most object names): lower-case alphanumerics, '-' and
 * '.', starting and ending alphanumeric, at most 253 characters. */
const char *ks_check_dns_subdomain(const char *s);
/* DNS-1123 label (namespace, container, volume names): no dots, <= 63. */
const char *ks_check_dns_label(const char *s);
/* RFC 1035 label (Service names): a DNS-1123 label starting with a letter. */
const char *ks_check_dns1035_label(const char *s);
/* IANA service name (port names): <= 15, lower-case alphanumerics and '-',
 * at least one letter, no "--". */
const char *ks_check_port_name(const char *s);
/* A label key ("app", "app.kubernetes.io/name") and value (<= 63, may be
 * empty). */
const char *ks_check_label_key(const char *s);
const char *ks_check_label_value(const char *s);
/* An environment variable name (C identifier-ish: letters, digits, '_', '-',
 * '.', not starting with a digit). */
const char *ks_check_env_name(const char *s);

/* A ConfigMap or Secret data key, as the API server's IsConfigMapKey
 * (k8s.io/apimachinery pkg/util/validation): [-._a-zA-Z0-9]+, at most 253
 * bytes, not '.' or '..' or starting with '..'. The reason is the server's
 * own words. */
const char *ks_check_config_key(const char *s);
/* The API server's limits (k8s.io/kubernetes pkg/apis/core/types.go
 * MaxSecretSize; apimachinery pkg/api/validation/objectmeta.go
 * TotalAnnotationSizeLimitB). */
#define KS_MAX_SECRET_SIZE (1 << 20)          /* a ConfigMap's or Secret's data */
#define KS_MAX_ANNOTATIONS_SIZE (256 << 10)   /* keys and values of one object */

/* Decodes standard base64 (with padding; whitespace not allowed, as the API
 * server). Writes up to cap bytes into out, NUL-terminates, sets *len.
 * NULL on success, else why not. */
const char *ks_base64_decode(const char *s, char *out, size_t cap, size_t *len);
/* Encodes len bytes into out (cap >= 4*ceil(len/3)+1). Returns length. */
size_t ks_base64_encode(const char *s, size_t len, char *out, size_t cap);

#endif

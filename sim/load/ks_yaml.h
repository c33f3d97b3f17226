/* ks_yaml.h -- YAML text into a small tree with 1-based marks, with limits.
 *
 * Built from libyaml's event API so that every limit is checked while
 * parsing, never trusted: file size, document size, nesting depth, scalar
 * length, document count, and the share of the tree that aliases would
 * copy, as kubectl's YAML reader bounds it (a "billion laughs" file is
 * refused after a few hundred events, not expanded). Duplicate mapping keys are errors (libyaml accepts them; the
 * Kubernetes API server does not). Aliases share the anchored node, so the
 * tree is a DAG; its expanded size is bounded as go-yaml bounds it
 * (ks_yaml.c).
 * Everything lives in the caller's arena.
 * Depends on: libyaml, ks_mem, ks_diag, ks_file.
 */
#ifndef KS_YAML_H
#define KS_YAML_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/ks_diag.h"
#include "core/ks_mem.h"

typedef enum ks_yaml_kind { KS_YAML_SCALAR, KS_YAML_SEQ, KS_YAML_MAP } ks_yaml_kind;
typedef enum ks_yaml_style {
    KS_YAML_PLAIN,        /* unquoted: may be a number, bool or null */
    KS_YAML_QUOTED,       /* 'single' or "double": always a string */
    KS_YAML_BLOCK         /* | or >: always a string */
} ks_yaml_style;

typedef struct ks_yaml_node ks_yaml_node;
struct ks_yaml_node {
    ks_yaml_kind kind;
    ks_yaml_style style;      /* scalars only */
    ks_mark mark;             /* where it starts (1-based) */
    const char *tag;          /* explicit tag ("tag:yaml.org,2002:str"), or NULL */
    const char *str;          /* scalar text, NUL-terminated */
    size_t len;               /* scalar length (text may hold NUL bytes) */
    ks_yaml_node **items;     /* seq: n items; map: 2n, key then value */
    size_t n;
    size_t weight;            /* nodes below, aliases expanded (internal) */
};

typedef struct ks_yaml_doc {
    ks_yaml_node *root;       /* never NULL: an empty document is an empty
                                 plain scalar */
    ks_mark mark;
} ks_yaml_doc;

typedef struct ks_yaml_stream {
    const char *file;         /* interned in the arena */
    ks_yaml_doc *docs;
    size_t ndocs;
} ks_yaml_stream;

typedef struct ks_yaml_limits {
    size_t max_bytes;         /* file size */
    size_t max_doc_bytes;     /* one document (one object, one API request) */
    unsigned max_depth;       /* nesting of collections */
    size_t max_scalar;        /* bytes in one scalar */
    size_t max_docs;          /* documents in one file */
} ks_yaml_limits;

/* 32 MiB files, 3 MiB documents (the API server's request-body limit),
 * depth 64, 1 MiB scalars, 10,000 documents. */
ks_yaml_limits ks_yaml_default_limits(void);

/* Parses len bytes of buf, naming it file in marks. On success returns
 * KS_OK and sets *out (in ar). On failure records located errors in d and
 * returns their code (KS_ESYNTAX, KS_ELIMIT, KS_ENOMEM); *out is NULL.
 * Duplicate keys are reported as KS_ESCHEMA but *out is still set, so the
 * caller can report the document's other problems too. */
int ks_yaml_parse(ks_arena *ar, const char *file, const char *buf, size_t len,
                  const ks_yaml_limits *lim, ks_yaml_stream **out, ks_diags *d);

/* Reads (ks_file_read: regular files only, at most max_bytes) and parses a file. */
int ks_yaml_load_file(ks_arena *ar, const char *path, const ks_yaml_limits *lim,
                      ks_yaml_stream **out, ks_diags *d);

/* A hash of a tree's content (kinds, keys and values, not positions): equal
 * trees hash equal, so `kubectl apply` can tell "unchanged". FNV-1a. */
uint64_t ks_yaml_hash(const ks_yaml_node *n);
/* FNV-1a: h (0xcbf29ce484222325 to start) with n bytes of data folded in. */
uint64_t ks_yaml_fnv(uint64_t h, const void *data, size_t n);

/* ---- reading the tree ---------------------------------------------------- */
/* Value of key in a map, or NULL (also when m is not a map). */
const ks_yaml_node *ks_yaml_get(const ks_yaml_node *m, const char *key);
/* The key node itself (for errors about the key), or NULL. */
const ks_yaml_node *ks_yaml_key(const ks_yaml_node *m, const char *key);
/* A plain null: ~, null, Null, NULL or empty. */
bool ks_yaml_is_null(const ks_yaml_node *n);
/* What a scalar resolves to, as Kubernetes' YAML decoder sees it: "string",
 * "integer", "number", "boolean" or "null"; "object" / "array" for
 * collections. For messages like "must be a string, not a number". */
const char *ks_yaml_type_name(const ks_yaml_node *n);
/* Scalar as an integer (plain decimal, or 0x / 0o forms); false if it is
 * not one, or out of int64 range. */
bool ks_yaml_int(const ks_yaml_node *n, int64_t *out);
/* Scalar as a boolean (true/false; YAML 1.1's yes/no/on/off too). */
bool ks_yaml_bool(const ks_yaml_node *n, bool *out);
/* Scalar that is a string (quoted, block, or plain text that is not a
 * number, bool or null). */
bool ks_yaml_is_string(const ks_yaml_node *n);

#endif

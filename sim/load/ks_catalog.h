/* ks_catalog.h -- the image catalog: which behaviour an image reference gets.
 *
 * Behaviour comes from data (assets/images.yaml, plus a scenario's
 * spec.images), never from C code keyed on an image name. An entry matches
 * image references by glob ('*' any run of characters, '/' included; '?' one
 * character) and says what the container does: its kind of workload, port,
 * pull/start-up/shutdown times, the env vars it needs and what it logs when
 * they are missing, the volumes it expects, its HTTP routes.
 *
 * Precedence: the FIRST matching entry wins. Overrides (a scenario's images)
 * are searched before the entries they override, and within one file entries
 * are tried top to bottom, so specific entries go above general ones and the
 * default catalog ends with `match: "*"` (kind generic). An override replaces
 * a whole entry: fields it leaves out take their documented defaults, not
 * the values of the entry it shadows.
 *
 * Ownership: everything lives in the arena passed to the loader.
 * Depends on: ks_read (ks_yaml, ks_diag, ks_time), ks_validate.
 */
#ifndef KS_CATALOG_H
#define KS_CATALOG_H

#include <stdbool.h>
#include <stddef.h>

#include "ks_read.h"

#define KS_CATALOG_MAX_ENTRIES 1000   /* per file */

typedef enum ks_image_kind {
    KS_IMAGE_GENERIC,     /* a plain HTTP server: 200 for every request */
    KS_IMAGE_WEB,         /* serves a static client */
    KS_IMAGE_API,         /* HTTP server that talks to a database and a cache */
    KS_IMAGE_WORKER,      /* consumes from the cache, computes, writes back */
    KS_IMAGE_DATABASE,    /* stores records under its data directory */
    KS_IMAGE_CACHE,       /* keeps records in memory */
    KS_IMAGE_SHELL,       /* runs the container's command as a tiny shell */
    KS_IMAGE_STRESS       /* a load generator (stress): burns the CPU and holds
                             the memory its arguments ask for, until stopped */
} ks_image_kind;

/* Targets of a route's reads/writes, and of `uses` (bit set). */
enum { KS_USE_DATABASE = 1, KS_USE_CACHE = 2 };

/* Start-up conditions; all that are set must hold. Unset: NULL / 0 / -1. */
typedef struct ks_image_when {
    const char *mounted_at;       /* a volume is mounted at exactly this path */
    const char **env_unset;       /* every one of these is unset or empty */
    size_t n_env_unset;
    const char **env_set;         /* every one of these is set and non-empty */
    size_t n_env_set;
    int data_dir_empty;           /* -1 any; 1 only on first start; 0 only
                                     when the data directory holds data */
    int data_dir_read_only;       /* -1 any; 1 only when the data directory lies on
                                     a read-only mount; 0 only when it does not */
} ks_image_when;

/* requireEnv item. The plain form `- NAME` is any_of = {NAME}. An any_of
 * item "NAME=VALUE" holds only when NAME is set to exactly VALUE. */
typedef struct ks_image_require {
    ks_mark mark;
    const char **any_of;          /* at least one must be set (non-empty) */
    size_t n_any_of;
    ks_image_when when;           /* checked only when this holds */
    const char *message;          /* written to the log before exiting */
    int exit_code;                /* default 1 */
} ks_image_require;

/* failures item: when `when` holds at start-up, the container writes
 * message to its log and exits with exit_code. Checked after requireEnv. */
typedef struct ks_image_failure {
    ks_mark mark;
    ks_image_when when;
    const char *message;
    int exit_code;                /* default 1 */
} ks_image_failure;

typedef struct ks_image_route {
    ks_mark mark;
    const char *method;           /* GET, POST, ... (default GET) */
    const char *path;             /* a glob (* and ?), e.g. /values/all */
    unsigned reads, writes;       /* KS_USE_* bits */
    int status;                   /* default 200 */
    const char *body;             /* optional response text ("Hi") */
} ks_image_route;

/* Names of the env vars through which the workload finds its peers, as the
 * real program reads them (NULL when not used). */
typedef struct ks_image_uses {
    const char *db_host, *db_port, *db_user, *db_password, *db_name;
    const char *cache_host, *cache_port;
    unsigned what;                /* KS_USE_* bits that are configured */
    /* What the program's client library does when a variable is unset, and
     * whether its host variable may carry ":port" (WORDPRESS_DB_HOST=mysql:3306):
     * defaultHost (NULL: 127.0.0.1), defaultPort (the database's own: 5432,
     * 3306, 6379), defaultUser/defaultPassword (NULL: none). */
    const char *db_default_host, *db_default_user, *db_default_password;
    const char *cache_default_host;
    int db_default_port, cache_default_port;
    bool db_host_port, cache_host_port;
} ks_image_uses;

/* A web server's files (kind web with docroot): GET and HEAD of a path it has
 * a file for answer 200, of any other path 404; other methods 405. A volume
 * mounted at or above docroot hides the image's own files, as a mount does. */
/* bodies: [{before: "1.29.6", body: ...}]: the page of the image's versions
 * before that one (a tag that starts with a version number: nginx:1.25). */
typedef struct ks_image_body {
    const char *before;
    const char *body;
} ks_image_body;

typedef struct ks_image_tag {
    const char *match;            /* a glob of the tag: "*alpine*" */
    const char **programs;
    size_t nprograms;
} ks_image_tag;

/* pages: [{path: /50x.html, body: TEXT, bodies: [...]}]: the text of a
 * file the image ships besides its index (whose text is the entry's body). */
typedef struct ks_image_page {
    const char *path;             /* under docroot: "/50x.html" */
    const char *body;
    ks_image_body *bodies;        /* older versions' texts, oldest first */
    size_t nbodies;
} ks_image_page;

typedef struct ks_image_files {
    const char *docroot;          /* /usr/share/nginx/html, or NULL: routes only */
    const char **files;           /* paths under docroot the image ships */
    size_t nfiles;
    const char *index;            /* served for a path ending in '/' */
    ks_image_page *pages;         /* the text of files other than the index */
    size_t npages;
} ks_image_files;

/* A database's accounts, from the env vars its entrypoint reads: a client
 * logs in as user (or the value of user_env when set) with the value of
 * password_env. denied is the server's refusal, {user} replaced. */
typedef struct ks_image_account {
    ks_mark mark;
    const char *user, *user_env, *password_env;
} ks_image_account;

typedef struct ks_image_auth {
    ks_image_account *accounts;   /* none: every login is accepted */
    size_t naccounts;
    const char *denied;
} ks_image_auth;

/* What the running program costs its node (the entry's cpu: and memory:),
 * so that traffic turns into CPU and memory use over time. Where each
 * default number comes from is written next to it in assets/images.yaml. */
typedef struct ks_image_load {
    ks_time cpu_per_request;      /* CPU time per request it serves */
    ks_time cpu_per_job;          /* CPU time per job it takes (worker) */
    int64_t cpu_idle;             /* millicores it uses with nothing to do */
    int64_t cpu_cores;            /* millicores it can use at most (its
                                     threads); 0: as many as it gets */
    const char *cpu_arg;          /* stress: the argument whose value is the
                                     cores it burns ("-cpus"), or NULL */
    int64_t mem_base;             /* bytes it holds once started */
    int64_t mem_per_connection;   /* bytes per request it is serving */
    int64_t mem_per_record;       /* bytes per record it keeps in memory */
    const char *mem_arg;          /* stress: the argument whose value is the
                                     bytes it holds ("--vm-bytes"), or NULL */
} ks_image_load;

/* stores: what an api's requests store in its database: the table the
 * records are rows of, and each column's value for the n-th record the
 * program stores ("{n}", "{n%41}": the record's number, or its remainder;
 * any other text as written). A database's clients (psql, mysql) answer
 * over these columns; with no table known, over id and created_at. */
typedef struct ks_image_column {
    const char *name;
    bool integer;                 /* type: integer (else text) */
    const char *value;            /* a template, see ks_image_value */
} ks_image_column;

#define KS_IMAGE_MAX_COLUMNS 8
typedef struct ks_image_table {
    ks_mark mark;
    const char *name;             /* NULL: none known */
    ks_image_column *columns;
    size_t ncolumns;
} ks_image_table;

typedef struct ks_image_entry {
    ks_mark mark;
    const char **match;           /* globs; the entry matches if any does */
    size_t nmatch;
    ks_image_kind kind;
    int port;                     /* 0: listens on nothing */
    ks_time startup;              /* start to listening/ready; default 1s */
    ks_time pull;                 /* image pull time; default 5s */
    ks_time shutdown;             /* SIGTERM to exit; default 500ms */
    ks_time latency;              /* per request; default 1ms */
    const char *size;             /* informational ("150MB"), or NULL */
    bool pullable;                /* false: ErrImagePull / ImagePullBackOff */
    const char *data_dir;         /* database: where records live, or NULL */
    const char *data_dir_env;     /* env var that relocates data_dir (PGDATA) */
    ks_image_require *require_env;
    size_t nrequire_env;
    ks_image_failure *failures;
    size_t nfailures;
    ks_image_uses uses;
    ks_image_route *routes;
    size_t nroutes;
    ks_image_files web;           /* docroot:, files:, index: */
    const char *body;             /* what a GET of its page answers, when no
                                     route or file says ({hostname}: the pod's) */
    ks_image_body *bodies;        /* older versions' pages, oldest first */
    size_t nbodies;
    ks_image_auth auth;           /* database: its accounts */
    const char **programs;        /* what `kubectl exec` can run: the shells
                                     and clients in its $PATH (sh, bash, psql,
                                     redis-cli, nslookup...); sh brings its
                                     commands (echo, cat, ls, env...) */
    size_t nprograms;
    const char **entrypoint;      /* the names of its own main program (its
                                     ENTRYPOINT and CMD: docker-entrypoint.sh,
                                     nginx): a script that execs one of them
                                     becomes the image's process */
    size_t nentrypoint;
    /* tags: [{match: "*alpine*", programs: [...]}]: the image's tags that
     * are another variant (redis:7-alpine has no bash); each becomes an
     * entry of its own just above this one, matching NAME:<glob> for each
     * NAME:* of match, with its programs */
    struct ks_image_tag *tags;
    size_t ntags;
    const char **count;           /* a command run through exec that prints
                                     the records its server holds, one
                                     number (kubesim verify's records on a
                                     real cluster); NULL: none */
    size_t ncount;
    const char **log_start, **log_ready, **log_stop;   /* lines for the log */
    size_t nlog_start, nlog_ready, nlog_stop;
    const char **log_job;         /* worker: lines per job it takes ({n}: the
                                     record's number where it stored it) */
    size_t nlog_job;
    ks_image_load load;           /* cpu: and memory: */
    ks_image_table table;         /* stores: (api) */
    bool override;                /* came from a scenario's spec.images */
} ks_image_entry;

typedef struct ks_catalog ks_catalog;

/* Loads a catalog file (`images: [...]`). On success returns KS_OK and sets
 * *out (in ar); otherwise records every problem found in d, returns the
 * first error's code and sets *out to NULL. */
int ks_catalog_load_file(ks_arena *ar, const char *path, ks_catalog **out, ks_diags *d);
/* The same from len bytes of text, named file in messages. */
int ks_catalog_parse(ks_arena *ar, const char *file, const char *buf, size_t len,
                     ks_catalog **out, ks_diags *d);

/* Reads a list of entries (a catalog's `images`, or a scenario's
 * spec.images) at map[key]; missing is fine (n = 0). Errors go to r's
 * diagnostics; returns false if there was any. *out is in r's arena. */
bool ks_catalog_read_entries(ks_reader *r, const ks_yaml_node *map, const char *key,
                             ks_image_entry **out, size_t *n);

/* A new catalog (in ar) that searches over[0..n) first, then base (which may
 * be NULL). The entries are shared, not copied. KS_OK or KS_ENOMEM. */
int ks_catalog_with_overrides(ks_arena *ar, const ks_catalog *base,
                              const ks_image_entry *over, size_t n, ks_catalog **out);

/* The entry for an image reference: the first one with a glob matching the
 * reference as written or its Docker Hub short form (see ks_catalog_match).
 * NULL when nothing matches. Valid as long as the catalog's arena. */
const ks_image_entry *ks_catalog_find(const ks_catalog *c, const char *image);

/* Whether the image has program in its $PATH (a name, or a path whose last
 * part is the name: /bin/sh, /usr/bin/psql). */
bool ks_image_has_program(const ks_image_entry *e, const char *program);
/* Whether program (a name or a path) is the image's own main program, its
 * entrypoint: a script's `exec nginx -g 'daemon off;'` starts it as the
 * container's process. */
bool ks_image_runs_main(const ks_image_entry *e, const char *program);

/* Entries in search order. */
size_t ks_catalog_count(const ks_catalog *c);
const ks_image_entry *ks_catalog_get(const ks_catalog *c, size_t i);

/* Whether glob matches image, taken as written or in its short form with
 * "docker.io/", "index.docker.io/", "registry-1.docker.io/" and then
 * "library/" removed: "postgres*" matches "docker.io/library/postgres:12".
 * The tag is kept as written: "postgres" matches only the untagged name. */
bool ks_catalog_match(const char *glob, const char *image);
/* Whether s matches glob g ('*' any run of characters, '?' one). */
bool ks_glob(const char *g, const char *s);

/* The route of e that answers method and path (a query string ignored),
 * or NULL. */
const ks_image_route *ks_catalog_route(const ks_image_entry *e, const char *method,
                                       const char *path);
/* Whether the image itself ships the file at path (under its docroot):
 * "/" and "/dir/" mean their index file. */
bool ks_catalog_has_file(const ks_image_entry *e, const char *path);
/* path as the file a web server looks up: the query cut, the index added
 * to a trailing '/'. In buf (n bytes). */
const char *ks_catalog_file_path(const ks_image_entry *e, const char *path, char *buf,
                                 size_t n);

/* The page e's image answers with, for the image as a pod names it
 * (nginx:1.25): the first of e's bodies whose `before` version is above the
 * tag's, else e's body. A tag with no version (latest, alpine) or fewer
 * parts than `before` (1.29: that line's newest) is not before it. */
const char *ks_catalog_body(const ks_image_entry *e, const char *image);
/* The text of the file rel (under the docroot: "/50x.html") as e's image
 * ships it, for the image as a pod names it (the same version rule), or
 * NULL when the catalog gives none. */
const char *ks_catalog_page(const ks_image_entry *e, const char *rel, const char *image);
/* Whether tag's leading version (1.25 of "1.25-alpine") is below before's
 * ("1.29.6"); false for a tag that does not start with a number. */
bool ks_catalog_version_before(const char *tag, const char *before);

/* The value template v for the n-th record stored ({n}, {n%K}), in buf
 * (len bytes); returns buf. */
const char *ks_image_value(const char *v, int64_t n, char *buf, size_t len);

/* "database", ... for messages; ks_image_kind_parse returns false for an
 * unknown name. */
const char *ks_image_kind_name(ks_image_kind k);
bool ks_image_kind_parse(const char *s, ks_image_kind *out);

#endif

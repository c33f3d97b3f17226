/* test_catalog.c -- the focus of this file: the image catalog. Globs match
 * image references as written and in Docker Hub short form; the first match
 * wins and overrides come first; every bad field is a located error; the
 * shipped assets/images.yaml loads cleanly and gives the course's images the
 * right behaviour, the postgres traps included; out of memory never crashes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "load/ks_catalog.h"

#ifndef KS_ASSETS_DIR
#error "KS_ASSETS_DIR must name the assets/ folder"
#endif
#define DEFAULT_CATALOG KS_ASSETS_DIR "/images.yaml"

static int parse(ks_arena *ar, const char *text, ks_catalog **c, ks_diags *d)
{
    ks_diags_init(d);
    return ks_catalog_parse(ar, "cat.yaml", text, strlen(text), c, d);
}

static void dump(const ks_diags *d)
{
    int i;
    for (i = 0; i < d->n; i++) {
        char buf[1400];
        ks_diag_format(d, i, buf, sizeof buf);
        print_message("  %s\n", buf);
    }
}

/* catalog-1: '*' and '?' globs, as written and in short form */
static void test_catalog_glob_matching(void **state)
{
    static const struct {
        const char *glob, *image;
        bool match;
    } t[] = {
        {"postgres*", "postgres", true},
        {"postgres*", "postgres:12", true},
        {"postgres*", "docker.io/library/postgres:12", true},
        {"postgres*", "index.docker.io/library/postgres:12", true},
        {"postgres*", "library/postgres", true},
        {"postgres*", "ghcr.io/x/postgres:12", false},
        {"postgres", "postgres", true},
        {"postgres", "postgres:latest", false},
        {"postgres", "docker.io/library/postgres", true},
        {"postgres:1?", "postgres:12", true},
        {"postgres:1?", "postgres:1", false},
        {"postgres:1?", "postgres:123", false},
        {"*/multi-server*", "akeshri003/multi-server", true},
        {"*/multi-server*", "stephengrider/multi-server:latest", true},
        {"*/multi-server*", "docker.io/stephengrider/multi-server", true},
        {"*/multi-server*", "multi-server", false},
        {"*/multi-server*", "akeshri003/multi-client", false},
        {"*", "", true},
        {"*", "anything/at:all", true},
        {"", "", true},
        {"", "x", false},
        {"a*b*c", "aXbYc", true},
        {"a*b*c", "aXbY", false},
        {"a*a*a*a*b", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", false},
        {"*ab", "aab", true},
        {"?", "", false},
        {"redis:*", "redis", false},
        {"redis:*", "redis:7-alpine", true},
    };
    size_t i;
    (void)state;
    for (i = 0; i < sizeof t / sizeof t[0]; i++) {
        bool got = ks_catalog_match(t[i].glob, t[i].image);
        if (got != t[i].match)
            fail_msg("catalog-1.%zu: glob '%s' vs '%s': got %d", i, t[i].glob, t[i].image, got);
    }
}

/* catalog-2: the shipped catalog loads cleanly (no errors, no warnings) */
static void test_catalog_default_file_loads(void **state)
{
    ks_arena *ar = ks_arena_create(NULL);
    ks_catalog *c = NULL;
    ks_diags d;
    (void)state;
    ks_diags_init(&d);
    assert_int_equal(ks_catalog_load_file(ar, DEFAULT_CATALOG, &c, &d), KS_OK);
    if (d.n)
        dump(&d);
    assert_int_equal(d.errors, 0);
    assert_int_equal(d.warnings, 0);
    assert_non_null(c);
    assert_true(ks_catalog_count(c) >= 10);
    /* the last entry catches everything */
    assert_string_equal(ks_catalog_get(c, ks_catalog_count(c) - 1)->match[0], "*");
    assert_null(ks_catalog_get(c, ks_catalog_count(c)));
    ks_arena_destroy(ar);
}

static const ks_image_entry *find(const ks_catalog *c, const char *image, ks_image_kind kind)
{
    const ks_image_entry *e = ks_catalog_find(c, image);
    if (!e)
        fail_msg("no entry for %s", image);
    if (e->kind != kind)
        fail_msg("%s: kind %s, expected %s", image, ks_image_kind_name(e->kind),
                 ks_image_kind_name(kind));
    return e;
}

/* catalog-3: the course's images, and others, get the right behaviour */
static void test_catalog_default_resolves_images(void **state)
{
    ks_arena *ar = ks_arena_create(NULL);
    ks_catalog *c;
    ks_diags d;
    const ks_image_entry *pg, *e;
    size_t i;
    (void)state;
    ks_diags_init(&d);
    assert_int_equal(ks_catalog_load_file(ar, DEFAULT_CATALOG, &c, &d), KS_OK);

    pg = find(c, "postgres:12", KS_IMAGE_DATABASE);
    assert_int_equal(pg->port, 5432);
    assert_string_equal(pg->data_dir, "/var/lib/postgresql/data");
    assert_string_equal(pg->data_dir_env, "PGDATA");
    assert_int_equal(pg->nrequire_env, 1);
    assert_string_equal(pg->require_env[0].any_of[0], "POSTGRES_PASSWORD");
    assert_string_equal(pg->require_env[0].any_of[1], "POSTGRES_HOST_AUTH_METHOD=trust");
    assert_int_equal(pg->require_env[0].when.data_dir_empty, 1);
    assert_int_equal(pg->require_env[0].exit_code, 1);
    assert_non_null(strstr(pg->require_env[0].message,
                           "Error: Database is uninitialized and superuser password is not "
                           "specified."));
    /* postgres:12 is fine at .../data, unless the mount is read-only: the
       entrypoint's chown fails there (docker_create_db_directories) */
    assert_int_equal(pg->nfailures, 1);
    assert_int_equal(pg->failures[0].when.data_dir_read_only, 1);
    assert_string_equal(pg->failures[0].when.mounted_at, "/var/lib/postgresql/data");
    assert_int_equal(pg->failures[0].when.data_dir_empty, -1);
    assert_non_null(strstr(pg->failures[0].message, "chown: changing ownership of "
                                                    "'/var/lib/postgresql/data': Read-only "
                                                    "file system"));
    assert_true(pg->shutdown >= 500 * KS_MSEC && pg->shutdown <= 2 * KS_SEC);
    assert_true(pg->startup >= 2 * KS_SEC && pg->startup <= 4 * KS_SEC);
    assert_true(pg->pull >= 8 * KS_SEC);
    assert_ptr_equal(ks_catalog_find(c, "docker.io/library/postgres:12"), pg);

    /* untagged postgres pulls 18+: the mount at /var/lib/postgresql/data fails */
    e = find(c, "postgres", KS_IMAGE_DATABASE);
    assert_ptr_not_equal(e, pg);
    assert_int_equal(e->nfailures, 3);
    assert_int_equal(e->failures[0].when.data_dir_read_only, 1);   /* a read-only volume */
    assert_string_equal(e->failures[0].when.mounted_at, "/var/lib/postgresql");
    assert_non_null(strstr(e->failures[0].message, "mkdir: cannot create directory"));
    assert_int_equal(e->failures[2].when.data_dir_read_only, -1);
    assert_string_equal(e->failures[2].when.mounted_at, "/var/lib/postgresql/data");
    assert_int_equal(e->failures[2].when.n_env_unset, 1);
    assert_string_equal(e->failures[2].when.env_unset[0], "PGDATA");
    assert_int_equal(e->failures[2].exit_code, 1);
    assert_non_null(strstr(e->failures[2].message, "Error: in 18+, these Docker images are "
                                                   "configured to store database data"));
    assert_ptr_equal(ks_catalog_find(c, "postgres:latest"), e);
    assert_ptr_equal(ks_catalog_find(c, "postgres:18.1"), e);
    assert_ptr_equal(ks_catalog_find(c, "docker.io/library/postgres"), e);
    assert_ptr_equal(ks_catalog_find(c, "postgres:17"), pg);

    e = find(c, "redis", KS_IMAGE_CACHE);
    assert_int_equal(e->port, 6379);
    assert_true(e->pull < pg->pull);
    /* an alpine tag is an entry of its own (tags:): the same server, no bash */
    assert_ptr_not_equal(ks_catalog_find(c, "redis:7-alpine"), e);
    assert_int_equal(ks_catalog_find(c, "redis:7-alpine")->port, 6379);
    assert_true(ks_image_has_program(e, "bash"));
    assert_false(ks_image_has_program(ks_catalog_find(c, "redis:7-alpine"), "bash"));
    assert_true(ks_image_has_program(ks_catalog_find(c, "redis:alpine"), "redis-cli"));
    assert_false(ks_image_has_program(ks_catalog_find(c, "nginx:1.27-alpine"), "bash"));
    assert_true(ks_image_has_program(ks_catalog_find(c, "nginx:1.27"), "bash"));
    assert_false(ks_image_has_program(ks_catalog_find(c, "debian:12"), "wget"));
    assert_true(ks_image_has_program(ks_catalog_find(c, "busybox:1.36"), "wget"));

    e = find(c, "akeshri003/multi-server", KS_IMAGE_API);
    assert_int_equal(e->port, 5000);
    assert_int_equal(e->uses.what, KS_USE_DATABASE | KS_USE_CACHE);
    assert_string_equal(e->uses.db_host, "PGHOST");
    assert_string_equal(e->uses.db_password, "PGPASSWORD");
    assert_string_equal(e->uses.cache_port, "REDIS_PORT");
    assert_int_equal(e->nroutes, 4);
    for (i = 0; i < e->nroutes; i++)
        if (strcmp(e->routes[i].method, "POST") == 0) {
            assert_string_equal(e->routes[i].path, "/values");
            assert_int_equal(e->routes[i].writes, KS_USE_DATABASE | KS_USE_CACHE);
        } else if (strcmp(e->routes[i].path, "/values/all") == 0) {
            assert_int_equal(e->routes[i].reads, KS_USE_DATABASE);
        } else if (strcmp(e->routes[i].path, "/values/current") == 0) {
            assert_int_equal(e->routes[i].reads, KS_USE_CACHE);
        } else {
            assert_string_equal(e->routes[i].path, "/");
            assert_string_equal(e->routes[i].body, "Hi");
        }
    assert_ptr_equal(ks_catalog_find(c, "stephengrider/multi-server"), e);

    e = find(c, "stephengrider/multi-worker", KS_IMAGE_WORKER);
    assert_int_equal(e->uses.what, KS_USE_CACHE);
    assert_string_equal(e->uses.cache_host, "REDIS_HOST");
    find(c, "akeshri003/multi-worker:latest", KS_IMAGE_WORKER);
    e = find(c, "stephengrider/multi-client", KS_IMAGE_WEB);
    assert_int_equal(e->port, 3000);

    e = find(c, "mysql:8.0", KS_IMAGE_DATABASE);
    assert_int_equal(e->port, 3306);
    assert_string_equal(e->data_dir, "/var/lib/mysql");
    assert_int_equal(e->require_env[0].n_any_of, 3);
    find(c, "mariadb:11", KS_IMAGE_DATABASE);
    e = find(c, "wordpress:6.2.1-apache", KS_IMAGE_API);
    assert_string_equal(e->uses.db_host, "WORDPRESS_DB_HOST");
    assert_int_equal(find(c, "nginx", KS_IMAGE_WEB)->port, 80);
    find(c, "httpd:2.4", KS_IMAGE_WEB);
    e = find(c, "busybox", KS_IMAGE_SHELL);
    assert_true(e->pull <= 2 * KS_SEC);
    find(c, "alpine:3.19", KS_IMAGE_SHELL);

    e = find(c, "some-unknown-image", KS_IMAGE_GENERIC);
    assert_int_equal(e->port, 80);
    assert_true(e->pullable);
    assert_string_equal(e->match[0], "*");
    ks_arena_destroy(ar);
}

/* catalog-4: first match wins; overrides are searched first and replace a
 * whole entry; an entry after "*" is never used (a warning) */
static void test_catalog_override_precedence(void **state)
{
    static const char base_text[] =
        "images:\n"
        "  - {match: \"redis:7\", kind: cache, port: 6380}\n"
        "  - {match: \"redis*\", kind: cache, port: 6379}\n"
        "  - {match: \"postgres*\", kind: database, port: 5432, pull: 10s}\n"
        "  - {match: \"*\", kind: generic}\n";
    static const char scn_text[] =
        "images:\n"
        "  - {match: \"postgres:12\", kind: database, pullable: false}\n"
        "  - {match: [\"myorg/*\", \"other/*\"], kind: web, port: 8080}\n";
    ks_arena *ar = ks_arena_create(NULL);
    ks_catalog *base, *merged;
    ks_yaml_stream *st;
    ks_image_entry *over;
    size_t n;
    ks_reader r;
    ks_diags d;
    const ks_image_entry *e;
    (void)state;
    assert_int_equal(parse(ar, base_text, &base, &d), KS_OK);
    assert_int_equal(ks_catalog_find(base, "redis:7")->port, 6380);    /* first wins */
    assert_int_equal(ks_catalog_find(base, "redis:6")->port, 6379);

    ks_diags_init(&d);
    assert_int_equal(ks_yaml_parse(ar, "scn.yaml", scn_text, strlen(scn_text), NULL, &st, &d),
                     KS_OK);
    ks_reader_init(&r, ar, &d);
    assert_true(ks_catalog_read_entries(&r, st->docs[0].root, "images", &over, &n));
    assert_int_equal(n, 2);
    assert_int_equal(ks_catalog_with_overrides(ar, base, over, n, &merged), KS_OK);
    assert_int_equal(ks_catalog_count(merged), 6);

    e = ks_catalog_find(merged, "postgres:12");
    assert_ptr_equal(e, &over[0]);
    assert_false(e->pullable);
    assert_int_equal(e->port, 0);              /* not inherited from the base entry */
    assert_int_equal(e->pull, 5 * KS_SEC);     /* the default, not the base's 10s */
    e = ks_catalog_find(merged, "postgres:13");
    assert_int_equal(e->pull, 10 * KS_SEC);    /* the base entry still serves others */
    assert_true(e->pullable);
    assert_int_equal(ks_catalog_find(merged, "other/app")->port, 8080);
    assert_int_equal(ks_catalog_find(merged, "myorg/app:1")->kind, KS_IMAGE_WEB);
    assert_int_equal(ks_catalog_find(merged, "unknown")->kind, KS_IMAGE_GENERIC);
    /* the base is unchanged */
    assert_true(ks_catalog_find(base, "postgres:12")->pullable);
    /* without a base, and with no "*", an unknown image finds nothing */
    assert_int_equal(ks_catalog_with_overrides(ar, NULL, over, n, &merged), KS_OK);
    assert_null(ks_catalog_find(merged, "unknown"));

    /* an entry below "*" can never match */
    assert_int_equal(parse(ar, "images:\n  - {match: \"*\", kind: generic}\n"
                               "  - {match: redis, kind: cache}\n", &base, &d), KS_OK);
    assert_int_equal(d.warnings, 1);
    assert_int_equal(d.items[0].err.line, 3);
    assert_int_equal(d.items[0].err.note_line, 2);
    ks_arena_destroy(ar);
}

/* catalog-5: fields and their defaults */
static void test_catalog_fields_and_defaults(void **state)
{
    static const char text[] =
        "images:\n"
        "  - match: db\n"
        "    kind: database\n"
        "    dataDir: /data\n"
        "    requireEnv:\n"
        "      - PASS\n"
        "      - {anyOf: [A, B=yes], exitCode: 3}\n"
        "    failures:\n"
        "      - {when: {mountedAt: /old, envSet: X, dataDirEmpty: false}, message: boom}\n"
        "      - {when: {dataDirReadOnly: true}, message: ro}\n"
        "    logs: {ready: up, stop: [a, b]}\n"
        "  - {match: w, kind: web}\n"
        "  - {match: s, kind: shell, size: 3MB}\n"
        "  - match: st\n"
        "    kind: stress\n"
        "    cpu: {perRequest: 250us, perJob: 2s, idle: 2m, cores: 1, fromArg: -cpus}\n"
        "    memory: {base: 3Mi, perConnection: 1Ki, perRecord: 85, fromArg: --vm-bytes}\n";
    ks_arena *ar = ks_arena_create(NULL);
    ks_catalog *c;
    ks_diags d;
    const ks_image_entry *e;
    (void)state;
    assert_int_equal(parse(ar, text, &c, &d), KS_OK);
    e = ks_catalog_find(c, "db");
    assert_int_equal(e->port, 0);
    assert_int_equal(e->startup, 1 * KS_SEC);
    assert_int_equal(e->shutdown, 500 * KS_MSEC);
    assert_int_equal(e->latency, 1 * KS_MSEC);
    assert_int_equal(e->nrequire_env, 2);
    assert_string_equal(e->require_env[0].message, "error: environment variable PASS is not set");
    assert_int_equal(e->require_env[0].when.data_dir_empty, -1);
    assert_string_equal(e->require_env[1].message, "error: none of A, B=yes is set");
    assert_int_equal(e->require_env[1].exit_code, 3);
    assert_int_equal(e->failures[0].when.data_dir_empty, 0);
    assert_string_equal(e->failures[0].when.env_set[0], "X");
    assert_string_equal(e->failures[0].message, "boom");
    assert_int_equal(e->failures[0].exit_code, 1);
    assert_int_equal(e->failures[0].when.data_dir_read_only, -1);   /* not said: any */
    assert_int_equal(e->failures[1].when.data_dir_read_only, 1);
    assert_int_equal(e->failures[1].when.data_dir_empty, -1);
    assert_int_equal(e->nlog_ready, 1);
    assert_int_equal(e->nlog_stop, 2);
    assert_string_equal(e->log_stop[1], "b");
    assert_int_equal(e->mark.line, 2);
    /* the load defaults: 1ms a request, 1m at rest, 10Mi */
    assert_int_equal(e->load.cpu_per_request, 1 * KS_MSEC);
    assert_int_equal(e->load.cpu_idle, 1);
    assert_int_equal(e->load.cpu_cores, 0);
    assert_int_equal(e->load.mem_base, 10 << 20);
    assert_int_equal(e->load.mem_per_connection, 0);
    assert_null(e->load.cpu_arg);
    e = ks_catalog_find(c, "st");
    assert_int_equal(e->kind, KS_IMAGE_STRESS);
    assert_int_equal(e->load.cpu_per_request, 250);
    assert_int_equal(e->load.cpu_per_job, 2 * KS_SEC);
    assert_int_equal(e->load.cpu_idle, 2);
    assert_int_equal(e->load.cpu_cores, 1000);
    assert_string_equal(e->load.cpu_arg, "-cpus");
    assert_int_equal(e->load.mem_base, 3 << 20);
    assert_int_equal(e->load.mem_per_connection, 1024);
    assert_int_equal(e->load.mem_per_record, 85);
    assert_string_equal(e->load.mem_arg, "--vm-bytes");
    e = ks_catalog_find(c, "w");
    assert_int_equal(e->port, 80);
    assert_null(e->size);
    assert_string_equal(ks_catalog_find(c, "s")->size, "3MB");
    ks_arena_destroy(ar);
}

/* catalog-6: one table row per error class: code and location */
/* catalog-serve: what a web image serves, what a database's accounts are,
 * and the client defaults of the shipped catalog (issue 15, item 3) */
static void test_catalog_serves_like_the_image(void **state)
{
    ks_arena *ar = ks_arena_create(NULL);
    ks_catalog *c = NULL;
    ks_diags d;
    const ks_image_entry *nginx, *httpd, *wp, *mysql, *pg, *e;
    char buf[64];
    (void)state;
    ks_diags_init(&d);
    assert_int_equal(ks_catalog_load_file(ar, DEFAULT_CATALOG, &c, &d), KS_OK);
    nginx = ks_catalog_find(c, "nginx:1.25");
    httpd = ks_catalog_find(c, "httpd:2.4");
    assert_string_equal(nginx->web.docroot, "/usr/share/nginx/html");
    assert_string_equal(httpd->web.docroot, "/usr/local/apache2/htdocs");
    /* "/" is the index file; a query is not part of the file */
    assert_true(ks_catalog_has_file(nginx, "/"));
    assert_true(ks_catalog_has_file(nginx, "/index.html?x=1"));
    assert_true(ks_catalog_has_file(nginx, "/50x.html"));
    assert_false(ks_catalog_has_file(nginx, "/healthz"));
    assert_false(ks_catalog_has_file(httpd, "/50x.html"));
    assert_false(ks_catalog_has_file(nginx, "/index.htm"));
    assert_string_equal(ks_catalog_file_path(nginx, "/docs/?q", buf, sizeof buf),
                        "/docs/index.html");
    /* wordpress: 'mysql', 3306, host:port, its example credentials */
    wp = ks_catalog_find(c, "wordpress:6.2.1-apache");
    assert_string_equal(wp->uses.db_default_host, "mysql");
    assert_int_equal(wp->uses.db_default_port, 3306);
    assert_true(wp->uses.db_host_port);
    assert_string_equal(wp->uses.db_default_user, "example username");
    /* the course server: node-postgres and node-redis defaults */
    e = ks_catalog_find(c, "stephengrider/multi-server");
    assert_int_equal(e->uses.db_default_port, 5432);
    assert_int_equal(e->uses.cache_default_port, 6379);
    assert_false(e->uses.db_host_port);
    /* accounts from the entrypoints' env */
    mysql = ks_catalog_find(c, "mysql:8.0");
    pg = ks_catalog_find(c, "postgres:12");
    assert_int_equal(mysql->auth.naccounts, 2);
    assert_string_equal(mysql->auth.accounts[0].user, "root");
    assert_string_equal(mysql->auth.accounts[1].user_env, "MYSQL_USER");
    assert_string_equal(pg->auth.accounts[0].user, "postgres");
    assert_string_equal(pg->auth.accounts[0].user_env, "POSTGRES_USER");
    assert_string_equal(pg->auth.accounts[0].password_env, "POSTGRES_PASSWORD");
    assert_non_null(strstr(mysql->auth.denied, "{user}"));
    /* routes: first match by method and glob, the query cut */
    assert_non_null(ks_catalog_route(e, "POST", "/values?x"));
    assert_null(ks_catalog_route(e, "DELETE", "/values"));
    /* nginx's welcome page by version (github.com/nginx/nginx docs/html/index.html):
       1.29.6 on (and an untagged or latest nginx) 896 bytes, 1.21.2-1.29.5 615,
       older 612 */
    assert_int_equal(strlen(ks_catalog_body(nginx, "nginx")), 896);
    assert_int_equal(strlen(ks_catalog_body(nginx, "nginx:latest")), 896);
    assert_int_equal(strlen(ks_catalog_body(nginx, "nginx:1.29")), 896);
    assert_int_equal(strlen(ks_catalog_body(nginx, "nginx:1.31.4-alpine")), 896);
    assert_int_equal(strlen(ks_catalog_body(nginx, "nginx:1.29.5")), 615);
    assert_int_equal(strlen(ks_catalog_body(nginx, "nginx:1.25")), 615);
    assert_int_equal(strlen(ks_catalog_body(nginx, "docker.io/library/nginx:1.25.3-alpine")),
                     615);
    assert_int_equal(strlen(ks_catalog_body(nginx, "nginx:1.21.2")), 615);
    assert_int_equal(strlen(ks_catalog_body(nginx, "nginx:1.14.2")), 612);
    assert_int_equal(strlen(ks_catalog_body(nginx, "localhost:5000/nginx:1.14.2")), 612);
    assert_int_equal(strlen(ks_catalog_body(nginx, "localhost:5000/nginx")), 896);
    /* its 50x.html by version (github.com/nginx/nginx docs/html/50x.html):
       1.21.2 on 497 bytes, older 494; no text for a file it does not ship */
    assert_int_equal(strlen(ks_catalog_page(nginx, "/50x.html", "nginx:1.27")), 497);
    assert_int_equal(strlen(ks_catalog_page(nginx, "/50x.html", "nginx")), 497);
    assert_int_equal(strlen(ks_catalog_page(nginx, "/50x.html", "nginx:1.14.2")), 494);
    assert_non_null(strstr(ks_catalog_page(nginx, "/50x.html", "nginx"),
                           "<h1>An error occurred.</h1>"));
    assert_null(ks_catalog_page(nginx, "/index.html", "nginx"));
    assert_null(ks_catalog_page(nginx, "/nope.html", "nginx"));
    assert_true(ks_catalog_version_before("1.25-alpine", "1.29.6"));
    assert_false(ks_catalog_version_before("1.29", "1.29.6"));
    assert_false(ks_catalog_version_before("1.29.6", "1.29.6"));
    assert_false(ks_catalog_version_before("stable", "1.29.6"));
    assert_true(ks_catalog_version_before("1.9.15", "1.21.2"));
    ks_arena_destroy(ar);
}

static void test_catalog_errors_table(void **state)
{
    static const struct {
        const char *name, *text;
        int code;
        unsigned line, col;
    } t[] = {
        {"unknown field", "images:\n  - match: x\n    kind: web\n    prot: 80\n", KS_ESCHEMA,
         4, 5},
        {"missing kind", "images:\n  - match: x\n    port: 80\n", KS_ESCHEMA, 2, 5},
        {"bodies: no version", "images:\n  - match: x\n    kind: web\n    bodies:\n"
                               "      - {before: old, body: a}\n", KS_EINVAL, 5, 18},
        {"bodies: out of order", "images:\n  - match: x\n    kind: web\n    bodies:\n"
                                 "      - {before: \"2.0\", body: a}\n"
                                 "      - {before: \"1.5\", body: b}\n", KS_EINVAL, 6, 18},
        {"bad kind", "images:\n  - {match: x, kind: blob}\n", KS_EINVAL, 2, 22},
        {"missing match", "images:\n  - {kind: web}\n", KS_ESCHEMA, 2, 5},
        {"match with space", "images:\n  - {match: \"a b\", kind: web}\n", KS_EINVAL, 2, 13},
        {"match not a string", "images:\n  - {match: {a: b}, kind: web}\n", KS_ESCHEMA, 2, 13},
        {"port range", "images:\n  - {match: x, kind: web, port: 70000}\n", KS_EINVAL, 2, 33},
        {"port type", "images:\n  - {match: x, kind: web, port: \"80\"}\n", KS_ESCHEMA, 2, 33},
        {"bad duration", "images:\n  - {match: x, kind: web, startup: 2}\n", KS_EINVAL, 2, 36},
        {"pullable type", "images:\n  - {match: x, kind: web, pullable: maybe}\n", KS_ESCHEMA,
         2, 37},
        {"relative dataDir", "images:\n  - {match: x, kind: database, dataDir: data}\n",
         KS_EINVAL, 2, 41},
        {"dataDir on web", "images:\n  - {match: x, kind: web, dataDir: /d}\n", KS_EINVAL, 2,
         36},
        {"files on api", "images:\n  - {match: x, kind: api, docroot: /d, files: [/a]}\n",
         KS_EINVAL, 2, 5},
        {"files without docroot", "images:\n  - {match: x, kind: web, files: [/a]}\n",
         KS_EINVAL, 2, 34},
        {"relative file", "images:\n  - {match: x, kind: web, docroot: /d, files: [a]}\n",
         KS_EINVAL, 2, 48},
        {"auth on web", "images:\n  - {match: x, kind: web, auth: {accounts: [{user: a}]}}\n",
         KS_EINVAL, 2, 33},
        {"account without user", "images:\n  - match: x\n    kind: database\n    auth:\n"
                                 "      accounts: [{password: P}]\n", KS_ESCHEMA, 5, 18},
        {"account password not env", "images:\n  - match: x\n    kind: database\n    auth:\n"
                                     "      accounts: [{user: a, password: 1x}]\n", KS_EINVAL,
         5, 38},
        {"dataDirEnv without dataDir", "images:\n  - {match: x, kind: database, dataDirEnv: P}\n",
         KS_EINVAL, 2, 44},
        {"bad env name", "images:\n  - {match: x, kind: web, requireEnv: [1PASS]}\n", KS_EINVAL,
         2, 40},
        {"anyOf missing", "images:\n  - match: x\n    kind: web\n    requireEnv:\n"
                          "      - {message: hi}\n", KS_ESCHEMA, 5, 9},
        {"exit code range", "images:\n  - match: x\n    kind: web\n    requireEnv:\n"
                            "      - {anyOf: A, exitCode: 256}\n", KS_EINVAL, 5, 30},
        {"failure without when", "images:\n  - match: x\n    kind: web\n    failures:\n"
                                 "      - {message: hi}\n", KS_ESCHEMA, 5, 9},
        {"failure without message", "images:\n  - match: x\n    kind: web\n    failures:\n"
                                    "      - {when: {envSet: A}}\n", KS_ESCHEMA, 5, 9},
        {"empty when", "images:\n  - match: x\n    kind: web\n    failures:\n"
                       "      - {when: {}, message: hi}\n", KS_ESCHEMA, 5, 16},
        {"unknown condition", "images:\n  - match: x\n    kind: web\n    failures:\n"
                              "      - {when: {mountedOn: /x}, message: hi}\n", KS_ESCHEMA, 5,
         17},
        {"route path", "images:\n  - match: x\n    kind: api\n    routes:\n"
                       "      - {path: values}\n", KS_EINVAL, 5, 16},
        {"route method", "images:\n  - match: x\n    kind: api\n    routes:\n"
                         "      - {method: FETCH, path: /}\n", KS_EINVAL, 5, 18},
        {"route target", "images:\n  - match: x\n    kind: api\n    uses: {cache: {host: H}}\n"
                         "    routes:\n      - {path: /, reads: disk}\n", KS_EINVAL, 6, 26},
        {"route without uses", "images:\n  - match: x\n    kind: api\n    routes:\n"
                               "      - {path: /, reads: database}\n", KS_EINVAL, 5, 9},
        {"route status", "images:\n  - match: x\n    kind: api\n    routes:\n"
                         "      - {path: /, status: 99}\n", KS_EINVAL, 5, 27},
        {"routes on a worker", "images:\n  - match: x\n    kind: worker\n    routes:\n"
                               "      - {path: /}\n", KS_EINVAL, 5, 7},
        {"uses on a database", "images:\n  - match: x\n    kind: database\n"
                               "    uses: {cache: {host: H}}\n", KS_EINVAL, 4, 11},
        {"uses without host", "images:\n  - match: x\n    kind: api\n"
                              "    uses: {database: {port: P}}\n", KS_ESCHEMA, 4, 22},
        {"unknown uses", "images:\n  - match: x\n    kind: api\n    uses: {queue: {host: H}}\n",
         KS_ESCHEMA, 4, 12},
        {"logs type", "images:\n  - match: x\n    kind: web\n    logs: {start: {a: b}}\n",
         KS_ESCHEMA, 4, 19},
        {"cpu perRequest", "images:\n  - {match: x, kind: web, cpu: {perRequest: 5}}\n",
         KS_EINVAL, 2, 45},
        {"cpu idle", "images:\n  - {match: x, kind: web, cpu: {idle: lots}}\n", KS_EINVAL, 2, 39},
        {"cpu unknown", "images:\n  - {match: x, kind: web, cpu: {perReq: 1ms}}\n", KS_ESCHEMA, 2, 33},
        {"memory base", "images:\n  - {match: x, kind: web, memory: {base: -1Mi}}\n",
         KS_EINVAL, 2, 42},
        {"fromArg on web", "images:\n  - {match: x, kind: web, memory: {fromArg: --vm-bytes}}\n",
         KS_EINVAL, 2, 5},
        {"fromArg name", "images:\n  - {match: x, kind: stress, cpu: {fromArg: cpus}}\n",
         KS_EINVAL, 2, 45},
        {"entry not an object", "images:\n  - postgres\n", KS_ESCHEMA, 2, 5},
        {"no images", "{}\n", KS_ESCHEMA, 1, 1},
        {"not an object", "- a\n", KS_ESCHEMA, 1, 1},
        {"images not a list", "images: {a: b}\n", KS_ESCHEMA, 1, 9},
        {"two documents", "images: []\n---\nimages: []\n", KS_ESCHEMA, 3, 1},
        {"yaml syntax", "images:\n  - {match: x, kind: web\n", KS_ESYNTAX, 3, 1},
    };
    size_t i;
    (void)state;
    for (i = 0; i < sizeof t / sizeof t[0]; i++) {
        ks_arena *ar = ks_arena_create(NULL);
        ks_catalog *c = (ks_catalog *)&c;
        ks_diags d;
        int rc = parse(ar, t[i].text, &c, &d);
        if (rc != t[i].code || d.errors != 1 || d.items[0].err.line != t[i].line
            || d.items[0].err.col != t[i].col) {
            dump(&d);
            fail_msg("catalog-6.%zu (%s): got %s (%d errors) at %u:%u; expected %s at %u:%u",
                     i, t[i].name, ks_error_code_name(rc), d.errors, d.n ? d.items[0].err.line : 0,
                     d.n ? d.items[0].err.col : 0, ks_error_code_name(t[i].code), t[i].line,
                     t[i].col);
        }
        assert_null(c);
        assert_true(strlen(d.items[0].err.msg) > 10);
        ks_arena_destroy(ar);
    }
}

/* catalog-7: every error in a file is reported, not only the first */
static void test_catalog_reports_every_error(void **state)
{
    static const char text[] =
        "images:\n"
        "  - {match: a, kind: blob}\n"
        "  - {match: b, kind: web, port: 0}\n"
        "  - {match: c, kind: web, pulll: 1s}\n"
        "  - {match: d, kind: web}\n";
    ks_arena *ar = ks_arena_create(NULL);
    ks_catalog *c;
    ks_diags d;
    (void)state;
    assert_int_not_equal(parse(ar, text, &c, &d), KS_OK);
    assert_int_equal(d.errors, 3);
    assert_int_equal(d.items[0].err.line, 2);
    assert_int_equal(d.items[1].err.line, 3);
    assert_int_equal(d.items[2].err.line, 4);
    assert_non_null(strstr(d.items[2].err.msg, "did you mean 'pull'"));
    ks_arena_destroy(ar);
}

/* catalog-8: too many entries is a located limit error */
static void test_catalog_entry_limit(void **state)
{
    size_t n = KS_CATALOG_MAX_ENTRIES + 1, i, len = 0;
    char *text = malloc(n * 40 + 16);
    ks_arena *ar = ks_arena_create(NULL);
    ks_catalog *c;
    ks_diags d;
    (void)state;
    assert_non_null(text);
    len += (size_t)sprintf(text, "images:\n");
    for (i = 0; i < n; i++)
        len += (size_t)sprintf(text + len, "  - {match: a, kind: web}\n");
    assert_int_equal(parse(ar, text, &c, &d), KS_ELIMIT);
    assert_int_equal(d.items[0].err.line, 2);
    free(text);
    ks_arena_destroy(ar);
}

/* catalog-9: the n-th allocation failing, for every n: no crash, no leak,
 * either success or an error (SQLite's -faults oom*) */
static void test_catalog_oom_every_allocation(void **state)
{
    long n;
    (void)state;
    for (n = 1;; n++) {
        ks_failing_alloc fa = {0};
        ks_allocator a;
        ks_arena *ar;
        ks_catalog *c = NULL;
        ks_diags d;
        int rc;
        fa.fail_at = n;
        a = ks_allocator_failing(&fa);
        ar = ks_arena_create(&a);
        ks_diags_init(&d);
        rc = ar ? ks_catalog_load_file(ar, DEFAULT_CATALOG, &c, &d) : KS_ENOMEM;
        ks_arena_destroy(ar);
        assert_int_equal(fa.live, 0);
        if (!fa.failed) {
            assert_int_equal(rc, KS_OK);
            break;
        }
        assert_int_not_equal(rc, KS_OK);
        assert_null(c);
        assert_true(n < 100000);
    }
    assert_true(n > 3);                        /* some allocations did fail */
}

/* catalog-11: every entry of the default catalog has a row in the CPU-cost
 * calibration table of docs/kubernetes-behaviour.md (issue 18: where each
 * image's CPU cost comes from), with the catalog's own figures: its cost
 * per request (or per job) as "600 us" / "50 ms" and its CPU at rest as
 * "2m". An entry is named there by its first glob, without a leading
 * "*" "/", a tag or digest, or a trailing "*" ("*" itself as `*`). */
static void test_catalog_calibration(void **state)
{
    ks_arena *ar = ks_arena_create(NULL);
    ks_catalog *c = NULL;
    ks_diags d;
    FILE *f = fopen(KS_DOCS_DIR "/kubernetes-behaviour.md", "r");
    static char doc[1 << 20];
    char *table, *end, name[200], want[40];
    size_t n, i;
    (void)state;
    assert_non_null(f);
    n = fread(doc, 1, sizeof doc - 1, f);
    fclose(f);
    doc[n] = '\0';
    table = strstr(doc, "### CPU-cost calibration of the catalog");
    assert_non_null(table);
    if ((end = strstr(table, "\n## ")) != NULL)
        *end = '\0';
    ks_diags_init(&d);
    assert_int_equal(ks_catalog_load_file(ar, DEFAULT_CATALOG, &c, &d), KS_OK);
    for (i = 0; i < ks_catalog_count(c); i++) {
        const ks_image_entry *e = ks_catalog_get(c, i);
        const ks_image_load *ld = &e->load;
        const char *g = e->match[0], *row;
        ks_time cost = ld->cpu_per_job ? ld->cpu_per_job : ld->cpu_per_request;
        bool found = false;
        if (strncmp(g, "*/", 2) == 0)
            g += 2;
        snprintf(name, sizeof name, "%s", strcmp(g, "*") == 0 ? "`*`" : g);
        name[strcspn(name, ":@")] = '\0';
        for (n = strlen(name); n > 1 && name[n - 1] == '*'; n--)
            name[n - 1] = '\0';
        /* a line of the table naming it, with its figures (stress: taken
           from its arguments, so none) */
        for (row = strstr(table, name); row && !found; row = strstr(row + 1, name)) {
            const char *bol = row, *eol = strchr(row, '\n');
            char line[1200];
            while (bol > table && bol[-1] != '\n')
                bol--;
            snprintf(line, sizeof line, "%.*s", (int)((eol ? eol : row + strlen(row)) - bol),
                     bol);
            found = true;
            if (ld->cpu_arg)
                continue;
            if (cost % KS_MSEC == 0)
                snprintf(want, sizeof want, "%lld ms", (long long)(cost / KS_MSEC));
            else
                snprintf(want, sizeof want, "%lld us", (long long)cost);
            if (cost > 0 && !strstr(line, want))
                found = false;
            snprintf(want, sizeof want, "%lldm", (long long)ld->cpu_idle);
            if (ld->cpu_idle > 0 && !strstr(line, want))
                found = false;
        }
        if (!found)
            fail_msg("catalog entry %s (%s:%d): no row of the calibration table names \"%s\" "
                     "with its cpu (perRequest/perJob %lld us, idle %lldm)",
                     e->match[0], e->mark.file ? e->mark.file : "?", (int)e->mark.line, name,
                     (long long)cost, (long long)ld->cpu_idle);
    }
    ks_arena_destroy(ar);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_catalog_glob_matching),
        cmocka_unit_test(test_catalog_default_file_loads),
        cmocka_unit_test(test_catalog_default_resolves_images),
        cmocka_unit_test(test_catalog_override_precedence),
        cmocka_unit_test(test_catalog_fields_and_defaults),
        cmocka_unit_test(test_catalog_serves_like_the_image),
        cmocka_unit_test(test_catalog_errors_table),
        cmocka_unit_test(test_catalog_reports_every_error),
        cmocka_unit_test(test_catalog_entry_limit),
        cmocka_unit_test(test_catalog_oom_every_allocation),
        cmocka_unit_test(test_catalog_calibration),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

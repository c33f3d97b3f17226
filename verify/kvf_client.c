/* kvf_client.c -- libcurl (one easy handle per client for requests that
 * are waited for; a multi handle for started ones, each on its own) for the
 * Kubernetes API: TLS material is handed over as memory blobs
 * (CURLOPT_CAINFO_BLOB, CURLOPT_SSLCERT_BLOB, CURLOPT_SSLKEY_BLOB), so a
 * kubeconfig's *-data never touches the disk.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>

#include "kvf_client.h"

typedef struct job job;
static void finish(kvf_client *c, job *j, long status, const char *error);

struct kvf_client {
    CURL *curl;
    CURLM *multi;                 /* started requests (kvf_client_start) */
    job *jobs;                    /* ...in flight */
    size_t njobs;
    char *server;                 /* without a trailing '/' */
    char *auth;                   /* "Authorization: Bearer ..." or NULL */
    char *userpwd;                /* "user:password" or NULL */
    char *ca, *cert, *key;        /* copies of the blobs */
    size_t ca_len, cert_len, key_len;
    bool insecure;
    long timeout_ms;
    size_t requests, unanswered;
    char host[300];               /* "Host: ..." for the next request, or "" */
};

typedef struct sink {
    char *buf;
    size_t len, cap;
    bool too_big;
} sink;

/* A started request: its own handle, headers, body and answer. */
struct job {
    CURL *h;
    struct curl_slist *headers;
    char *body;
    sink s;
    char errbuf[CURL_ERROR_SIZE];
    char what[400];               /* "METHOD url", for errors */
    size_t body_len, body_out;    /* its body, and how much of it went out */
    bool head_out;                /* its request head went out */
    kvf_done_fn done;
    void *ud;
    job *next;
};

static size_t on_data(char *p, size_t size, size_t nmemb, void *ud)
{
    sink *s = ud;
    size_t n = size * nmemb;
    if (s->len + n + 1 > KVF_MAX_RESPONSE) {
        s->too_big = true;
        return 0;
    }
    if (s->len + n + 1 > s->cap) {
        size_t cap = s->cap ? s->cap : 4096;
        char *b;
        while (cap < s->len + n + 1)
            cap *= 2;
        if (!(b = realloc(s->buf, cap)))
            return 0;
        s->buf = b;
        s->cap = cap;
    }
    memcpy(s->buf + s->len, p, n);
    s->len += n;
    s->buf[s->len] = '\0';
    return n;
}

static char *dup_blob(const char *p, size_t n)
{
    char *b = p ? malloc(n + 1) : NULL;
    if (b) {
        memcpy(b, p, n);
        b[n] = '\0';
    }
    return b;
}

kvf_client *kvf_client_create(const kvf_kubeconfig *kc, long timeout_ms, char *why, size_t n)
{
    kvf_client *c = calloc(1, sizeof *c);
    size_t len;
    if (!c) {
        snprintf(why, n, "out of memory");
        return NULL;
    }
    curl_global_init(CURL_GLOBAL_DEFAULT);
    c->curl = curl_easy_init();
    c->server = strdup(kc->server ? kc->server : "");
    if (kc->token) {
        c->auth = malloc(strlen(kc->token) + 32);
        if (c->auth)
            sprintf(c->auth, "Authorization: Bearer %s", kc->token);
    } else if (kc->username) {
        c->userpwd = malloc(strlen(kc->username) + (kc->password ? strlen(kc->password) : 0) + 2);
        if (c->userpwd)
            sprintf(c->userpwd, "%s:%s", kc->username, kc->password ? kc->password : "");
    }
    c->ca = dup_blob(kc->ca, kc->ca_len);
    c->ca_len = kc->ca_len;
    c->cert = dup_blob(kc->cert, kc->cert_len);
    c->cert_len = kc->cert_len;
    c->key = dup_blob(kc->key, kc->key_len);
    c->key_len = kc->key_len;
    c->insecure = kc->insecure;
    c->timeout_ms = timeout_ms > 0 ? timeout_ms : 30000;
    if (!c->curl || !c->server || (kc->token && !c->auth) || (kc->username && !c->userpwd)
        || (kc->ca && !c->ca) || (kc->cert && !c->cert) || (kc->key && !c->key)) {
        snprintf(why, n, "out of memory (or libcurl could not start)");
        kvf_client_destroy(c);
        return NULL;
    }
    len = strlen(c->server);
    while (len && c->server[len - 1] == '/')
        c->server[--len] = '\0';
    return c;
}

void kvf_client_destroy(kvf_client *c)
{
    if (!c)
        return;
    while (c->jobs)
        finish(c, c->jobs, -1, "the client stopped first");
    if (c->multi)
        curl_multi_cleanup(c->multi);
    if (c->curl) {
        curl_easy_cleanup(c->curl);
        curl_global_cleanup();
    }
    free(c->server);
    free(c->auth);
    free(c->userpwd);
    free(c->ca);
    free(c->cert);
    free(c->key);
    free(c);
}

const char *kvf_client_server(const kvf_client *c)
{
    return c->server;
}

size_t kvf_client_requests(const kvf_client *c)
{
    return c->requests;
}

/* The TLS options, set again before each request (curl_easy_reset clears them). */
static void set_tls_on(kvf_client *c, CURL *h);

static void set_tls_on(kvf_client *c, CURL *h)
{
    struct curl_blob b;
    if (c->ca) {
        b.data = c->ca;
        b.len = c->ca_len;
        b.flags = CURL_BLOB_COPY;
        curl_easy_setopt(h, CURLOPT_CAINFO_BLOB, &b);
    }
    if (c->cert && c->key) {
        b.data = c->cert;
        b.len = c->cert_len;
        b.flags = CURL_BLOB_COPY;
        curl_easy_setopt(h, CURLOPT_SSLCERT_BLOB, &b);
        curl_easy_setopt(h, CURLOPT_SSLCERTTYPE, "PEM");
        b.data = c->key;
        b.len = c->key_len;
        curl_easy_setopt(h, CURLOPT_SSLKEY_BLOB, &b);
        curl_easy_setopt(h, CURLOPT_SSLKEYTYPE, "PEM");
    }
    if (c->insecure) {
        curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 0L);
        curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 0L);
    }
}

void kvf_client_next_host(kvf_client *c, const char *host)
{
    if (host && host[0])
        snprintf(c->host, sizeof c->host, "Host: %.250s", host);
}

/* Sets h up for method path: options, TLS, the headers (into *hl: the
 * caller frees them after the transfer), the next request's Host. */
static void prepare(kvf_client *c, CURL *h, const char *method, const char *path,
                    const char *ctype, const char *body, size_t len, sink *s, char *errbuf,
                    struct curl_slist **hl)
{
    char url[8192], ct[256];
    snprintf(url, sizeof url, "%s%s", c->server, path);
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, c->timeout_ms);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, c->timeout_ms);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, s);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
    curl_easy_setopt(h, CURLOPT_USERAGENT, "kubesim-verify");
    set_tls_on(c, h);
    *hl = curl_slist_append(NULL, "Accept: application/json");
    if (c->auth)
        *hl = curl_slist_append(*hl, c->auth);
    if (c->host[0])
        *hl = curl_slist_append(*hl, c->host);
    c->host[0] = '\0';
    if (c->userpwd)
        curl_easy_setopt(h, CURLOPT_USERPWD, c->userpwd);
    if (body) {
        snprintf(ct, sizeof ct, "Content-Type: %s", ctype ? ctype : "application/json");
        *hl = curl_slist_append(*hl, ct);
        curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
        curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, (long)len);
    } else if (strcmp(method, "GET") == 0) {
        curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
    }
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, *hl);
    c->requests++;
}

int kvf_client_request(kvf_client *c, const char *method, const char *path, const char *ctype,
                       const char *body, size_t len, kvf_response *r)
{
    struct curl_slist *h = NULL;
    char errbuf[CURL_ERROR_SIZE] = "";
    sink s = {NULL, 0, 0, false};
    CURLcode rc;
    memset(r, 0, sizeof *r);
    curl_easy_reset(c->curl);
    prepare(c, c->curl, method, path, ctype, body, len, &s, errbuf, &h);
    rc = curl_easy_perform(c->curl);
    curl_slist_free_all(h);
    r->body = s.buf;
    r->len = s.len;
    if (rc != CURLE_OK) {
        c->unanswered++;
        snprintf(r->error, sizeof r->error, "%s %s%.300s: %.150s", method, c->server, path,
                 s.too_big ? "the answer is too big" : errbuf[0] ? errbuf
                                                                 : curl_easy_strerror(rc));
        return -1;
    }
    curl_easy_getinfo(c->curl, CURLINFO_RESPONSE_CODE, &r->status);
    return 0;
}

/* ---- started requests ---------------------------------------------------------------------- */
/* j is done: tells its owner, frees it. */
static void finish(kvf_client *c, job *j, long status, const char *error)
{
    job **p;
    for (p = &c->jobs; *p; p = &(*p)->next)
        if (*p == j) {
            *p = j->next;
            c->njobs--;
            break;
        }
    if (c->multi)
        curl_multi_remove_handle(c->multi, j->h);
    curl_easy_cleanup(j->h);
    curl_slist_free_all(j->headers);
    if (j->done)
        j->done(j->ud, status, error);
    free(j->s.buf);
    free(j->body);
    free(j);
}

/* What libcurl sends (CURLOPT_DEBUGFUNCTION): when the request's head and
 * body are out, the server has the request. */
static int on_debug(CURL *h, curl_infotype type, char *data, size_t size, void *ud)
{
    job *j = ud;
    (void)h, (void)data;
    if (type == CURLINFO_HEADER_OUT)
        j->head_out = true;
    else if (type == CURLINFO_DATA_OUT)
        j->body_out += size;
    return 0;
}

static bool sent(const job *j)
{
    return j->head_out && j->body_out >= j->body_len;
}

int kvf_client_start(kvf_client *c, const char *method, const char *path, const char *ctype,
                     const char *body, size_t len, kvf_done_fn done, void *ud)
{
    job *j = calloc(1, sizeof *j);
    if (!c->multi)
        c->multi = curl_multi_init();
    if (!j || !c->multi || !(j->h = curl_easy_init()) || (body && !(j->body = malloc(len + 1)))) {
        if (j)
            curl_easy_cleanup(j->h);
        free(j);
        return -1;
    }
    if (body)
        memcpy(j->body, body, len);
    j->body_len = body ? len : 0;
    j->done = done;
    j->ud = ud;
    snprintf(j->what, sizeof j->what, "%s %.300s", method, path);
    prepare(c, j->h, method, path, ctype, body ? j->body : NULL, len, &j->s, j->errbuf,
            &j->headers);
    curl_easy_setopt(j->h, CURLOPT_PRIVATE, j);
    curl_easy_setopt(j->h, CURLOPT_DEBUGFUNCTION, on_debug);
    curl_easy_setopt(j->h, CURLOPT_DEBUGDATA, j);
    curl_easy_setopt(j->h, CURLOPT_VERBOSE, 1L);      /* for on_debug only: nothing printed */
    if (curl_multi_add_handle(c->multi, j->h) != CURLM_OK) {
        curl_easy_cleanup(j->h);
        curl_slist_free_all(j->headers);
        free(j->body);
        free(j);
        return -1;
    }
    j->next = c->jobs;
    c->jobs = j;
    c->njobs++;
    return 0;
}

/* Runs the transfers; completes those that ended. Returns how many did. */
static size_t perform(kvf_client *c)
{
    CURLMsg *m;
    int running, left;
    size_t n = 0;
    curl_multi_perform(c->multi, &running);
    while ((m = curl_multi_info_read(c->multi, &left)) != NULL) {
        job *j = NULL;
        long status = 0;
        char error[600] = "";
        if (m->msg != CURLMSG_DONE)
            continue;
        curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&j);
        if (m->data.result == CURLE_OK) {
            curl_easy_getinfo(j->h, CURLINFO_RESPONSE_CODE, &status);
        } else {
            c->unanswered++;
            snprintf(error, sizeof error, "%s: %.150s", j->what,
                     j->errbuf[0] ? j->errbuf : curl_easy_strerror(m->data.result));
        }
        finish(c, j, status, error);
        n++;
    }
    return n;
}

size_t kvf_client_pump(kvf_client *c, int wait_ms)
{
    if (!c->njobs)
        return 0;
    if (!perform(c) && wait_ms > 0) {
        curl_multi_poll(c->multi, NULL, 0, wait_ms, NULL);
        perform(c);
    }
    return c->njobs;
}

double kvf_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

bool kvf_client_flush(kvf_client *c, int timeout_ms)
{
    double end;
    const job *j;
    if (!c->njobs)
        return true;
    end = kvf_now_ms() + timeout_ms;
    for (;;) {
        perform(c);
        for (j = c->jobs; j && sent(j); j = j->next)
            ;
        if (!j)
            return true;
        if (kvf_now_ms() > end)
            return false;
        curl_multi_poll(c->multi, NULL, 0, 10, NULL);
    }
}


void kvf_client_settle(kvf_client *c, int quiet_ms)
{
    double last = kvf_now_ms(), left;
    while (c->njobs && (left = quiet_ms - (kvf_now_ms() - last)) > 0) {
        if (perform(c))
            last = kvf_now_ms();
        else if (c->njobs)
            curl_multi_poll(c->multi, NULL, 0, (int)left + 1, NULL);
    }
}

void *kvf_client_connect(kvf_client *c, const char **auth, char *why, size_t n)
{
    CURL *h = curl_easy_init();
    char errbuf[CURL_ERROR_SIZE] = "";
    CURLcode rc;
    if (!h) {
        snprintf(why, n, "libcurl could not start");
        return NULL;
    }
    if (c->userpwd && !c->auth) {
        snprintf(why, n, "exec with a kubeconfig's username and password is not supported "
                 "by verify (a token or a client certificate is)");
        curl_easy_cleanup(h);
        return NULL;
    }
    curl_easy_setopt(h, CURLOPT_URL, c->server);
    curl_easy_setopt(h, CURLOPT_CONNECT_ONLY, 1L);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, c->timeout_ms);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
    set_tls_on(c, h);
    c->requests++;
    if ((rc = curl_easy_perform(h)) != CURLE_OK) {
        c->unanswered++;
        snprintf(why, n, "connecting to %.300s: %.150s", c->server,
                 errbuf[0] ? errbuf : curl_easy_strerror(rc));
        curl_easy_cleanup(h);
        return NULL;
    }
    *auth = c->auth;
    return h;
}

void kvf_response_fini(kvf_response *r)
{
    free(r->body);
    r->body = NULL;
}

void kvf_response_why(const kvf_response *r, char *why, size_t n)
{
    json_t *j;
    const char *msg;
    if (r->error[0]) {
        snprintf(why, n, "%s", r->error);
        return;
    }
    j = r->body ? json_loadb(r->body, r->len, 0, NULL) : NULL;
    msg = j ? json_string_value(json_object_get(j, "message")) : NULL;
    if (msg)
        snprintf(why, n, "%ld: %s", r->status, msg);
    else
        snprintf(why, n, "HTTP %ld%s%.200s", r->status, r->len ? ": " : "",
                 r->body ? r->body : "");
    json_decref(j);
}

json_t *kvf_client_get_json(kvf_client *c, const char *path, long *status, char *why,
                            size_t n)
{
    kvf_response r;
    json_t *j = NULL;
    json_error_t err;
    int rc = kvf_client_request(c, "GET", path, NULL, NULL, 0, &r);
    *status = r.status;
    if (rc == 0 && r.status >= 200 && r.status < 300) {
        j = json_loadb(r.body ? r.body : "", r.len, 0, &err);
        if (!j)
            snprintf(why, n, "GET %s: the answer is not JSON (%s, line %d)", path, err.text,
                     err.line);
    } else {
        kvf_response_why(&r, why, n);
    }
    kvf_response_fini(&r);
    return j;
}

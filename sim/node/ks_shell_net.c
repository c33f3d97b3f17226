/* ks_shell_net.c -- the commands of kubesim's sh that reach outside the
 * script: date (the simulated clock), busybox's wget and curl (a request
 * through the cluster's DNS, the Service and its endpoints, the pod that
 * answers: io->http), each with the real program's words and exit codes
 * for what goes wrong (docs/kubernetes-behaviour.md, "kubesim's sh").
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ks_shell.h"
#include "internal/shell.h"

typedef ksi_sh_op op;

/* ---- date ------------------------------------------------------------------------------ */
static const char *const days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

/* strftime's conversions for UTC, spelled out (no locale, no TZ file: a
 * container without TZ is in UTC). */
static void format_time(char *out, size_t n, const char *fmt, long long secs)
{
    time_t t = (time_t)secs;
    struct tm tm;
    size_t k = 0;
    gmtime_r(&t, &tm);
    for (; *fmt && k + 1 < n; fmt++) {
        char part[64];
        if (*fmt != '%' || !fmt[1]) {
            out[k++] = *fmt;
            continue;
        }
        switch (*++fmt) {
        case 'a': snprintf(part, sizeof part, "%s", days[tm.tm_wday]); break;
        case 'b': case 'h': snprintf(part, sizeof part, "%s", months[tm.tm_mon]); break;
        case 'd': snprintf(part, sizeof part, "%02d", tm.tm_mday); break;
        case 'e': snprintf(part, sizeof part, "%2d", tm.tm_mday); break;
        case 'm': snprintf(part, sizeof part, "%02d", tm.tm_mon + 1); break;
        case 'Y': snprintf(part, sizeof part, "%d", tm.tm_year + 1900); break;
        case 'y': snprintf(part, sizeof part, "%02d", tm.tm_year % 100); break;
        case 'H': snprintf(part, sizeof part, "%02d", tm.tm_hour); break;
        case 'I': snprintf(part, sizeof part, "%02d", tm.tm_hour % 12 ? tm.tm_hour % 12 : 12); break;
        case 'p': snprintf(part, sizeof part, "%s", tm.tm_hour < 12 ? "AM" : "PM"); break;
        case 'M': snprintf(part, sizeof part, "%02d", tm.tm_min); break;
        case 'S': snprintf(part, sizeof part, "%02d", tm.tm_sec); break;
        case 'j': snprintf(part, sizeof part, "%03d", tm.tm_yday + 1); break;
        case 'u': snprintf(part, sizeof part, "%d", tm.tm_wday ? tm.tm_wday : 7); break;
        case 'w': snprintf(part, sizeof part, "%d", tm.tm_wday); break;
        case 's': snprintf(part, sizeof part, "%lld", secs); break;
        case 'F': snprintf(part, sizeof part, "%d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1,
                           tm.tm_mday); break;
        case 'T': snprintf(part, sizeof part, "%02d:%02d:%02d", tm.tm_hour, tm.tm_min,
                           tm.tm_sec); break;
        case 'R': snprintf(part, sizeof part, "%02d:%02d", tm.tm_hour, tm.tm_min); break;
        case 'D': snprintf(part, sizeof part, "%02d/%02d/%02d", tm.tm_mon + 1, tm.tm_mday,
                           tm.tm_year % 100); break;
        case 'Z': snprintf(part, sizeof part, "UTC"); break;
        case 'z': snprintf(part, sizeof part, "+0000"); break;
        case 'n': snprintf(part, sizeof part, "\n"); break;
        case 't': snprintf(part, sizeof part, "\t"); break;
        case '%': snprintf(part, sizeof part, "%%"); break;
        default: snprintf(part, sizeof part, "%%%c", *fmt); break;
        }
        k += (size_t)snprintf(out + k, n - k, "%s", part);
        if (k >= n)
            k = n - 1;
    }
    out[k] = '\0';
}

/* busybox date: its default format "%a %b %e %H:%M:%S %Z %Y"; -u, -R
 * (RFC 2822), -I (ISO 8601 date), +FORMAT. Setting the clock or reading
 * another date (-d, -s) is not simulated. */
static int date(const op *o, const ks_shell_io *io)
{
    const char *fmt = "%a %b %e %H:%M:%S %Z %Y";
    char out[512], line[200];
    long long now = io->now ? io->now(io->ud) : 0;
    size_t i;
    for (i = 1; i < o->argc; i++) {
        const char *a = o->argv[i];
        if (a[0] == '+')
            fmt = a + 1;
        else if (strcmp(a, "-u") == 0 || strcmp(a, "--utc") == 0)
            continue;
        else if (strcmp(a, "-R") == 0)
            fmt = "%a, %d %b %Y %H:%M:%S %z";
        else if (strcmp(a, "-I") == 0 || strcmp(a, "-Idate") == 0)
            fmt = "%Y-%m-%d";
        else if (strcmp(a, "-Iseconds") == 0)
            fmt = "%Y-%m-%dT%H:%M:%S%z";
        else {
            snprintf(line, sizeof line, "kubesim: date %s is not simulated (date, -u, -R, -I, "
                                        "+FORMAT are)", a);
            ksi_sh_complain(io, line);
            return 1;
        }
    }
    format_time(out, sizeof out - 1, fmt, now);
    strcat(out, "\n");
    ksi_sh_emit_text(io, o, out);
    return 0;
}

/* ---- a URL -------------------------------------------------------------------------------- */
typedef struct url {
    char host[256];
    int port;
    char path[512];
    bool https;
} url;

/* http://host[:port][/path], the scheme optional (wget and curl add
 * http://); false when it is not one. */
static bool parse_url(const char *s, url *u)
{
    const char *h = s, *end, *colon;
    size_t hl;
    u->https = strncmp(s, "https://", 8) == 0;
    if (strncmp(s, "http://", 7) == 0)
        h = s + 7;
    else if (u->https)
        h = s + 8;
    else if (strstr(s, "://"))
        return false;
    end = h + strcspn(h, "/?#");
    colon = memchr(h, ':', (size_t)(end - h));
    hl = (size_t)((colon ? colon : end) - h);
    if (!hl || hl >= sizeof u->host)
        return false;
    memcpy(u->host, h, hl);
    u->host[hl] = '\0';
    u->port = colon ? atoi(colon + 1) : u->https ? 443 : 80;
    if (u->port <= 0 || u->port > 65535)
        return false;
    snprintf(u->path, sizeof u->path, "%s%s", *end == '/' ? "" : "/", end);
    return true;
}

static const char *reason(int status)
{
    static const struct {
        int code;
        const char *text;
    } t[] = {{200, "OK"}, {201, "Created"}, {202, "Accepted"}, {204, "No Content"},
             {301, "Moved Permanently"}, {302, "Found"}, {304, "Not Modified"},
             {400, "Bad Request"}, {401, "Unauthorized"}, {403, "Forbidden"},
             {404, "Not Found"}, {405, "Method Not Allowed"}, {408, "Request Timeout"},
             {429, "Too Many Requests"}, {500, "Internal Server Error"},
             {502, "Bad Gateway"}, {503, "Service Unavailable"}, {504, "Gateway Timeout"}};
    size_t i;
    for (i = 0; i < sizeof t / sizeof t[0]; i++)
        if (t[i].code == status)
            return t[i].text;
    return "";
}

static int request(const ks_shell_io *io, const char *method, const url *u, char *body,
                   size_t n, char addr[64], ks_time *took)
{
    *took = 0;
    body[0] = '\0';
    addr[0] = '\0';
    if (!io->http)
        return KS_SHELL_HTTP_NO_NAME;
    return io->http(io->ud, method, u->host, u->port, u->path, body, n, addr, took);
}

static void say(const ks_shell_io *io, const char *fmt, const char *a, const char *b)
{
    char line[700];
    snprintf(line, sizeof line, fmt, a, b);
    ksi_sh_complain(io, line);
}

/* ---- wget (busybox networking/wget.c) ---------------------------------------------------- */
/* wget_trivial_usage and wget_full_usage of networking/wget.c (busybox
 * 1.37.0's source: mirror/busybox 371fe9f, with FEATURE_WGET_LONG_OPTIONS,
 * _OPENSSL and _TIMEOUT as Docker's busybox image builds it); the same
 * words a busybox:1.37.0 pod prints for `wget -qO URL`. */
static const char *const wget_usage[] = {
    "Usage: wget [-cqS] [--spider] [-O FILE] [-o LOGFILE] [--header STR]",
    "\t[--post-data STR | --post-file FILE] [-Y on/off]",
    "\t[--no-check-certificate] [-P DIR] [-U AGENT] [-T SEC] URL...",
    "",
    "Retrieve files via HTTP or FTP",
    "",
    "\t--spider\tOnly check URL existence: $? is 0 if exists",
    "\t--header STR\tAdd STR (of form 'header: value') to headers",
    "\t--post-data STR\tSend STR using POST method",
    "\t--post-file FILE\tSend FILE using POST method",
    "\t--no-check-certificate\tDon't validate the server's certificate",
    "\t-c\t\tContinue retrieval of aborted transfer",
    "\t-q\t\tQuiet",
    "\t-P DIR\t\tSave to DIR (default .)",
    "\t-S    \t\tShow server response",
    "\t-T SEC\t\tNetwork read timeout is SEC seconds",
    "\t-O FILE\t\tSave to FILE ('-' for stdout)",
    "\t-o LOGFILE\tLog messages to FILE",
    "\t-U STR\t\tUse STR for User-Agent header",
    "\t-Y on/off\tUse proxy",
    NULL};

static int wget(const op *o, const ks_shell_io *io, ks_time *sleep)
{
    const char *out = NULL, *target = NULL, *method = "GET";
    char body[PIPE_BUF_SIZE / 2], addr[64], line[700];
    bool quiet = false, spider = false, headers = false;
    long timeout = 0;
    size_t i;
    url u;
    int st, err;
    for (i = 1; i < o->argc; i++) {
        const char *a = o->argv[i];
        if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0)
            quiet = true;
        else if (strcmp(a, "-O") == 0 || strcmp(a, "--output-document") == 0)
            out = i + 1 < o->argc ? o->argv[++i] : "-";
        else if (strncmp(a, "-O", 2) == 0)
            out = a + 2;
        else if (strncmp(a, "--output-document=", 18) == 0)
            out = a + 18;
        else if (strcmp(a, "-qO-") == 0 || strcmp(a, "-qO") == 0)
            quiet = true, out = a[3] ? "-" : i + 1 < o->argc ? o->argv[++i] : "-";
        else if (strcmp(a, "-T") == 0 || strcmp(a, "--timeout") == 0)
            timeout = i + 1 < o->argc ? atol(o->argv[++i]) : 0;
        else if (strncmp(a, "--timeout=", 10) == 0 || (strncmp(a, "-T", 2) == 0 && a[2]))
            timeout = atol(a + (a[1] == '-' ? 10 : 2));
        else if (strcmp(a, "--spider") == 0)
            spider = true;
        else if (strcmp(a, "-S") == 0 || strcmp(a, "--server-response") == 0)
            headers = true;
        else if (strncmp(a, "--post-data=", 12) == 0)
            method = "POST";
        else if (strcmp(a, "--header") == 0 || strcmp(a, "-U") == 0 || strcmp(a, "-Y") == 0
                 || strcmp(a, "-P") == 0 || strcmp(a, "--user-agent") == 0)
            i++;                            /* their value is not simulated */
        else if (strncmp(a, "--header=", 9) == 0 || strcmp(a, "--no-check-certificate") == 0
                 || strcmp(a, "-c") == 0 || strncmp(a, "--user-agent=", 13) == 0)
            continue;
        else if (a[0] == '-' && a[1]) {
            /* getopt32 -> glibc getopt_long's words (busybox:latest is built
               on glibc), then the usage */
            if (a[1] == '-')
                say(io, "wget: unrecognized option '%s'", a, NULL);
            else
                say(io, "wget: invalid option -- '%.1s'", a + 1, NULL);
            ksi_sh_usage(io, wget_usage);
            return 1;
        } else
            target = a;
    }
    if (!target) {                            /* opt_complementary "-1": a URL */
        ksi_sh_usage(io, wget_usage);
        return 1;
    }
    if (!parse_url(target, &u)) {
        say(io, "wget: not an http or ftp url: %s", target, NULL);
        return 1;
    }
    if (u.https) {
        say(io, "kubesim: wget %s: https is not simulated (the cluster's servers answer "
                "plain http)", target, NULL);
        return 1;
    }
    st = request(io, method, &u, body, sizeof body, addr, sleep);
    if (st == KS_SHELL_HTTP_NO_NAME) {
        say(io, "wget: bad address '%s'", u.host, NULL);
        return 1;
    }
    if (!quiet) {
        char where[100];
        snprintf(where, sizeof where, "%s:%d", addr, u.port);
        say(io, "Connecting to %s (%s)", u.host, where);
    }
    if (st == KS_SHELL_HTTP_REFUSED || st == KS_SHELL_HTTP_TIMEOUT) {
        if (st == KS_SHELL_HTTP_TIMEOUT && timeout > 0 && *sleep > timeout * KS_SEC) {
            *sleep = timeout * KS_SEC;
            ksi_sh_complain(io, "wget: download timed out");
            return 1;
        }
        snprintf(line, sizeof line, "wget: can't connect to remote host (%s): %s", addr,
                 st == KS_SHELL_HTTP_REFUSED ? "Connection refused" : "Connection timed out");
        ksi_sh_complain(io, line);
        return 1;
    }
    if (st == KS_SHELL_HTTP_RESET) {
        ksi_sh_complain(io, "wget: error getting response: Connection reset by peer");
        return 1;
    }
    if (headers) {
        snprintf(line, sizeof line, "  HTTP/1.1 %d %s", st, reason(st));
        ksi_sh_complain(io, line);
    }
    if (st >= 400) {
        snprintf(line, sizeof line, "wget: server returned error: HTTP/1.1 %d %s", st,
                 reason(st));
        ksi_sh_complain(io, line);
        return 1;
    }
    if (spider) {
        if (!quiet)
            ksi_sh_complain(io, "remote file exists");
        return 0;
    }
    if (!out) {                               /* the URL's file name, or index.html */
        const char *slash = strrchr(u.path, '/');
        out = slash && slash[1] ? slash + 1 : "index.html";
    }
    if (strcmp(out, "-") == 0) {
        if (!quiet)
            ksi_sh_complain(io, "writing to stdout");
        ksi_sh_emit_text(io, o, body);
        if (!quiet)
            ksi_sh_complain(io, "written to stdout");
        return 0;
    }
    /* the file is opened once the headers are in, before "saving to"
       (networking/wget.c: xopen(G.fname_out), which dies with
       "can't open '%s'" and errno's words) */
    if ((err = io->can_write ? io->can_write(io->ud, out) : 0) == 0 && io->write_file)
        err = io->write_file(io->ud, out, body, false);
    if (err) {
        snprintf(line, sizeof line, "wget: can't open '%s': %s", out, ks_shell_strerror(err));
        ksi_sh_complain(io, line);
        return 1;
    }
    if (!quiet)
        say(io, "saving to '%s'", out, NULL);
    if (!quiet)
        say(io, "'%s' saved", out, NULL);
    return 0;
}

#define MAX_URLS 8

/* ---- curl (curl's src/tool_*.c and lib/strerror.c for the words) -------------------------- */
/* The words are curl 8.21.0's (github.com/curl/curl at curl-8_21_0: lib/cf-ip-happy.c
 * "Failed to connect to %s:%u ... after %ld ms: %s", lib/strerror.c "Could not connect to
 * server", lib/hostip.c "Could not resolve host: %s", lib/multi.c "%s timed out after",
 * lib/http.c, src/tool_operate.c "(2) no URL specified", src/tool_msgs.c helpf's "try"
 * line), the curl of curlimages/curl:latest when read; older curls word some of them
 * otherwise (8.8: "Couldn't connect to server", "port %u"). */
#define CURL_TRY "curl: try 'curl --help' or 'curl --manual' for more information"
static int curl(const op *o, const ks_shell_io *io, ks_time *sleep)
{
    const char *out = NULL, *write_out = NULL, *method = NULL;
    char body[PIPE_BUF_SIZE / 2], addr[64], line[700], text[PIPE_BUF_SIZE / 2 + 200];
    bool silent = false, show = false, fail = false, include = false, head = false;
    double max_time = 0, connect_timeout = 0;
    size_t i, k = 0, url_at[MAX_URLS], urls = 0, n;
    int st = 0, rc = 0;
    for (i = 1; i < o->argc; i++) {
        const char *a = o->argv[i];
        if (a[0] == '-' && a[1] == '-') {
            const char *v = i + 1 < o->argc ? o->argv[i + 1] : "";
            if (strcmp(a, "--silent") == 0) silent = true;
            else if (strcmp(a, "--show-error") == 0) show = true;
            else if (strcmp(a, "--fail") == 0) fail = true;
            else if (strcmp(a, "--include") == 0) include = true;
            else if (strcmp(a, "--head") == 0) head = true;
            else if (strcmp(a, "--location") == 0 || strcmp(a, "--insecure") == 0) continue;
            else if (strcmp(a, "--output") == 0) out = v, i++;
            else if (strcmp(a, "--write-out") == 0) write_out = v, i++;
            else if (strcmp(a, "--request") == 0) method = v, i++;
            else if (strcmp(a, "--data") == 0) method = method ? method : "POST", i++;
            else if (strcmp(a, "--header") == 0) i++;
            else if (strcmp(a, "--max-time") == 0) max_time = atof(v), i++;
            else if (strcmp(a, "--connect-timeout") == 0) connect_timeout = atof(v), i++;
            else {
                say(io, "curl: option %s: is unknown", a, NULL);
                ksi_sh_complain(io, CURL_TRY);
                return 2;
            }
            continue;
        }
        if (a[0] != '-' || !a[1]) {
            if (urls < MAX_URLS)
                url_at[urls++] = i;
            continue;
        }
        for (a++; *a; a++) {
            const char *v;
            if (strchr("sSfiILkv", *a)) {
                silent = silent || *a == 's';
                show = show || *a == 'S';
                fail = fail || *a == 'f';
                include = include || *a == 'i';
                head = head || *a == 'I';
                continue;
            }
            if (!strchr("owXdHm", *a)) {
                snprintf(line, sizeof line, "curl: option -%c: is unknown", *a);
                ksi_sh_complain(io, line);
                ksi_sh_complain(io, CURL_TRY);
                return 2;
            }
            v = a[1] ? a + 1 : i + 1 < o->argc ? o->argv[++i] : "";
            if (*a == 'o') out = v;
            else if (*a == 'w') write_out = v;
            else if (*a == 'X') method = v;
            else if (*a == 'd') method = method ? method : "POST";
            else if (*a == 'm') max_time = atof(v);
            break;                          /* the rest was the value */
        }
    }
    if (!urls) {
        ksi_sh_complain(io, "curl: (2) no URL specified");   /* CURLE_FAILED_INIT */
        ksi_sh_complain(io, CURL_TRY);
        return 2;
    }
    *sleep = 0;
    for (n = 0; n < urls; n++) {
        const char *a = o->argv[url_at[n]];
        ks_time took;
        url u;
        bool err_shown = !silent || show;
        if (!parse_url(a, &u)) {
            if (err_shown)
                say(io, "curl: (3) URL rejected: Malformed input to a URL function", NULL, NULL);
            rc = 3;
            continue;
        }
        if (u.https) {
            say(io, "kubesim: curl %s: https is not simulated (the cluster's servers answer "
                    "plain http)", a, NULL);
            rc = 1;
            continue;
        }
        st = request(io, head ? "HEAD" : method ? method : "GET", &u, body, sizeof body, addr,
                     &took);
        rc = 0;
        if (st == KS_SHELL_HTTP_NO_NAME) {
            snprintf(line, sizeof line, "curl: (6) Could not resolve host: %s", u.host);
            rc = 6;
        } else if (st == KS_SHELL_HTTP_TIMEOUT && (connect_timeout > 0 || max_time > 0)
                   && took > (ks_time)((connect_timeout > 0 ? connect_timeout : max_time) * KS_SEC)) {
            double lim = connect_timeout > 0 ? connect_timeout : max_time;
            took = (ks_time)(lim * KS_SEC);
            snprintf(line, sizeof line, connect_timeout > 0
                     ? "curl: (28) Connection timed out after %ld milliseconds"
                     : "curl: (28) Operation timed out after %ld milliseconds with 0 bytes "
                       "received", (long)(lim * 1000));
            rc = 28;
        } else if (st == KS_SHELL_HTTP_REFUSED || st == KS_SHELL_HTTP_TIMEOUT) {
            /* the kernel's ETIMEDOUT (a dropped SYN) is CURLE_OPERATION_TIMEDOUT, with
               the same words (cf-ip-happy.c: SOCKETIMEDOUT) */
            rc = st == KS_SHELL_HTTP_TIMEOUT ? 28 : 7;
            snprintf(line, sizeof line, "curl: (%d) Failed to connect to %s:%d after %ld ms: "
                     "Could not connect to server", rc, u.host, u.port, (long)(took / KS_MSEC));
        } else if (st == KS_SHELL_HTTP_RESET) {
            snprintf(line, sizeof line, "curl: (56) Recv failure: Connection reset by peer");
            rc = 56;
        } else if (fail && st >= 400) {
            snprintf(line, sizeof line, "curl: (22) The requested URL returned error: %d", st);
            rc = 22;
        }
        *sleep += took;
        k = 0;
        text[0] = '\0';
        if ((include || head) && st > 0 && rc != 22)
            k += (size_t)snprintf(text + k, sizeof text - k, "HTTP/1.1 %d %s\n\n", st,
                                  reason(st));
        if (st > 0 && !head && rc == 0)
            k += (size_t)snprintf(text + k, sizeof text - k, "%s", body);
        if (k && out && strcmp(out, "/dev/null") != 0) {
            /* src/tool_cb_wrt.c tool_create_output_file: the file is made at the first
               byte; refused, warnf "Failed to open the file %s: %s" (not under -s) and
               the callback's 0 is CURLE_WRITE_ERROR (lib/cw-out.c "Failure writing output
               to destination, passed %zu returned %zd") */
            int err = io->can_write ? io->can_write(io->ud, out) : 0;
            if (!err && io->write_file)
                err = io->write_file(io->ud, out, text, false);
            if (err && !silent) {
                snprintf(line, sizeof line, "Warning: Failed to open the file %s: %s", out,
                         ks_shell_strerror(err));
                ksi_sh_complain(io, line);
            }
            if (err) {
                snprintf(line, sizeof line, "curl: (23) Failure writing output to destination, "
                         "passed %zu returned 0", k);
                rc = 23;
            }
        } else if (k && !out)
            ksi_sh_emit_text(io, o, text);
        if (write_out) {                      /* -w: %{http_code}, \n */
            const char *w;
            size_t m = 0;
            for (w = write_out; *w && m + 8 < sizeof text; w++) {
                if (strncmp(w, "%{http_code}", 12) == 0) {
                    m += (size_t)snprintf(text + m, sizeof text - m, "%03d", st > 0 ? st : 0);
                    w += 11;
                } else if (w[0] == '\\' && w[1] == 'n') {
                    text[m++] = '\n';
                    w++;
                } else {
                    text[m++] = *w;
                }
            }
            text[m] = '\0';
            ksi_sh_emit_text(io, o, text);
        }
        if (rc && err_shown)
            ksi_sh_complain(io, line);
    }
    return rc;
}

int ksi_sh_net(const op *o, const ks_shell_io *io, ks_time *sleep)
{
    const char *cmd = o->argv[0];
    if (strcmp(cmd, "date") == 0)
        return date(o, io);
    if ((strcmp(cmd, "wget") == 0 || strcmp(cmd, "curl") == 0) && io->has
        && !io->has(io->ud, cmd))
        return -1;                            /* not in this image */
    if (strcmp(cmd, "wget") == 0)
        return wget(o, io, sleep);
    if (strcmp(cmd, "curl") == 0)
        return curl(o, io, sleep);
    return -1;
}

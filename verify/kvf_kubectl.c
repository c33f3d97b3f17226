/* kvf_kubectl.c -- kubectl steps as processes, bounded in wall time. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kvf_kubectl.h"
#include "kvf_client.h"

#define MAX_WORDS 128
#define MAX_BACKGROUND 16
#define POLL_S 0.01

typedef struct running {
    pid_t pid;
    double started;
    char line[300];
} running;

struct kvf_kubectl {
    char *kubectl, *kubeconfig, *context, *ns, *dir;
    FILE *log;
    running bg[MAX_BACKGROUND];
    size_t nbg;
};

int kvf_split_words(char *buf, char **words, int max)
{
    char *r = buf, *w = buf;
    int n = 0;
    for (;;) {
        while (*r == ' ' || *r == '\t')
            r++;
        if (!*r)
            return n;
        if (n == max)
            return -1;
        words[n++] = w;
        while (*r && *r != ' ' && *r != '\t') {
            char q = *r;
            if (q == '\'' || q == '"') {
                r++;
                while (*r && *r != q) {
                    if (q == '"' && *r == '\\' && r[1])
                        r++;
                    *w++ = *r++;
                }
                if (*r != q)
                    return -1;
                r++;
            } else {
                *w++ = *r++;
            }
        }
        if (*r)
            r++;
        *w++ = '\0';
    }
}

/* The monotonic clock in seconds (kvf_now_ms). */
static double wall_now(void)
{
    return kvf_now_ms() / 1e3;
}

static void nap(double s)
{
    struct timespec ts = {0, (long)(s * 1e9)};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
}

static char *dup_or_null(const char *s)
{
    return s ? strdup(s) : NULL;
}

kvf_kubectl *kvf_kubectl_create(const char *kubectl, const char *kubeconfig, const char *context,
                                const char *ns, const char *dir, FILE *log)
{
    kvf_kubectl *k = calloc(1, sizeof *k);
    if (!k)
        return NULL;
    k->kubectl = strdup(kubectl ? kubectl : "kubectl");
    k->kubeconfig = dup_or_null(kubeconfig);
    k->context = dup_or_null(context);
    k->ns = dup_or_null(ns);
    k->dir = dup_or_null(dir);
    k->log = log;
    if (!k->kubectl || (kubeconfig && !k->kubeconfig) || (context && !k->context)
        || (ns && !k->ns) || (dir && !k->dir)) {
        kvf_kubectl_destroy(k);
        return NULL;
    }
    return k;
}

static void stop(pid_t pid)
{
    int status;
    kill(-pid, SIGKILL);          /* its process group: kubectl and what it started */
    kill(pid, SIGKILL);
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
}

void kvf_kubectl_destroy(kvf_kubectl *k)
{
    size_t i;
    if (!k)
        return;
    for (i = 0; i < k->nbg; i++)
        stop(k->bg[i].pid);
    free(k->kubectl);
    free(k->kubeconfig);
    free(k->context);
    free(k->ns);
    free(k->dir);
    free(k);
}

static bool word_is(const char *w, const char *flag)
{
    size_t n = strlen(flag);
    return strncmp(w, flag, n) == 0 && (w[n] == '\0' || w[n] == '=');
}

/* The word of the --wait flag, or NULL (not after a lone "--"). */
static const char *wait_flag(char *const *words, int n)
{
    int i;
    for (i = 1; i < n && strcmp(words[i], "--") != 0; i++)
        if (word_is(words[i], "--wait"))
            return words[i];
    return NULL;
}

const char *kvf_kubectl_extra(char *const *words, int n)
{
    if (n < 1 || strcmp(words[0], "delete") != 0 || wait_flag(words, n))
        return NULL;
    return "--wait=false";
}

bool kvf_kubectl_waits(char *const *words, int n)
{
    const char *w;
    if (n < 1)
        return false;
    if (strcmp(words[0], "drain") == 0 || strcmp(words[0], "rollout") == 0
        || strcmp(words[0], "wait") == 0)
        return true;
    return strcmp(words[0], "delete") == 0 && (w = wait_flag(words, n)) != NULL
           && strcmp(w, "--wait=false") != 0;
}

static pid_t start(kvf_kubectl *k, char **words, int n)
{
    const char *argv[MAX_WORDS + 16], *extra = kvf_kubectl_extra(words, n);
    int a = 0, i;
    pid_t pid;
    argv[a++] = k->kubectl;
    if (k->kubeconfig) {
        argv[a++] = "--kubeconfig";
        argv[a++] = k->kubeconfig;
    }
    if (k->context) {
        argv[a++] = "--context";
        argv[a++] = k->context;
    }
    if (k->ns) {
        argv[a++] = "-n";
        argv[a++] = k->ns;
    }
    for (i = 0; i < n && strcmp(words[i], "--") != 0; i++)
        argv[a++] = words[i];
    if (extra)
        argv[a++] = extra;        /* before a "--": kubectl's flags end there */
    for (; i < n; i++)
        argv[a++] = words[i];
    argv[a] = NULL;
    fflush(NULL);
    pid = fork();
    if (pid == 0) {
        int out = k->log ? fileno(k->log) : open("/dev/null", O_WRONLY);
        int in = open("/dev/null", O_RDONLY);
        setpgid(0, 0);            /* stopped as a group (its own: it reads no terminal) */
        if (in >= 0)
            dup2(in, 0);
        if (out >= 0) {
            dup2(out, 1);
            dup2(out, 2);
        }
        if (k->dir && chdir(k->dir) != 0)
            _exit(126);
        execvp(argv[0], (char *const *)argv);
        _exit(127);
    }
    return pid;
}

/* Waits for pid until wall time `until`. Returns its exit status (-1: it
 * did not exit normally), or KVF_KUBECTL_RUNNING at `until`. */
static int await(pid_t pid, double until)
{
    int status;
    for (;;) {
        pid_t r = waitpid(pid, &status, WNOHANG);
        if (r == pid)
            return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
        if (r < 0 && errno != EINTR)
            return -1;
        if (wall_now() >= until)
            return KVF_KUBECTL_RUNNING;
        nap(POLL_S);
    }
}

int kvf_kubectl_run(kvf_kubectl *k, const char *line)
{
    char *buf = strdup(line), *words[MAX_WORDS];
    int n = buf ? kvf_split_words(buf, words, MAX_WORDS) : -1, rc;
    bool waits;
    double t0 = wall_now();
    pid_t pid;
    if (n < 0 || (pid = start(k, words, n)) < 0) {
        free(buf);
        return -1;
    }
    waits = kvf_kubectl_waits(words, n);
    free(buf);
    rc = await(pid, t0 + (waits ? KVF_KUBECTL_HOLD_S : KVF_KUBECTL_BOUND_S));
    if (rc != KVF_KUBECTL_RUNNING)
        return rc;
    if (waits && k->nbg < MAX_BACKGROUND) {
        running *b = &k->bg[k->nbg++];
        b->pid = pid;
        b->started = t0;
        snprintf(b->line, sizeof b->line, "%s", line);
        return KVF_KUBECTL_RUNNING;
    }
    stop(pid);
    return KVF_KUBECTL_STOPPED;
}

int kvf_kubectl_reap(kvf_kubectl *k, bool wait, char *msg, size_t n)
{
    size_t i;
    for (i = 0; i < k->nbg; i++) {
        running b = k->bg[i];
        int rc = await(b.pid, wait ? b.started + KVF_KUBECTL_BOUND_S : 0);
        if (rc == KVF_KUBECTL_RUNNING && !wait)
            continue;
        k->bg[i] = k->bg[--k->nbg];
        i--;
        if (rc == KVF_KUBECTL_RUNNING) {
            stop(b.pid);
            snprintf(msg, n, "kubectl %s: still running after %g s of wall time; stopped "
                     "(it waits for something the cluster did not do)", b.line,
                     KVF_KUBECTL_BOUND_S);
            return 1;
        }
        if (rc != 0) {
            snprintf(msg, n, "kubectl %s: exit %d on the cluster", b.line, rc);
            return 1;
        }
    }
    return 0;
}

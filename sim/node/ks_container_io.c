/* ks_container_io.c -- a container process as its shell sees it: what it
 * prints goes to the container's log, its files land where the mounts say,
 * its environment (`env`, $NAME), the pod's DNS (nslookup), wget and curl
 * through the network layer, the image's programs. Moved out of
 * ks_container.c (the process's start, stop and probes).
 */
#include <stdio.h>
#include <string.h>

#include "cluster/ks_dns.h"
#include "core/internal/sim.h"
#include "load/ks_mounts.h"
#include "internal/proc.h"
#include "ks_node.h"

/* ---- files: the shell's writes land where the mounts say -------------------------- */
/* The directory of the file at path (its volume's, whichever subPath holds
 * it), its name there in *name (in buf); with create, where a new one
 * lands. */
static ksi_dir *file_dir(ksi_proc *pr, const char *path, bool create, char buf[1024],
                         const char **name)
{
    ksi_pod *p = ksi_proc_pod(pr->sim, pr);
    return p ? ksi_data_file_dir(pr->sim, p, pr->c, path, create, buf, 1024, name) : NULL;
}

static void io_out(void *ud, const char *line)
{
    ksi_proc *pr = ud;
    ks_cluster_log(pr->sim, pr->pod, pr->c, "%s", line);
}

/* A read-only mount refuses what would change it (the kubelet mounts it
 * ro: pkg/kubelet/kubelet_pods.go makeMounts, ReadOnly: mount.ReadOnly ||
 * mustMountRO): EROFS, as open(2) and unlink(2) say. */
static bool read_only(const ksi_pod *p, size_t c, const char *path)
{
    return ks_mount_read_only(p->pub.spec, p->pub.containers[c].spec, path) != NULL;
}

static int io_can_write(void *ud, const char *path)
{
    ksi_proc *pr = ud;
    ksi_pod *p = ksi_proc_pod(pr->sim, pr);
    return p && read_only(p, pr->c, path) ? KS_SHELL_EROFS : 0;
}

static int io_write(void *ud, const char *path, const char *text, bool append)
{
    ksi_proc *pr = ud;
    const char *name;
    char buf[1024];
    int err = io_can_write(ud, path);
    ksi_dir *d = err ? NULL : file_dir(pr, path, true, buf, &name);
    if (!d)
        return err;               /* (or the pod is gone: nothing to write to) */
    ksi_data_file_write(pr->sim, d, name, text, append);
    pr->data = d;
    return 0;
}

/* rm: lstat first (no such file: ENOENT, even on a read-only mount), then
 * unlink (busybox libbb/remove_file.c). */
static int io_remove(void *ud, const char *path)
{
    ksi_proc *pr = ud;
    ksi_pod *p = ksi_proc_pod(pr->sim, pr);
    const char *name;
    char buf[1024];
    ksi_dir *d;
    bool mounted;
    if (!p || !ksi_data_peek(pr->sim, p, pr->c, path, &mounted))
        return KS_SHELL_ENOENT;
    if (read_only(p, pr->c, path))
        return KS_SHELL_EROFS;
    d = file_dir(pr, path, false, buf, &name);
    return d && ksi_data_file_remove(pr->sim, d, name) ? 0 : KS_SHELL_ENOENT;
}

/* The two files of /etc every container has from the pod, not the image:
 * resolv.conf as the docker runtime rewrites it from the kubelet's DNS
 * config for dnsPolicy ClusterFirst (cri-dockerd rewriteResolvFile:
 * nameserver, search, options; pkg/kubelet/network/dns/dns.go: the
 * namespace's search path, ndots:5), and the kubelet's managed hosts file
 * (pkg/kubelet/kubelet_pods.go managedHostsFileContent: the pod's IP with
 * <hostname>.<subdomain>.<ns>.svc.cluster.local when it has a subdomain). */
static const char *etc_file(ksi_proc *pr, const ksi_pod *p, const char *path)
{
    bool resolv = strcmp(path, "/etc/resolv.conf") == 0;
    if (!resolv && strcmp(path, "/etc/hosts") != 0)
        return NULL;
    if (!pr->etc) {
        char search[KS_DNS_MAX_SEARCH][KS_DNS_NAME_MAX], host[300];
        size_t n = ks_dns_search(p->pub.ns, search, KS_DNS_MAX_SEARCH);
        const char *name = p->pub.spec->hostname ? p->pub.spec->hostname : p->pub.name;
        char *text;
        if (p->pub.spec->subdomain)
            snprintf(host, sizeof host, "%s\t%s.%s.%s.svc." KS_DNS_DOMAIN "\t%s", p->pub.ip, name,
                     p->pub.spec->subdomain, p->pub.ns, name);
        else
            snprintf(host, sizeof host, "%s\t%s", p->pub.ip, name);
        text = ks_arena_printf(pr->ar,
                               "nameserver " KS_DNS_SERVER "\nsearch %s%s%s%s%s\noptions ndots:%d\n"
                               "%c# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n"
                               "::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\n"
                               "fe00::0\tip6-mcastprefix\nfe00::1\tip6-allnodes\n"
                               "fe00::2\tip6-allrouters\n%s\n",
                               n > 0 ? search[0] : "", n > 1 ? " " : "", n > 1 ? search[1] : "",
                               n > 2 ? " " : "", n > 2 ? search[2] : "", KS_DNS_NDOTS, '\0', host);
        if (!text)
            return NULL;
        pr->etc = text;
    }
    return resolv ? pr->etc : pr->etc + strlen(pr->etc) + 1;
}

static const char *io_read(void *ud, const char *path)
{
    ksi_proc *pr = ud;
    ksi_pod *p = ksi_proc_pod(pr->sim, pr);
    const char *text;
    bool mounted;
    if (!p)
        return NULL;
    /* its layer, or the volume mounted there (a ConfigMap's keys too) */
    text = ksi_data_peek(pr->sim, p, pr->c, path, &mounted);
    return text ? text : etc_file(pr, p, path);
}

/* nslookup: the pod's resolver (search list, ndots) against the cluster's
 * DNS, as busybox's nslookup asks it; every A record of the answer (a
 * headless Service: one per ready pod). */
static size_t io_resolve(void *ud, const char *name, char server[64], char fqdn[300],
                         char addr[][64], size_t max)
{
    ksi_proc *pr = ud;
    ksi_pod *p = ksi_proc_pod(pr->sim, pr);
    ks_dns_answer a;
    size_t i;
    snprintf(server, 64, "%s", KS_DNS_SERVER);
    if (!p)
        return 0;
    ks_dns_resolve(pr->sim, &p->pub, name, &a);
    if (a.rcode == KS_DNS_TIMEOUT)
        return KS_SHELL_NO_SERVER;
    if (a.rcode != KS_DNS_NOERROR || !a.n)
        return 0;
    snprintf(fqdn, 300, "%s", a.name);
    for (i = 0; i < a.n && i < max; i++)
        snprintf(addr[i], 64, "%s", a.addr[i]);
    return i;
}

/* What a process reads of its environment: the pod's env, then HOSTNAME,
 * which the container runtime sets to the pod's hostname (containerd's CRI
 * and dockerd both put HOSTNAME=<hostname> before the image's and the
 * pod's env, so a pod's own HOSTNAME wins). Not in $(VAR) expansion: the
 * kubelet expands against the pod's env only. */
static const char *proc_getenv(void *ud, const char *name)
{
    const ksi_proc *pr = ud;
    const char *v = ks_kvs_get(&pr->env, name);
    const ksi_pod *p;
    if (v || strcmp(name, "HOSTNAME") != 0 || !(p = ksi_pod_get(pr->sim, pr->pod)))
        return v;
    return p->pub.spec && p->pub.spec->hostname ? p->pub.spec->hostname : p->pub.name;
}

/* The environment as `env` lists it: PATH and HOME as the image sets them
 * (an assumption: the usual Debian/busybox values; images set more), then
 * HOSTNAME, then the pod's env, which ends with the Service link variables
 * (FOO_SERVICE_HOST, FOO_PORT...; ksi_workload_resolve_env adds them after
 * the container's own, ks_downward.c makes them). */
static const char *io_env_at(void *ud, size_t i, const char **value)
{
    static const char *const base[][2] = {
        {"PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"}, {"HOME", "/root"}};
    const ksi_proc *pr = ud;
    size_t nbase = sizeof base / sizeof base[0];
    if (i < nbase) {
        *value = base[i][1];
        return base[i][0];
    }
    if (i == nbase) {
        *value = proc_getenv(ud, "HOSTNAME");
        return *value ? "HOSTNAME" : NULL;
    }
    i -= nbase + 1;
    if (i >= pr->env.n)
        return NULL;
    *value = pr->env.items[i].value;
    return pr->env.items[i].key;
}

/* date: the simulated wall clock. */
static long long io_now(void *ud)
{
    const ksi_proc *pr = ud;
    return (long long)pr->sim->cluster->clock + (long long)(ks_now(pr->sim) / KS_SEC);
}

/* $RANDOM: one draw of the simulation's shell stream a read (same seed,
 * same numbers). */
static unsigned io_random(void *ud)
{
    ksi_proc *pr = ud;
    return (unsigned)ks_rng_below(ks_sim_rng(pr->sim, KS_RNG_SHELL), 32768);
}

/* wget, curl: through the network layer (net/ks_fetch.c). */
static int io_http(void *ud, const char *method, const char *host, int port, const char *path,
                   char *body, size_t n, char addr[64], ks_time *took)
{
    ksi_proc *pr = ud;
    if (!pr->sim->cluster->fetch)
        return KS_SHELL_HTTP_NO_NAME;
    return pr->sim->cluster->fetch(pr->sim, pr->pod, method, host, port, path, body, n, addr,
                                   took);
}

static bool io_has(void *ud, const char *program)
{
    const ksi_proc *pr = ud;
    const ksi_pod *p = ksi_pod_get(pr->sim, pr->pod);
    return p && ks_image_has_program(p->pub.containers[pr->c].image, program);
}

static int io_list(void *ud, const char *dir, void (*each)(void *arg, const char *path),
                   void *arg)
{
    ksi_proc *pr = ud;
    ksi_pod *p = ksi_proc_pod(pr->sim, pr);
    return p ? ksi_data_list(pr->sim, p, pr->c, dir, each, arg) : -1;
}

/* exec nginx -g 'daemon off;' in a script: the image's own main program
 * (its catalog entrypoint) takes the process over (ks_container.c's
 * shell_step starts it). */
static bool io_become(void *ud, const char *const *argv, size_t argc)
{
    const ksi_proc *pr = ud;
    const ksi_pod *p = ksi_pod_get(pr->sim, pr->pod);
    return argc && p && ks_image_runs_main(p->pub.containers[pr->c].image, argv[0]);
}

ks_shell_io ksi_proc_shell_io(ksi_proc *pr)
{
    ks_shell_io io = {pr, io_out, io_write, io_remove, io_can_write, io_read, proc_getenv,
                      io_resolve, NULL, io_has, NULL, io_env_at, NULL, NULL, NULL, 0, io_now,
                      io_http, NULL,
                      io_list, NULL, io_become, io_random, 1};
    return io;
}

bool ksi_workload_exec_io(ks_sim *sim, ksi_pod *p, size_t c, ks_shell_io *io)
{
    ksi_proc *pr = p->cst[c].proc;
    (void)sim;
    if (!pr || p->pub.containers[c].state != KS_CS_RUNNING)
        return false;
    if (io) {
        *io = ksi_proc_shell_io(pr);
        io->out = NULL;
    }
    return true;
}

ks_arena *ksi_workload_arena(const ksi_pod *p, size_t c)
{
    return p->cst[c].proc ? p->cst[c].proc->ar : NULL;
}

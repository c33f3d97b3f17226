/* internal/workload.h -- what runs inside containers (ks_container.c), as
 * the kubelet drives it and the network (net/) reaches it. */
#ifndef KSI_WORKLOAD_H
#define KSI_WORKLOAD_H

#include "cluster/internal/cluster.h"

/* Resolves container c's environment (env, envFrom, Secrets, ConfigMaps)
 * as the kubelet does at container start. false with the kubelet's message
 * ("secret \"pgpassword\" not found") when a reference is missing. */
bool ksi_workload_resolve_env(ks_sim *sim, ksi_pod *p, size_t c, char *why, size_t n);
/* The Service link variables a container of p gets at its start: the
 * kubernetes Service's, and with enableServiceLinks (the default) those of
 * every Service of p's namespace with a cluster IP (pkg/kubelet/envvars
 * FromServices; kubelet_pods.go getServiceEnvVarMap). Shared by the
 * containers of the namespace started while no Service changed: *held
 * gets a reference, for ksi_service_env_release. NULL: out of memory.
 * ks_downward.c. */
typedef struct ksi_svc_env ksi_svc_env;
const ks_kvs *ksi_service_env(ks_sim *sim, const ksi_pod *p, ksi_svc_env **held);
void ksi_service_env_release(ks_sim *sim, ksi_svc_env *e);
/* Drops the shared ones not held by a process (the kubelet's teardown). */
void ksi_service_env_fini(ks_sim *sim);
/* The environment resolved for container c (NULL before). */
const ks_kvs *ksi_workload_env(const ks_sim *sim, const ksi_pod *p, size_t c);
/* Starts container c's process: what its image does (catalog). */
void ksi_workload_start(ks_sim *sim, ksi_pod *p, size_t c);
/* SIGTERM arrived: the process prints its goodbye. */
void ksi_workload_sigterm(ks_sim *sim, ksi_pod *p, size_t c);
/* The process is gone (exit, kill, node down): frees its state. */
void ksi_workload_stop(ks_sim *sim, ksi_pod *p, size_t c);
/* Runs one probe against the process; false with the kubelet's message. */
bool ksi_workload_probe(ks_sim *sim, ksi_pod *p, size_t c, const ks_probe *pr, char *why,
                        size_t n);
/* What container c's program answers to method path, from its image: a
 * web server's files (its own, or a volume's at its docroot), an api's
 * routes (status only, no calls to peers); unknown programs 200. */
int ksi_workload_http(ks_sim *sim, const ksi_pod *p, size_t c, const char *method,
                      const char *path);
/* The shell's view of container c's running process (its env with
 * HOSTNAME, its files, the pod's DNS, the image's programs) with no
 * output (io->out NULL): for kubectl exec and exec probes. false when no
 * process runs. */
struct ks_shell_io;
bool ksi_workload_exec_io(ks_sim *sim, ksi_pod *p, size_t c, struct ks_shell_io *io);
/* The process's arena (NULL: none runs). */
ks_arena *ksi_workload_arena(const ksi_pod *p, size_t c);
/* Frees container c's process at the sim's teardown, telling no one. */
void ksi_workload_free(ks_sim *sim, ksi_pod *p, size_t c);

/* The meters of container c's running process (internal/usage.h), or NULL
 * when none runs. */
struct ksi_usage *ksi_workload_usage(const ksi_pod *p, size_t c);

/* The process's data directory (database, cache) or NULL. */
struct ksi_dir *ksi_workload_data(const ksi_pod *p, size_t c);
/* Whether container c is running and accepting connections on port (0:
 * its own port). */
bool ksi_workload_listening(const ksi_pod *p, size_t c, int port);


#endif

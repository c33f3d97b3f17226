/* kr_data.c -- the placeholder data source (see kr_data.h). */
#include "kr_data.h"

#include <string.h>

static bool no_records(void *ud, const ks_sim *sim, ks_id pvc, ks_id pod, const char *volume,
                       kr_records *out)
{
    (void)ud, (void)sim, (void)pvc, (void)pod, (void)volume;
    memset(out, 0, sizeof *out);
    return false;
}

static size_t no_routes(void *ud, const ks_sim *sim, kr_route_stat *out, size_t max)
{
    (void)ud, (void)sim, (void)out, (void)max;
    return 0;
}

static double no_rate(void *ud, const ks_sim *sim)
{
    (void)ud, (void)sim;
    return -1;
}

const kr_data_source *kr_data_placeholder(void)
{
    static const kr_data_source none = {NULL, no_records, no_routes, no_rate};
    return &none;
}

bool kr_data_records(const kr_data_source *d, const ks_sim *sim, ks_id pvc, ks_id pod,
                     const char *volume, kr_records *out)
{
    memset(out, 0, sizeof *out);
    if (!d || !d->records || !d->records(d->ud, sim, pvc, pod, volume, out))
        return out->known = false;
    return out->known = true;
}

size_t kr_data_routes(const kr_data_source *d, const ks_sim *sim, kr_route_stat *out, size_t max)
{
    size_t n;
    if (!d || !d->routes)
        return 0;
    n = d->routes(d->ud, sim, out, max);
    return n > max ? max : n;
}

double kr_data_traffic_rate(const kr_data_source *d, const ks_sim *sim)
{
    return d && d->traffic_rate ? d->traffic_rate(d->ud, sim) : -1;
}

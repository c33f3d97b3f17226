/* ksv_openapi.c -- the OpenAPI documents (not yet: 404). */
#include "ksv_internal.h"

void ksv_openapi(const ksv_request *rq, ksv_response *rs, const char *const *seg, size_t n)
{
    (void)rq, (void)seg, (void)n;
    ksv_fail(rs, 404, "NotFound", "the server could not find the requested resource");
}

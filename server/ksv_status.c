/* ksv_status.c -- errors and successes as Status objects (meta/v1), with
 * the reasons and words of the API server
 * (apimachinery/pkg/api/errors/errors.go: NewNotFound "%s %q not found",
 * NewAlreadyExists "%s %q already exists", NewInvalid "%s %q is invalid:
 * %s", NewConflict, NewBadRequest, NewMethodNotSupported...). kubectl prints
 * "Error from server (Reason): message" from them. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ksv_internal.h"

void ksv_reply_json(ksv_response *rs, int code, json_t *obj)
{
    char *s;
    rs->status = code;
    rs->content_type = "application/json";
    ks_strbuf_clear(&rs->body);
    if (!obj || !(s = json_dumps(obj, JSON_COMPACT))) {
        json_decref(obj);
        rs->status = 500;
        ks_strbuf_puts(&rs->body, "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},"
                                  "\"status\":\"Failure\",\"message\":\"out of memory\","
                                  "\"reason\":\"InternalError\",\"code\":500}");
        return;
    }
    json_decref(obj);
    ks_strbuf_puts(&rs->body, s);
    free(s);
}

void ksv_fail_details(ksv_response *rs, int code, const char *reason, const char *message,
                      const char *name, const char *group, const char *kind, json_t *causes)
{
    json_t *st = json_object(), *details = NULL;
    ksv_set_str(st, "kind", "Status");
    ksv_set_str(st, "apiVersion", "v1");
    json_object_set_new(st, "metadata", json_object());
    ksv_set_str(st, "status", "Failure");
    ksv_set_str(st, "message", message);
    ksv_set_str(st, "reason", reason);
    if (name || group || kind || causes) {
        details = json_object();
        ksv_set_str(details, "name", name);
        ksv_set_str(details, "group", group && group[0] ? group : NULL);
        ksv_set_str(details, "kind", kind);
        ksv_set(details, "causes", causes);
        json_object_set_new(st, "details", details);
    }
    ksv_set_int(st, "code", code);
    ksv_reply_json(rs, code, st);
}

void ksv_fail(ksv_response *rs, int code, const char *reason, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    ksv_fail_details(rs, code, reason, msg, NULL, NULL, NULL, NULL);
}

void ksv_qualified(const ksv_resource *r, char *buf, size_t n)
{
    if (r->group[0])
        snprintf(buf, n, "%s.%s", r->name, r->group);
    else
        snprintf(buf, n, "%s", r->name);
}

void ksv_not_found(ksv_response *rs, const ksv_resource *r, const char *name)
{
    char q[160], msg[600];
    ksv_qualified(r, q, sizeof q);
    snprintf(msg, sizeof msg, "%s \"%s\" not found", q, name);
    ksv_fail_details(rs, 404, "NotFound", msg, name, r->group, r->name, NULL);
}

void ksv_success(ksv_response *rs, const ksv_resource *r, const char *name)
{
    json_t *st = json_object(), *details = json_object();
    char uid[40];
    ksv_set_str(st, "kind", "Status");
    ksv_set_str(st, "apiVersion", "v1");
    json_object_set_new(st, "metadata", json_object());
    ksv_set_str(st, "status", "Success");
    ksv_set_str(details, "name", name);
    ksv_set_str(details, "group", r->group[0] ? r->group : NULL);
    ksv_set_str(details, "kind", r->name);
    ksv_uid(ksv_hash(name, KSV_HASH_SEED), KSV_UID_OBJECT, uid);
    ksv_set_str(details, "uid", uid);
    json_object_set_new(st, "details", details);
    ksv_reply_json(rs, 200, st);
}

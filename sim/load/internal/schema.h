/* internal/schema.h -- the fields of every kind kubesim loads, generated
 * from Kubernetes' Go types by scripts/gen-schema.py (ks_schema_data.c),
 * and the strict decoding check that walks a manifest against them
 * (ks_schema.c). Not part of the public API. */
#ifndef KSI_SCHEMA_H
#define KSI_SCHEMA_H

#include "../ks_read.h"

/* What a field holds: a value (string, number, bool, Quantity,
 * IntOrString, Time...), anything (RawExtension, FieldsV1), an object of
 * a known type, a list or a map of some ref. */
enum { KSI_S_VALUE, KSI_S_ANY, KSI_S_STRUCT, KSI_S_LIST, KSI_S_MAP };

typedef struct ksi_sref {
    unsigned char kind;
    unsigned short arg;        /* STRUCT: index in ksi_schema_structs; LIST, MAP: a ref */
} ksi_sref;

typedef struct ksi_sfield {
    const char *name;          /* the JSON name */
    unsigned short ref;        /* index in ksi_schema_refs */
} ksi_sfield;

typedef struct ksi_sstruct {
    const char *name;          /* the Go type's name */
    unsigned short first, n;   /* its fields in ksi_schema_fields, sorted by name */
} ksi_sstruct;

typedef struct ksi_skind {
    const char *api, *kind;
    unsigned short ref;
} ksi_skind;

extern const ksi_sfield ksi_schema_fields[];
extern const ksi_sstruct ksi_schema_structs[];
extern const ksi_sref ksi_schema_refs[];
extern const ksi_skind ksi_schema_kinds[];   /* ends with {0} */

/* The API server's strict decoding of doc as api/kind: an error at each
 * field its type does not have ("strict decoding error: unknown field
 * \"spec.template.spec.contianers\"; did you mean 'containers'?").
 * False when there was one. Kinds without a schema pass. */
bool ksi_schema_check(ks_reader *r, const char *api, const char *kind, const ks_yaml_node *doc);

#endif

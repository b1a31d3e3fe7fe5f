/*
 * jsonld_expand.c - the JSON-LD 1.1 Expansion algorithm (API section 5.1)
 * with value expansion (5.3). Builds the expanded form as jansson values;
 * contexts come from jsonld_context.c, already cached where possible.
 */
#include "jsonld_int.h"

#include <stdlib.h>
#include <string.h>

static int expand(struct jl_state *st, const struct jl_ctx *active, const char *prop,
                  const json_t *element, const char *base_url, int from_map, json_t **out);
/* expand() with prop's definition in active already looked up (pt). */
static int expand_t(struct jl_state *st, const struct jl_ctx *active, const char *prop,
                    const struct jl_term *pt, const json_t *element, const char *base_url,
                    int from_map, json_t **out);

static const struct jl_term *term_of(const struct jl_ctx *c, const char *prop)
{
    return prop ? jl_term_get(c, prop) : NULL;
}

static int has_key(const json_t *o, const char *k)
{
    return json_object_get(o, k) != NULL;
}

/* Appends value (stealing it) to obj[key] as an array. Arrays are flattened. */
static int add_value(json_t *obj, const char *key, json_t *value)
{
    json_t *arr = json_object_get(obj, key);
    if (!arr) {
        arr = json_array();
        if (!arr || json_object_set_new_nocheck(obj, key, arr)) {
            json_decref(value);
            return -1;
        }
    } else if (!json_is_array(arr)) {
        json_t *a2 = json_array();
        if (!a2 || json_array_append(a2, arr) || json_object_set_new_nocheck(obj, key, a2)) {
            json_decref(value);
            return -1;
        }
        arr = a2;
    }
    if (json_is_array(value)) {
        int rc = json_array_extend(arr, value);
        json_decref(value);
        return rc;
    }
    return json_array_append_new(arr, value);
}

static json_t *as_array(json_t *v)   /* steals v */
{
    if (!v || json_is_array(v))
        return v;
    json_t *a = json_array();
    if (a)
        json_array_append_new(a, v);
    else
        json_decref(v);
    return a;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Keys of o, sorted (the spec orders keys where the result depends on it). */
static const char **sorted_keys(struct jl_state *st, const json_t *o, size_t *n)
{
    *n = json_object_size(o);
    const char **keys = arena_alloc(st->a, (*n + 1) * sizeof *keys);
    if (!keys)
        return NULL;
    size_t i = 0;
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)o, k, v) keys[i++] = k;
    qsort(keys, *n, sizeof *keys, cmp_str);
    return keys;
}

static const char *exp_iri(struct jl_state *st, const struct jl_ctx *c, const char *v, int docrel,
                           int vocab, int *failed)
{
    return jl_expand_iri(st, c, v, docrel, vocab, failed);
}

/* A copy of an input value for the expanded form. The expanded form never
 * shares values with the input, so when it is built in a JSON arena window
 * (toRdf) the arena owns every node of it and it needs no releasing. */
static json_t *own(const json_t *v)
{
    return (json_is_object(v) || json_is_array(v)) ? json_deep_copy(v) : json_copy((json_t *)v);
}

/* {key: v} stealing v; json_pack parses its format each call, which showed
 * in profiles of the hot path. NULL on OOM. */
static json_t *obj1(const char *key, json_t *v)
{
    json_t *o = json_object();
    if (!o || !v || json_object_set_new_nocheck(o, key, v)) {
        json_decref(o);
        json_decref(v);
        return NULL;
    }
    return o;
}

/* Value Expansion (5.3.2). */
static int expand_value_t(struct jl_state *st, const struct jl_ctx *active,
                          const struct jl_term *t, const json_t *value, json_t **out)
{
    int failed = 0;
    if (t && t->type && json_is_string(value) &&
        (!strcmp(t->type, "@id") || !strcmp(t->type, "@vocab"))) {
        const char *iri = exp_iri(st, active, json_string_value(value), 1,
                                  !strcmp(t->type, "@vocab"), &failed);
        if (failed)
            return -1;
        *out = obj1("@id", iri ? json_string_nocheck(iri) : json_null());
        return *out ? 0 : jl_oom(st);
    }
    json_t *r = obj1("@value", own(value));
    if (!r)
        return jl_oom(st);
    if (t && t->type && strcmp(t->type, "@id") && strcmp(t->type, "@vocab") &&
        strcmp(t->type, "@none")) {
        json_object_set_new_nocheck(r, "@type", json_string_nocheck(t->type));
    } else if (json_is_string(value)) {
        const char *lang = (t && t->has_language) ? t->language : active->language;
        const char *dir = (t && t->has_direction) ? t->direction : active->direction;
        if (lang)
            json_object_set_new_nocheck(r, "@language", json_string_nocheck(lang));
        if (dir)
            json_object_set_new_nocheck(r, "@direction", json_string_nocheck(dir));
    }
    *out = r;
    return 0;
}

static int expand_value(struct jl_state *st, const struct jl_ctx *active, const char *prop,
                        const json_t *value, json_t **out)
{
    return expand_value_t(st, active, term_of(active, prop), value, out);
}

static int is_value_obj(const json_t *v) { return json_is_object(v) && has_key(v, "@value"); }
static int is_list_obj(const json_t *v) { return json_is_object(v) && has_key(v, "@list"); }
static int is_graph_obj(const json_t *v)
{
    if (!json_is_object(v) || !has_key(v, "@graph"))
        return 0;
    const char *k;
    json_t *x;
    json_object_foreach((json_t *)v, k, x) {
        if (strcmp(k, "@graph") && strcmp(k, "@id") && strcmp(k, "@index"))
            return 0;
    }
    return 1;
}

struct obj_ctx {
    const struct jl_ctx *active, *type_scoped;
    const char *prop;
    const char *input_type;
    const char *base_url;
    const uint32_t *key_hashes;   /* jl_key_hash of the element's keys in order, or NULL */
};

static int expand_object(struct jl_state *st, const struct obj_ctx *oc, const json_t *element,
                         json_t *result);

/* Handles one keyword entry (13.4). Returns 1 to mean "entry consumed". */
static int expand_keyword(struct jl_state *st, const struct obj_ctx *oc, const char *key,
                          const char *ep, const json_t *value, json_t *result, json_t **nests)
{
    const struct jl_ctx *active = oc->active;
    int failed = 0;
    json_t *ev = NULL;
    if (oc->prop && !strcmp(oc->prop, "@reverse"))
        return jl_fail(st, "invalid reverse property map", "keyword %s inside @reverse", ep);
    if (has_key(result, ep) && (active->mode10 || (strcmp(ep, "@included") && strcmp(ep, "@type"))))
        return jl_fail(st, "colliding keywords", "%s given twice", ep);
    if (!strcmp(ep, "@id")) {
        if (!json_is_string(value))
            return jl_fail(st, "invalid @id value", "@id must be a string");
        const char *iri = exp_iri(st, active, json_string_value(value), 1, 0, &failed);
        if (failed)
            return -1;
        if (st->opts->safe && !jl_is_iri_or_bnode(iri))
            return jl_unsafe(st, json_string_value(value), "is not an absolute IRI (@id)");
        ev = iri ? json_string_nocheck(iri) : json_null();
    } else if (!strcmp(ep, "@type")) {
        int ok = json_is_string(value);
        if (json_is_array(value)) {
            ok = 1;
            size_t i;
            json_t *e;
            json_array_foreach(value, i, e) if (!json_is_string(e)) ok = 0;
        }
        if (!ok)
            return jl_fail(st, "invalid type value", "@type must be a string or array of strings");
        ev = json_array();
        size_t n = json_is_array(value) ? json_array_size(value) : 1;
        for (size_t i = 0; i < n; i++) {
            const json_t *e = json_is_array(value) ? json_array_get(value, i) : value;
            const char *iri = exp_iri(st, oc->type_scoped, json_string_value(e), 1, 1, &failed);
            if (!failed && st->opts->safe && !jl_is_iri_or_bnode(iri)) {
                jl_unsafe(st, json_string_value(e), "is not an absolute IRI (@type)");
                failed = 1;
            }
            if (failed) {
                json_decref(ev);
                return -1;
            }
            json_array_append_new(ev, iri ? json_string_nocheck(iri) : json_null());
        }
        if (!json_is_array(value)) {
            json_t *one = json_incref(json_array_get(ev, 0));
            json_decref(ev);
            ev = one;
        }
        json_t *prev = json_object_get(result, "@type");
        if (prev) {
            json_t *a = json_array();
            if (json_is_array(prev))
                json_array_extend(a, prev);
            else
                json_array_append(a, prev);
            if (json_is_array(ev))
                json_array_extend(a, ev);
            else
                json_array_append(a, ev);
            json_decref(ev);
            ev = a;
        }
    } else if (!strcmp(ep, "@graph")) {
        if (expand(st, active, "@graph", value, oc->base_url, 0, &ev))
            return -1;
        ev = as_array(ev ? ev : json_array());
    } else if (!strcmp(ep, "@included")) {
        if (active->mode10)
            return 0;
        /* "@included" as active property keeps scalars and value objects
         * from being dropped, so they can be reported below. */
        if (expand(st, active, "@included", value, oc->base_url, 0, &ev))
            return -1;
        ev = as_array(ev ? ev : json_array());
        size_t i;
        json_t *e;
        json_array_foreach(ev, i, e) {
            if (!json_is_object(e) || has_key(e, "@value") || has_key(e, "@list") || has_key(e, "@set")) {
                json_decref(ev);
                return jl_fail(st, "invalid @included value", "@included must hold node objects");
            }
        }
        json_t *prev = json_object_get(result, "@included");
        if (prev) {
            json_array_extend(prev, ev);
            json_decref(ev);
            return 0;
        }
    } else if (!strcmp(ep, "@value")) {
        if (oc->input_type && !strcmp(oc->input_type, "@json")) {
            if (active->mode10)
                return jl_fail(st, "invalid value object value", "@json needs JSON-LD 1.1");
            ev = own(value);
        } else if (!json_is_null(value) && (json_is_object(value) || json_is_array(value))) {
            return jl_fail(st, "invalid value object value", "@value must be a scalar");
        } else {
            ev = own(value);
        }
    } else if (!strcmp(ep, "@language")) {
        if (!json_is_string(value))
            return jl_fail(st, "invalid language-tagged string", "@language must be a string");
        ev = own(value);
    } else if (!strcmp(ep, "@direction")) {
        if (active->mode10)
            return 0;
        const char *s = json_string_value(value);
        if (!s || (strcmp(s, "ltr") && strcmp(s, "rtl")))
            return jl_fail(st, "invalid base direction", "@direction must be ltr or rtl");
        ev = own(value);
    } else if (!strcmp(ep, "@index")) {
        if (!json_is_string(value))
            return jl_fail(st, "invalid @index value", "@index must be a string");
        ev = own(value);
    } else if (!strcmp(ep, "@list")) {
        if (!oc->prop || !strcmp(oc->prop, "@graph"))
            return 0;
        if (expand(st, active, oc->prop, value, oc->base_url, 0, &ev))
            return -1;
        ev = as_array(ev ? ev : json_array());
    } else if (!strcmp(ep, "@set")) {
        if (expand(st, active, oc->prop, value, oc->base_url, 0, &ev))
            return -1;
        if (!ev)
            ev = json_array();
    } else if (!strcmp(ep, "@reverse")) {
        if (!json_is_object(value))
            return jl_fail(st, "invalid @reverse value", "@reverse must be a map");
        if (expand(st, active, "@reverse", value, oc->base_url, 0, &ev))
            return -1;
        if (!json_is_object(ev)) {
            json_decref(ev);
            return 0;
        }
        const char *p;
        json_t *items;
        json_t *rev = json_object_get(ev, "@reverse");
        if (rev) {
            json_object_foreach(rev, p, items) {
                if (add_value(result, p, json_incref(items))) {
                    json_decref(ev);
                    return jl_oom(st);
                }
            }
        }
        json_object_foreach(ev, p, items) {
            if (!strcmp(p, "@reverse"))
                continue;
            json_t *rmap = json_object_get(result, "@reverse");
            if (!rmap) {
                rmap = json_object();
                json_object_set_new_nocheck(result, "@reverse", rmap);
            }
            size_t i;
            json_t *it;
            json_array_foreach(items, i, it) {
                if (is_value_obj(it) || is_list_obj(it)) {
                    jl_fail(st, "invalid reverse property value", "reverse property %s holds a value or list", p);
                    json_decref(ev);   /* after the message: p lives in ev */
                    return -1;
                }
            }
            add_value(rmap, p, json_incref(items));
        }
        json_decref(ev);
        return 0;
    } else if (!strcmp(ep, "@nest")) {
        if (!*nests && !(*nests = json_object()))   /* made on first use: @nest is rare */
            return jl_oom(st);
        json_object_set_new_nocheck(*nests, key, json_true());
        return 0;
    } else {
        return 0;   /* framing keywords and @context-like leftovers: nothing to keep */
    }
    if (!ev)
        return jl_oom(st);
    if (json_object_set_new_nocheck(result, ep, ev))
        return jl_oom(st);
    return 0;
}

static int expand_entry(struct jl_state *st, const struct obj_ctx *oc, const char *key,
                        const uint32_t *key_hash, const json_t *value, json_t *result, json_t **nests)
{
    const struct jl_ctx *active = oc->active;
    int failed = 0;
    if (!strcmp(key, "@context"))
        return 0;
    /* One term lookup serves both the key's IRI (a defined term expands to
     * its mapping) and its definition below. */
    const struct jl_term *t = jl_is_keyword(key) ? NULL
                              : key_hash     ? jl_term_get_h(active, key, *key_hash)
                                             : jl_term_get(active, key);
    const char *ep = t ? t->iri : exp_iri(st, active, key, 0, 1, &failed);
    if (failed)
        return -1;
    if (!ep || (!strchr(ep, ':') && !jl_is_keyword(ep))) {
        if (st->opts->safe)
            return jl_unsafe(st, key, "is not defined by any @context");
        return 0;
    }
    if (jl_is_keyword(ep))
        return expand_keyword(st, oc, key, ep, value, result, nests);

    unsigned container = t ? t->container : 0;
    json_t *ev = NULL;
    if (t && t->type && !strcmp(t->type, "@json")) {
        ev = json_pack("{s:o,s:s}", "@value", own(value), "@type", "@json");
    } else if ((container & JC_LANGUAGE) && json_is_object(value)) {
        ev = json_array();
        const char *dir = (t && t->has_direction) ? t->direction : active->direction;
        size_t n;
        const char **keys = sorted_keys(st, value, &n);
        if (!keys || !ev)
            return jl_oom(st);
        for (size_t i = 0; i < n; i++) {
            const json_t *lv = json_object_get(value, keys[i]);
            const char *le = exp_iri(st, active, keys[i], 0, 1, &failed);
            size_t m = json_is_array(lv) ? json_array_size(lv) : 1;
            for (size_t j = 0; j < m; j++) {
                const json_t *item = json_is_array(lv) ? json_array_get(lv, j) : lv;
                if (json_is_null(item))
                    continue;
                if (!json_is_string(item)) {
                    json_decref(ev);
                    return jl_fail(st, "invalid language map value", "language map values must be strings");
                }
                json_t *vo = obj1("@value", own(item));
                if (strcmp(keys[i], "@none") && !(le && !strcmp(le, "@none")))
                    json_object_set_new_nocheck(vo, "@language", json_string_nocheck(keys[i]));
                if (dir)
                    json_object_set_new_nocheck(vo, "@direction", json_string_nocheck(dir));
                json_array_append_new(ev, vo);
            }
        }
    } else if ((container & (JC_INDEX | JC_TYPE | JC_ID)) && json_is_object(value)) {
        ev = json_array();
        const char *index_key = (t && t->index) ? t->index : "@index";
        size_t n;
        const char **keys = sorted_keys(st, value, &n);
        if (!keys || !ev)
            return jl_oom(st);
        for (size_t i = 0; i < n; i++) {
            const char *index = keys[i];
            const struct jl_ctx *map_ctx = active;
            if (container & (JC_ID | JC_TYPE))
                map_ctx = active->previous ? active->previous : active;
            const struct jl_term *it = jl_term_get(map_ctx, index);
            if ((container & JC_TYPE) && it && it->has_context) {
                if (jl_process_context(st, map_ctx, it->context, it->base_url, 0, 1, 1,
                                       it->cacheable, &map_ctx)) {
                    json_decref(ev);
                    return -1;
                }
            } else {
                map_ctx = active;
            }
            const char *ei = exp_iri(st, active, index, 0, 1, &failed);
            if (failed) {
                json_decref(ev);
                return -1;
            }
            int is_none = ei && !strcmp(ei, "@none");
            json_t *iv;
            const json_t *raw = json_object_get(value, index);
            json_t *raw_arr = json_is_array(raw) ? json_incref((json_t *)raw)
                                                 : as_array(json_incref((json_t *)raw));
            int rc = expand(st, map_ctx, key, raw_arr, oc->base_url, 1, &iv);
            json_decref(raw_arr);
            if (rc) {
                json_decref(ev);
                return -1;
            }
            iv = as_array(iv ? iv : json_array());
            size_t j;
            json_t *item;
            json_array_foreach(iv, j, item) {
                json_t *use = json_incref(item);
                if ((container & JC_GRAPH) && !is_graph_obj(use)) {
                    json_t *g = json_object();
                    json_object_set_new_nocheck(g, "@graph", as_array(use));
                    use = g;
                }
                if ((container & JC_INDEX) && strcmp(index_key, "@index") && !is_none) {
                    json_t *re;
                    json_t *ix = json_string_nocheck(index);
                    int r2 = expand_value(st, active, index_key, ix, &re);
                    json_decref(ix);
                    if (r2) {
                        json_decref(use);
                        json_decref(iv);
                        json_decref(ev);
                        return -1;
                    }
                    const char *eik = exp_iri(st, active, index_key, 0, 1, &failed);
                    if (is_value_obj(use)) {
                        json_decref(re);
                        json_decref(use);
                        json_decref(iv);
                        json_decref(ev);
                        return jl_fail(st, "invalid value object", "property-valued index on a value object");
                    }
                    json_t *vals = json_array();
                    json_array_append_new(vals, re);
                    json_t *old = json_object_get(use, eik);
                    if (old) {
                        if (json_is_array(old))
                            json_array_extend(vals, old);
                        else
                            json_array_append(vals, old);
                    }
                    json_object_set_new_nocheck(use, eik, vals);
                } else if ((container & JC_INDEX) && !has_key(use, "@index") && !is_none) {
                    json_object_set_new_nocheck(use, "@index", json_string_nocheck(index));
                } else if ((container & JC_ID) && !has_key(use, "@id") && !is_none) {
                    const char *id = exp_iri(st, active, index, 1, 0, &failed);
                    json_object_set_new_nocheck(use, "@id", id ? json_string_nocheck(id) : json_null());
                } else if ((container & JC_TYPE) && !is_none) {
                    json_t *types = json_array();
                    json_array_append_new(types, json_string_nocheck(ei));
                    json_t *old = json_object_get(use, "@type");
                    if (old) {
                        if (json_is_array(old))
                            json_array_extend(types, old);
                        else
                            json_array_append(types, old);
                    }
                    json_object_set_new_nocheck(use, "@type", types);
                }
                json_array_append_new(ev, use);
            }
            json_decref(iv);
        }
    } else {
        if (expand_t(st, active, key, t, value, oc->base_url, 0, &ev))
            return -1;
    }
    if (!ev || json_is_null(ev)) {
        json_decref(ev);
        return 0;
    }
    if ((container & JC_LIST) && !is_list_obj(ev)) {
        json_t *l = json_object();
        json_object_set_new_nocheck(l, "@list", as_array(ev));
        ev = l;
    }
    if ((container & JC_GRAPH) && !(container & (JC_ID | JC_INDEX))) {
        ev = as_array(ev);
        json_t *wrapped = json_array();
        size_t i;
        json_t *e;
        json_array_foreach(ev, i, e) {
            json_t *g = json_object();
            json_object_set_new_nocheck(g, "@graph", as_array(json_incref(e)));
            json_array_append_new(wrapped, g);
        }
        json_decref(ev);
        ev = wrapped;
    }
    if (t && t->reverse) {
        json_t *rmap = json_object_get(result, "@reverse");
        if (!rmap) {
            rmap = json_object();
            json_object_set_new_nocheck(result, "@reverse", rmap);
        }
        ev = as_array(ev);
        size_t i;
        json_t *e;
        json_array_foreach(ev, i, e) {
            if (is_value_obj(e) || is_list_obj(e)) {
                json_decref(ev);
                return jl_fail(st, "invalid reverse property value", "reverse property %s holds a value or list", key);
            }
        }
        if (add_value(rmap, ep, ev))
            return jl_oom(st);
        return 0;
    }
    if (!json_object_get(result, ep)) {   /* common case: the property's first values */
        ev = as_array(ev);
        return ev && !json_object_set_new_nocheck(result, ep, ev) ? 0 : jl_oom(st);
    }
    if (add_value(result, ep, as_array(ev)))
        return jl_oom(st);
    return 0;
}

static int expand_object(struct jl_state *st, const struct obj_ctx *oc, const json_t *element,
                         json_t *result)
{
    json_t *nests = NULL;
    const char *k;
    const json_t *v;
    size_t ki = 0;
    json_object_foreach((json_t *)element, k, v) {
        const uint32_t *kh = oc->key_hashes ? &oc->key_hashes[ki++] : NULL;
        if (expand_entry(st, oc, k, kh, v, result, &nests)) {
            json_decref(nests);
            return -1;
        }
    }
    if (!nests)
        return 0;
    size_t n;
    const char **keys = sorted_keys(st, nests, &n);
    for (size_t i = 0; keys && i < n; i++) {
        const json_t *nv = json_object_get(element, keys[i]);
        size_t m = json_is_array(nv) ? json_array_size(nv) : 1;
        for (size_t j = 0; j < m; j++) {
            const json_t *e = json_is_array(nv) ? json_array_get(nv, j) : nv;
            if (!json_is_object(e)) {
                json_decref(nests);
                return jl_fail(st, "invalid @nest value", "@nest values must be maps");
            }
            const char *k2;
            json_t *v2;
            json_object_foreach((json_t *)e, k2, v2) {
                int failed = 0;
                const char *x = exp_iri(st, oc->active, k2, 0, 1, &failed);
                if (x && !strcmp(x, "@value")) {
                    json_decref(nests);
                    return jl_fail(st, "invalid @nest value", "@nest value holds @value");
                }
            }
            struct obj_ctx noc = *oc;
            noc.key_hashes = NULL;   /* another object's keys */
            const struct jl_term *nt = jl_term_get(oc->active, keys[i]);
            if (nt && nt->has_context &&
                jl_process_context(st, oc->active, nt->context, nt->base_url, 1, 1, 1,
                                   nt->cacheable, &noc.active)) {
                json_decref(nests);
                return -1;
            }
            if (expand_object(st, &noc, e, result)) {
                json_decref(nests);
                return -1;
            }
        }
    }
    json_decref(nests);
    return 0;
}

static int only_key(const json_t *o, const char *k)
{
    return json_object_size(o) == 1 && has_key(o, k);
}

/* The keyword entries of an expanded object, found in one pass: the checks
 * at the end of expansion asked for them one lookup (one key hash) each. */
struct result_keys {
    json_t *value, *type, *language, *direction, *index, *set, *list, *id;
    const char *unexpected;   /* first key a value object cannot have */
    size_t n;
};

static void result_keys_of(json_t *o, struct result_keys *r)
{
    memset(r, 0, sizeof *r);
    if (!json_is_object(o))
        return;
    const char *k;
    json_t *v;
    json_object_foreach(o, k, v) {
        r->n++;
        json_t **slot = NULL;
        int value_ok = 0;
        if (k[0] == '@') {
            switch (k[1]) {
            case 'v': if (!strcmp(k, "@value")) { slot = &r->value; value_ok = 1; } break;
            case 't': if (!strcmp(k, "@type")) { slot = &r->type; value_ok = 1; } break;
            case 'l':
                if (!strcmp(k, "@language")) { slot = &r->language; value_ok = 1; }
                else if (!strcmp(k, "@list")) slot = &r->list;
                break;
            case 'd': if (!strcmp(k, "@direction")) { slot = &r->direction; value_ok = 1; } break;
            case 'i':
                if (!strcmp(k, "@index")) { slot = &r->index; value_ok = 1; }
                else if (!strcmp(k, "@id")) slot = &r->id;
                break;
            case 's': if (!strcmp(k, "@set")) slot = &r->set; break;
            default: break;
            }
        }
        if (slot)
            *slot = v;
        if (!value_ok && !r->unexpected)
            r->unexpected = k;
    }
}

static int expand(struct jl_state *st, const struct jl_ctx *active, const char *prop,
                  const json_t *element, const char *base_url, int from_map, json_t **out)
{
    return expand_t(st, active, prop, term_of(active, prop), element, base_url, from_map, out);
}

static int expand_t(struct jl_state *st, const struct jl_ctx *active, const char *prop,
                    const struct jl_term *pt, const json_t *element, const char *base_url,
                    int from_map, json_t **out)
{
    *out = NULL;
    if (!element || json_is_null(element))
        return 0;
    if (++st->depth > 512) {
        st->depth--;
        return jl_fail(st, "invalid JSON-LD syntax", "document nests too deeply");
    }
    int rc = -1;
    int failed = 0;
    if (!json_is_object(element) && !json_is_array(element)) {
        if (!prop || !strcmp(prop, "@graph")) {
            rc = 0;
            goto done;
        }
        if (pt && pt->has_context) {
            if (jl_process_context(st, active, pt->context, pt->base_url, 1, 1, 1, pt->cacheable, &active))
                goto done;
            rc = expand_value(st, active, prop, element, out);   /* prop's definition may differ there */
        } else {
            rc = expand_value_t(st, active, pt, element, out);
        }
        goto done;
    }
    if (json_is_array(element)) {
        json_t *res = json_array();
        if (!res) {
            jl_oom(st);
            goto done;
        }
        size_t i;
        json_t *item;
        json_array_foreach(element, i, item) {
            json_t *e;
            if (expand_t(st, active, prop, pt, item, base_url, from_map, &e)) {
                json_decref(res);
                goto done;
            }
            if (pt && (pt->container & JC_LIST) && json_is_array(e)) {
                json_t *l = json_object();
                json_object_set_new_nocheck(l, "@list", e);
                e = l;
            }
            if (json_is_array(e)) {
                json_array_extend(res, e);
                json_decref(e);
            } else if (e && !json_is_null(e)) {
                json_array_append_new(res, e);
            } else {
                json_decref(e);
            }
        }
        *out = res;
        rc = 0;
        goto done;
    }
    /* element is a map: hash its keys once for the lookups below */
    uint32_t kh_small[16], *kh = kh_small;
    size_t nkeys = json_object_size(element);
    if (nkeys > 16 && !(kh = arena_alloc(st->a, nkeys * sizeof *kh))) {
        jl_oom(st);
        goto done;
    }
    const json_t *lc = NULL;   /* the element's own @context */
    {
        size_t i = 0;
        const char *k;
        json_t *v;
        json_object_foreach((json_t *)element, k, v) {
            kh[i++] = jl_key_hash(k);
            if (k[0] == '@' && !strcmp(k, "@context"))
                lc = v;
        }
    }
    if (active->previous && !from_map) {
        /* Only a key expanding to @value (or a lone @id) keeps the context.
         * Keywords expand to themselves; any other key reaches a keyword only
         * through its term definition (vocabulary and compact IRIs give IRIs),
         * so a term lookup answers without building every key's IRI. */
        int revert = 1;
        const char *k;
        json_t *v;
        size_t i = 0;
        json_object_foreach((json_t *)element, k, v) {
            const char *e = k;
            uint32_t h = kh[i++];
            if (k[0] != '@') {
                const struct jl_term *kt = jl_term_get_h(active, k, h);
                e = kt ? kt->iri : NULL;
            }
            if (e && e[0] == '@' && (!strcmp(e, "@value") ||
                                     (!strcmp(e, "@id") && json_object_size(element) == 1))) {
                revert = 0;
                break;
            }
        }
        if (revert)
            active = active->previous;
    }
    if (pt && pt->has_context &&
        jl_process_context(st, active, pt->context, pt->base_url, 1, 1, 1, pt->cacheable, &active))
        goto done;
    if (lc && jl_process_context(st, active, lc, base_url, 0, 1, 1, 0, &active))
        goto done;
    const struct jl_ctx *type_scoped = active;
    const char *input_type = NULL;
    {
        /* Only the keys expanding to @type matter here, and there is nearly
         * always at most one: collect them, sort only when there are more. */
        const char *tk[8];
        const char **keys = tk;
        size_t n = 0, cap = 8;
        const char *k0;
        json_t *v0;
        size_t i0 = 0;
        json_object_foreach((json_t *)element, k0, v0) {
            uint32_t h = kh[i0++];
            /* A defined term expands (vocabulary-relative) to its IRI mapping;
             * only an undefined compact IRI needs the full IRI expansion. */
            if (k0[0] == '@') {
                if (strcmp(k0, "@type"))
                    continue;
            } else {
                const struct jl_term *kt = jl_term_get_h(active, k0, h);
                if (kt) {
                    if (!kt->iri || strcmp(kt->iri, "@type"))
                        continue;
                } else {
                    if (!strchr(k0, ':'))
                        continue;   /* vocabulary IRI or dropped: never @type */
                    const char *e = exp_iri(st, active, k0, 0, 1, &failed);
                    if (!e || strcmp(e, "@type"))
                        continue;
                }
            }
            if (n == cap) {
                const char **nk = arena_alloc(st->a, cap * 2 * sizeof *nk);
                if (!nk) {
                    jl_oom(st);
                    goto done;
                }
                memcpy(nk, keys, n * sizeof *nk);
                keys = nk;
                cap *= 2;
            }
            keys[n++] = k0;
        }
        if (n > 1)
            qsort(keys, n, sizeof *keys, cmp_str);
        int first = 1;
        for (size_t i = 0; i < n; i++) {
            const json_t *tv = json_object_get(element, keys[i]);
            size_t m = json_is_array(tv) ? json_array_size(tv) : 1;
            const char **terms = arena_alloc(st->a, (m + 1) * sizeof *terms);
            size_t nt = 0;
            for (size_t j = 0; terms && j < m; j++) {
                const json_t *x = json_is_array(tv) ? json_array_get(tv, j) : tv;
                if (json_is_string(x))
                    terms[nt++] = json_string_value(x);
            }
            if (terms)
                qsort(terms, nt, sizeof *terms, cmp_str);
            for (size_t j = 0; j < nt; j++) {
                const struct jl_term *tt = jl_term_get(type_scoped, terms[j]);
                if (tt && tt->has_context &&
                    jl_process_context(st, active, tt->context, tt->base_url, 0, 0, 1,
                                       tt->cacheable, &active))
                    goto done;
            }
            if (first && m > 0) {
                const json_t *last = json_is_array(tv) ? json_array_get(tv, m - 1) : tv;
                if (json_is_string(last))
                    input_type = exp_iri(st, active, json_string_value(last), 0, 1, &failed);
                first = 0;
            }
        }
    }
    json_t *result = json_object();
    if (!result) {
        jl_oom(st);
        goto done;
    }
    struct obj_ctx oc = {active, type_scoped, prop, input_type, base_url, kh};
    if (expand_object(st, &oc, element, result)) {
        json_decref(result);
        goto done;
    }
    struct result_keys rk;
    result_keys_of(result, &rk);
    json_t *val = rk.value;
    if (val) {
        if (rk.unexpected) {
            jl_fail(st, "invalid value object", "unexpected %s in a value object", rk.unexpected);
            json_decref(result);   /* after the message: the key lives in result */
            goto done;
        }
        json_t *ty = rk.type;
        if (ty && (rk.language || rk.direction)) {
            json_decref(result);
            jl_fail(st, "invalid value object", "value object with both @type and @language");
            goto done;
        }
        if (ty && json_is_string(ty) && !strcmp(json_string_value(ty), "@json")) {
            /* any JSON value */
        } else if (json_is_null(val) || (json_is_array(val) && json_array_size(val) == 0)) {
            json_decref(result);
            rc = 0;
            goto done;
        } else if (!json_is_string(val) && rk.language) {
            json_decref(result);
            jl_fail(st, "invalid language-tagged value", "@language on a non-string value");
            goto done;
        } else if (ty && (!json_is_string(ty) || !jl_is_wellformed_iri(json_string_value(ty)) ||
                          !strncmp(json_string_value(ty), "_:", 2))) {
            json_decref(result);
            jl_fail(st, "invalid typed value", "@type of a value must be an IRI");
            goto done;
        }
    } else if (rk.type && !json_is_array(rk.type)) {
        json_object_set_new_nocheck(result, "@type", as_array(json_incref(rk.type)));
    } else if (rk.set || rk.list) {
        if (rk.n > 2 || (rk.n == 2 && !rk.index)) {
            json_decref(result);
            jl_fail(st, "invalid set or list object", "@set/@list objects take only @index besides");
            goto done;
        }
        if (rk.set) {
            json_t *s = json_incref(rk.set);
            json_decref(result);
            result = s;
            result_keys_of(result, &rk);
        }
    }
    if (json_is_object(result) && rk.n == 1 && rk.language) {   /* only @language */
        json_decref(result);
        rc = 0;
        goto done;
    }
    if (json_is_object(result) && (!prop || !strcmp(prop, "@graph"))) {
        if (rk.n == 0 || rk.value || rk.list || (rk.n == 1 && rk.id)) {
            json_decref(result);
            rc = 0;
            goto done;
        }
    }
    *out = result;
    rc = 0;
done:
    st->depth--;
    return rc;
}

int jl_expand_document(struct jl_state *st, const json_t *doc, json_t **out)
{
    const struct jl_ctx *active = jl_initial_ctx(st);
    if (!active)
        return -1;
    if (st->opts->expand_context) {
        const json_t *ec = st->opts->expand_context;
        if (json_is_object(ec) && json_object_get(ec, "@context"))
            ec = json_object_get(ec, "@context");
        if (jl_process_context(st, active, ec, st->opts->base, 0, 1, 1, 0, &active))
            return -1;
    }
    json_t *r;
    if (expand(st, active, NULL, doc, st->opts->base, 0, &r))
        return -1;
    if (json_is_object(r) && only_key(r, "@graph")) {
        json_t *g = json_incref(json_object_get(r, "@graph"));
        json_decref(r);
        r = g;
    }
    if (!r)
        r = json_array();
    *out = as_array(r);
    return *out ? 0 : jl_oom(st);
}

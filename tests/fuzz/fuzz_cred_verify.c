/*
 * fuzz_cred_verify.c - a Verifiable Credential through credential_verify()
 * (POST /api/v1/credentials/verify, `tradebridge credential verify`): proof
 * parsing, key resolution, JSON-LD/JCS canonicalization, signature, status
 * list decoding, dates. Input: the credential, or an envelope
 * {"credential": VC, "didDocuments": ..., "statusLists": ...} that also feeds
 * the DID documents and status list credentials the caller would supply.
 * The clock is fixed (2027-01-15) so a run is reproducible.
 */
#include "core/cred/verify.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    json_t *in = fuzz_json(data, size, 0);
    if (!in)
        return 0;
    struct verify_options o = {.has_now = 1, .now = 1800000000LL};
    const json_t *vc = in;
    json_t *env = json_object_get(in, "credential");
    if (env) {
        vc = env;
        o.did_documents = json_object_get(in, "didDocuments");
        o.status_lists = json_object_get(in, "statusLists");
        o.require_status = json_is_true(json_object_get(in, "requireStatus"));
    }
    struct arena *a = arena_new(64u << 20);
    struct verify_report rep;
    struct tb_err err = {0};
    if (credential_verify(vc, &o, &rep, a, &err) == 0) {
        FUZZ_ASSERT(rep.nerrors <= VERIFY_MAX_ERRORS);
        FUZZ_ASSERT(!rep.verified || rep.signature.state == CHECK_PASSED);
        json_t *j = verify_report_json(&rep);
        FUZZ_ASSERT(j);
        free(json_dumps(j, 0));
        json_decref(j);
    }
    arena_free(a);
    json_decref(in);
    return 0;
}

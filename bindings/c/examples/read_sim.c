/* Reads the simulated CCCD through the C ABI exactly as teller software reads a card: the
 * library calls the host's transmit callback for every APDU (here cccd_sim_transmit, with the
 * simulator as its context; a real host passes its own function over PC/SC, NFC or a network).
 *
 * Checks the ID number, the name with its diacritics and the verdict against the simulator's
 * persona, then a wrong key (code 3 and an error JSON) and a NULL and a non-UTF-8 request.
 * Exit status 0 when every check passed. Build and run (bindings/test-all.sh does this):
 *
 *   cargo build -p cccd-ffi --release
 *   gcc -std=c99 -Wall -Wextra -Werror -Ibindings/c bindings/c/examples/read_sim.c \
 *       -Ltarget/release -lcccd_ffi -Wl,-rpath,target/release -o target/read_sim
 *   valgrind --leak-check=full --error-exitcode=1 target/read_sim
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cccd.h"

static int failures = 0;

#define CHECK(cond, ...)                                                                       \
    do {                                                                                       \
        if (cond) {                                                                            \
            printf("ok    ");                                                                  \
        } else {                                                                               \
            printf("FAIL  ");                                                                  \
            failures++;                                                                        \
        }                                                                                      \
        printf(__VA_ARGS__);                                                                   \
        printf("\n");                                                                          \
    } while (0)

/* The string value of "key" in the first object that follows the member named `section`
 * (NULL: from the start), for the fields this test reads (no escaped quotes in them). Returns
 * a malloc'd copy, or NULL. A real host uses its JSON parser. */
static char *json_string(const char *json, const char *section, const char *key) {
    const char *p = json;
    char pattern[64];
    const char *start, *end;
    char *out;
    if (!p) return NULL;
    if (section) {
        snprintf(pattern, sizeof pattern, "\"%s\":", section);
        p = strstr(p, pattern);
        if (!p) return NULL;
    }
    snprintf(pattern, sizeof pattern, "\"%s\":", key);
    start = strstr(p, pattern);
    if (!start) return NULL;
    start += strlen(pattern);
    while (*start == ' ' || *start == '\n' || *start == '\r' || *start == '\t') start++;
    if (*start != '"') return NULL;
    start++;
    end = strchr(start, '"');
    if (!end) return NULL;
    out = malloc((size_t)(end - start) + 1);
    if (!out) return NULL;
    memcpy(out, start, (size_t)(end - start));
    out[end - start] = '\0';
    return out;
}

/* Whether "key" is true in the member named `section`. */
static int json_true(const char *json, const char *section, const char *key) {
    char pattern[64];
    const char *p = json ? strstr(json, section) : NULL;
    if (!p) return 0;
    snprintf(pattern, sizeof pattern, "\"%s\":", key);
    p = strstr(p, pattern);
    if (!p) return 0;
    p += strlen(pattern);
    while (*p == ' ') p++;
    return strncmp(p, "true", 4) == 0;
}

/* "code: message" of an error JSON, for the log (a static buffer). */
static const char *error_of(const char *json) {
    static char line[256];
    char *code = json_string(json, "error", "code");
    char *message = json_string(json, "error", "message");
    snprintf(line, sizeof line, "%s: %s", code ? code : "(no code)", message ? message : "");
    free(code);
    free(message);
    return line;
}

static int contains(const char *haystack, const char *needle) {
    return haystack && needle && strstr(haystack, needle) != NULL;
}

static int has_non_ascii(const char *s) {
    for (; s && *s; s++)
        if ((unsigned char)*s >= 0x80) return 1;
    return 0;
}

static int streq(const char *a, const char *b) { return a && b && strcmp(a, b) == 0; }

/* The progress callback: counts the events and remembers the face image's size. */
struct progress {
    unsigned events;
    long long dg2_total;
};

static void on_progress(void *ctx, const char *file, uint64_t file_read, int64_t file_total,
                        uint64_t session_read) {
    struct progress *p = ctx;
    (void)file_read;
    (void)session_read;
    p->events++;
    if (strcmp(file, "DG2") == 0 && file_total > 0) p->dg2_total = file_total;
}

int main(void) {
    char *persona = NULL, *result = NULL;
    char request[512], csca[128];
    char *id = NULL, *name = NULL, *can = NULL, *doc_id = NULL, *doc_name = NULL;
    struct progress progress = {0, -1};
    int32_t rc;
    cccd_sim *sim = cccd_sim_new(1);
    cccd_cancel_token *cancel = cccd_cancel_token_new();

    printf("cccd %s\n", cccd_version());
    if (!sim || !cancel) return 2;

    /* The expected values come from the simulator, not through the chip. */
    rc = cccd_sim_persona(sim, &persona);
    id = json_string(persona, NULL, "id_number");
    name = json_string(persona, NULL, "full_name");
    can = json_string(persona, NULL, "can");
    CHECK(rc == CCCD_GENUINE && id && name && can, "persona: %s", persona);

    /* The simulator's test CSCA as the trust source, so that the read gives a verdict. */
    snprintf(csca, sizeof csca, "cccd-read-sim-csca.der"); /* in the working directory */
    CHECK(cccd_sim_write_csca(csca) == CCCD_GENUINE, "test CSCA written to %s", csca);

    /* 1. A read with the 12-digit ID number (PACE with the CAN it implies). */
    snprintf(request, sizeof request, "{\"id_number\": \"%s\", \"trust\": [\"%s\"]}",
             id ? id : "", csca);
    rc = cccd_read_ex(request, cccd_sim_transmit, sim, CCCD_TRANSPORT_EXTENDED_LENGTH,
                      on_progress, &progress, cancel, &result);
    doc_id = json_string(result, "dg13", "id_number");
    doc_name = json_string(result, "dg13", "full_name");
    CHECK(rc == CCCD_GENUINE, "read: code %d (CCCD_GENUINE)", rc);
    CHECK(streq(doc_id, id), "ID number %s", doc_id ? doc_id : "(none)");
    CHECK(streq(doc_name, name), "name %s (UTF-8, diacritics kept)", doc_name ? doc_name : "");
    CHECK(has_non_ascii(doc_name), "the name is not plain ASCII");
    CHECK(json_true(result, "\"verification\":", "genuine"), "verdict: genuine");
    CHECK(progress.events > 3 && progress.dg2_total > 1000, "progress: %u events, DG2 %lld bytes",
          progress.events, progress.dg2_total);
    cccd_string_free(result);
    result = NULL;

    /* 2. A wrong key: code 3 and an error JSON that does not echo the key. */
    {
        char wrong[7] = "000000";
        size_t i;
        for (i = 0; i < 6 && can[i]; i++) wrong[i] = (char)('0' + (can[i] - '0' + 1) % 10);
        snprintf(request, sizeof request, "{\"can\": \"%s\"}", wrong);
        rc = cccd_read(request, cccd_sim_transmit, sim, &result);
        CHECK(rc == CCCD_WRONG_KEY, "wrong CAN: code %d (CCCD_WRONG_KEY)", rc);
        char *code = json_string(result, "error", "code");
        CHECK(streq(code, "wrong_access_key") && !contains(result, wrong), "wrong CAN: %s",
              error_of(result));
        free(code);
        cccd_string_free(result);
        result = NULL;
    }

    /* 3. A NULL request and a request that is not UTF-8: an error, never a crash. */
    rc = cccd_read(NULL, cccd_sim_transmit, sim, &result);
    CHECK(rc == CCCD_USAGE && contains(result, "\"bad_request\""), "NULL request: code %d %s",
          rc, error_of(result));
    cccd_string_free(result);
    result = NULL;
    rc = cccd_read("{\"can\": \"12\xff" "456\"}", cccd_sim_transmit, sim, &result);
    CHECK(rc == CCCD_USAGE && contains(result, "UTF-8"), "non-UTF-8 request: code %d %s", rc,
          error_of(result));
    cccd_string_free(result);
    result = NULL;
    rc = cccd_read("{}", cccd_sim_transmit, sim, NULL);
    CHECK(rc == CCCD_USAGE, "NULL result pointer: code %d", rc);
    rc = cccd_verify(NULL, &result);
    CHECK(rc == CCCD_USAGE && result != NULL, "cccd_verify(NULL): code %d", rc);
    cccd_string_free(result);

    /* 4. Cancel: a cancelled token stops the next read before its first APDU. */
    cccd_cancel(cancel);
    snprintf(request, sizeof request, "{\"id_number\": \"%s\"}", id ? id : "");
    rc = cccd_read_ex(request, cccd_sim_transmit, sim, 0, NULL, NULL, cancel, &result);
    CHECK(rc == CCCD_FAILURE && contains(result, "\"cancelled\""), "cancelled: code %d %s", rc,
          error_of(result));
    cccd_string_free(result);

    remove(csca);
    free(id);
    free(name);
    free(can);
    free(doc_id);
    free(doc_name);
    cccd_string_free(persona);
    cccd_cancel_token_free(cancel);
    cccd_sim_free(sim);
    printf(failures ? "%d check(s) FAILED\n" : "all checks passed\n", failures);
    return failures ? 1 : 0;
}

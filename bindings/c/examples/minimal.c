/* The 20-line example of docs/sdk/c.md: a read of the simulator through the transmit callback,
 * then a wrong key. The ID number is that of the simulator's card of seed 1. */
#include <stdio.h>
#include <string.h>
#include "cccd.h"

int main(void) {
    cccd_sim *sim = cccd_sim_new(1);          /* a real host passes its own transmit function */
    char *result = NULL;
    cccd_sim_write_csca("test-csca.der");     /* the simulator's test CSCA, for tests only */
    int32_t rc = cccd_read("{\"id_number\": \"040081519573\", \"trust\": [\"test-csca.der\"]}",
                           cccd_sim_transmit, sim, &result);
    const char *dg13 = strstr(result, "\"dg13\""), *genuine = strstr(result, "\"genuine\"");
    printf("code %d\n%.200s\n%.15s\n", rc, dg13 ? dg13 : result, genuine ? genuine : "");
    cccd_string_free(result);
    rc = cccd_read("{\"can\": \"000000\"}", cccd_sim_transmit, sim, &result);
    printf("code %d\n%s\n", rc, result);
    cccd_string_free(result);
    cccd_sim_free(sim);
    return 0;
}

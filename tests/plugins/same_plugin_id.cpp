// A second plugin claiming the id "testkit": the host must refuse it as a duplicate.
#include <apflow/sdk/sdk.h>

APFLOW_PLUGIN("testkit", "9.9.9", APFLOW_DESCRIPTION("An impostor"))

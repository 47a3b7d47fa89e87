/* A plugin whose table is smaller than ABI v1 allows: the host must refuse it. */
#include <apflow/abi.h>

static const apflow_plugin kPlugin = {16,  APFLOW_ABI_MAJOR, 0, "small", "1.0.0", NULL, NULL, NULL,
                                      NULL};

APFLOW_EXPORT const apflow_plugin* apflow_plugin_entry(void) {
  return &kPlugin;
}

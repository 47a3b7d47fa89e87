/* A plugin built for a future ABI major: the host must refuse it and name both versions. */
#include <apflow/abi.h>

static apflow_status init(const apflow_host_api* host, apflow_registrar* registrar,
                          const char* config, size_t size, apflow_error_sink* error) {
  (void)host, (void)registrar, (void)config, (void)size, (void)error;
  return APFLOW_OK;
}

static const apflow_plugin kPlugin = {sizeof(apflow_plugin),
                                      APFLOW_ABI_MAJOR + 1,
                                      0,
                                      "future",
                                      "9.0.0",
                                      "From the future",
                                      NULL,
                                      &init,
                                      NULL};

APFLOW_EXPORT const apflow_plugin* apflow_plugin_entry(void) {
  return &kPlugin;
}

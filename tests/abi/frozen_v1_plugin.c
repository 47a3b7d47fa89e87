/*
 * A plugin compiled against the frozen copy of the v1 header in tests/abi/v1/ — never against
 * the current SDK. As long as the host keeps loading and running it, ABI v1 is stable.
 * Written in plain C on purpose: the ABI must not need C++.
 */
#include <apflow/abi.h>
#include <stdio.h>
#include <string.h>

static const char kInputSchema[] =
    "{\"type\":\"object\",\"properties\":{\"text\":{\"type\":\"string\"}},"
    "\"required\":[\"text\"],\"additionalProperties\":false}";
static const char kOutputSchema[] =
    "{\"type\":\"object\",\"properties\":{\"upper\":{\"type\":\"string\"},"
    "\"cancelled\":{\"type\":\"boolean\"}},\"required\":[\"upper\"]}";

static const apflow_host_api* g_host;

/* Upper-cases inputs.text; the input is validated by the host, so the field is there. */
static void upper_invoke(void* user_data, apflow_call* call, const char* input, size_t size) {
  char out[512];
  const char* start = strstr(input, "\"text\":\"");
  size_t n = 0;
  (void)user_data;
  (void)size;
  call->report_progress(call, 0.5, "working");
  call->log(call, APFLOW_LOG_DEBUG, "frozen plugin running");
  if (start != NULL) {
    start += 8;
    while (start[n] != '"' && start[n] != '\0' && n < 200) ++n;
  }
  {
    size_t used = (size_t)snprintf(out, sizeof out, "{\"upper\":\"");
    size_t i;
    for (i = 0; i < n; ++i) {
      char c = start[i];
      out[used++] = (c >= 'a' && c <= 'z') ? (char)(c - 'a' + 'A') : c;
    }
    used += (size_t)snprintf(out + used, sizeof out - used, "\",\"cancelled\":%s}",
                             call->is_cancelled(call) ? "true" : "false");
    call->complete(call, APFLOW_OK, out, used, NULL);
  }
}

static void failing_invoke(void* user_data, apflow_call* call, const char* input, size_t size) {
  apflow_error error;
  (void)user_data, (void)input, (void)size;
  error.struct_size = sizeof error;
  error.code = "FROZEN_REFUSED";
  error.message = "the frozen plugin refuses politely";
  error.details_json = "{\"why\":\"testing\"}";
  error.retryable = 0;
  call->complete(call, APFLOW_ERROR, NULL, 0, &error);
}

static apflow_status init(const apflow_host_api* host, apflow_registrar* registrar,
                          const char* config, size_t config_size, apflow_error_sink* error) {
  apflow_module_def upper;
  apflow_module_def refuse;
  (void)config, (void)config_size;
  g_host = host;
  host->log(host, APFLOW_LOG_DEBUG, "frozen v1 plugin initialising");

  memset(&upper, 0, sizeof upper);
  upper.struct_size = sizeof upper;
  upper.id = "frozen_upper";
  upper.description = "Upper-cases text (a plugin built against the frozen v1 ABI).";
  upper.input_schema_json = kInputSchema;
  upper.output_schema_json = kOutputSchema;
  upper.annotations_json = "{\"readonly\":true}";
  upper.invoke = &upper_invoke;
  if (registrar->register_executor(registrar, &upper, error) != APFLOW_OK) return APFLOW_ERROR;

  memset(&refuse, 0, sizeof refuse);
  refuse.struct_size = sizeof refuse;
  refuse.id = "frozen.refuse";
  refuse.description = "Always fails with its own error code.";
  refuse.invoke = &failing_invoke;
  return registrar->register_module(registrar, &refuse, error);
}

static const apflow_plugin kPlugin = {sizeof(apflow_plugin),
                                      APFLOW_ABI_MAJOR,
                                      APFLOW_ABI_MINOR,
                                      "frozen_v1",
                                      "1.0.0",
                                      "Built against the frozen ABI v1 header",
                                      NULL,
                                      &init,
                                      NULL};

APFLOW_EXPORT const apflow_plugin* apflow_plugin_entry(void) {
  return &kPlugin;
}

// A shared library that is not an apflow plugin: it exports no apflow_plugin_entry.
extern "C" __attribute__((visibility("default"))) int some_other_function() {
  return 42;
}

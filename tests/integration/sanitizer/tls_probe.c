// A plugin-like library with a thread-local: loaded with dlopen, so each thread that touches
// it gets a dynamic TLS block that glibc allocates with malloc.
__attribute__((visibility("default"))) _Thread_local void* tls_probe_slot[2];

__attribute__((visibility("default"))) void tls_probe_touch(void* value) {
  tls_probe_slot[0] = value;
}

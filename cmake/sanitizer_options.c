// Defaults of the sanitizer runtime, linked into every executable of a sanitizer build (the
// asan and fuzz presets); ASAN_OPTIONS still overrides them key by key.
//
// intercept_tls_get_addr=0: up to GCC 13 and LLVM 16, the runtime's __tls_get_addr interceptor
// takes a dynamic TLS block whose address is 16 bytes past a page boundary for a glibc < 2.25
// block with a header, and reads the two words before it as the block's start and size. Since
// glibc 2.25 there is no such header: glibc mallocs the block, and an allocation lands at that
// offset by chance (often enough: every plugin .so with thread-locals gets such blocks, one per
// thread that touches them). LeakSanitizer then scans that garbage range at exit, its tracer
// thread faults, and a run whose tests all passed ends in "Tracer caught signal 11 ...
// LeakSanitizer has encountered a fatal error" (google/sanitizers#1322). Without the
// interception, dynamic TLS is not scanned for roots; no plugin keeps heap pointers only there.
__attribute__((visibility("default"), used)) const char* __asan_default_options(void) {
  return "intercept_tls_get_addr=0";
}

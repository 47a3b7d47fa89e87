/*
 * apflow plugin ABI, version 1.
 *
 * This header is the whole contract between the `apflow` host and a plugin (a shared library).
 * It is plain C so that a plugin built by another compiler, another standard library or another
 * release of apflow keeps working. Plugin authors normally use the C++ layer in
 * <apflow/sdk/sdk.h> and never touch these types directly.
 *
 * ---------------------------------------------------------------------------------------------
 * Stability rules
 *   - A plugin exports exactly one symbol: apflow_plugin_entry(). Nothing else is looked up.
 *   - Every struct that crosses the line starts with `uint32_t struct_size`, set by whoever fills
 *     it to sizeof() as that side compiled it. Structs only grow, at the end. A reader uses a
 *     trailing member only when struct_size covers it (see APFLOW_HAS_MEMBER). Members that
 *     ABI v1 defines are the minimum: the host refuses a table smaller than its *_V1_SIZE.
 *   - abi_major changes only when something is removed or changes meaning; the host refuses a
 *     plugin whose abi_major differs from its own. abi_minor grows with every addition.
 *
 * Ownership ("borrowed for the call")
 *   - Every pointer passed as an argument is borrowed: valid only until the function returns
 *     (or, for apflow_call, until complete() is called). Copy what you keep.
 *   - Nothing allocated on one side is freed by the other. Where a result must travel back, the
 *     receiver passes a sink (apflow_error_sink, apflow_text_sink) and the sender calls it with
 *     borrowed data before returning.
 *   - Strings are UTF-8. `const char*` without a length is NUL-terminated; JSON travels as UTF-8
 *     text with an explicit length.
 *   - The apflow_plugin descriptor and the strings it points to are static: valid until the
 *     process exits. Registration defs are copied by the host during the registrar call; the
 *     user_data and function pointers they carry must stay valid until shutdown().
 *
 * Errors
 *   - Every fallible call returns apflow_status. On anything but APFLOW_OK it has reported one
 *     apflow_error to the error sink it was given (when the sink is not NULL). Exceptions never
 *     cross this line: a plugin catches everything at its edge (the SDK does this for you).
 *   - Error codes are apcore's (MODULE_EXECUTE_ERROR, SCHEMA_VALIDATION_ERROR, ...) or a
 *     plugin's own in the form <LASTSEGMENT>_<NAME>, e.g. REST_TIMEOUT.
 *
 * Threading and lifetime
 *   - apflow_plugin_entry(), init() and every registrar function run on the host's main thread,
 *     once, before any other call into the plugin. A registrar is valid only during init().
 *   - invoke functions (module calls, executor runs) may be called concurrently from any host
 *     thread and must be thread-safe. They may do the work before returning (the host calls them
 *     on a worker thread) or return at once and finish later on a thread of their own.
 *   - apflow_call: complete() is called exactly once, from any thread. Its other functions are
 *     thread-safe and usable from any thread until complete() returns; after that, the call must
 *     not be touched.
 *   - apflow_host_api functions are thread-safe and valid until shutdown() returns.
 *   - shutdown() runs once on the main thread after every call has completed. The host never
 *     unloads a plugin library before the process exits, so code and static data stay mapped.
 * ---------------------------------------------------------------------------------------------
 */
#ifndef APFLOW_ABI_H
#define APFLOW_ABI_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define APFLOW_ABI_MAJOR 1
#define APFLOW_ABI_MINOR 2

/* The one exported entry point's name, as the host looks it up. */
#define APFLOW_PLUGIN_ENTRY_SYMBOL "apflow_plugin_entry"

#if defined(_WIN32)
#define APFLOW_EXPORT __declspec(dllexport)
#else
#define APFLOW_EXPORT __attribute__((visibility("default")))
#endif

/* Size of a struct up to and including `member`: how the *_V1_SIZE minimums are defined. */
#define APFLOW_SIZE_THROUGH(type, member) (offsetof(type, member) + sizeof(((type*)0)->member))
/* True when a struct filled by the other side is large enough to hold `member`. */
#define APFLOW_HAS_MEMBER(ptr, type, member) \
  ((ptr)->struct_size >= APFLOW_SIZE_THROUGH(type, member))

typedef enum apflow_status {
  APFLOW_OK = 0,
  APFLOW_ERROR = 1,     /* failed; the error sink says why */
  APFLOW_CANCELLED = 2, /* stopped because the call was cancelled */
  APFLOW_TIMEOUT = 3    /* stopped because its deadline passed */
} apflow_status;

typedef enum apflow_log_level {
  APFLOW_LOG_TRACE = 0,
  APFLOW_LOG_DEBUG = 1,
  APFLOW_LOG_INFO = 2,
  APFLOW_LOG_WARN = 3,
  APFLOW_LOG_ERROR = 4
} apflow_log_level;

/* ---- errors and sinks ---------------------------------------------------------------------- */

typedef struct apflow_error {
  uint32_t struct_size;
  const char* code;         /* apcore error code, e.g. "MODULE_EXECUTE_ERROR"; never NULL */
  const char* message;      /* what was wrong and how to fix it; never NULL */
  const char* details_json; /* a JSON object with specifics, or NULL */
  int32_t retryable;        /* 1 yes, 0 no, -1 let the host decide from the code */
} apflow_error;
#define APFLOW_ERROR_V1_SIZE APFLOW_SIZE_THROUGH(apflow_error, retryable)

/* Receives one error, borrowed for the duration of report(). */
typedef struct apflow_error_sink {
  uint32_t struct_size;
  void* context;
  void (*report)(void* context, const apflow_error* error);
} apflow_error_sink;

/* Receives one piece of text (usually JSON), borrowed for the duration of write(). */
typedef struct apflow_text_sink {
  uint32_t struct_size;
  void* context;
  void (*write)(void* context, const char* data, size_t size);
} apflow_text_sink;

/* ---- the call object: one module call or one executor run ---------------------------------- */

/*
 * Created by the host for every invocation and handed to the plugin's invoke function.
 * The plugin must finish it with complete() exactly once, whatever happens.
 */
typedef struct apflow_call apflow_call;
struct apflow_call {
  uint32_t struct_size;
  void* host_data; /* host-private */

  /* Identity of this run. task_id is NULL for a direct module call. idempotency_key is stable
   * across retries of one attempt and differs between attempts; executors that talk to the
   * outside world can pass it on. */
  const char* module_id;
  const char* task_id;
  const char* trace_id;
  const char* idempotency_key;
  uint32_t attempt;    /* 1 for the first attempt */
  int64_t deadline_ms; /* milliseconds since the Unix epoch; 0 when there is none */

  /* Finish the call. status APFLOW_OK: output_json is the result object and error is NULL.
   * Otherwise error says why (NULL is allowed and reported as MODULE_EXECUTE_ERROR). */
  void (*complete)(apflow_call* call, apflow_status status, const char* output_json,
                   size_t output_size, const apflow_error* error);

  /* Non-zero once the caller cancelled or the deadline passed. Cheap; poll it freely. */
  int (*is_cancelled)(const apflow_call* call);

  /* Progress in [0, 1] with an optional short message (may be NULL). */
  void (*report_progress)(apflow_call* call, double fraction, const char* message);

  /* Resource usage as a JSON object: {"input_tokens":n,"output_tokens":n,"model":"..."}. */
  void (*report_usage)(apflow_call* call, const char* usage_json, size_t usage_size);

  /* A log line attributed to this call. */
  void (*log)(apflow_call* call, apflow_log_level level, const char* message);

  /* Durable checkpoint of this task (a JSON value). save replaces the previous one; load writes
   * the last saved checkpoint to the sink, or nothing when there is none. Both fail with
   * GENERAL_NOT_IMPLEMENTED outside a task run. */
  apflow_status (*save_checkpoint)(apflow_call* call, const char* json, size_t size,
                                   apflow_error_sink* error);
  apflow_status (*load_checkpoint)(apflow_call* call, apflow_text_sink* out,
                                   apflow_error_sink* error);
};
#define APFLOW_CALL_V1_SIZE APFLOW_SIZE_THROUGH(apflow_call, load_checkpoint)

/* Starts a call. input_json is the validated input object. Returns nothing: the outcome always
 * arrives through call->complete(). */
typedef void (*apflow_invoke_fn)(void* user_data, apflow_call* call, const char* input_json,
                                 size_t input_size);

/* ---- what a plugin registers --------------------------------------------------------------- */

/*
 * A module (a capability agents call) or an executor (a task type that also appears as the
 * module "apflow.<id>"). Metadata is JSON text so it can grow without changing the ABI.
 */
typedef struct apflow_module_def {
  uint32_t struct_size;
  const char* id;                 /* module id ("ns.name") or executor id ("rest_executor") */
  const char* name;               /* human title, or NULL */
  const char* description;        /* one or two plain sentences, <= 200 chars */
  const char* version;            /* semver; NULL means "1.0.0" */
  const char* input_schema_json;  /* JSON Schema of the input object; NULL means {} */
  const char* output_schema_json; /* JSON Schema of the result object; NULL means {} */
  /* {"readonly":b,"destructive":b,"idempotent":b,"requires_approval":b,"open_world":b,
   *  "streaming":b}; missing keys take apcore defaults. NULL means all defaults. */
  const char* annotations_json;
  const char* tags_json;     /* JSON array of strings, or NULL */
  const char* examples_json; /* JSON array of {"title","inputs","output"?}, or NULL */
  const char* documentation; /* Markdown, or NULL */
  apflow_invoke_fn invoke;
  void* user_data;
} apflow_module_def;
#define APFLOW_MODULE_DEF_V1_SIZE APFLOW_SIZE_THROUGH(apflow_module_def, user_data)

/* An open storage backend instance; its operations are defined by apflow_storage_ops. */
typedef struct apflow_storage apflow_storage;

/*
 * One storage operation: a JSON request in, a JSON response written to `response` (once, before
 * returning APFLOW_OK). Each operation is one transaction. The request and response shapes, and
 * the error codes, are specified in docs/storage.md; the engine is the only caller.
 */
typedef apflow_status (*apflow_storage_op)(apflow_storage* storage, const char* request_json,
                                           size_t request_size, apflow_text_sink* response,
                                           apflow_error_sink* error);

/* Operations of a storage backend. Thread-safe: the engine calls them from several threads. */
typedef struct apflow_storage_ops {
  uint32_t struct_size;
  /* Opens the store described by config_json (the "storage" config section, with the resolved
   * path or URL), creating or migrating its schema. */
  apflow_status (*open)(void* user_data, const char* config_json, size_t config_size,
                        apflow_storage** out, apflow_error_sink* error);
  void (*close)(apflow_storage* storage);
  /* ---- ABI 1.1: the engine's store (docs/storage.md) ---- */
  apflow_storage_op create_tasks;    /* insert a batch of tasks and their edges atomically */
  apflow_storage_op get_tasks;       /* rows by id */
  apflow_storage_op query_tasks;     /* filtered, ordered page with the true total */
  apflow_storage_op update_task;     /* set fields, compare-and-set on status */
  apflow_storage_op delete_tasks;    /* delete a set atomically; refuses running tasks */
  apflow_storage_op queue_tasks;     /* mark tasks to run and compute their readiness */
  apflow_storage_op claim_tasks;     /* claim ready tasks by priority with a lease */
  apflow_storage_op finish_tasks;    /* complete/fail claims and update their dependents */
  apflow_storage_op cancel_tasks;    /* cancel tasks and what depends on them */
  apflow_storage_op renew_leases;    /* extend the leases a node holds */
  apflow_storage_op expire_leases;   /* return tasks of expired leases to the queue */
  apflow_storage_op record_progress; /* persist progress fractions */
  apflow_storage_op save_checkpoint; /* replace a task's checkpoint */
  apflow_storage_op load_checkpoint; /* read a task's checkpoint */
  /* ---- ABI 1.2 ---- */
  apflow_storage_op claim_inline; /* ready tasks of inline executors, read without writing */
} apflow_storage_ops;
#define APFLOW_STORAGE_OPS_V1_SIZE APFLOW_SIZE_THROUGH(apflow_storage_ops, close)
#define APFLOW_STORAGE_OPS_V1_1_SIZE APFLOW_SIZE_THROUGH(apflow_storage_ops, load_checkpoint)
#define APFLOW_STORAGE_OPS_V1_2_SIZE APFLOW_SIZE_THROUGH(apflow_storage_ops, claim_inline)

typedef struct apflow_storage_def {
  uint32_t struct_size;
  const char* id; /* backend name used in config: "sqlite", "postgres" */
  const char* description;
  const char* config_schema_json; /* JSON Schema of the "storage" section it accepts, or NULL */
  const apflow_storage_ops* ops;
  void* user_data;
} apflow_storage_def;
#define APFLOW_STORAGE_DEF_V1_SIZE APFLOW_SIZE_THROUGH(apflow_storage_def, user_data)

typedef struct apflow_host_api apflow_host_api;

/* A protocol front-end (MCP, A2A, CLI): owns a top-level `apflow <command>` and runs it. */
typedef struct apflow_protocol_def {
  uint32_t struct_size;
  const char* id; /* "mcp" */
  const char* description;
  /* The `apflow <command>` it serves; "*" serves every command that no built-in or other
   * protocol serves (how the CLI plugin turns modules into commands); NULL for none. */
  const char* command;
  /* Runs the command with its own arguments (argv[0] is the command) until done; returns the
   * process exit code. Called on the main thread. */
  int (*run)(void* user_data, const apflow_host_api* host, int argc, const char* const* argv);
  /* Asks a running command to stop soon (SIGINT/SIGTERM). Called from a signal-watching
   * thread; must only set a flag or post to the plugin's own loop. */
  void (*request_stop)(void* user_data);
  void* user_data;
} apflow_protocol_def;
#define APFLOW_PROTOCOL_DEF_V1_SIZE APFLOW_SIZE_THROUGH(apflow_protocol_def, user_data)

/* Handed to init(). The host copies every def and its strings during the call; user_data and
 * the function pointers must stay valid until shutdown(). */
typedef struct apflow_registrar apflow_registrar;
struct apflow_registrar {
  uint32_t struct_size;
  void* host_data;
  apflow_status (*register_module)(apflow_registrar* self, const apflow_module_def* def,
                                   apflow_error_sink* error);
  apflow_status (*register_executor)(apflow_registrar* self, const apflow_module_def* def,
                                     apflow_error_sink* error);
  apflow_status (*register_storage)(apflow_registrar* self, const apflow_storage_def* def,
                                    apflow_error_sink* error);
  apflow_status (*register_protocol)(apflow_registrar* self, const apflow_protocol_def* def,
                                     apflow_error_sink* error);
};
#define APFLOW_REGISTRAR_V1_SIZE APFLOW_SIZE_THROUGH(apflow_registrar, register_protocol)

/* ---- what the host offers ------------------------------------------------------------------ */

typedef struct apflow_invocation apflow_invocation;     /* a module call started through invoke() */
typedef struct apflow_subscription apflow_subscription; /* an event subscription */

typedef struct apflow_invoke_request {
  uint32_t struct_size;
  const char* module_id;
  const char* input_json;
  size_t input_size;
  int64_t timeout_ms;    /* 0: the configured default (modules.default_timeout_ms) */
  const char* caller_id; /* who is calling, e.g. "mcp"; may be NULL */
  void* user_data;
  /* Optional. Called from any thread while the call runs. */
  void (*on_progress)(void* user_data, double fraction, const char* message);
  /* Called exactly once from any thread, possibly before invoke() returns. */
  void (*on_done)(void* user_data, apflow_status status, const char* output_json,
                  size_t output_size, const apflow_error* error);
} apflow_invoke_request;
#define APFLOW_INVOKE_REQUEST_V1_SIZE APFLOW_SIZE_THROUGH(apflow_invoke_request, on_done)

struct apflow_host_api {
  uint32_t struct_size;
  uint32_t abi_major;
  uint32_t abi_minor;
  const char* host_version;
  void* host_data; /* host-private; identifies the plugin this table was given to */

  /* True when a message at this level would be written; lets a plugin skip formatting. */
  int (*log_enabled)(const apflow_host_api* host, apflow_log_level level);
  /* A log line attributed to the plugin. */
  void (*log)(const apflow_host_api* host, apflow_log_level level, const char* message);

  /* Writes a JSON array of every module descriptor (apcore wire form) to out. */
  apflow_status (*list_modules)(const apflow_host_api* host, apflow_text_sink* out,
                                apflow_error_sink* error);

  /* Calls a module through the host's pipeline (lookup, input validation, deadline,
   * cancellation, error mapping). On APFLOW_OK *out is a handle the caller must release; the
   * outcome arrives through request->on_done. On error nothing was started. */
  apflow_status (*invoke)(const apflow_host_api* host, const apflow_invoke_request* request,
                          apflow_invocation** out, apflow_error_sink* error);
  /* Asks the call to stop; on_done still arrives (usually with APFLOW_CANCELLED). */
  void (*cancel_invocation)(apflow_invocation* invocation);
  /* Releases the handle; allowed before or after on_done. */
  void (*release_invocation)(apflow_invocation* invocation);

  /* ---- ABI 1.1 ---- */
  /* Subscribes to task events. filter_json: {} for all, or {"task_tree_id":"..."}. on_event
   * receives one event object (docs/engine.md) per call, from any thread, until the
   * subscription is released. */
  apflow_status (*subscribe_events)(const apflow_host_api* host, const char* filter_json,
                                    size_t filter_size, void* user_data,
                                    void (*on_event)(void* user_data, const char* event_json,
                                                     size_t event_size),
                                    apflow_subscription** out, apflow_error_sink* error);
  /* Ends a subscription; no on_event call is running or will start once it returns. */
  void (*release_subscription)(apflow_subscription* subscription);
};
#define APFLOW_HOST_API_V1_SIZE APFLOW_SIZE_THROUGH(apflow_host_api, release_invocation)
#define APFLOW_HOST_API_V1_1_SIZE APFLOW_SIZE_THROUGH(apflow_host_api, release_subscription)

/* ---- the plugin itself --------------------------------------------------------------------- */

typedef struct apflow_plugin {
  uint32_t struct_size;
  uint32_t abi_major; /* APFLOW_ABI_MAJOR as the plugin was compiled */
  uint32_t abi_minor;
  const char* id;      /* unique plugin id: [a-z][a-z0-9_]* */
  const char* version; /* the plugin's own version */
  const char* description;
  /* JSON Schema of the plugin's section `plugins.<id>` in apflow.yaml, or NULL when it takes
   * no configuration. The host validates the section before init(). */
  const char* config_schema_json;
  /* Registers what the plugin offers. config_json is its validated section ({} when absent).
   * `host` stays valid until shutdown() returns. */
  apflow_status (*init)(const apflow_host_api* host, apflow_registrar* registrar,
                        const char* config_json, size_t config_size, apflow_error_sink* error);
  /* Optional (may be NULL): releases what init() made. */
  void (*shutdown)(void);
} apflow_plugin;
#define APFLOW_PLUGIN_V1_SIZE APFLOW_SIZE_THROUGH(apflow_plugin, shutdown)

/* The one symbol a plugin exports. Returns a pointer to static data; never NULL. */
typedef const apflow_plugin* (*apflow_plugin_entry_fn)(void);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* APFLOW_ABI_H */

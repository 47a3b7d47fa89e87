// The A2A-specific JSON-RPC error codes (A2A 1.0 §5.4), next to the JSON-RPC ones of
// common/jsonrpc.h.
#pragma once

namespace apflow::plugins::a2a {

inline constexpr int kTaskNotFound = -32001;
inline constexpr int kTaskNotCancelable = -32002;
inline constexpr int kPushNotificationNotSupported = -32003;
inline constexpr int kUnsupportedOperation = -32004;
inline constexpr int kExtendedCardNotConfigured = -32007;
inline constexpr int kVersionNotSupported = -32009;

}  // namespace apflow::plugins::a2a

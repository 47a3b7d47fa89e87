#include "storage/common/request_spans.h"

#include <rapidjson/encodedstream.h>
#include <rapidjson/error/en.h>
#include <rapidjson/memorystream.h>
#include <rapidjson/reader.h>

#include <algorithm>

#include "storage/common/errors.h"

namespace apflow::plugins::storage {

// A SAX handler that builds nothing: it follows the depth and, through the stream's position,
// notes where values end. Values and elements begin where the previous token ended; parse()
// skips the separators in between.
using Stream = rapidjson::EncodedInputStream<rapidjson::UTF8<>, rapidjson::MemoryStream>;

class RequestSpans::Scanner
    : public rapidjson::BaseReaderHandler<rapidjson::UTF8<>, RequestSpans::Scanner> {
 public:
  Scanner(RequestSpans& out, Stream& stream, Keys allowed, Keys split)
      : out_(out), stream_(stream), allowed_(allowed), split_(split) {}

  bool Default() { return value_done(); }
  bool String(const char* text, rapidjson::SizeType length, bool) {
    if (depth_ == 3 && splitting_ && id_is_next_) id_.assign(text, length);
    return value_done();
  }
  bool StartObject() { return open(true); }
  bool StartArray() {
    if (depth_ == 1 && splits(key_)) {
      out_.items_[key_];  // present, even when empty
      splitting_ = true;
      last_ = stream_.Tell();
    }
    return open(false);
  }
  bool EndObject(rapidjson::SizeType) { return close(); }
  bool EndArray(rapidjson::SizeType) { return close(); }
  bool Key(const char* name, rapidjson::SizeType length, bool) {
    id_is_next_ = depth_ == 3 && std::string_view(name, length) == "id";
    if (depth_ != 1) return true;
    key_.assign(name, length);
    if (std::find(allowed_.begin(), allowed_.end(), key_) == allowed_.end()) {
      error_ = "unknown field '" + key_ + "'";
      return false;
    }
    after_key_ = stream_.Tell();
    return true;
  }

  const std::string& error() const { return error_; }

 private:
  bool splits(const std::string& key) const {
    return std::find(split_.begin(), split_.end(), key) != split_.end();
  }
  bool open(bool object) {
    if (depth_ == 0 && !object) {
      error_ = "the request must be a JSON object";
      return false;
    }
    ++depth_;
    return true;
  }
  bool close() {
    --depth_;
    if (depth_ == 1) splitting_ = false;
    return depth_ == 0 || value_done();
  }
  bool value_done() {
    if (depth_ == 0) {
      error_ = "the request must be a JSON object";
      return false;
    }
    if (depth_ == 1) {
      out_.values_[key_] = Span{after_key_, stream_.Tell(), {}};
    } else if (depth_ == 2 && splitting_) {
      out_.items_[key_].push_back(Span{last_, stream_.Tell(), std::move(id_)});
      id_.clear();
      last_ = stream_.Tell();
    }
    return true;
  }

  RequestSpans& out_;
  Stream& stream_;
  Keys allowed_, split_;
  int depth_ = 0;
  bool splitting_ = false;
  std::string key_;
  std::size_t after_key_ = 0;
  std::size_t last_ = 0;
  bool id_is_next_ = false;
  std::string id_;
  std::string error_;
};

RequestSpans::RequestSpans(std::string_view text, Keys allowed, Keys split) : text_(text) {
  rapidjson::MemoryStream memory(text.data(), text.size());
  Stream stream(memory);
  Scanner scanner(*this, stream, allowed, split);
  rapidjson::Reader reader;
  reader.Parse(stream, scanner);  // recursive mode: the handler runs after each token is taken
  if (!scanner.error().empty()) throw_invalid(scanner.error());
  if (reader.HasParseError()) {
    throw_invalid("the request is not valid JSON (offset " +
                  std::to_string(reader.GetErrorOffset()) +
                  "): " + rapidjson::GetParseError_En(reader.GetParseErrorCode()));
  }
}

sdk::Json RequestSpans::value(std::string_view key) const {
  sdk::Json out;
  parse(values_.find(key)->second, out);
  return out;
}

const std::vector<Span>& RequestSpans::items(std::string_view key) const {
  static const std::vector<Span> none;
  // A split key given as anything but an array has a value and no items.
  if (auto it = items_.find(key); it != items_.end()) return it->second;
  if (has(key)) throw_invalid("field '" + std::string(key) + "' must be an array");
  return none;
}

void RequestSpans::parse(const Span& span, sdk::Json& out) const {
  std::size_t begin = span.begin;
  while (begin < span.end &&
         std::string_view(" \t\r\n,:").find(text_[begin]) != std::string_view::npos) {
    ++begin;
  }
  out.SetNull();
  out.GetAllocator().Clear();  // the previous element's memory, not kept for the next
  out.Parse(text_.data() + begin, span.end - begin);
}

}  // namespace apflow::plugins::storage

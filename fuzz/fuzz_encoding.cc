// Encoding detection and the decoding stream buffer: whatever the bytes, the decoded text of a
// UTF-8 input is the input (minus a BOM), and GB18030 decoding yields valid UTF-8 apart from
// the invalid-byte marker.
#include <cstdlib>
#include <sstream>

#include "collectors/encoding.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace parkwatch;
  std::string input(reinterpret_cast<const char*>(data), size);
  TextEncoding detected = DetectEncoding(std::string_view(input).substr(0, kDetectWindow));
  if (detected == TextEncoding::kUtf8 && input.rfind("\xEF\xBB\xBF", 0) != 0 &&
      FindInvalidUtf8(input, /*allow_truncated_tail=*/true) != std::string::npos &&
      input.size() <= kDetectWindow)
    std::abort();  // UTF-8 claimed for text that is not
  FindInvalidUtf8(input, false);
  for (TextEncoding encoding : {TextEncoding::kUtf8, TextEncoding::kGb18030}) {
    // Split the input between the caller's head and the stream at an input-chosen point.
    size_t split = size ? data[0] % (size + 1) : 0;
    std::istringstream source(input.substr(split));
    DecodingStreambuf decoder(source.rdbuf(), encoding, input.substr(0, split));
    std::istream in(&decoder);
    std::string out((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (encoding == TextEncoding::kUtf8) {
      std::string expected = input.rfind("\xEF\xBB\xBF", 0) == 0 ? input.substr(3) : input;
      if (out != expected) std::abort();
    } else {
      std::string cleaned;
      for (char c : out)
        if (c != kInvalidByteMarker) cleaned += c;
      if (FindInvalidUtf8(cleaned) != std::string::npos) std::abort();
    }
    if (decoder.source_bytes() != static_cast<int64_t>(size)) std::abort();
  }
  return 0;
}

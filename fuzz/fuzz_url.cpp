// libFuzzer target: database URL normalisation, redaction and libpq parsing. A password in the
// URL must never appear in a message.
#include "core/database_url.hpp"
#include "core/errors.hpp"

#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string url(reinterpret_cast<const char*>(data), size);
    usersctl::redact_url(url);
    try {
        usersctl::normalise_url(url);
        usersctl::build_conninfo(url, 10);
    } catch (const usersctl::ConfigError&) {
    }
    // A canary password inside a well-formed URL around the fuzzed text never survives redaction.
    const std::string wrapped = "postgresql://u:Zq8Canary@" + url;
    try {
        usersctl::build_conninfo(wrapped, 10);
    } catch (const usersctl::ConfigError& e) {
        if (std::string(e.what()).find("Zq8Canary") != std::string::npos) {
            __builtin_trap();
        }
    }
    return 0;
}

#include "core/logging.hpp"

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

namespace usersctl {

namespace {

// %* in the JSON pattern: the message, escaped for a JSON string.
class JsonMessageFlag : public spdlog::custom_flag_formatter {
public:
    void format(const spdlog::details::log_msg& msg, const std::tm&, spdlog::memory_buf_t& dest) override
    {
        const std::string escaped = json_escape(std::string(msg.payload.data(), msg.payload.size()));
        dest.append(escaped.data(), escaped.data() + escaped.size());
    }
    std::unique_ptr<custom_flag_formatter> clone() const override
    {
        return spdlog::details::make_unique<JsonMessageFlag>();
    }
};

}  // namespace

void setup_logging(int verbosity, bool quiet, LogFormat format)
{
    auto logger = std::make_shared<spdlog::logger>("usersctl", std::make_shared<spdlog::sinks::stderr_sink_st>());
    auto formatter = std::make_unique<spdlog::pattern_formatter>(
        format == LogFormat::json ? spdlog::pattern_time_type::utc : spdlog::pattern_time_type::local);
    if (format == LogFormat::json) {
        formatter->add_flag<JsonMessageFlag>('*').set_pattern(
            R"({"time":"%Y-%m-%dT%H:%M:%S.%fZ","level":"%l","pid":%P,"msg":"%*"})");
    } else {
        formatter->set_pattern("usersctl: %l: %v");
    }
    logger->set_formatter(std::move(formatter));
    spdlog::level::level_enum level = spdlog::level::info;
    if (quiet) {
        level = spdlog::level::err;
    } else if (verbosity == 1) {
        level = spdlog::level::debug;
    } else if (verbosity >= 2) {
        level = spdlog::level::trace;
    }
    logger->set_level(level);
    logger->flush_on(spdlog::level::trace);
    spdlog::set_default_logger(std::move(logger));
}

}  // namespace usersctl

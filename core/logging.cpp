#include "core/logging.hpp"

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/sinks/syslog_sink.h>
#include <spdlog/spdlog.h>
#include <syslog.h>

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

void setup_logging(int verbosity, bool quiet, LogFormat format, bool to_syslog)
{
    auto stderr_sink = std::make_shared<spdlog::sinks::stderr_sink_st>();
    auto logger = std::make_shared<spdlog::logger>("usersctl", stderr_sink);
    if (to_syslog) {
        // syslog adds the time and "usersctl[PID]:"; the sink sends the bare message.
        auto syslog_sink = std::make_shared<spdlog::sinks::syslog_sink_st>("usersctl", LOG_PID, LOG_AUTHPRIV, false);
        syslog_sink->set_level(spdlog::level::warn);
        logger->sinks().push_back(std::move(syslog_sink));
    }
    auto formatter = std::make_unique<spdlog::pattern_formatter>(
        format == LogFormat::json ? spdlog::pattern_time_type::utc : spdlog::pattern_time_type::local);
    if (format == LogFormat::json) {
        formatter->add_flag<JsonMessageFlag>('*').set_pattern(
            R"({"time":"%Y-%m-%dT%H:%M:%S.%fZ","level":"%l","pid":%P,"msg":"%*"})");
    } else {
        formatter->set_pattern("usersctl: %l: %v");
    }
    stderr_sink->set_formatter(std::move(formatter));
    spdlog::level::level_enum level = spdlog::level::info;
    if (quiet) {
        level = spdlog::level::err;
    } else if (to_syslog && verbosity == 0) {
        // A host login's caller logs every stderr line as an error (dovecot) or nowhere (pam_exec):
        // a rejected password is its business, not a warning.
        level = spdlog::level::warn;
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

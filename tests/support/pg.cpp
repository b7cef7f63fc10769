#include "tests/support/pg.hpp"

#include <atomic>
#include <cstdlib>
#include <pqxx/pqxx>
#include <random>
#include <stdexcept>
#include <unistd.h>

namespace usersctl::test {

namespace {

std::string required_env(const char* name)
{
    const char* value = std::getenv(name);
    if (value == nullptr || *value == '\0') {
        throw std::runtime_error(std::string(name) +
                                 " is not set: run the suite through scripts/test, which starts the test server");
    }
    return value;
}

std::string percent_encode(const std::string& text)
{
    std::string out;
    for (unsigned char c : text) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.') {
            out.push_back(static_cast<char>(c));
        } else {
            char buf[4];
            std::snprintf(buf, sizeof buf, "%%%02X", c);
            out += buf;
        }
    }
    return out;
}

}  // namespace

std::string TestServer::socket_dir()
{
    return required_env("USERSCTL_TEST_PGHOST");
}

std::string TestServer::port()
{
    return required_env("USERSCTL_TEST_PGPORT");
}

std::string TestServer::url(const std::string& name, const std::string& user)
{
    return "postgresql:///" + name + "?host=" + percent_encode(socket_dir()) + "&port=" + port() + "&user=" + user;
}

std::string TestServer::tcp_url(const std::string& name)
{
    return "postgresql://postgres@127.0.0.1:" + port() + "/" + name;
}

std::vector<SqlRow> query_database(const std::string& db, const std::string& sql, const std::vector<std::string>& params)
{
    pqxx::connection c(TestServer::url(db));
    pqxx::nontransaction tx(c);
    const pqxx::result r = tx.exec_params(sql, pqxx::prepare::make_dynamic_params(params));
    std::vector<SqlRow> rows;
    for (const auto& row : r) {
        SqlRow values;
        for (const auto& f : row) {
            values.push_back(f.is_null() ? std::nullopt : std::optional<std::string>(f.c_str()));
        }
        rows.push_back(values);
    }
    return rows;
}

TestDatabase::TestDatabase()
{
    static std::atomic<int> counter{0};
    std::random_device rd;
    m_name = "usersctl_t" + std::to_string(getpid()) + "_" + std::to_string(counter++) + "_" + std::to_string(rd() % 100000);
    pqxx::connection c(TestServer::url("postgres"));
    pqxx::nontransaction tx(c);
    tx.exec0("CREATE DATABASE " + tx.quote_name(m_name));
}

TestDatabase::~TestDatabase()
{
    try {
        pqxx::connection c(TestServer::url("postgres"));
        pqxx::nontransaction tx(c);
        tx.exec0("DROP DATABASE IF EXISTS " + tx.quote_name(m_name) + " WITH (FORCE)");
    } catch (const std::exception&) {
        // The cluster is thrown away at the end of the run anyway.
    }
}

std::vector<SqlRow> TestDatabase::query(const std::string& sql, const std::vector<std::string>& params) const
{
    return query_database(m_name, sql, params);
}

std::string TestDatabase::scalar(const std::string& sql, const std::vector<std::string>& params) const
{
    const auto rows = query(sql, params);
    if (rows.size() != 1 || rows[0].size() != 1) {
        throw std::runtime_error("scalar(): expected one value from: " + sql);
    }
    return rows[0][0].value_or("");
}

}  // namespace usersctl::test

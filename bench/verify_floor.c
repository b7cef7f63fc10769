/* The floor for `usersctl verify`: a bare C program that connects with libpq, runs the same one
 * query and checks the same hash with libxcrypt. Exit 0 on a match, 1 otherwise.
 * Usage: verify_floor CONNINFO EMAIL  (password on the first line of stdin) */

#include <crypt.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char** argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: verify_floor CONNINFO EMAIL\n");
        return 64;
    }
    char password[4100];
    if (!fgets(password, sizeof password, stdin)) {
        return 64;
    }
    password[strcspn(password, "\r\n")] = '\0';
    PGconn* conn = PQconnectdb(argv[1]);
    if (PQstatus(conn) != CONNECTION_OK) {
        fprintf(stderr, "%s", PQerrorMessage(conn));
        return 69;
    }
    const char* params[1] = {argv[2]};
    PGresult* r = PQexecParams(conn,
                               "SELECT id::text, email, password_hash FROM \"public\".\"users\" WHERE lower(email) = $1 "
                               "ORDER BY (email = $1) DESC, id LIMIT 1",
                               1, NULL, params, NULL, NULL, 0);
    int ok = 0;
    if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1) {
        const char* stored = PQgetvalue(r, 0, 2);
        struct crypt_data data;
        memset(&data, 0, sizeof data);
        const char* out = crypt_rn(password, stored, &data, sizeof data);
        ok = out != NULL && strcmp(out, stored) == 0;
    }
    PQclear(r);
    PQfinish(conn);
    return ok ? 0 : 1;
}
